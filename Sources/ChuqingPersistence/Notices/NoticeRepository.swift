import ChuqingDomain
import Crypto
import Foundation
import SQLKit

/// A notice issue as stored and served.
public struct NoticeIssue: Sendable, Equatable {
    public let id: UUID
    public let courtCode: String
    public let courtName: String
    public let kind: NoticeKind
    public let state: NoticeIssueState
    public let year: Int?
    public let number: Int?
    public let title: String
    public let correctsID: UUID?
    public let entryIDs: [UUID]
    /// Who composed the issue: they may not approve it too (four eyes on publication).
    public let composedBy: UUID?
    public let composedAt: Date
    public let approvedAt: Date?
    public let publishedAt: Date?
    public let publishedOn: CalendarDate?
    public let sha256: String?
}

/// A list entry as a candidate for an issue: eligible, or why not.
public struct NoticeCandidate: Sendable, Equatable {
    public let entryID: UUID
    public let caseNumber: String
    public let debtorName: String
    public let courtCode: String
    public let refusal: String?
}

/// Notice issues: composed by a clerk from eligible entries, approved by the director, then
/// published under the next number of the court's year for that kind. Publication stores the
/// canonical XML with its SHA-256 and copies the photos shown; nothing published changes again.
public struct NoticeRepository: Sendable {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    // MARK: Composing

    private struct EntryFacts: Decodable {
        let id: String
        let case_number: String
        let debtor_name: String
        let court_code: String
        let publishable_from: String
        let expires_on: String?
        let deletion_due_on: String?
        let removal: String?
        let deleted_on: String?
        let in_issues: Int

        func refusal(kind: NoticeKind, today: CalendarDate, lastCreditRepairOn: CalendarDate?, isCorrection: Bool) throws -> String? {
            NoticeEligibility.refusal(
                .init(
                    courtCode: court_code, publishableFrom: try CalendarDate.parse(publishable_from),
                    expiresOn: try expires_on.map { try CalendarDate.parse($0) },
                    deletionDueOn: try deletion_due_on.map { try CalendarDate.parse($0) },
                    removal: removal, removedOn: try deleted_on.map { try CalendarDate.parse($0) }, inIssueOfKind: in_issues > 0),
                kind: kind, today: today, lastCreditRepairOn: lastCreditRepairOn, isCorrection: isCorrection)
        }
    }

    /// Entry facts with how many issues of `kind` (not corrections) hold the entry already.
    private static func factsSelect(_ kind: NoticeKind) -> SQLQueryString {
        """
        SELECT e.id, c.case_number, d.name AS debtor_name, c.court_code, e.publishable_from, e.expires_on, e.deletion_due_on,
               e.removal, e.deleted_on,
               (SELECT COUNT(*) FROM notice_issue_entries ie JOIN notice_issues i ON i.id = ie.issue_id
                WHERE ie.entry_id = e.id AND i.kind = \(bind: kind.rawValue) AND i.corrects_id IS NULL) AS in_issues
        FROM blacklist_entries e JOIN enforcement_cases c ON c.id = e.case_id JOIN debtors d ON d.id = e.debtor_id
        """
    }

    private static func lastCreditRepair(court: String, on db: any SQLDatabase) async throws -> CalendarDate? {
        struct Row: Decodable { let published_on: String? }
        let row = try await db.raw(
            """
            SELECT MAX(published_on) AS published_on FROM notice_issues
            WHERE court_code = \(bind: court) AND kind = 'creditRepair' AND state = 'published' AND corrects_id IS NULL
            """
        ).first(decoding: Row.self)
        return try row?.published_on.map { try CalendarDate.parse($0) }
    }

