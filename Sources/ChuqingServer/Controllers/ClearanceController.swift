import ChuqingDomain
import ChuqingPersistence
import ChuqingServices
import Foundation
import Hummingbird

/// `/api/v1/clearance-batches` and `/api/v1/cases/{id}/measures`: batches with their targets and
/// cases, enforcement measures, and progress as of any date.
struct ClearanceController {
    let cases: CaseService
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
        /// The person fined, detained or summoned: a debtor of the case, or another person.
        let debtorId: UUID?
        let personName: String?
        let personKind: String?
        let act: String?
        let days: Int?
        let deputyPermission: String?

        /// What the service takes.
        var input: ClearanceService.MeasureInput {
            get throws(DomainError) {
                ClearanceService.MeasureInput(
                    kind: try MeasureKind.parse(kind), on: on, persons: persons, count: count, amount: amountFen.map(Money.init(fen:)),
                    documentNumber: documentNumber, debtorID: debtorId, personName: personName,
                    personKind: try personKind?.trimmed.nilIfEmpty.map { text throws(DomainError) in try SanctionSubject.Kind.parse(text) },
                    act: act, days: days, deputyPermission: deputyPermission)
            }
        }
    }

    struct ReconsiderationApplication: Decodable {
        let appliedOn: CalendarDate
        let servedOn: CalendarDate?
    }

    struct ReconsiderationDecision: Decodable {
        let decidedOn: CalendarDate
        let outcome: String
    }

    struct BatchList: Encodable {
        let items: [ClearanceBatchResponse]
        let nextCursor: String?
    }

    struct MeasureList: Encodable {
        let items: [MeasureResponse]
        let nextCursor: String?
    }

    func register(on routes: RouteTable) {
        routes.on(.post, "/api/v1/clearance-batches", .permitted(.manageBatches), use: createBatch)
        routes.on(.get, "/api/v1/clearance-batches", .permitted(.readCases), use: batches)
        routes.on(.get, "/api/v1/clearance-batches/:id", .permitted(.readCases), use: batch)
        routes.on(.post, "/api/v1/clearance-batches/:id/cases", .permitted(.manageBatches), use: addCases)
        routes.on(.post, "/api/v1/clearance-batches/:id/close", .permitted(.manageBatches), use: close)
        routes.on(.get, "/api/v1/clearance-batches/:id/progress", .permitted(.readCases), use: progress)
        routes.on(.post, "/api/v1/cases/:id/measures", .permitted(.changeCases), use: recordMeasure)
        routes.on(.get, "/api/v1/cases/:id/measures", .permitted(.readCases), use: measures)
        routes.on(.post, "/api/v1/measures/:id/reconsideration", .permitted(.changeCases), use: applyForReconsideration)
        routes.on(.post, "/api/v1/measures/:id/reconsideration/decision", .permitted(.changeCases), use: decideReconsideration)
    }

    @Sendable func createBatch(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body = try await request.decode(as: NewBatch.self, context: context)
        let batch = try await clearance.create(
            .init(
                name: body.name, courtCode: body.courtCode, startsOn: body.startsOn, deadline: body.deadline,
                targetCases: body.targetCases, targetRecovered: body.targetRecoveredFen.map(Money.init(fen:))),
            by: context.acting)
        return try JSON.response(ClearanceBatchResponse(batch), status: .created)
    }

    @Sendable func batches(_ request: Request, context: AppRequestContext) async throws -> Response {
        try JSON.response(
            BatchList(items: try await clearance.batches(by: context.acting).map(ClearanceBatchResponse.init), nextCursor: nil))
    }

    @Sendable func batch(_ request: Request, context: AppRequestContext) async throws -> Response {
        try JSON.response(ClearanceBatchResponse(try await clearance.batch(id: context.pathID, by: context.acting)))
    }

    @Sendable func addCases(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try await clearance.batch(id: context.pathID, by: context.acting)  // 404 before the body is read
        let body = try await request.decode(as: AddCases.self, context: context)
        let result = try await clearance.addCases(
            batchID: context.pathID, try .one(ids: body.caseIds, numbers: body.caseNumbers, filter: body.filter),
            team: try body.team.map { try Team.parse($0) }, by: context.acting)
        return try JSON.response(BatchAddResponse(result))
    }

    @Sendable func close(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try await clearance.batch(id: context.pathID, by: context.acting)  // 404 before the body is read
        let body = try await request.decode(as: Close.self, context: context)
        return try JSON.response(
            ClearanceBatchResponse(try await clearance.close(batchID: context.pathID, on: body.on, by: context.acting)))
    }

    @Sendable func progress(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try await clearance.batch(id: context.pathID, by: context.acting)  // 404 before the query is read
        let asOf = try Self.asOf(request, default: ShanghaiClock.today(now()))
        return try JSON.response(
            BatchProgressResponse(try await clearance.progress(batchID: context.pathID, asOf: asOf, by: context.acting)))
    }

    @Sendable func recordMeasure(_ request: Request, context: AppRequestContext) async throws -> Response {
        // another judge's case is 404 whatever the body says
        _ = try await cases.visibleCase(id: context.pathID, by: context.acting)
        let body = try await request.decode(as: NewMeasure.self, context: context)
        let record = try await clearance.recordMeasure(try body.input, caseID: context.pathID, by: context.acting)
        return try JSON.response(MeasureResponse(record), status: .created)
    }

    @Sendable func measures(_ request: Request, context: AppRequestContext) async throws -> Response {
        try JSON.response(
            MeasureList(
                items: try await clearance.measures(caseID: context.pathID, by: context.acting).map(MeasureResponse.init), nextCursor: nil))
    }

    @Sendable func applyForReconsideration(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body = try await request.decode(as: ReconsiderationApplication.self, context: context)
        return try JSON.response(
            MeasureResponse(
                try await clearance.applyForReconsideration(
                    measureID: context.pathID, appliedOn: body.appliedOn, servedOn: body.servedOn, by: context.acting)))
    }

    @Sendable func decideReconsideration(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body = try await request.decode(as: ReconsiderationDecision.self, context: context)
        return try JSON.response(
            MeasureResponse(
                try await clearance.decideReconsideration(
                    measureID: context.pathID, decidedOn: body.decidedOn, outcome: try ReconsiderationOutcome.parse(body.outcome),
                    by: context.acting)))
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
