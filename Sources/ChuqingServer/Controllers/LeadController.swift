import ChuqingDomain
import ChuqingPersistence
import Crypto
import Foundation
import Hummingbird

/// Township liaisons: the debtors of their township they look for (`GET /api/v1/liaison/debtors`,
/// `GET /api/v1/debtors/{id}` in the liaison's view) and the leads they send (`POST /api/v1/leads`
/// with an `Idempotency-Key`, so a retry on a weak signal never makes a second lead).
/// A debtor outside a liaison's scope answers 404, never 403: existence does not leak.
struct LeadController {
    let database: Database
    let calendar: WorkingDayCalendar
    let now: @Sendable () -> Date

    static let readers: Set<Role> = [.director, .judge, .clerk, .liaison]

    struct NewLead: Decodable {
        let debtorId: String
        let kind: String
        let text: String
        let place: String?
        let seenOn: CalendarDate?
        let urgent: Bool?
    }

    struct StatusChange: Decodable {
        let status: String
        let reply: String?
    }

    struct DebtorList: Encodable {
        let items: [LiaisonDebtorView]
    }

    struct LeadList: Encodable {
        let items: [StoredLead]
        let nextCursor: String?
    }

    var repository: LeadRepository { LeadRepository(database: database) }

    func register(on routes: RouteTable) {
        routes.on(.get, "/api/v1/liaison/debtors", .roles([.liaison])) { _, context in
            try JSON.response(DebtorList(items: try await repository.debtors(township: try township(context))))
        }
        routes.on(.post, "/api/v1/leads", .roles([.liaison])) { request, context in
            let body = try await request.decodeJSON(NewLead.self, context: context)
            let key = request.headers[.init("Idempotency-Key")!]?.trimmingCharacters(in: .whitespaces)
            if let key, key.isEmpty || key.count > 200 {
                throw DomainError(code: "invalid_idempotency_key", message: "Idempotency-Key 须为 1–200 个字符（建议每条线索一个 UUID）", field: "Idempotency-Key")
            }
            let township = try township(context)
            guard let debtor = try await repository.debtor(id: body.debtorId, township: township) else {
                throw APIError(.notFound, code: "not_found", message: "找不到该被执行人，或其不在您负责的乡镇需查找的名单中")
            }
            let instant = now()
            let today = ShanghaiClock.today(instant)
            let lead = try Lead(kind: try Lead.Kind.parse(body.kind), text: body.text, place: body.place, seenOn: body.seenOn ?? today,
                                isUrgent: body.urgent ?? false, today: today)
            // What the lead says, not how the JSON was spelled: a retry may order its keys differently.
            let canonical = [body.debtorId.lowercased(), body.kind, body.text.trimmed, body.place?.trimmed ?? "",
                             body.seenOn?.description ?? "", body.urgent.map(String.init) ?? ""].joined(separator: "\u{1F}")
            let hash = SHA256.hash(data: Data(canonical.utf8)).map { String(format: "%02x", $0) }.joined()
            let user = try context.requireSession().user
            let (stored, created) = try await repository.submit(
                lead, debtorID: debtor.id, liaison: user.id, township: township, idempotencyKey: key, requestHash: hash,
                verifyBy: try lead.verifyBy(receivedOn: today, calendar: calendar), now: instant)
            return try JSON.response(stored, status: created ? .created : .ok)
        }
        routes.on(.get, "/api/v1/leads", .roles(Self.readers)) { _, context in
            let user = try context.requireSession().user
            let today = ShanghaiClock.today(now())
            let items = try await repository.list(liaison: user.role == .liaison ? user.id : nil, judge: user.role == .judge ? user.id : nil)
            return try JSON.response(LeadList(items: items.map { Self.flagged($0, today: today) }, nextCursor: nil))
        }
        routes.on(.post, "/api/v1/leads/:id/status", .roles([.director, .judge])) { request, context in
            let user = try context.requireSession().user
            guard let id = context.parameters.get("id")?.lowercased(), let lead = try await repository.lead(id: id) else { throw APIError.notFound }
            // A judge answers the leads on debtors of their own cases; any other is 404 to them.
            if user.role == .judge, !(try await repository.isResponsible(judge: user.id, leadID: lead.id)) { throw APIError.notFound }
            let body = try await request.decodeJSON(StatusChange.self, context: context)
            let next = try LeadStatus.parse(body.status)
            let instant = now()
            let updated = try await repository.setStatus(
                id: lead.id, to: next, reply: body.reply, decidedBy: user.id,
                audit: context.actor.audit("lead.status", entity: "lead", id: lead.id, detail: next.chinese, at: instant), now: instant)
            return try JSON.response(Self.flagged(updated, today: ShanghaiClock.today(instant)))
        }
    }

    /// The lead with its overdue flag for `today` (财产调查规定 art. 2: 7 days, 3 if urgent).
    static func flagged(_ lead: StoredLead, today: CalendarDate) -> StoredLead {
        var lead = lead
        if let status = LeadStatus(rawValue: lead.status), let due = try? CalendarDate.parse(lead.verifyBy) {
            lead.overdue = status.isOverdue(verifyBy: due, today: today)
        }
        return lead
    }

    /// The liaison's township (every liaison is bound to one: `users` CHECK constraint).
    func township(_ context: AppRequestContext) throws -> String {
        guard let township = try context.requireSession().user.townshipCode else { throw APIError.forbidden }
        return township
    }
}
