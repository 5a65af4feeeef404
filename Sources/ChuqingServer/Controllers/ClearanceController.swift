import ChuqingDomain
import ChuqingPersistence
import ChuqingServices
import Foundation
import Hummingbird

/// `/api/v1/clearance-batches` and `/api/v1/cases/{id}/measures`: batches with their targets and
/// cases, enforcement measures, and progress as of any date.
struct ClearanceController {
    let database: Database
    let clearance: ClearanceService
    let now: @Sendable () -> Date

    struct NewBatch: Decodable {
        let name: String
        let courtCode: String
        let startsOn: CalendarDate
        let deadline: CalendarDate
        let targetCases: Int
        let targetRecoveredFen: Int64?
    }

    struct AddCases: Decodable {
        let caseIds: [String]?
        let caseNumbers: [String]?
        let filter: BatchCaseFilter?
        let team: String?
    }

    struct Close: Decodable {
        let on: CalendarDate
    }

    struct NewMeasure: Decodable {
        let kind: String
        let on: CalendarDate
        let persons: Int?
        let count: Int?
        let amountFen: Int64?
        let documentNumber: String?

        /// What the service takes.
        var input: ClearanceService.MeasureInput {
            get throws(DomainError) {
                ClearanceService.MeasureInput(
                    kind: try MeasureKind.parse(kind), on: on, persons: persons, count: count, amount: amountFen.map(Money.init(fen:)),
                    documentNumber: documentNumber)
            }
        }
    }

    struct BatchList: Encodable {
        let items: [ClearanceBatch]
        let nextCursor: String?
    }

    struct MeasureList: Encodable {
        let items: [MeasureRecord]
        let nextCursor: String?
    }

    func register(on routes: RouteTable) {
        routes.on(.post, "/api/v1/clearance-batches", .permitted(.manageBatches)) { request, context in
            let body = try await request.decodeJSON(NewBatch.self, context: context)
            let batch = try await clearance.create(
                .init(
                    name: body.name, courtCode: body.courtCode, startsOn: body.startsOn, deadline: body.deadline,
                    targetCases: body.targetCases, targetRecovered: body.targetRecoveredFen.map(Money.init(fen:))),
                by: context.acting)
            return try JSON.response(batch, status: .created)
        }
        routes.on(.get, "/api/v1/clearance-batches", .permitted(.readCases)) { _, context in
            try JSON.response(BatchList(items: try await clearance.batches(by: context.acting), nextCursor: nil))
        }
        routes.on(.get, "/api/v1/clearance-batches/:id", .permitted(.readCases)) { _, context in
            try JSON.response(try await clearance.batch(id: context.pathID, by: context.acting))
        }
        routes.on(.post, "/api/v1/clearance-batches/:id/cases", .permitted(.manageBatches)) { request, context in
            _ = try await clearance.batch(id: context.pathID, by: context.acting)  // 404 before the body is read
            let body = try await request.decodeJSON(AddCases.self, context: context)
            let result = try await clearance.addCases(
                batchID: context.pathID, try .one(ids: body.caseIds, numbers: body.caseNumbers, filter: body.filter),
                team: try body.team.map { try Team.parse($0) }, by: context.acting)
            return try JSON.response(result)
        }
        routes.on(.post, "/api/v1/clearance-batches/:id/close", .permitted(.manageBatches)) { request, context in
            _ = try await clearance.batch(id: context.pathID, by: context.acting)  // 404 before the body is read
            let body = try await request.decodeJSON(Close.self, context: context)
            return try JSON.response(try await clearance.close(batchID: context.pathID, on: body.on, by: context.acting))
        }
        routes.on(.get, "/api/v1/clearance-batches/:id/progress", .permitted(.readCases)) { request, context in
            _ = try await clearance.batch(id: context.pathID, by: context.acting)  // 404 before the query is read
            let asOf = try Self.asOf(request, default: ShanghaiClock.today(now()))
            return try JSON.response(try await clearance.progress(batchID: context.pathID, asOf: asOf, by: context.acting))
        }
        routes.on(.post, "/api/v1/cases/:id/measures", .permitted(.changeCases)) { request, context in
            // another judge's case is 404 whatever the body says
            _ = try await CaseService.visibleCase(id: context.pathID, by: context.acting, database: database)
            let body = try await request.decodeJSON(NewMeasure.self, context: context)
            let record = try await clearance.recordMeasure(try body.input, caseID: context.pathID, by: context.acting)
            return try JSON.response(record, status: .created)
        }
        routes.on(.get, "/api/v1/cases/:id/measures", .permitted(.readCases)) { _, context in
            try JSON.response(MeasureList(items: try await clearance.measures(caseID: context.pathID, by: context.acting), nextCursor: nil))
        }
    }

    static func asOf(_ request: Request, default today: CalendarDate) throws -> CalendarDate {
        guard let text = request.uri.queryParameters.get("asOf"), !text.isEmpty else { return today }
        do {
            return try CalendarDate.parse(text, field: "asOf")
        } catch {
            throw APIError(.badRequest, code: error.code, message: error.message, field: "asOf")
        }
    }
}