    /// Every entry that could go into an issue of `kind` today, with the reason where it cannot:
    /// for exposure, the entries still listed; for credit repair, the deleted ones.
    public func candidates(kind: NoticeKind, today: CalendarDate, limit: Int = 500) async throws -> [NoticeCandidate] {
        let filter: SQLQueryString = kind == .blacklist ? " WHERE e.removal IS NULL" : " WHERE e.removal = 'deleted'"
        let rows = try await database.sql.raw(
            Self.factsSelect(kind) + filter + " ORDER BY c.court_code, e.decided_on, e.id LIMIT \(literal: limit)"
        )
        .all(decoding: EntryFacts.self)
        var lastRepair: [String: CalendarDate?] = [:]
        var result: [NoticeCandidate] = []
        for row in rows {
            if lastRepair[row.court_code] == nil {
                lastRepair[row.court_code] = try await Self.lastCreditRepair(court: row.court_code, on: database.sql)
            }
            result.append(
                NoticeCandidate(
                    entryID: try Stored.uuid(row.id, "blacklist_entries.id"), caseNumber: row.case_number, debtorName: row.debtor_name,
                    courtCode: row.court_code,
                    refusal: try row.refusal(
                        kind: kind, today: today, lastCreditRepairOn: lastRepair[row.court_code] ?? nil,
                        isCorrection: false)))
        }
        return result
    }

    /// Composes an issue of `kind` from `entryIDs` (in that order). Every entry must be eligible
    /// and of one court; a correction names a published issue of the same court and kind.
    public func compose(
        kind: NoticeKind, entryIDs: [String], corrects: String?, composedBy: UUID, audit: @escaping @Sendable (String) -> AuditEntry,
        today: CalendarDate, now: Date
    ) async throws -> NoticeIssue {
        var unique: [String] = []
        for id in entryIDs.map({ $0.lowercased() }) where !unique.contains(id) { unique.append(id) }
        let ids = unique
        guard !ids.isEmpty else {
            throw DomainError(code: "no_entries", message: "一期公告至少要有一条失信信息（entryIds）", field: "entryIds")
        }
        guard ids.count <= 500 else {
            throw DomainError(code: "too_many_entries", message: "一期公告最多 500 条，收到 \(ids.count) 条", field: "entryIds")
        }
        let id = try await database.transaction { db in
            let rows = try await db.raw(Self.factsSelect(kind) + " WHERE e.id IN (\(binds: ids))").all(decoding: EntryFacts.self)
            let missing = ids.filter { id in !rows.contains { $0.id == id } }
            guard missing.isEmpty else {
                throw DomainError(code: "unknown_entry", message: "没有这些失信信息：\(missing.joined(separator: "、"))", field: "entryIds")
            }
            let courts = Set(rows.map(\.court_code))
            guard courts.count == 1, let court = courts.first else {
                throw DomainError(
                    code: "mixed_courts", message: "一期公告只能包含同一法院的失信信息，收到 \(courts.sorted().joined(separator: "、")) 的", field: "entryIds")
            }
            if let corrects {
                struct Corrected: Decodable {
                    let court_code: String
                    let kind: String
                    let state: String
                }
                guard
                    let corrected = try await db.raw(
                        "SELECT court_code, kind, state FROM notice_issues WHERE id = \(bind: corrects.lowercased())"
                    )
                    .first(decoding: Corrected.self)
                else {
                    throw DomainError(code: "unknown_issue", message: "要更正的期（\(corrects)）不存在", field: "corrects")
                }
                guard corrected.state == NoticeIssueState.published.rawValue, corrected.kind == kind.rawValue, corrected.court_code == court
                else {
                    throw DomainError(code: "not_correctable", message: "只能更正本院已发布的同类公告", field: "corrects")
                }
            }
            let lastRepair = try await Self.lastCreditRepair(court: court, on: db)
            var refusals: [String] = []
            for row in rows {
                if let reason = try row.refusal(kind: kind, today: today, lastCreditRepairOn: lastRepair, isCorrection: corrects != nil) {
                    refusals.append("\(row.debtor_name)（\(row.case_number)）：\(reason)")
                }
            }
            guard refusals.isEmpty else {
                throw DomainError(
                    code: "entry_not_eligible", message: "下列失信信息不能列入\(kind.chinese)：" + refusals.joined(separator: "；"), field: "entryIds")
            }
            let id = UUID().databaseText
            try await db.raw(
                """
                INSERT INTO notice_issues (id, court_code, kind, state, corrects_id, composed_by, composed_at)
                VALUES (\(bind: id), \(bind: court), \(bind: kind.rawValue), 'composed', \(bind: corrects?.lowercased()), \(bind: composedBy.databaseText), \(bind: now))
                """
            ).run()
            try await MultiRowInsert.run(
                into: "notice_issue_entries", columns: ["issue_id", "entry_id", "position"],
                rows: ids.enumerated().map { [id, $0.element, $0.offset + 1] }, on: db)
            try await AuditLogRepository().append(audit(id), on: db)
            return id
        }
        return try await issue(id: id)!
    }

