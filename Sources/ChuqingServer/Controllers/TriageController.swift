import ChuqingDomain
import ChuqingPersistence
import ChuqingServices
import Foundation
import Hummingbird

/// One queue for the judge: liaisons' leads and the public's tips, each to be verified within 7
/// days (3 for an urgent lead; 财产调查规定 art. 2) and answered (`GET /api/v1/triage`); a tip moves
/// through the same states as a lead (`POST /api/v1/tips/{id}/status`).
struct TriageController {
    let database: Database
    let tips: TipService
    let now: @Sendable () -> Date

    /// A lead or a tip in the queue.
    struct Item: Encodable {
        let source: String  // "lead" or "tip"
        let id: String
        let debtorId: String?
        let debtorName: String?
        let caseNumber: String?
        let kind: String?
        let kindName: String
        let text: String
        let place: String?
        let from: String
        let township: String?
        let isUrgent: Bool
        let status: String
        let statusName: String
        let verifyBy: String?
        let overdue: Bool
        let receivedAt: Date
        let reply: String?
        let outcome: LeadOutcome?
        let photoCount: Int
        /// Arrival order among the leads on this debtor (1 came first): it decides rewards.
        let position: Int?
    }

    struct Queue: Encodable {
        let items: [Item]
        let overdue: Int
        let open: Int
        let nextCursor: String?
    }

    func register(on routes: RouteTable) {
        routes.on(.get, "/api/v1/triage", .permitted(.readTriage), use: showQueue)
        routes.on(.post, "/api/v1/tips/:id/status", .permitted(.triage), use: changeTipStatus)
    }

    @Sendable func showQueue(_ request: Request, context: AppRequestContext) async throws -> Response {
        let openOnly = try request.flag("open") ?? false
        return try JSON.response(try await queue(context, openOnly: openOnly))
    }

    @Sendable func changeTipStatus(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body = try await request.decode(as: LeadController.StatusChange.self, context: context)
        let tip = try await tips.changeStatus(
            tipID: context.pathID, to: try LeadStatus.parse(body.status), reply: body.reply, outcomeKind: body.outcome?.kind,
            outcomeID: body.outcome?.id, by: context.acting)
        return try JSON.response(tip)
    }

    /// The user's queue: open items first, overdue before due, then by verify-by date and arrival.
    func queue(_ context: AppRequestContext, openOnly: Bool) async throws -> Queue {
        let user = try context.requireSession().user
        let today = ShanghaiClock.today(now())
        let judge = user.role == .judge ? user.id : nil
        let leads = try await LeadRepository(database: database).list(judge: judge, openOnly: openOnly)
        let tips = try await TipRepository(database: database).list(
            visibleToJudge: judge, showTipster: user.may(.readTipsters),
            openOnly: openOnly, limit: 500)
        var items = leads.map { lead in
            let flagged = LeadService.flagged(lead, today: today)
            return Item(
                source: "lead", id: lead.id, debtorId: lead.debtorId, debtorName: lead.debtorName, caseNumber: nil, kind: lead.kind,
                kindName: Lead.Kind(rawValue: lead.kind)?.chinese ?? lead.kind, text: lead.text, place: lead.place,
                from: "\(LiaisonKind(rawValue: lead.liaisonKind ?? "")?.chinese ?? "联络员") \(lead.liaisonName)", township: lead.township,
                isUrgent: lead.isUrgent, status: lead.status, statusName: LeadStatus(rawValue: lead.status)?.chinese ?? lead.status,
                verifyBy: lead.verifyBy, overdue: flagged.overdue, receivedAt: lead.receivedAt, reply: lead.reply, outcome: lead.outcome,
                photoCount: lead.photoCount, position: lead.position)
        }
        items += tips.map { tip in
            let status = LeadStatus(rawValue: tip.status) ?? .new
            // Tips received before verify-by dates were stored are due 7 days after arrival.
            let due = tip.verifyBy.flatMap { try? CalendarDate.parse($0) } ?? ShanghaiClock.today(tip.receivedAt).adding(days: 7)
            let tipster = [tip.tipsterName, tip.tipsterPhone].compactMap { $0 }.joined(separator: " ")
            return Item(
                source: "tip", id: tip.id, debtorId: tip.debtorId, debtorName: tip.debtorName, caseNumber: tip.caseNumber, kind: nil,
                kindName: tip.source == Tip.Source.phone.rawValue ? "电话举报" : "网上举报", text: tip.text, place: tip.place,
                from: tip.source == Tip.Source.phone.rawValue
                    ? "电话举报" + (tipster.isEmpty ? "" : " \(tipster)")
                    : "公众" + (tipster.isEmpty ? "" : " \(tipster)"),
                township: nil, isUrgent: false, status: tip.status, statusName: status.chinese, verifyBy: due.description,
                overdue: status.isOverdue(verifyBy: due, today: today), receivedAt: tip.receivedAt, reply: tip.reply, outcome: tip.outcome,
                photoCount: 0, position: nil)
        }
        items.sort { a, b in
            let aOpen = LeadStatus(rawValue: a.status)?.isOpen ?? false
            let bOpen = LeadStatus(rawValue: b.status)?.isOpen ?? false
            if aOpen != bOpen { return aOpen }
            if a.overdue != b.overdue { return a.overdue }
            if aOpen { return (a.verifyBy ?? "", a.receivedAt, a.id) < (b.verifyBy ?? "", b.receivedAt, b.id) }
            return (a.receivedAt, a.id) > (b.receivedAt, b.id)
        }
        return Queue(
            items: items, overdue: items.filter(\.overdue).count,
            open: items.filter { LeadStatus(rawValue: $0.status)?.isOpen ?? false }.count, nextCursor: nil)
    }
}
