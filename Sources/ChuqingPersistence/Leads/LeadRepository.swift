import ChuqingDomain
import Foundation
import SQLKit

/// A debtor as a township liaison sees them: enough to find the person, nothing more — no ID
/// number, no look-up results, no other township's debtors.
public struct LiaisonDebtorView: Sendable, Equatable {
    public struct Case: Sendable, Equatable {
        public let caseNumber: String
        /// What is still owed (never below nothing).
        public let outstanding: Money
        public let judgeName: String?
        /// The judge's office phone, for the liaison to call.
        public let judgePhone: String?
    }

    public let id: UUID
    public let name: String
    public let township: String?
    public let village: String?
    public let hasPhoto: Bool
    public let cases: [Case]
    /// Assigned to the township by a judge (rather than found through an open batch), with the
    /// judge's note.
    public let assignment: String?
}

/// A stored lead.
public struct StoredLead: Sendable, Equatable {
    public let id: UUID
    public let debtorID: UUID
    public let debtorName: String
    /// The lead's place in the debtor's queue: 1 came first.
    public let position: Int
    public let kind: Lead.Kind
    public let text: String
    public let place: String?
    public let seenOn: CalendarDate
    public let isUrgent: Bool
    public let status: LeadStatus
    public let verifyBy: CalendarDate
    public let receivedAt: Date
    /// The judge's answer, once verified or rejected.
    public let reply: String?
    /// What a verified lead led to.
    public let outcome: LeadOutcome?
    public let liaisonID: UUID
    public let liaisonName: String
    public let liaisonKind: LiaisonKind?
    public let township: String?
    /// Photos at `/api/v1/leads/{id}/photos/1`…
    public let photoCount: Int
    /// Open and past `verifyBy` on the day it was read.
    public var overdue: Bool = false
}