    // MARK: Reading

    private struct IssueRow: Decodable {
        let id: String
        let court_code: String
        let court_name: String
        let kind: String
        let state: String
        let year: Int?
        let number: Int?
        let corrects_id: String?
        let composed_by: String?
        let composed_at: Date
        let approved_at: Date?
        let published_at: Date?
        let published_on: String?
        let sha256: String?
    }

    private static let issueSelect = """
        SELECT i.id, i.court_code, ct.name AS court_name, i.kind, i.state, i.year, i.number, i.corrects_id, i.composed_by, i.composed_at, i.approved_at,
               i.published_at, i.published_on, i.sha256
        FROM notice_issues i JOIN courts ct ON ct.code = i.court_code
        """

    private func issues(_ rows: [IssueRow], on db: any SQLDatabase) async throws -> [NoticeIssue] {
        guard !rows.isEmpty else { return [] }
        struct Member: Decodable {
            let issue_id: String
            let entry_id: String
        }
        let members = try await db.raw(
            """
            SELECT issue_id, entry_id FROM notice_issue_entries WHERE issue_id IN (\(binds: rows.map(\.id))) ORDER BY issue_id, position
            """
        ).all(decoding: Member.self)
        let byIssue = Dictionary(grouping: members, by: \.issue_id)
        return try rows.map { row in
            let kind: NoticeKind = try Stored.value(row.kind, "notice_issues.kind")
            let title =
                row.number.map { NoticeHeader.title(courtName: row.court_name, kind: kind, year: row.year ?? 0, number: $0) }
                ?? "\(row.court_name)\(kind.chinese)（草稿）"
            return NoticeIssue(
                id: try Stored.uuid(row.id, "notice_issues.id"), courtCode: row.court_code, courtName: row.court_name, kind: kind,
                state: try Stored.value(row.state, "notice_issues.state"), year: row.year, number: row.number, title: title,
                correctsID: try row.corrects_id.map { try Stored.uuid($0, "notice_issues.corrects_id") },
                entryIDs: try (byIssue[row.id] ?? []).map { try Stored.uuid($0.entry_id, "notice_issue_entries.entry_id") },
                composedBy: try row.composed_by.map { try Stored.uuid($0, "notice_issues.composed_by") },
                composedAt: row.composed_at, approvedAt: row.approved_at, publishedAt: row.published_at,
                publishedOn: try row.published_on.map { try Stored.date($0, "notice_issues.published_on") }, sha256: row.sha256)
        }
    }

    public func issue(id: String) async throws -> NoticeIssue? {
        let rows = try await database.sql.raw(SQLQueryString(Self.issueSelect) + " WHERE i.id = \(bind: id.lowercased())").all(
            decoding: IssueRow.self)
        return try await issues(rows, on: database.sql).first
    }

    /// Issues not yet published, oldest first (the director's queue).
    public func unpublished() async throws -> [NoticeIssue] {
        let rows = try await database.sql.raw(SQLQueryString(Self.issueSelect) + " WHERE i.state <> 'published' ORDER BY i.composed_at")
            .all(decoding: IssueRow.self)
        return try await issues(rows, on: database.sql)
    }

    /// Published issues, newest first.
    public func published(limit: Int = 100) async throws -> [NoticeIssue] {
        let rows = try await database.sql.raw(
            SQLQueryString(Self.issueSelect)
                + " WHERE i.state = 'published' ORDER BY i.published_at DESC, i.id LIMIT \(literal: limit)"
        )
        .all(decoding: IssueRow.self)
        return try await issues(rows, on: database.sql)
    }

