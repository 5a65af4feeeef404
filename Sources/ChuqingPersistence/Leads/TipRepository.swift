import ChuqingDomain
import Foundation
import SQLKit

/// A stored tip as staff see it. `tipsterName` and `tipsterPhone` are filled only for the roles
/// allowed to see who tipped (the judge of the case and the director).
public struct StoredTip: Sendable, Equatable {
    public let id: UUID
    public let source: Tip.Source
    public let status: LeadStatus
    public let caseID: UUID?
    public let caseNumber: String?
    public let debtorName: String?
    public let text: String
    public let place: String?
    public let tipsterName: String?
    public let tipsterPhone: String?
    public let receivedAt: Date
    /// The last day to verify it (7 days, like a lead: rules.md §7.15); nil for tips received
    /// before the day was stored.
    public let verifyBy: CalendarDate?
    /// The judge's answer, once verified or rejected (the tipster is not told: they may be anonymous).
    public let reply: String?
    public let outcome: LeadOutcome?
    public let debtorID: UUID?
}

/// Tip-offs: stored in arrival order, optionally about an entry of a published notice.
public struct TipRepository: Sendable {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    /// Who a tip is about, as a published exposure notice names them: the entry must be in that
    /// published issue and still on the list.
    public struct Subject: Sendable {
        public let issueID: String
        public let entryID: String

        public init(issueID: String, entryID: String) {
            self.issueID = issueID.lowercased()
            self.entryID = entryID.lowercased()
        }
    }

    /// The name and case number the public form shows for `subject` (public already: the
    /// notice shows them), or nil when the subject is not in a published issue or withdrawn.
    public func subjectLabel(_ subject: Subject) async throws -> (debtorName: String, caseNumber: String, caseID: String, debtorID: String)?
    {
        struct Row: Decodable {
            let name: String
            let case_number: String
            let case_id: String
            let debtor_id: String
        }
        guard
            let row = try await database.sql.raw(
                """
                SELECT d.name, c.case_number, c.id AS case_id, d.id AS debtor_id
                FROM notice_issue_entries ie JOIN notice_issues i ON i.id = ie.issue_id
                JOIN blacklist_entries e ON e.id = ie.entry_id JOIN enforcement_cases c ON c.id = e.case_id JOIN debtors d ON d.id = e.debtor_id
                WHERE ie.issue_id = \(bind: subject.issueID) AND ie.entry_id = \(bind: subject.entryID) AND i.state = 'published'
                  AND i.kind = 'blacklist' AND e.removal IS NULL
                """
            ).first(decoding: Row.self)
        else { return nil }
        return (row.name, row.case_number, row.case_id, row.debtor_id)
    }

    /// Stores a tip and returns its id. A subject that no published notice shows is refused, so a
    /// tip never attaches to a debtor the public cannot see.
    public func create(
        _ tip: Tip, subject: Subject?, source: Tip.Source, enteredBy: UUID?, address: String?, verifyBy: CalendarDate,
        now: Date
    ) async throws -> UUID {
        var caseID: String?
        var debtorID: String?
        if let subject {
            guard let found = try await subjectLabel(subject) else {
                throw DomainError(
                    code: "unknown_subject",
                    message: "所举报的对象不在已发布的公告中（或已依法删除）；请直接写明被执行人姓名和情况，不选对象提交", field: "entryId")
            }
            caseID = found.caseID
            debtorID = found.debtorID
        }
        let id = UUID()
        try await database.sql.raw(
            """
            INSERT INTO tips (id, source, issue_id, entry_id, case_id, debtor_id, text, place, tipster_name, tipster_phone, address, entered_by,
                              received_at, verify_by)
            VALUES (\(bind: id), \(bind: source.rawValue), \(bind: subject?.issueID), \(bind: subject?.entryID), \(bind: caseID), \(bind: debtorID),
                    \(bind: tip.text), \(bind: tip.place), \(bind: tip.tipsterName), \(bind: tip.tipsterPhone), \(bind: address),
                    \(bind: enteredBy?.databaseText), \(bind: now), \(bind: verifyBy.description))
            """
        ).run()
        return id
    }

    private struct Row: Decodable {
        let id: String
        let source: String
        let status: String
        let case_id: String?
        let case_number: String?
        let debtor_name: String?
        let text: String
        let place: String?
        let tipster_name: String?
        let tipster_phone: String?
        let received_at: Date
        let verify_by: String?
        let reply: String?
        let outcome_kind: String?
        let outcome_id: String?
        let debtor_id: String?

