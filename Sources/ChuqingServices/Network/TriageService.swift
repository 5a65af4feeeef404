import ChuqingDomain
import ChuqingPersistence
import Foundation

/// One queue for the judge: liaisons' leads and the public's tips, each to be verified within 7
/// days (3 for an urgent lead; 财产调查规定 art. 2) and answered.
public struct TriageService: Sendable {
    let database: Database
    let now: @Sendable () -> Date

    public init(database: Database, now: @escaping @Sendable () -> Date = Date.init) {
        self.database = database
        self.now = now
    }

    /// A lead or a tip in the queue.
    public struct Item: Encodable, Sendable {
        public let source: String  // "lead" or "tip"
        public let id: String
        public let debtorId: String?
        public let debtorName: String?
        public let caseNumber: String?
        public let kind: String?
        public let kindName: String
        public let text: String
        public let place: String?
        public let from: String
        public let township: String?
        public let isUrgent: Bool
        public let status: String
        public let statusName: String
        public let verifyBy: String?
        public let overdue: Bool
        public let receivedAt: Date
        public let reply: String?
        public let outcome: LeadOutcome?
        public let photoCount: Int
        /// Arrival order among the leads on this debtor (1 came first): it decides rewards.
        public let position: Int?
    }

    public struct Queue: Encodable, Sendable {
        public let items: [Item]
        public let overdue: Int
        public let open: Int
        public let nextCursor: String?
    }

    /// The user's queue: open items first, overdue before due, then by verify-by date and arrival.
    /// A judge sees the leads and tips on their own cases; the tipster's name and phone only those
    /// who may read them.
    public func queue(openOnly: Bool, by actor: ActingUser) async throws -> Queue {
        try actor.require(.readTriage)
        let user = try actor.requireUser()
        let today = ShanghaiClock.today(now())
        let judge = actor.judgeScope
        let leads = try await LeadRepository(database: database).list(judge: judge, openOnly: openOnly)
        let tips = try await TipRepository(database: database).list(
            visibleToJudge: judge, showTipster: user.may(.readTipsters),
            openOnly: openOnly, limit: 500)
        var items = leads.map { lead in
            let flagged = LeadService.flagged(lead, today: today)
            return Item(
                source: "lead", id: lead.id.databaseText, debtorId: lead.debtorID.databaseText, debtorName: lead.debtorName,
                caseNumber: nil, kind: lead.kind.rawValue, kindName: lead.kind.chinese, text: lead.text, place: lead.place,
                from: "\(lead.liaisonKind?.chinese ?? "联络员") \(lead.liaisonName)", township: lead.township,
                isUrgent: lead.isUrgent, status: lead.status.rawValue, statusName: lead.status.chinese,
                verifyBy: lead.verifyBy.description, overdue: flagged.overdue, receivedAt: lead.receivedAt, reply: lead.reply,
                outcome: lead.outcome,
                photoCount: lead.photoCount, position: lead.position)
        }
        items += tips.map { tip in
            let status = tip.status
            // Tips received before verify-by dates were stored are due 7 days after arrival.
            let due = tip.verifyBy ?? ShanghaiClock.today(tip.receivedAt).adding(days: 7)
            let tipster = [tip.tipsterName, tip.tipsterPhone].compactMap { $0 }.joined(separator: " ")
            return Item(
                source: "tip", id: tip.id.databaseText, debtorId: tip.debtorID?.databaseText, debtorName: tip.debtorName,
                caseNumber: tip.caseNumber, kind: nil, kindName: tip.source == .phone ? "电话举报" : "网上举报", text: tip.text,
                place: tip.place,
                from: tip.source == .phone
                    ? "电话举报" + (tipster.isEmpty ? "" : " \(tipster)")
                    : "公众" + (tipster.isEmpty ? "" : " \(tipster)"),
                township: nil, isUrgent: false, status: tip.status.rawValue, statusName: status.chinese, verifyBy: due.description,
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

    /// What each open item's debtor has that a verified lead can be said to have led to (a
    /// payment, a measure, a look-up …), for the triage form's choice.
    public func outcomeOptions(debtorIDs: [String], by actor: ActingUser) async throws -> [String: [(outcome: LeadOutcome, label: String)]]
    {
        try actor.require(.readTriage)
        return try await LeadRepository(database: database).outcomeOptions(debtorIDs: debtorIDs)
    }
}