/// What liaisons may see, and the leads they send.
public struct LeadRepository: Sendable {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    /// The condition that makes debtor `d` a liaison's business: of their township and a debtor
    /// of a case in an open clearance batch, or assigned to their township by a judge.
    static func inScope(township: String) -> SQLQueryString {
        """
        ((d.township_code = \(bind: township) AND EXISTS (
            SELECT 1 FROM case_debtors cd JOIN batch_cases bc ON bc.case_id = cd.case_id JOIN clearance_batches b ON b.id = bc.batch_id
            WHERE cd.debtor_id = d.id AND b.closed_on IS NULL))
         OR EXISTS (SELECT 1 FROM debtor_assignments a WHERE a.debtor_id = d.id AND a.township_code = \(bind: township) AND a.ended_at IS NULL))
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

    /// The name of debtor `id` when a liaison of `township` may send leads on them; nil otherwise.
    /// One query: what sending a lead needs, without the cases `debtor(id:township:)` lists.
    public func nameInScope(id: String, township: String) async throws -> String? {
        struct Row: Decodable { let name: String }
        return try await database.sql.raw(
            "SELECT d.name FROM debtors d WHERE d.id = \(bind: id.lowercased()) AND " + Self.inScope(township: township)
        )
        .first(decoding: Row.self)?.name
    }

    /// The debtors in scope for `township` (narrowed and ordered by `tail`), each with the cases
    /// of theirs in open batches: two queries, however many debtors.
    private func views(_ tail: SQLQueryString, township: String) async throws -> [LiaisonDebtorView] {
        struct Row: Decodable {
            let id: String
            let name: String
            let township_name: String?
            let village: String?
            let has_photo: Bool
            let assignment: String?
        }
        let rows = try await database.sql.raw(
            """
            SELECT d.id, d.name, t.name AS township_name, d.village,
                   EXISTS (SELECT 1 FROM debtor_photos p WHERE p.debtor_id = d.id) AS has_photo,
                   (SELECT COALESCE(a.note, '') FROM debtor_assignments a
                    WHERE a.debtor_id = d.id AND a.township_code = \(bind: township) AND a.ended_at IS NULL LIMIT 1) AS assignment
            FROM debtors d LEFT JOIN townships t ON t.code = d.township_code
            WHERE
            """ + " " + Self.inScope(township: township) + tail
        ).all(decoding: Row.self)
        guard !rows.isEmpty else { return [] }
        struct CaseRow: Decodable {
            let debtor_id: String
            let case_number: String
            let outstanding: Int64
            let judge_name: String?
            let office_phone: String?
        }
        // The debtor's open cases: those in an open batch, and for an assigned debtor every case
        // not yet concluded (the judge asked for help with those).
        let cases = try await database.sql.raw(
            """
            SELECT cd.debtor_id, c.case_number, c.target_fen - \(CaseRepository.performed()) AS outstanding, c.judge_name,
                   u.office_phone
            FROM case_debtors cd JOIN enforcement_cases c ON c.id = cd.case_id LEFT JOIN users u ON u.id = c.judge_id
            WHERE cd.debtor_id IN (\(binds: rows.map(\.id))) AND (
                EXISTS (SELECT 1 FROM batch_cases bc JOIN clearance_batches b ON b.id = bc.batch_id WHERE bc.case_id = c.id AND b.closed_on IS NULL)
                OR (c.status IN ('inEnforcement', 'terminatedThisRound') AND EXISTS (
                    SELECT 1 FROM debtor_assignments a WHERE a.debtor_id = cd.debtor_id AND a.township_code = \(bind: township) AND a.ended_at IS NULL)))
            ORDER BY c.case_number
            """
        ).all(decoding: CaseRow.self)
        let byDebtor = Dictionary(grouping: cases, by: \.debtor_id)
        return try rows.map { row in
            LiaisonDebtorView(
                id: try Stored.uuid(row.id, "debtors.id"), name: row.name, township: row.township_name, village: row.village,
                hasPhoto: row.has_photo,
                cases: (byDebtor[row.id] ?? []).map {
                    .init(
                        caseNumber: $0.case_number, outstanding: Money(fen: max(0, $0.outstanding)), judgeName: $0.judge_name,
                        judgePhone: $0.office_phone)
                }, assignment: row.assignment)
        }
    }

    /// Stores a lead and its photos in one transaction; with an idempotency key, a retry of the
    /// same body returns the first lead (`created` false) and a different body under the same
    /// key is 409. The debtor's row is locked (PostgreSQL; SQLite writes one at a time), so two
    /// leads arriving at once take positions 1 and 2 in arrival order, never the same one. The
    /// locked part is two statements and the commit: leads on one debtor queue behind it
    /// (docs/performance.md).
    public func submit(
        _ lead: Lead, photos: [LeadPhoto], debtorID: String, liaison: UUID, township: String, idempotencyKey: String?,
        requestHash: String, verifyBy: CalendarDate, audit: AuditEntry, now: Date
    ) async throws -> (lead: StoredLead, created: Bool) {
        if let idempotencyKey, let existing = try await Self.byKey(idempotencyKey, liaison: liaison, hash: requestHash, on: database.sql) {
            return (existing, false)
        }
        let id = UUID().databaseText
        let lock = database.rowLock
        do {
            try await database.transaction { db in
                try await AuditLogRepository().append(audit, on: db)
                try await db.raw("SELECT id FROM debtors WHERE id = \(bind: debtorID)" + lock).run()
                try await db.raw(
                    """
                    INSERT INTO leads (id, debtor_id, position, liaison_id, township_code, kind, text, place, seen_on, is_urgent, verify_by,
                                       idempotency_key, request_hash, received_at)
                    SELECT \(bind: id), \(bind: debtorID), COALESCE(MAX(position), 0) + 1, \(bind: liaison.databaseText), \(bind: township),
                           \(bind: lead.kind.rawValue), \(bind: lead.text), \(bind: lead.place), \(bind: lead.seenOn.description), \(bind: lead.isUrgent),
                           \(bind: verifyBy.description), \(bind: idempotencyKey), \(bind: requestHash), \(bind: now)
                    FROM leads WHERE debtor_id = \(bind: debtorID)
                    """
                ).run()
                for (index, photo) in photos.enumerated() {
                    try await db.raw(
                        """
                        INSERT INTO lead_photos (lead_id, position, content_type, bytes, sha256)
                        VALUES (\(bind: id), \(bind: index + 1), \(bind: photo.contentType), \(bind: photo.bytes), \(bind: Digest.sha256Hex(photo.bytes)))
                        """
                    ).run()
                }
            }
        } catch  where idempotencyKey != nil && DatabaseErrors.isUniqueViolation(error) {
            // The same key sent twice at once: the first one's lead stands, and this is its retry.
            if let existing = try await Self.byKey(idempotencyKey!, liaison: liaison, hash: requestHash, on: database.sql) {
                return (existing, false)
            }
            throw error
        }
        return (try await Self.lead(id: id, on: database.sql)!, true)
    }

    private static func byKey(_ key: String, liaison: UUID, hash: String, on db: any SQLDatabase) async throws -> StoredLead? {
        struct Row: Decodable {
            let id: String
            let request_hash: String?
        }
        guard
            let row = try await db.raw(
                """
                SELECT id, request_hash FROM leads WHERE liaison_id = \(bind: liaison.databaseText) AND idempotency_key = \(bind: key)
                """
            ).first(decoding: Row.self)
        else { return nil }
        guard row.request_hash == hash else {
            throw DomainError(
                code: "idempotency_key_reused",
                message: "该 Idempotency-Key 已用于另一条不同内容的线索；新线索请使用新的 Idempotency-Key", kind: .conflict)
        }
        return try await lead(id: row.id, on: db)
    }

    private static let select = """
        SELECT l.id, l.debtor_id, d.name AS debtor_name, l.position, l.kind, l.text, l.place, l.seen_on, l.is_urgent, l.status, l.verify_by,
               l.received_at, l.reply, l.outcome_kind, l.outcome_id, l.liaison_id, u.display_name AS liaison_name, u.liaison_kind,
               t.name AS township_name, (SELECT COUNT(*) FROM lead_photos p WHERE p.lead_id = l.id) AS photo_count
        FROM leads l JOIN debtors d ON d.id = l.debtor_id JOIN users u ON u.id = l.liaison_id LEFT JOIN townships t ON t.code = l.township_code
        """

    private struct Row: Decodable {
        let id: String
        let debtor_id: String
        let debtor_name: String
        let position: Int
        let kind: String
        let text: String
        let place: String?
        let seen_on: String
        let is_urgent: Bool
        let status: String
        let verify_by: String
        let received_at: Date
        let reply: String?
        let outcome_kind: String?
        let outcome_id: String?
        let liaison_id: String
        let liaison_name: String
        let liaison_kind: String?
        let township_name: String?
        let photo_count: Int

        func lead() throws -> StoredLead {
            StoredLead(
                id: try Stored.uuid(id, "leads.id"), debtorID: try Stored.uuid(debtor_id, "leads.debtor_id"), debtorName: debtor_name,
                position: position, kind: try Stored.value(kind, "leads.kind"), text: text, place: place,
                seenOn: try Stored.date(seen_on, "leads.seen_on"), isUrgent: is_urgent, status: try Stored.value(status, "leads.status"),
                verifyBy: try Stored.date(verify_by, "leads.verify_by"), receivedAt: received_at, reply: reply,
                outcome: outcome_kind.flatMap(LeadOutcome.Kind.init(rawValue:)).map { LeadOutcome(kind: $0, id: outcome_id ?? "") },
                liaisonID: try Stored.uuid(liaison_id, "leads.liaison_id"), liaisonName: liaison_name,
                liaisonKind: try liaison_kind.map { try Stored.value($0, "users.liaison_kind") }, township: township_name,
                photoCount: photo_count)
        }
    }

    /// Moves a lead on in triage (`LeadStatus.checkChange` says what is allowed); a verified lead
    /// may name what it led to, which must concern the lead's debtor.
    public func setStatus(
        id: String, to next: LeadStatus, reply: String?, outcome: LeadOutcome?, decidedBy: UUID, audit: AuditEntry,
        now: Date
    ) async throws -> StoredLead {
        try await database.transaction { db in
            guard let current = try await Self.lead(id: id, on: db) else { throw CaseNotFound() }
            try current.status.checkChange(to: next, reply: reply)
            if let outcome { try await Self.checkOutcome(outcome, debtorID: current.debtorID.databaseText, on: db) }
            let decided = next == .verified || next == .rejected
            try await db.raw(
                """
                UPDATE leads SET status = \(bind: next.rawValue), reply = \(bind: decided ? reply?.trimmed : nil),
                    decided_by = \(bind: decided ? decidedBy.databaseText : nil), decided_at = \(bind: decided ? now : nil),
                    outcome_kind = \(bind: outcome?.kind.rawValue), outcome_id = \(bind: outcome?.id)
                WHERE id = \(bind: id) AND status = \(bind: current.status.rawValue)
                """
            ).run()
            try await AuditLogRepository().append(audit, on: db)
            return try await Self.lead(id: id, on: db)!
        }
    }

    /// Checks that what a lead or tip is said to have led to exists and concerns its debtor (any
    /// debtor when the tip named none).
    static func checkOutcome(_ outcome: LeadOutcome, debtorID: String?, on db: any SQLDatabase) async throws {
        let table: String
        switch outcome.kind {
        case .measure: table = "measures"
        case .payment: table = "payments"
        case .lookup:
            guard try await AssetLookupRepository.exists(id: outcome.id, debtorID: debtorID, on: db) else {
                throw DomainError(
                    code: "unknown_outcome",
                    message: "找不到 id 为「\(outcome.id)」的财产查询\(debtorID == nil ? "" : "（须为对该被执行人的查询）")", field: "outcome.id")
            }
            return
        }
        var query: SQLQueryString = "SELECT x.id FROM \(unsafeRaw: table) x WHERE x.id = \(bind: outcome.id)"
        if let debtorID {
            query = query + " AND EXISTS (SELECT 1 FROM case_debtors cd WHERE cd.case_id = x.case_id AND cd.debtor_id = \(bind: debtorID))"
        }
        guard try await db.raw(query).first() != nil else {
            throw DomainError(
                code: "unknown_outcome",
                message: "找不到 id 为「\(outcome.id)」的\(outcome.kind.chinese)\(debtorID == nil ? "" : "（须为该被执行人案件上的记录）")",
                field: "outcome.id")
        }
    }

    /// Whether `judge` is the judge of a case of the lead's debtor.
    public func isResponsible(judge: UUID, leadID: String) async throws -> Bool {
        struct N: Decodable { let n: Int }
        return try await database.sql.raw(
            """
            SELECT COUNT(*) AS n FROM leads l JOIN case_debtors cd ON cd.debtor_id = l.debtor_id JOIN enforcement_cases c ON c.id = cd.case_id
            WHERE l.id = \(bind: leadID) AND c.judge_id = \(bind: judge.databaseText)
            """
        ).first(decoding: N.self)?.n ?? 0 > 0
    }

    public func lead(id: String) async throws -> StoredLead? {
        try await Self.lead(id: id, on: database.sql)
    }

    static func lead(id: String, on db: any SQLDatabase) async throws -> StoredLead? {
        try await db.raw(SQLQueryString(select) + " WHERE l.id = \(bind: id)").first(decoding: Row.self)?.lead()
    }

    /// Photo `position` (1–3) of a lead.
    public func photo(leadID: String, position: Int) async throws -> (contentType: String, bytes: Data)? {
        struct Row: Decodable {
            let content_type: String
            let bytes: Data
        }
        return try await database.sql.raw(
            """
            SELECT content_type, bytes FROM lead_photos WHERE lead_id = \(bind: leadID) AND position = \(bind: position)
            """
        ).first(decoding: Row.self).map { ($0.content_type, $0.bytes) }
    }

    /// What a verified lead on each of `debtorIDs` may be linked to: the measures and payments of
    /// their cases, newest first (for the triage page's choice).
    public func outcomeOptions(debtorIDs: [String]) async throws -> [String: [(outcome: LeadOutcome, label: String)]] {
        guard !debtorIDs.isEmpty else { return [:] }
        struct Row: Decodable {
            let debtor_id: String
            let kind: String
            let id: String
            let on_date: String
            let what: String
            let amount: Int64?
            let case_number: String
        }
        let rows = try await database.sql.raw(
            """
            SELECT cd.debtor_id, 'measure' AS kind, m.id, m.taken_on AS on_date, m.kind AS what, m.amount_fen AS amount, c.case_number
            FROM measures m JOIN case_debtors cd ON cd.case_id = m.case_id JOIN enforcement_cases c ON c.id = m.case_id
            WHERE cd.debtor_id IN (\(binds: debtorIDs))
            UNION ALL
            SELECT cd.debtor_id, 'payment' AS kind, p.id, p.received_on AS on_date, p.method AS what, p.amount_fen AS amount, c.case_number
            FROM payments p JOIN case_debtors cd ON cd.case_id = p.case_id JOIN enforcement_cases c ON c.id = p.case_id
            WHERE cd.debtor_id IN (\(binds: debtorIDs)) AND p.reversed_at IS NULL
            ORDER BY on_date DESC
            """
        ).all(decoding: Row.self)
        var result: [String: [(outcome: LeadOutcome, label: String)]] = [:]
        for row in rows {
            guard let kind = LeadOutcome.Kind(rawValue: row.kind) else { continue }
            let what = kind == .measure ? (MeasureKind(rawValue: row.what)?.chinese ?? row.what) : "执行款"
            let amount = row.amount.map { " " + Money(fen: $0).formatted } ?? ""
            result[row.debtor_id, default: []].append(
                (LeadOutcome(kind: kind, id: row.id), "\(row.on_date) \(what)\(amount) · \(row.case_number)"))
        }
        return result
    }

    /// Leads in arrival order (oldest first): a liaison's own, a judge's (on debtors of their
    /// cases), one debtor's, or all.
    public func list(liaison: UUID? = nil, judge: UUID? = nil, debtor: String? = nil, openOnly: Bool = false, limit: Int = 500) async throws
        -> [StoredLead]
    {
        var query = SQLQueryString(Self.select) + " WHERE 1 = 1"
        if let liaison { query = query + " AND l.liaison_id = \(bind: liaison.databaseText)" }
        if let debtor { query = query + " AND l.debtor_id = \(bind: debtor)" }
        if openOnly { query = query + " AND l.status IN ('new', 'verifying')" }
        if let judge {
            query =
                query + """
                     AND EXISTS (SELECT 1 FROM case_debtors cd JOIN enforcement_cases c ON c.id = cd.case_id
                                 WHERE cd.debtor_id = l.debtor_id AND c.judge_id = \(bind: judge.databaseText))
                    """
        }
        return try await database.sql.raw(query + " ORDER BY l.received_at, l.debtor_id, l.position LIMIT \(literal: limit)").all(
            decoding: Row.self
        ).map { try $0.lead() }
    }
}