        func tip(showTipster: Bool) throws -> StoredTip {
            StoredTip(
                id: try Stored.uuid(id, "tips.id"), source: try Stored.value(source, "tips.source"),
                status: try Stored.value(status, "tips.status"), caseID: try case_id.map { try Stored.uuid($0, "tips.case_id") },
                caseNumber: case_number, debtorName: debtor_name, text: text, place: place,
                tipsterName: showTipster ? tipster_name : nil, tipsterPhone: showTipster ? tipster_phone : nil,
                receivedAt: received_at, verifyBy: try verify_by.map { try Stored.date($0, "tips.verify_by") }, reply: reply,
                outcome: outcome_kind.flatMap(LeadOutcome.Kind.init(rawValue:)).map { LeadOutcome(kind: $0, id: outcome_id ?? "") },
                debtorID: try debtor_id.map { try Stored.uuid($0, "debtors.id") })
        }
    }

    private static let select = """
        SELECT t.id, t.source, t.status, t.case_id, c.case_number, d.name AS debtor_name, t.text, t.place, t.tipster_name, t.tipster_phone,
               t.received_at, t.verify_by, t.reply, t.outcome_kind, t.outcome_id, t.debtor_id
        FROM tips t LEFT JOIN enforcement_cases c ON c.id = t.case_id LEFT JOIN debtors d ON d.id = t.debtor_id
        """

    /// Tips in arrival order, newest first: for a judge, those about their cases and those about
    /// nobody in particular; for everyone else, all. The tipster is shown when `showTipster`.
    public func list(visibleToJudge judge: UUID?, showTipster: Bool, openOnly: Bool = false, limit: Int = 200) async throws -> [StoredTip] {
        var query = SQLQueryString(Self.select) + " WHERE 1 = 1"
        if let judge { query = query + " AND (t.case_id IS NULL OR c.judge_id = \(bind: judge.databaseText))" }
        if openOnly { query = query + " AND t.status IN ('new', 'verifying')" }
        return try await database.sql.raw(query + " ORDER BY t.received_at DESC, t.id LIMIT \(literal: limit)").all(decoding: Row.self)
            .map { try $0.tip(showTipster: showTipster) }
    }

    /// One tip, if `judge` (when given) may triage it: one about their case or about nobody.
    public func tip(id: String, visibleToJudge judge: UUID?, showTipster: Bool) async throws -> StoredTip? {
        var query = SQLQueryString(Self.select) + " WHERE t.id = \(bind: id.lowercased())"
        if let judge { query = query + " AND (t.case_id IS NULL OR c.judge_id = \(bind: judge.databaseText))" }
        return try await database.sql.raw(query).first(decoding: Row.self)?.tip(showTipster: showTipster)
    }

    /// Moves a tip on in the same triage as leads.
    public func setStatus(
        id: String, to next: LeadStatus, reply: String?, outcome: LeadOutcome?, decidedBy: UUID, audit: AuditEntry,
        now: Date
    ) async throws -> StoredTip {
        try await database.transaction { db in
            guard let current = try await db.raw(SQLQueryString(Self.select) + " WHERE t.id = \(bind: id)").first(decoding: Row.self) else {
                throw CaseNotFound()
            }
            let status: LeadStatus = try Stored.value(current.status, "tips.status")
            try status.checkChange(to: next, reply: reply)
            if let outcome { try await LeadRepository.checkOutcome(outcome, debtorID: current.debtor_id, on: db) }
            let decided = next == .verified || next == .rejected
            try await db.raw(
                """
                UPDATE tips SET status = \(bind: next.rawValue), reply = \(bind: decided ? reply?.trimmed : nil),
                    decided_by = \(bind: decided ? decidedBy.databaseText : nil), decided_at = \(bind: decided ? now : nil),
                    outcome_kind = \(bind: outcome?.kind.rawValue), outcome_id = \(bind: outcome?.id)
                WHERE id = \(bind: id) AND status = \(bind: current.status)
                """
            ).run()
            try await AuditLogRepository().append(audit, on: db)
            return try await db.raw(SQLQueryString(Self.select) + " WHERE t.id = \(bind: id)").first(decoding: Row.self)!.tip(
                showTipster: true)
        }
    }
}