    /// The stored canonical XML of a published issue.
    public func storedXML(issueID: String) async throws -> String? {
        struct Row: Decodable { let xml: String? }
        return try await database.sql.raw("SELECT xml FROM notice_issues WHERE id = \(bind: issueID.lowercased()) AND state = 'published'")
            .first(decoding: Row.self)?.xml
    }

    /// The entries of an exposure issue that have left the list since (deleted or revoked): the
    /// public copy no longer shows them (rules.md §7.13). Credit-repair issues show deleted
    /// entries by design, so none are withheld there.
    public func withdrawnEntries(issueID: String) async throws -> [String] {
        struct Row: Decodable { let entry_id: String }
        return try await database.sql.raw(
            """
            SELECT ie.entry_id FROM notice_issue_entries ie JOIN notice_issues i ON i.id = ie.issue_id
            JOIN blacklist_entries e ON e.id = ie.entry_id
            WHERE ie.issue_id = \(bind: issueID.lowercased()) AND i.kind = 'blacklist' AND e.removal IS NOT NULL
            ORDER BY ie.position
            """
        ).all(decoding: Row.self).map(\.entry_id)
    }

    /// A photo shown in a published issue, unless its entry has been withdrawn since.
    public func photo(issueID: String, entryID: String) async throws -> (contentType: String, bytes: Data)? {
        guard !(try await withdrawnEntries(issueID: issueID)).contains(entryID.lowercased()) else { return nil }
        struct Row: Decodable {
            let content_type: String
            let bytes: Data
        }
        return try await database.sql.raw(
            """
            SELECT content_type, bytes FROM notice_photos WHERE issue_id = \(bind: issueID.lowercased()) AND entry_id = \(bind: entryID.lowercased())
            """
        ).first(decoding: Row.self).map { ($0.content_type, $0.bytes) }
    }

    // MARK: Content

