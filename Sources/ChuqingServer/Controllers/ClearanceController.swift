import ChuqingDomain
import ChuqingPersistence
import Foundation
import Hummingbird

/// `/api/v1/clearance-batches` and `/api/v1/cases/{id}/measures`: batches with their targets and
/// cases, enforcement measures, and progress as of any date.
struct ClearanceController {
    let database: Database
    let now: @Sendable () -> Date

    /// The director runs the campaign: creates batches, fills and closes them.
    static let managers: Set<Role> = [.director]

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
    }

    struct BatchList: Encodable {
        let items: [ClearanceBatch]
        let nextCursor: String?
    }

    struct MeasureList: Encodable {
        let items: [MeasureRecord]
        let nextCursor: String?
    }

    var repository: ClearanceRepository { ClearanceRepository(database: database) }

    func register(on routes: RouteTable) {
        routes.on(.post, "/api/v1/clearance-batches", .roles(Self.managers)) { request, context in
            let body = try await request.decodeJSON(NewBatch.self, context: context)
            let user = try context.requireSession().user
            let instant = now()
            let batch = try await repository.create(
                name: body.name, courtCode: body.courtCode, startsOn: body.startsOn, deadline: body.deadline, targetCases: body.targetCases,
                targetRecoveredFen: body.targetRecoveredFen, createdBy: user.id,
                audit: context.actor.audit("batch.create", entity: "batch", id: nil, detail: body.name, at: instant), now: instant)
            return try JSON.response(batch, status: .created)
        }
        routes.on(.get, "/api/v1/clearance-batches", .roles(CaseController.readers)) { _, _ in
            try JSON.response(BatchList(items: try await repository.batches(), nextCursor: nil))
        }
        routes.on(.get, "/api/v1/clearance-batches/:id", .roles(CaseController.readers)) { _, context in
            try JSON.response(try await batch(context))
        }
        routes.on(.post, "/api/v1/clearance-batches/:id/cases", .roles(Self.managers)) { request, context in
            let batch = try await batch(context)
            let body = try await request.decodeJSON(AddCases.self, context: context)
            let selection = try await Self.selection(body, repository: CaseRepository(database: database))
            let team = try body.team.map { try Team.parse($0) }
            let user = try context.requireSession().user
            let instant = now()
            let result = try await repository.addCases(
                batchID: batch.id, selection, team: team, addedBy: user.id,
                audit: context.actor.audit("batch.add_cases", entity: "batch", id: batch.id, detail: batch.name, at: instant), now: instant)
            return try JSON.response(result)
        }
        routes.on(.post, "/api/v1/clearance-batches/:id/close", .roles(Self.managers)) { request, context in
            let batch = try await batch(context)
            let body = try await request.decodeJSON(Close.self, context: context)
            let instant = now()
            let closed = try await repository.close(
                batchID: batch.id, on: body.on,
                audit: context.actor.audit("batch.close", entity: "batch", id: batch.id, detail: batch.name, at: instant))
            return try JSON.response(closed)
        }
        routes.on(.get, "/api/v1/clearance-batches/:id/progress", .roles(CaseController.readers)) { request, context in
            let batch = try await batch(context)
            let asOf = try Self.asOf(request, default: ShanghaiClock.today(now()))
            guard let progress = try await repository.progress(batchID: batch.id, asOf: asOf) else { throw APIError.notFound }
            return try JSON.response(progress)
        }
        routes.on(.post, "/api/v1/cases/:id/measures", .roles(CaseController.writers)) { request, context in
            let current = try await CaseController.visibleCase(context, database: database)
            let body = try await request.decodeJSON(NewMeasure.self, context: context)
            let record = try await recordMeasure(body, on: current, context: context)
            return try JSON.response(record, status: .created)
        }
        routes.on(.get, "/api/v1/cases/:id/measures", .roles(CaseController.readers)) { _, context in
            let current = try await CaseController.visibleCase(context, database: database)
            return try JSON.response(MeasureList(items: try await repository.measures(caseID: current.summary.id), nextCursor: nil))
        }
    }

    func batch(_ context: AppRequestContext) async throws -> ClearanceBatch {
        guard let id = context.parameters.get("id")?.lowercased(), let batch = try await repository.batch(id: id) else {
            throw APIError.notFound
        }
        return batch
    }

    /// Checks and records a measure; the API and the case page share it. The judge recorded is
    /// the one recording, when a judge records it, else the case's judge.
    /// `findingID`: the look-up finding the measure is taken on (`/api/v1/asset-findings/{id}/measures`).
    func recordMeasure(_ body: NewMeasure, findingID: String? = nil, on current: CaseDetail, context: AppRequestContext) async throws
        -> MeasureRecord
    {
        let user = try context.requireSession().user
        let instant = now()
        let measure = try Measure(
            kind: try MeasureKind.parse(body.kind), on: body.on, persons: body.persons, count: body.count, amountFen: body.amountFen,
            documentNumber: body.documentNumber, filedOn: try CalendarDate.parse(current.summary.filedOn),
            today: ShanghaiClock.today(instant))
        let judgeID = user.role == .judge ? user.id : current.judgeID.flatMap(UUID.init(uuidString:))
        return try await repository.recordMeasure(
            caseID: current.summary.id, measure, findingID: findingID, judgeID: judgeID, actor: context.caseActor,
            audit: context.actor.audit(
                "case.measure", entity: "case", id: current.summary.id,
                detail: "\(current.summary.caseNumber) \(measure.kind.chinese)", at: instant),
            now: instant)
    }

    static func asOf(_ request: Request, default today: CalendarDate) throws -> CalendarDate {
        guard let text = request.uri.queryParameters.get("asOf"), !text.isEmpty else { return today }
        do {
            return try CalendarDate.parse(text, field: "asOf")
        } catch {
            throw APIError(.badRequest, code: error.code, message: error.message, field: "asOf")
        }
    }

    /// Exactly one of caseIds, caseNumbers (any bracket form) or filter.
    static func selection(_ body: AddCases, repository: CaseRepository) async throws -> BatchCaseSelection {
        let given = [body.caseIds != nil, body.caseNumbers != nil, body.filter != nil].filter { $0 }.count
        guard given == 1 else {
            throw APIError(
                .unprocessableContent, code: "one_selection",
                message: "请只给出 caseIds、caseNumbers 或 filter 中的一项（收到 \(given) 项）", field: "caseIds")
        }
        if let ids = body.caseIds { return .ids(ids) }
        if let filter = body.filter { return .filter(filter) }
        var ids: [String] = []
        var unknown: [String] = []
        for text in body.caseNumbers ?? [] {
            let number = try CaseNumber(text, field: "caseNumbers")
            var filter = CaseFilter()
            filter.caseNumber = number
            if let found = try await repository.search(filter, limit: 1, after: nil).items.first {
                ids.append(found.id)
            } else {
                unknown.append(number.canonical)
            }
        }
        guard unknown.isEmpty else {
            throw DomainError(code: "unknown_case", message: "未加入任何案件：没有这些案号的案件：\(unknown.joined(separator: "、"))", field: "caseNumbers")
        }
        return .ids(ids)
    }
}
