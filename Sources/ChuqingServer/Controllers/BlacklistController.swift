import ChuqingDomain
import ChuqingPersistence
import Foundation
import Hummingbird

/// `/api/v1/blacklist-entries`: listing decisions on the dishonest-debtor list and their deletion
/// triggers, deletion, revocation, correction and correction requests (法释〔2017〕7号), and the
/// notifications each listing and removal produces (art. 8).
struct BlacklistController {
    let database: Database
    let calendar: WorkingDayCalendar
    let notices: NoticeRendering
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

    struct Deletion: Decodable {
        let on: CalendarDate
    }

    struct NewProcedure: Decodable {
        let kind: String
        let ground: String?
        let on: CalendarDate
        let reason: String
    }

    struct Decision: Decodable {
        let outcome: String
        let on: CalendarDate
        let note: String?
        let trigger: String?
    }

    struct ProcedureList: Encodable {
        let items: [BlacklistProcedure]
    }

    struct NotificationList: Encodable {
        let items: [StoredNotification]
    }

    struct NotificationBody: Encodable {
        let notification: StoredNotification
        let xml: String
        let text: String
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
                    throw DomainError(
                        code: "unknown_exemption",
                        message:
                            "exemption「\(text)」无法识别；可用：\(ListingExemption.allCases.map { "\($0.rawValue)（\($0.chinese)）" }.joined(separator: "、"))",
                        field: "exemption")
                }
                return value
            }
            let user = try context.requireSession().user
            let instant = now()
            let entry = try await repository.create(
                .init(
                    caseID: current.summary.id, debtorID: body.debtorId.lowercased(), circumstances: body.circumstances,
                    decidedOn: body.decidedOn,
                    decisionNumber: body.decisionNumber, exemption: exemption, extensionYears: body.extensionYears ?? 0,
                    extensionReason: body.extensionReason, gracePeriodMonths: body.gracePeriodMonths),
                createdBy: user.id,
                audit: context.actor.audit(
                    "blacklist.list", entity: "case", id: current.summary.id, detail: current.summary.caseNumber, at: instant),
                today: ShanghaiClock.today(instant), now: instant, notify: notices.notification)
            return try JSON.response(entry, status: .created)
        }
        routes.on(.get, "/api/v1/blacklist-entries", .roles(CaseController.readers)) { request, context in
            let user = try context.requireSession().user
            let judge = user.role == .judge ? user.id : nil  // a judge sees the entries of their own cases
            let due = try request.flag("deletionDue") ?? false
            return try JSON.response(
                EntryList(
                    items: due
                        ? try await repository.dueDeletions(visibleToJudge: judge)
                        : try await repository.all(visibleToJudge: judge), nextCursor: nil))
        }
        routes.on(.get, "/api/v1/blacklist-entries/:id", .roles(CaseController.readers)) { _, context in
            try JSON.response(try await entry(context))
        }
        routes.on(.post, "/api/v1/blacklist-entries/:id/deletion-triggers", .roles(CaseController.writers)) { request, context in
            let entry = try await entry(context)
            let body = try await request.decodeJSON(Trigger.self, context: context)
            let trigger = try Self.trigger(body.trigger)
            let instant = now()
            let updated = try await repository.recordTrigger(
                entryID: entry.id, trigger, on: body.on, calendar: calendar,
                audit: context.actor.audit(
                    "blacklist.trigger", entity: "blacklist_entry", id: entry.id, detail: trigger.chinese, at: instant),
                today: ShanghaiClock.today(instant))
            return try JSON.response(updated)
        }
        routes.on(.post, "/api/v1/blacklist-entries/:id/deletion", .roles(CaseController.writers)) { request, context in
            let entry = try await entry(context)
            let body = try await request.decodeJSON(Deletion.self, context: context)
            let instant = now()
            return try JSON.response(
                try await repository.markDeleted(
                    entryID: entry.id, on: body.on,
                    audit: context.actor.audit(
                        "blacklist.delete", entity: "blacklist_entry", id: entry.id, detail: entry.debtorName, at: instant),
                    today: ShanghaiClock.today(instant), now: instant, notify: notices.notification))
        }
        routes.on(.post, "/api/v1/blacklist-entries/:id/procedures", .roles(CaseController.writers)) { request, context in
            let entry = try await entry(context)
            let body = try await request.decodeJSON(NewProcedure.self, context: context)
            let kind = try BlacklistProcedureKind.parse(body.kind)
            let ground = kind == .objection ? try ObjectionGround.parse(body.ground) : nil
            let instant = now()
            let user = try context.requireSession().user
            return try JSON.response(
                try await repository.openProcedure(
                    entryID: entry.id, kind: kind, ground: ground, aroseOn: body.on, reason: body.reason, calendar: calendar,
                    createdBy: user.id,
                    audit: context.actor.audit(
                        "blacklist.procedure", entity: "blacklist_entry", id: entry.id, detail: kind.chinese, at: instant),
                    today: ShanghaiClock.today(instant), now: instant), status: .created)
        }
        routes.on(.get, "/api/v1/blacklist-entries/:id/procedures", .roles(CaseController.readers)) { _, context in
            let entry = try await entry(context)
            return try JSON.response(ProcedureList(items: try await repository.procedures(entryID: entry.id)))
        }
        routes.on(.get, "/api/v1/blacklist-procedures", .roles(CaseController.readers)) { _, context in
            let user = try context.requireSession().user
            return try JSON.response(
                ProcedureList(items: try await repository.openProcedures(visibleToJudge: user.role == .judge ? user.id : nil)))
        }
        routes.on(.post, "/api/v1/blacklist-procedures/:id/decision", .roles(CaseController.writers)) { request, context in
            guard let id = context.parameters.get("id"), let procedure = try await repository.procedure(id: id) else {
                throw APIError.notFound
            }
            let entry = try await visibleEntry(procedure.entryId, context)
            let body = try await request.decodeJSON(Decision.self, context: context)
            let outcome = try ProcedureOutcome.parse(body.outcome)
            let trigger = try body.trigger.map(Self.trigger)
            let instant = now()
            let user = try context.requireSession().user
            return try JSON.response(
                try await repository.decideProcedure(
                    id: procedure.id, outcome: outcome, on: body.on, note: body.note, trigger: trigger, calendar: calendar,
                    decidedBy: user.id,
                    audit: context.actor.audit(
                        "blacklist.decide", entity: "blacklist_entry", id: entry.id, detail: "\(procedure.kind) \(outcome.rawValue)",
                        at: instant),
                    today: ShanghaiClock.today(instant), now: instant, notify: notices.notification))
        }
        routes.on(.get, "/api/v1/blacklist-notifications", .roles(CaseController.readers)) { request, context in
            let user = try context.requireSession().user
            return try JSON.response(
                NotificationList(
                    items: try await BlacklistNotifications(database: database).list(
                        entryID: request.uri.queryParameters.get("entryId"), visibleToJudge: user.role == .judge ? user.id : nil)))
        }
        routes.on(.get, "/api/v1/blacklist-notifications/:id", .roles(CaseController.readers)) { request, context in
            guard let id = context.parameters.get("id"),
                let (notification, xml) = try await BlacklistNotifications(database: database).notification(id: id)
            else { throw APIError.notFound }
            _ = try await visibleEntry(notification.entryId, context)
            if request.uri.queryParameters.get("format") == "html" {
                return Response(
                    status: .ok, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
                    body: .init(byteBuffer: ByteBuffer(string: try notices.templates.notificationHTML.transform(xml))))
            }
            return try JSON.response(
                NotificationBody(
                    notification: notification, xml: xml,
                    text: try notices.templates.notificationText.transform(xml)))
        }
    }

    static func trigger(_ text: String) throws(DomainError) -> DeletionTrigger {
        guard let trigger = DeletionTrigger(rawValue: text) else {
            throw DomainError(
                code: "unknown_trigger",
                message: "trigger「\(text)」无法识别；可用：\(DeletionTrigger.allCases.map(\.rawValue).joined(separator: "、"))",
                field: "trigger")
        }
        return trigger
    }

    private func visibleEntry(_ id: String, _ context: AppRequestContext) async throws -> BlacklistEntry {
        guard let entry = try await repository.entry(id: id) else { throw APIError.notFound }
        let user = try context.requireSession().user
        if user.role == .judge { _ = try await visibleCase(id: entry.caseId, context) }
        return entry
    }

    private func entry(_ context: AppRequestContext) async throws -> BlacklistEntry {
        guard let id = context.parameters.get("id")?.lowercased() else { throw APIError.notFound }
        return try await visibleEntry(id, context)
    }

    private func visibleCase(id: String, _ context: AppRequestContext) async throws -> CaseDetail {
        try await CaseController.visibleCase(id: id, context, database: database)
    }
}
