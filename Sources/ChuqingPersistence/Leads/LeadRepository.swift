import ChuqingDomain
import Foundation
import SQLKit

/// A debtor as a township liaison sees them: enough to find the person, nothing more — no ID
/// number, no look-up results, no other township's debtors.
public struct LiaisonDebtorView: Sendable, Codable, Equatable {
    public struct Case: Sendable, Codable, Equatable {
        public let caseNumber: String
        public let outstandingFen: Int64
        public let judgeName: String?
    }

    public let id: String
    public let name: String
    public let township: String?
    public let village: String?
    public let hasPhoto: Bool
    public let cases: [Case]
}

/// A stored lead.
public struct StoredLead: Sendable, Codable, Equatable {
    public let id: String
    public let debtorId: String
    public let debtorName: String
    /// The lead's place in the debtor's queue: 1 came first.
    public let position: Int
    public let kind: String
    public let text: String
    public let place: String?
    public let seenOn: String
    public let isUrgent: Bool
    public let status: String
    public let verifyBy: String
    public let receivedAt: Date
    /// The judge's answer, once verified or rejected.
    public let reply: String?
    /// Open and past `verifyBy` on the day it was read.
    public var overdue: Bool = false
}

/// What liaisons may see, and the leads they send.
public struct LeadRepository: Sendable {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    /// The condition that makes debtor `d` a liaison's business: of their township, and a debtor
    /// of a case in an open clearance batch.
    private static func inScope(township: String) -> SQLQueryString {
        """
        d.township_code = \(bind: township) AND EXISTS (
            SELECT 1 FROM case_debtors cd JOIN batch_cases bc ON bc.case_id = cd.case_id JOIN clearance_batches b ON b.id = bc.batch_id
            WHERE cd.debtor_id = d.id AND b.closed_on IS NULL)
        """
    }

    /// The debtors a liaison of `township` looks for, by name.
    public func debtors(township: String, limit: Int = 500) async throws -> [LiaisonDebtorView] {
        try await views(" ORDER BY d.name, d.id LIMIT \(literal: limit)", township: township)
    }

    /// One debtor as a liaison of `township` sees them, or nil when outside their scope.
    public func debtor(id: String, township: String) async throws -> LiaisonDebtorView? {
        try await views(" AND d.id = \(bind: id.lowercased())", township: township).first
    }

    /// The debtors in scope for `township` (narrowed and ordered by `tail`), each with the cases
    /// of theirs in open batches: two queries, however many debtors.
    private func views(_ tail: SQLQueryString, township: String) async throws -> [LiaisonDebtorView] {
        struct Row: Decodable { let id: String; let name: String; let township_name: String?; let village: String?; let has_photo: Bool }
        let rows = try await database.sql.raw("""
            SELECT d.id, d.name, t.name AS township_name, d.village,
                   EXISTS (SELECT 1 FROM debtor_photos p WHERE p.debtor_id = d.id) AS has_photo
            FROM debtors d LEFT JOIN townships t ON t.code = d.township_code
            WHERE
            """ + " " + Self.inScope(township: township) + tail).all(decoding: Row.self)
        guard !rows.isEmpty else { return [] }
        struct CaseRow: Decodable { let debtor_id: String; let case_number: String; let outstanding: Int64; let judge_name: String? }
        let cases = try await database.sql.raw("""
            SELECT DISTINCT cd.debtor_id, c.case_number, c.target_fen - \(unsafeRaw: CaseRepository.performedSQL) AS outstanding, c.judge_name
            FROM case_debtors cd JOIN enforcement_cases c ON c.id = cd.case_id JOIN batch_cases bc ON bc.case_id = c.id
            JOIN clearance_batches b ON b.id = bc.batch_id
            WHERE cd.debtor_id IN (\(binds: rows.map(\.id))) AND b.closed_on IS NULL
            ORDER BY c.case_number
            """).all(decoding: CaseRow.self)
        let byDebtor = Dictionary(grouping: cases, by: \.debtor_id)
        return rows.map { row in
            LiaisonDebtorView(id: row.id, name: row.name, township: row.township_name, village: row.village, hasPhoto: row.has_photo,
                              cases: (byDebtor[row.id] ?? []).map {
                                  .init(caseNumber: $0.case_number, outstandingFen: max(0, $0.outstanding), judgeName: $0.judge_name)
                              })
        }
    }

    /// Stores a lead; with an idempotency key, a retry of the same body returns the first lead
    /// (`created` false) and a different body under the same key is 409.
    public func submit(_ lead: Lead, debtorID: String, liaison: UUID, township: String, idempotencyKey: String?, requestHash: String,
                       verifyBy: CalendarDate, now: Date) async throws -> (lead: StoredLead, created: Bool) {
        if let idempotencyKey, let existing = try await byKey(idempotencyKey, liaison: liaison, hash: requestHash) {
            return (existing, false)
        }
        let id = UUID().databaseText
        // The next place in the debtor's queue; a lead arriving at the same moment takes the same
        // number, fails the UNIQUE constraint, and tries the next one.
        for attempt in 1...5 {
            do {
                try await database.sql.raw("""
                    INSERT INTO leads (id, debtor_id, position, liaison_id, township_code, kind, text, place, seen_on, is_urgent, verify_by,
                                       idempotency_key, request_hash, received_at)
                    SELECT \(bind: id), \(bind: debtorID), COALESCE(MAX(position), 0) + 1, \(bind: liaison.databaseText), \(bind: township),
                           \(bind: lead.kind.rawValue), \(bind: lead.text), \(bind: lead.place), \(bind: lead.seenOn.description), \(bind: lead.isUrgent),
                           \(bind: verifyBy.description), \(bind: idempotencyKey), \(bind: requestHash), \(bind: now)
                    FROM leads WHERE debtor_id = \(bind: debtorID)
                    """).run()
                break
            } catch {
                // Two retries of one submission raced: the UNIQUE key let one in; answer with that one.
                if let idempotencyKey, let existing = try await byKey(idempotencyKey, liaison: liaison, hash: requestHash) { return (existing, false) }
                if attempt == 5 { throw error }
            }
        }
        return (try await self.lead(id: id)!, true)
    }