    /// What the issue shows, from the data as it stands, dated `date`, numbered `number`.
    private func content(_ issue: NoticeIssue, number: Int, date: CalendarDate, isDraft: Bool, on db: any SQLDatabase) async throws
        -> (NoticeHeader, [NoticeItem])
    {
        struct Court: Decodable { let hotline: String }
        let hotline =
            try await db.raw("SELECT hotline FROM courts WHERE code = \(bind: issue.courtCode)").first(decoding: Court.self)?.hotline ?? ""
        var corrects: (id: String, title: String)?
        if let correctsID = issue.correctsID?.databaseText {
            struct Row: Decodable {
                let kind: String
                let year: Int
                let number: Int
            }
            if let row = try await db.raw("SELECT kind, year, number FROM notice_issues WHERE id = \(bind: correctsID)").first(
                decoding: Row.self)
            {
                corrects = (
                    correctsID,
                    NoticeHeader.title(
                        courtName: issue.courtName, kind: NoticeKind(rawValue: row.kind) ?? .blacklist,
                        year: row.year, number: row.number)
                )
            }
        }
        let kind = issue.kind
        let header = NoticeHeader(
            id: issue.id.databaseText, kind: kind, courtName: issue.courtName, courtCode: issue.courtCode, hotline: hotline,
            year: date.year, number: number, date: date, isDraft: isDraft, corrects: corrects)
        struct Row: Decodable {
            let entry_id: String
            let circumstances: String
            let decided_on: String
            let decision_number: String
            let deleted_on: String?
            let deletion_trigger: String?
            let removal_reason: String?
            let case_number: String
            let filed_on: String
            let unperformed: Int64
            let issued_by: String
            let document_number: String
            let duty: String?
            let kind: String
            let name: String
            let id_number: String
            let legal_representative: String?
            let township_name: String?
            let village: String?
            let photo_sha256: String?
        }
        let rows = try await db.raw(
            """
            SELECT e.id AS entry_id, e.circumstances, e.decided_on, e.decision_number, e.deleted_on, e.deletion_trigger, e.removal_reason,
                   c.case_number, c.filed_on, c.target_fen - \(CaseRepository.performed(asOf: date)) AS unperformed,
                   j.issued_by, j.document_number, j.duty, d.kind, d.name, d.id_number, d.legal_representative,
                   t.name AS township_name, d.village, p.sha256 AS photo_sha256
            FROM notice_issue_entries ie
            JOIN blacklist_entries e ON e.id = ie.entry_id
            JOIN enforcement_cases c ON c.id = e.case_id
            JOIN judgments j ON j.id = c.judgment_id
            JOIN debtors d ON d.id = e.debtor_id
            LEFT JOIN townships t ON t.code = d.township_code
            LEFT JOIN debtor_photos p ON p.debtor_id = d.id
            WHERE ie.issue_id = \(bind: issue.id)
            ORDER BY ie.position
            """
        ).all(decoding: Row.self)
        let items = try rows.map { row in
            let debtorKind = try DebtorKind.parse(row.kind)
            let identifier = try DebtorIdentifier.parse(row.id_number, kind: debtorKind, today: date)
            let subject = NoticeSubject(
                kind: debtorKind, name: row.name, identifier: identifier, legalRepresentative: row.legal_representative,
                township: row.township_name, village: row.village, on: date)
            let reason = row.deletion_trigger.flatMap(DeletionTrigger.init(rawValue:))?.chinese ?? row.removal_reason
            return NoticeItem(
                entryID: row.entry_id, subject: subject, caseNumber: row.case_number, filedOn: try CalendarDate.parse(row.filed_on),
                basisIssuedBy: row.issued_by, basisNumber: row.document_number, duty: row.duty, unexecutedFen: row.unperformed, asOf: date,
                circumstances: row.circumstances.split(separator: ",").compactMap {
                    Int($0).flatMap(DishonestyCircumstance.init(rawValue:))
                },
                decisionNumber: row.decision_number, decidedOn: try CalendarDate.parse(row.decided_on),
                deletedOn: try row.deleted_on.map { try CalendarDate.parse($0) }, deletionReason: kind == .creditRepair ? reason : nil,
                photoSHA256: row.photo_sha256)
        }
        return (header, items)
    }

    private static func nextNumber(court: String, kind: String, year: Int, on db: any SQLDatabase) async throws -> Int {
        struct Row: Decodable { let n: Int? }
        let row = try await db.raw(
            """
            SELECT MAX(number) AS n FROM notice_issues WHERE court_code = \(bind: court) AND kind = \(bind: kind) AND year = \(bind: year)
            """
        ).first(decoding: Row.self)
        return (row?.n ?? 0) + 1
    }

    /// The issue as it would be published on `date` (a draft, numbered provisionally).
    public func draft(id: String, date: CalendarDate) async throws -> (NoticeHeader, [NoticeItem])? {
        guard let issue = try await issue(id: id) else { return nil }
        let number = try await Self.nextNumber(court: issue.courtCode, kind: issue.kind.rawValue, year: date.year, on: database.sql)
        return try await content(issue, number: issue.number ?? number, date: date, isDraft: true, on: database.sql)
    }

    // MARK: Approving and publishing

    /// Approves a composed issue after `check` (building the document and validating it against
    /// its XSD) accepts the draft as of `today`.
    public func approve(
        id: String, approvedBy: UUID, audit: AuditEntry, today: CalendarDate, now: Date,
        check: @escaping @Sendable (NoticeHeader, [NoticeItem]) throws -> Void
    ) async throws -> NoticeIssue {
        try await database.transaction { db in
            let (issue, header, items) = try await self.prepared(id, today: today, isDraft: true, on: db) { try $0.checkApprovable() }
            try check(header, items)
            try await db.raw(
                """
                UPDATE notice_issues SET state = 'approved', approved_by = \(bind: approvedBy.databaseText), approved_at = \(bind: now)
                WHERE id = \(bind: issue.id) AND state = 'composed'
                """
            ).run()
            try await AuditLogRepository().append(audit, on: db)
        }
        return try await issue(id: id)!
    }

