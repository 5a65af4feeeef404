import ChuqingDomain
import ChuqingPersistence
import Foundation
import Hummingbird

/// `/api/v1/blacklist-entries`: listing decisions on the dishonest-debtor list and their deletion
/// triggers (法释〔2017〕7号). Notices built from the entries come later (issue 7).
struct BlacklistController {
    let database: Database
    let calendar: WorkingDayCalendar
    let now: @Sendable () -> Date

    struct NewEntry: Decodable {
        let caseId: String
        let debtorId: String
        let circumstances: [Int]
        let decidedOn: CalendarDate
        let decisionNumber: String
        let exemption: String?
        let extensionYears: Int?
        let extensionReason: String?
        let gracePeriodMonths: Int?
    }

    struct Trigger: Decodable {
        let trigger: String
        let on: CalendarDate
    }

    struct EntryList: Encodable {
        let items: [BlacklistEntry]
        let nextCursor: String?
    }

    var repository: BlacklistRepository { BlacklistRepository(database: database) }

    func register(on routes: RouteTable) {
        routes.on(.post, "/api/v1/blacklist-entries", .roles(CaseController.writers)) { request, context in
            let body = try await request.decodeJSON(NewEntry.self, context: context)
            let current = try await visibleCase(id: body.caseId, context)
            let exemption: ListingExemption? = try body.exemption.map { text in
                guard let value = ListingExemption(rawValue: text) else {
                    throw DomainError(code: "unknown_exemption",
                                      message: "exemption「\(text)」无法识别；可用：\(ListingExemption.allCases.map { "\($0.rawValue)（\($0.chinese)）" }.joined(separator: "、"))",
                                      field: "exemption")
                }
                return value
            }
            let user = try context.requireSession().user
            let instant = now()
            let entry = try await repository.create(
                .init(caseID: current.summary.id, debtorID: body.debtorId.lowercased(), circumstances: body.circumstances, decidedOn: body.decidedOn,
                      decisionNumber: body.decisionNumber, exemption: exemption, extensionYears: body.extensionYears ?? 0,
                      extensionReason: body.extensionReason, gracePeriodMonths: body.gracePeriodMonths),
                createdBy: user.id,
                audit: context.actor.audit("blacklist.list", entity: "case", id: current.summary.id, detail: current.summary.caseNumber, at: instant),
                today: ShanghaiClock.today(instant), now: instant)
            return try JSON.response(entry, status: .created)
        }
        routes.on(.get, "/api/v1/blacklist-entries", .roles(CaseController.readers)) { request, context in
            let user = try context.requireSession().user
            let judge = user.role == .judge ? user.id : nil  // a judge sees the entries of their own cases
            let due = request.uri.queryParameters.get("deletionDue") == "true"
            return try JSON.response(EntryList(items: due ? try await repository.dueDeletions(visibleToJudge: judge)
                                                          : try await repository.all(visibleToJudge: judge), nextCursor: nil))
        }
        routes.on(.get, "/api/v1/blacklist-entries/:id", .roles(CaseController.readers)) { _, context in
            try JSON.response(try await entry(context))
        }
        routes.on(.post, "/api/v1/blacklist-entries/:id/deletion-triggers", .roles(CaseController.writers)) { request, context in
            let entry = try await entry(context)
            _ = try await visibleCase(id: entry.caseId, context)
            let body = try await request.decodeJSON(Trigger.self, context: context)
            guard let trigger = DeletionTrigger(rawValue: body.trigger) else {
                throw DomainError(code: "unknown_trigger",
                                  message: "trigger「\(body.trigger)」无法识别；可用：\(DeletionTrigger.allCases.map(\.rawValue).joined(separator: "、"))",
                                  field: "trigger")
            }
            let instant = now()
            let updated = try await repository.recordTrigger(
                entryID: entry.id, trigger, on: body.on, calendar: calendar,
                audit: context.actor.audit("blacklist.trigger", entity: "blacklist_entry", id: entry.id, detail: trigger.chinese, at: instant),
                today: ShanghaiClock.today(instant))
            return try JSON.response(updated)
        }
    }

    private func entry(_ context: AppRequestContext) async throws -> BlacklistEntry {
        guard let id = context.parameters.get("id")?.lowercased(), let entry = try await repository.entry(id: id) else { throw APIError.notFound }
        let user = try context.requireSession().user
        if user.role == .judge { _ = try await visibleCase(id: entry.caseId, context) }
        return entry
    }

    private func visibleCase(id: String, _ context: AppRequestContext) async throws -> CaseDetail {
        try await CaseController.visibleCase(id: id, context, database: database)
    }
}