    private func byKey(_ key: String, liaison: UUID, hash: String) async throws -> StoredLead? {
        struct Row: Decodable { let id: String; let request_hash: String? }
        guard let row = try await database.sql.raw("""
            SELECT id, request_hash FROM leads WHERE liaison_id = \(bind: liaison.databaseText) AND idempotency_key = \(bind: key)
            """).first(decoding: Row.self) else { return nil }
        guard row.request_hash == hash else {
            throw DomainError(code: "idempotency_key_reused",
                              message: "该 Idempotency-Key 已用于另一条不同内容的线索；新线索请使用新的 Idempotency-Key", kind: .conflict)
        }
        return try await lead(id: row.id)
    }

    private static let select = """
        SELECT l.id, l.debtor_id, d.name AS debtor_name, l.position, l.kind, l.text, l.place, l.seen_on, l.is_urgent, l.status, l.verify_by,
               l.received_at, l.reply
        FROM leads l JOIN debtors d ON d.id = l.debtor_id
        """

    private struct Row: Decodable {
        let id: String; let debtor_id: String; let debtor_name: String; let position: Int; let kind: String; let text: String; let place: String?
        let seen_on: String; let is_urgent: Bool; let status: String; let verify_by: String; let received_at: Date; let reply: String?

        var lead: StoredLead {
            StoredLead(id: id, debtorId: debtor_id, debtorName: debtor_name, position: position, kind: kind, text: text, place: place, seenOn: seen_on,
                       isUrgent: is_urgent, status: status, verifyBy: verify_by, receivedAt: received_at, reply: reply)
        }
    }

    /// Moves a lead on in triage (`LeadStatus.checkChange` says what is allowed).
    public func setStatus(id: String, to next: LeadStatus, reply: String?, decidedBy: UUID, audit: AuditEntry, now: Date) async throws -> StoredLead {
        try await database.transaction { db in
            guard let current = try await db.raw(SQLQueryString(Self.select) + " WHERE l.id = \(bind: id)").first(decoding: Row.self)?.lead else {
                throw CaseNotFound()
            }
            try LeadStatus.parse(current.status).checkChange(to: next, reply: reply)
            let decided = next == .verified || next == .rejected
            try await db.raw("""
                UPDATE leads SET status = \(bind: next.rawValue), reply = \(bind: decided ? reply?.trimmed : nil),
                    decided_by = \(bind: decided ? decidedBy.databaseText : nil), decided_at = \(bind: decided ? now : nil)
                WHERE id = \(bind: id) AND status = \(bind: current.status)
                """).run()
            try await SQLAuditLogRepository().append(audit, on: db)
            return try await db.raw(SQLQueryString(Self.select) + " WHERE l.id = \(bind: id)").first(decoding: Row.self)!.lead
        }
    }

    /// Whether `judge` is the judge of a case of the lead's debtor.
    public func isResponsible(judge: UUID, leadID: String) async throws -> Bool {
        struct N: Decodable { let n: Int }
        return try await database.sql.raw("""
            SELECT COUNT(*) AS n FROM leads l JOIN case_debtors cd ON cd.debtor_id = l.debtor_id JOIN enforcement_cases c ON c.id = cd.case_id
            WHERE l.id = \(bind: leadID) AND c.judge_id = \(bind: judge.databaseText)
            """).first(decoding: N.self)?.n ?? 0 > 0
    }

    public func lead(id: String) async throws -> StoredLead? {
        try await database.sql.raw(SQLQueryString(Self.select) + " WHERE l.id = \(bind: id)").first(decoding: Row.self)?.lead
    }

    /// Leads in arrival order (oldest first): a liaison's own, a judge's (on debtors of their
    /// cases), or all.
    public func list(liaison: UUID? = nil, judge: UUID? = nil, limit: Int = 500) async throws -> [StoredLead] {
        var query = SQLQueryString(Self.select) + " WHERE 1 = 1"
        if let liaison { query = query + " AND l.liaison_id = \(bind: liaison.databaseText)" }
        if let judge {
            query = query + """
                 AND EXISTS (SELECT 1 FROM case_debtors cd JOIN enforcement_cases c ON c.id = cd.case_id
                             WHERE cd.debtor_id = l.debtor_id AND c.judge_id = \(bind: judge.databaseText))
                """
        }
        return try await database.sql.raw(query + " ORDER BY l.received_at, l.debtor_id, l.position LIMIT \(literal: limit)").all(decoding: Row.self).map(\.lead)
    }
}