    /// Publishes an approved issue under the next number of its court, kind and year: `render`
    /// builds the canonical XML and validates it again; the XML, its SHA-256 and the photos shown
    /// are stored in the same transaction.
    public func publish(
        id: String, publishedBy: UUID, audit: AuditEntry, today: CalendarDate, now: Date,
        render: @escaping @Sendable (NoticeHeader, [NoticeItem]) throws -> String
    ) async throws -> NoticeIssue {
        try await database.transaction { db in
            let (issue, header, items) = try await self.prepared(id, today: today, isDraft: false, on: db) { try $0.checkPublishable() }
            let number = header.number
            let xml = try render(header, items)
            let digest = Digest.sha256Hex(Data(xml.utf8))
            try await db.raw(
                """
                UPDATE notice_issues SET state = 'published', year = \(bind: today.year), number = \(bind: number),
                    published_by = \(bind: publishedBy.databaseText), published_at = \(bind: now), published_on = \(bind: today.description),
                    xml = \(bind: xml), sha256 = \(bind: digest)
                WHERE id = \(bind: issue.id) AND state = 'approved'
                """
            ).run()
            try await db.raw(
                """
                INSERT INTO notice_photos (issue_id, entry_id, content_type, bytes, sha256)
                SELECT ie.issue_id, ie.entry_id, p.content_type, p.bytes, p.sha256
                FROM notice_issue_entries ie JOIN blacklist_entries e ON e.id = ie.entry_id JOIN debtor_photos p ON p.debtor_id = e.debtor_id
                WHERE ie.issue_id = \(bind: issue.id)
                """
            ).run()
            try await AuditLogRepository().append(audit, on: db)
        }
        return try await issue(id: id)!
    }

    /// The issue locked, its state checked by `allowed`, and its content as of `today` under the
    /// next number of its court, kind and year.
    private func prepared(
        _ id: String, today: CalendarDate, isDraft: Bool, on db: any SQLDatabase,
        allowed: (NoticeIssueState) throws -> Void
    ) async throws -> (NoticeIssue, NoticeHeader, [NoticeItem]) {
        guard let issue = try await lockedIssue(id, on: db) else { throw NoticeIssueNotFound() }
        try allowed(issue.state)
        let number = try await Self.nextNumber(court: issue.courtCode, kind: issue.kind.rawValue, year: today.year, on: db)
        let (header, items) = try await content(issue, number: number, date: today, isDraft: isDraft, on: db)
        return (issue, header, items)
    }

    /// Discards an issue that is not published (a draft is not a record): its entries become
    /// eligible again. A published issue is never removed.
    public func discard(id: String, audit: AuditEntry) async throws {
        try await database.transaction { db in
            guard let issue = try await self.lockedIssue(id, on: db) else { throw NoticeIssueNotFound() }
            guard issue.state != .published else {
                throw DomainError(
                    code: "issue_published", message: "该期已发布，已发布的公告不能删除或修改；更正须另发一期并注明所更正的期号",
                    kind: .conflict)
            }
            try await db.raw("DELETE FROM notice_issue_entries WHERE issue_id = \(bind: issue.id)").run()
            try await db.raw("DELETE FROM notice_issues WHERE id = \(bind: issue.id) AND state <> 'published'").run()
            try await AuditLogRepository().append(audit, on: db)
        }
    }

    /// The issue, with its row locked on PostgreSQL so that two approvals or publications of one
    /// issue run one after the other (SQLite writes are serial already).
    private func lockedIssue(_ id: String, on db: any SQLDatabase) async throws -> NoticeIssue? {
        let lock: SQLQueryString = database.engine == .postgres ? " FOR UPDATE OF i" : ""
        let rows = try await db.raw(SQLQueryString(Self.issueSelect) + " WHERE i.id = \(bind: id.lowercased())" + lock).all(
            decoding: IssueRow.self)
        return try await issues(rows, on: db).first
    }
}

/// No notice issue with that id.
public struct NoticeIssueNotFound: Error {}
