import ChuqingDomain
import Foundation
import SQLKit

/// A look-up as stored, with each category's answer and findings.
public struct StoredLookup: Sendable, Equatable {
    public struct Category: Sendable, Equatable {
        public let code: String
        public let name: String
        public let status: AssetLookup.CategoryStatus
        public let attempts: Int
        /// Why it failed or timed out.
        public let reason: String?
        /// SHA-256 of the answer as received.
        public let digest: String?
        /// The extract file a snapshot answer was read from (exchange answers: nil).
        public let source: String?
        public let answeredAt: Date?
        public let findings: [StoredFinding]
    }

    public let id: UUID
    public let caseID: UUID
    public let caseNumber: String
    public let debtorID: UUID
    public let debtorName: String
    public let legalBasis: String
    public let purpose: AssetLookup.Purpose
    public let status: AssetLookup.Status
    public let requestedBy: String?
    public let requestedAt: Date
    /// The director who approved it (when the court asks for approval, or the director started it).
    public let approvedBy: String?
    public let approvedAt: Date?
    public let refusalReason: String?
    public let finishedAt: Date?
    /// When and how the applicant was told the result (法〔2016〕373号 art. 9).
    public let applicantTold: ApplicantTold?
    public let categories: [Category]
}

/// The applicant told of a look-up's result.
public struct ApplicantTold: Sendable, Equatable {
    public let on: CalendarDate
    public let how: String
    public let by: String?
}

public struct StoredFinding: Sendable, Equatable {
    public let id: UUID
    public let kind: AssetFinding.Kind
    public let description: String
    public let identifier: String?
    public let value: Money?
    public let holder: String?
    public let foundAt: Date
    /// Measures taken on it (查封, 扣押, 冻结, 扣划).
    public let measures: [FindingMeasure]
}

/// A measure taken on a finding.
public struct FindingMeasure: Sendable, Equatable {
    public let id: UUID
    public let kind: MeasureKind
    public let on: CalendarDate
    public let amount: Money?
    public let documentNumber: String
}

/// How one category of a look-up ended.
public enum CategoryOutcome: Sendable, Equatable {
    /// `source`: the extract a snapshot answer was read from.
    case answered(findings: [AssetFinding], digest: String, source: String? = nil)
    case failed(reason: String, digest: String?)
    case timedOut(reason: String)
}

/// The catalogue of data categories, look-ups, their answers and findings.
public struct AssetLookupRepository: Sendable {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    // MARK: The catalogue

    private struct CategoryRow: Decodable {
        let code: String
        let name: String
        let department: String
        let channel: String
        let connector: String
        let timeout_ms: Int
        let retries: Int
        let is_enabled: Bool
        let is_property: Bool
        let position: Int

        var category: DataCategory {
            DataCategory(
                code: code, name: name, department: department, channel: .init(rawValue: channel) ?? .manual,
                connector: .init(rawValue: connector) ?? .exchange, timeoutMilliseconds: timeout_ms, retries: retries,
                isEnabled: is_enabled, isProperty: is_property, position: position)
        }
    }

    public func catalogue() async throws -> [DataCategory] {
        try await database.sql.raw(
            """
            SELECT code, name, department, channel, connector, timeout_ms, retries, is_enabled, is_property, position
            FROM data_categories ORDER BY position, code
            """
        ).all(decoding: CategoryRow.self).map(\.category)
    }

    /// Adds a category (409 when the code is taken) or replaces one's fields.
    public func save(_ category: DataCategory, isNew: Bool, audit: AuditEntry) async throws -> DataCategory {
        try category.validate()
        return try await database.transaction { db in
            let exists = try await db.raw("SELECT code FROM data_categories WHERE code = \(bind: category.code)").first() != nil
            if isNew {
                guard !exists else {
                    throw DomainError(code: "category_exists", message: "已有代码为「\(category.code)」的数据类别", field: "code", kind: .conflict)
                }
                try await db.raw(
                    """
                    INSERT INTO data_categories (code, name, department, channel, connector, timeout_ms, retries, is_enabled, is_property, position)
                    VALUES (\(bind: category.code), \(bind: category.name.trimmed), \(bind: category.department.trimmed), \(bind: category.channel.rawValue),
                            \(bind: category.connector.rawValue), \(bind: category.timeoutMilliseconds), \(bind: category.retries),
                            \(bind: category.isEnabled), \(bind: category.isProperty), \(bind: category.position))
                    """
                ).run()
            } else {
                guard exists else { throw CaseNotFound() }
                try await db.raw(
                    """
                    UPDATE data_categories SET name = \(bind: category.name.trimmed), department = \(bind: category.department.trimmed),
                        channel = \(bind: category.channel.rawValue), connector = \(bind: category.connector.rawValue),
                        timeout_ms = \(bind: category.timeoutMilliseconds), retries = \(bind: category.retries), is_enabled = \(bind: category.isEnabled),
                        is_property = \(bind: category.isProperty), position = \(bind: category.position)
                    WHERE code = \(bind: category.code)
                    """
                ).run()
            }
            try await AuditLogRepository().append(audit, on: db)
            return category
        }
    }

    // MARK: Look-ups

    /// How a new look-up starts: asked at once (approved by `approvedBy` when someone approved
    /// it), or waiting for the director's approval.
    public enum Start: Sendable, Equatable {
        case running(approvedBy: UUID?)
        case awaitingApproval
    }

    /// Starts a look-up of `debtorID` on `caseID`: every category pending. The debtor must be a
    /// debtor of that case (法释〔2013〕20号: no queries on anyone who is not an obligor).
    public func create(
        caseID: String, debtorID: String, request: AssetLookup.Request, purpose: AssetLookup.Purpose, requestedBy: UUID?,
        start: Start = .running(approvedBy: nil), audit: AuditEntry, now: Date
    ) async throws -> StoredLookup {
        let id = UUID().databaseText
        try await database.transaction { db in
            guard
                try await db.raw(
                    """
                    SELECT case_id FROM case_debtors WHERE case_id = \(bind: caseID) AND debtor_id = \(bind: debtorID.lowercased())
                    """
                ).first() != nil
            else {
                throw DomainError(
                    code: "not_a_debtor_of_case",
                    message: "该人不是本案的被执行人，不能查询其财产（法释〔2013〕20号：不得查询非被执行人）", field: "debtorId")
            }
            let (status, approver): (AssetLookup.Status, UUID?) =
                switch start {
                case .running(let approvedBy): (.running, approvedBy)
                case .awaitingApproval: (.awaitingApproval, nil)
                }
            try await db.raw(
                """
                INSERT INTO asset_lookups (id, case_id, debtor_id, legal_basis, purpose, status, requested_by, requested_at, approved_by, approved_at)
                VALUES (\(bind: id), \(bind: caseID), \(bind: debtorID.lowercased()), \(bind: request.legalBasis), \(bind: purpose.rawValue),
                        \(bind: status.rawValue), \(bind: requestedBy?.databaseText), \(bind: now), \(bind: approver?.databaseText),
                        \(bind: approver == nil ? nil : now))
                """
            ).run()
            for code in request.categories {
                try await db.raw(
                    """
                    INSERT INTO asset_lookup_answers (lookup_id, category_code, status) VALUES (\(bind: id), \(bind: code), 'pending')
                    """
                ).run()
            }
            try await AuditLogRepository().append(audit, on: db)
        }
        return try await lookup(id: id)!
    }

    /// Records how one category ended after `attempts` attempts, with its findings, in one
    /// transaction; the look-up completes when its last category does.
    public func record(lookupID: String, category: String, _ outcome: CategoryOutcome, attempts: Int, now: Date) async throws {
        // Categories end at the same moment: the look-up's row is locked first (PostgreSQL), so the
        // last one to commit sees every other ending and marks the look-up completed. Without it,
        // two at once would each see the other still pending, and neither would.
        let lock = database.rowLock
        try await database.transaction { db in
            try await db.raw("SELECT id FROM asset_lookups WHERE id = \(bind: lookupID)" + lock).run()
            let (status, reason, digest, findings, source): (AssetLookup.CategoryStatus, String?, String?, [AssetFinding], String?) =
                switch outcome {
                case .answered(let findings, let digest, let source): (.answered, nil, digest, findings, source)
                case .failed(let reason, let digest): (.failed, reason, digest, [], nil)
                case .timedOut(let reason): (.timedOut, reason, nil, [], nil)
                }
            try await db.raw(
                """
                UPDATE asset_lookup_answers SET status = \(bind: status.rawValue), attempts = \(bind: attempts), reason = \(bind: reason),
                    digest = \(bind: digest), finding_count = \(bind: findings.count), answered_at = \(bind: now), source = \(bind: source)
                WHERE lookup_id = \(bind: lookupID) AND category_code = \(bind: category)
                """
            ).run()
            for (index, finding) in findings.enumerated() {
                try await db.raw(
                    """
                    INSERT INTO asset_findings (id, lookup_id, category_code, position, kind, description, identifier, value_fen, holder, found_at)
                    VALUES (\(bind: UUID().databaseText), \(bind: lookupID), \(bind: category), \(bind: index + 1), \(bind: finding.kind.rawValue), \(bind: finding.description),
                            \(bind: finding.identifier), \(bind: finding.valueFen), \(bind: finding.holder), \(bind: now))
                    """
                ).run()
            }
            try await db.raw(
                """
                UPDATE asset_lookups SET status = 'completed', finished_at = \(bind: now)
                WHERE id = \(bind: lookupID) AND status = 'running' AND NOT EXISTS (
                    SELECT 1 FROM asset_lookup_answers a WHERE a.lookup_id = \(bind: lookupID) AND a.status = 'pending')
                """
            ).run()
        }
    }

    /// Puts a failed or timed-out category back to pending, to be asked again alone; false when
    /// it is not one of the look-up's failed categories.
    public func reopen(lookupID: String, category: String, audit: AuditEntry) async throws -> Bool {
        try await database.transaction { db in
            guard
                try await db.raw(
                    """
                    SELECT category_code FROM asset_lookup_answers
                    WHERE lookup_id = \(bind: lookupID) AND category_code = \(bind: category) AND status IN ('failed', 'timedOut')
                    """
                ).first() != nil
            else { return false }
            try await db.raw(
                """
                UPDATE asset_lookup_answers SET status = 'pending', reason = NULL, digest = NULL, source = NULL, answered_at = NULL
                WHERE lookup_id = \(bind: lookupID) AND category_code = \(bind: category)
                """
            ).run()
            try await db.raw("UPDATE asset_lookups SET status = 'running', finished_at = NULL WHERE id = \(bind: lookupID)").run()
            try await AuditLogRepository().append(audit, on: db)
            return true
        }
    }

    // MARK: Approval and telling the applicant

    /// The director approves a look-up waiting for approval: it is asked at once. 409 when it is
    /// not waiting (already approved, refused, or never needed approval).
    public func approve(lookupID: String, by director: UUID, audit: AuditEntry, now: Date) async throws {
        try await decide(lookupID: lookupID, audit: audit) { db in
            try await db.raw(
                """
                UPDATE asset_lookups SET status = 'running', approved_by = \(bind: director.databaseText), approved_at = \(bind: now)
                WHERE id = \(bind: lookupID)
                """
            ).run()
        }
    }

    /// The director refuses a look-up waiting for approval, with the reason; nothing is asked.
    public func refuse(lookupID: String, by director: UUID, reason: String, audit: AuditEntry, now: Date) async throws {
        let reason = reason.trimmed
        guard !reason.isEmpty, reason.count <= 500 else {
            throw DomainError(code: "refusal_reason_required", message: "不批准须写明理由（1–500 字）", field: "reason")
        }
        try await decide(lookupID: lookupID, audit: audit) { db in
            try await db.raw(
                """
                UPDATE asset_lookups SET status = 'refused', approved_by = \(bind: director.databaseText), approved_at = \(bind: now),
                    refusal_reason = \(bind: reason), finished_at = \(bind: now)
                WHERE id = \(bind: lookupID)
                """
            ).run()
        }
    }

    private func decide(lookupID: String, audit: AuditEntry, _ change: @Sendable @escaping (any SQLDatabase) async throws -> Void)
        async throws
    {
        let lock = database.rowLock
        try await database.transaction { db in
            struct Row: Decodable { let status: String }
            guard
                let row = try await db.raw("SELECT status FROM asset_lookups WHERE id = \(bind: lookupID)" + lock).first(decoding: Row.self)
            else {
                throw CaseNotFound()
            }
            guard row.status == AssetLookup.Status.awaitingApproval.rawValue else {
                let state = AssetLookup.Status(rawValue: row.status)?.chinese ?? row.status
                throw DomainError(code: "lookup_not_awaiting_approval", message: "该查询「\(state)」，不在待审批状态，不能再批准或不批准", kind: .conflict)
            }
            try await change(db)
            try await AuditLogRepository().append(audit, on: db)
        }
    }

    /// Records that the applicant was told the result of a completed look-up (法〔2016〕373号
    /// art. 9), on `day` by `how` (电话, 短信, 当面, 邮寄, 电子送达…). Once: a second time is 409.
    public func recordApplicantTold(lookupID: String, on day: CalendarDate, how: String, by user: UUID?, audit: AuditEntry, now: Date)
        async throws
    {
        let how = how.trimmed
        guard !how.isEmpty, how.count <= 40 else {
            throw DomainError(code: "told_how_required", message: "请写明告知方式（如电话、短信、当面、邮寄、电子送达），最多 40 字", field: "how")
        }
        try day.mustHaveHappened(by: CalendarDate(dayOf: now), "告知日期", field: "on")
        let lock = database.rowLock
        try await database.transaction { db in
            struct Row: Decodable {
                let status: String
                let finished_at: Date?
                let applicant_told_on: String?
            }
            guard
                let row = try await db.raw(
                    "SELECT status, finished_at, applicant_told_on FROM asset_lookups WHERE id = \(bind: lookupID)" + lock
                )
                .first(decoding: Row.self)
            else { throw CaseNotFound() }
            guard row.status == AssetLookup.Status.completed.rawValue, let finished = row.finished_at else {
                throw DomainError(code: "lookup_not_completed", message: "查询尚未完成，完成后才能告知申请执行人结果", kind: .conflict)
            }
            guard row.applicant_told_on == nil else {
                throw DomainError(code: "applicant_already_told", message: "已于 \(row.applicant_told_on ?? "") 告知申请执行人", kind: .conflict)
            }
            guard day >= CalendarDate(dayOf: finished) else {
                throw DomainError(
                    code: "date_before_result", message: "告知日期 \(day) 早于查询完成的日期 \(CalendarDate(dayOf: finished))", field: "on")
            }
            try await db.raw(
                """
                UPDATE asset_lookups SET applicant_told_on = \(bind: day.description), applicant_told_how = \(bind: how),
                    applicant_told_by = \(bind: user?.databaseText), applicant_told_at = \(bind: now)
                WHERE id = \(bind: lookupID)
                """
            ).run()
            try await AuditLogRepository().append(audit, on: db)
        }
    }

    /// How many look-ups stand in `status` (the director's home page: those waiting for approval).
    public func count(status: AssetLookup.Status) async throws -> Int {
        struct Row: Decodable { let n: Int }
        return try await database.sql.raw("SELECT COUNT(*) AS n FROM asset_lookups WHERE status = \(bind: status.rawValue)")
            .first(decoding: Row.self)?.n ?? 0
    }

    /// Look-ups a stopped server left being asked: running, with categories still pending.
    public func unfinished() async throws -> [String] {
        try await database.sql.raw(
            """
            SELECT l.id FROM asset_lookups l
            WHERE l.status = 'running' AND EXISTS (SELECT 1 FROM asset_lookup_answers a WHERE a.lookup_id = l.id AND a.status = 'pending')
            ORDER BY l.requested_at
            """
        ).all(decoding: [String: String].self).compactMap { $0["id"] }
    }

    /// A finding, with the case its look-up was on.
    public struct FindingContext: Sendable {
        public let id: UUID
        public let lookupID: UUID
        public let caseID: UUID
        public let kind: AssetFinding.Kind
        public let description: String
        public let foundAt: Date
    }

    public func finding(id: String) async throws -> FindingContext? {
        try await Self.finding(id: id, on: database.sql)
    }

    static func finding(id: String, on db: any SQLDatabase) async throws -> FindingContext? {
        struct Row: Decodable {
            let id: String
            let lookup_id: String
            let case_id: String
            let kind: String
            let description: String
            let found_at: Date
        }
        return try await db.raw(
            """
            SELECT f.id, f.lookup_id, l.case_id, f.kind, f.description, f.found_at
            FROM asset_findings f JOIN asset_lookups l ON l.id = f.lookup_id WHERE f.id = \(bind: id.lowercased())
            """
        ).first(decoding: Row.self).map {
            FindingContext(
                id: try Stored.uuid($0.id, "asset_findings.id"), lookupID: try Stored.uuid($0.lookup_id, "asset_findings.lookup_id"),
                caseID: try Stored.uuid($0.case_id, "asset_lookups.case_id"), kind: try Stored.value($0.kind, "asset_findings.kind"),
                description: $0.description, foundAt: $0.found_at)
        }
    }

    /// One look-up with its categories, findings and the measures taken on them.
    public func lookup(id: String) async throws -> StoredLookup? {
        struct Row: Decodable {
            let id: String
            let case_id: String
            let case_number: String
            let debtor_id: String
            let debtor_name: String
            let legal_basis: String
            let purpose: String
            let status: String
            let requested_by_name: String?
            let requested_at: Date
            let approved_by_name: String?
            let approved_at: Date?
            let refusal_reason: String?
            let finished_at: Date?
            let applicant_told_on: String?
            let applicant_told_how: String?
            let told_by_name: String?
        }
        guard
            let row = try await database.sql.raw(
                """
                SELECT l.id, l.case_id, c.case_number, l.debtor_id, d.name AS debtor_name, l.legal_basis, l.purpose, l.status,
                       u.display_name AS requested_by_name, l.requested_at, a.display_name AS approved_by_name, l.approved_at, l.refusal_reason,
                       l.finished_at, l.applicant_told_on, l.applicant_told_how, t.display_name AS told_by_name
                FROM asset_lookups l JOIN enforcement_cases c ON c.id = l.case_id JOIN debtors d ON d.id = l.debtor_id
                LEFT JOIN users u ON u.id = l.requested_by LEFT JOIN users a ON a.id = l.approved_by LEFT JOIN users t ON t.id = l.applicant_told_by
                WHERE l.id = \(bind: id.lowercased())
                """
            ).first(decoding: Row.self)
        else { return nil }
        struct AnswerRow: Decodable {
            let category_code: String
            let name: String
            let status: String
            let attempts: Int
            let reason: String?
            let digest: String?
            let source: String?
            let answered_at: Date?
        }
        let answers = try await database.sql.raw(
            """
            SELECT a.category_code, k.name, a.status, a.attempts, a.reason, a.digest, a.source, a.answered_at
            FROM asset_lookup_answers a JOIN data_categories k ON k.code = a.category_code
            WHERE a.lookup_id = \(bind: row.id) ORDER BY k.position, k.code
            """
        ).all(decoding: AnswerRow.self)
        struct FindingRow: Decodable {
            let id: String
            let category_code: String
            let kind: String
            let description: String
            let identifier: String?
            let value_fen: Int64?
            let holder: String?
            let found_at: Date
        }
        let findings = Dictionary(
            grouping: try await database.sql.raw(
                """
                SELECT id, category_code, kind, description, identifier, value_fen, holder, found_at FROM asset_findings
                WHERE lookup_id = \(bind: row.id) ORDER BY found_at, category_code, position
                """
            ).all(decoding: FindingRow.self), by: \.category_code)
        struct MeasureRow: Decodable {
            let id: String
            let finding_id: String
            let kind: String
            let taken_on: String
            let amount_fen: Int64?
            let document_number: String
        }
        let measures = Dictionary(
            grouping: try await database.sql.raw(
                """
                SELECT m.id, m.finding_id, m.kind, m.taken_on, m.amount_fen, m.document_number
                FROM measures m JOIN asset_findings f ON f.id = m.finding_id
                WHERE f.lookup_id = \(bind: row.id) ORDER BY m.taken_on, m.recorded_at
                """
            ).all(decoding: MeasureRow.self), by: \.finding_id)
        return StoredLookup(
            id: try Stored.uuid(row.id, "asset_lookups.id"), caseID: try Stored.uuid(row.case_id, "asset_lookups.case_id"),
            caseNumber: row.case_number, debtorID: try Stored.uuid(row.debtor_id, "asset_lookups.debtor_id"), debtorName: row.debtor_name,
            legalBasis: row.legal_basis, purpose: try Stored.value(row.purpose, "asset_lookups.purpose"),
            status: try Stored.value(row.status, "asset_lookups.status"), requestedBy: row.requested_by_name,
            requestedAt: row.requested_at,
            approvedBy: row.approved_by_name, approvedAt: row.approved_at, refusalReason: row.refusal_reason, finishedAt: row.finished_at,
            applicantTold: try row.applicant_told_on.map {
                ApplicantTold(
                    on: try Stored.date($0, "asset_lookups.applicant_told_on"), how: row.applicant_told_how ?? "", by: row.told_by_name)
            },
            categories: try answers.map { answer in
                StoredLookup.Category(
                    code: answer.category_code, name: answer.name, status: try Stored.value(answer.status, "asset_lookup_answers.status"),
                    attempts: answer.attempts, reason: answer.reason, digest: answer.digest, source: answer.source,
                    answeredAt: answer.answered_at,
                    findings: try (findings[answer.category_code] ?? []).map { finding in
                        StoredFinding(
                            id: try Stored.uuid(finding.id, "asset_findings.id"),
                            kind: try Stored.value(finding.kind, "asset_findings.kind"),
                            description: finding.description, identifier: finding.identifier,
                            value: finding.value_fen.map(Money.init(fen:)),
                            holder: finding.holder, foundAt: finding.found_at,
                            measures: try (measures[finding.id] ?? []).map {
                                FindingMeasure(
                                    id: try Stored.uuid($0.id, "measures.id"), kind: try Stored.value($0.kind, "measures.kind"),
                                    on: try Stored.date($0.taken_on, "measures.taken_on"), amount: $0.amount_fen.map(Money.init(fen:)),
                                    documentNumber: $0.document_number)
                            })
                    })
            })
    }

    /// A look-up in a case's list.
    public struct LookupSummary: Sendable, Equatable {
        public let id: UUID
        public let debtorName: String
        public let status: AssetLookup.Status
        public let purpose: AssetLookup.Purpose
        public let requestedBy: String?
        public let requestedAt: Date
        public let categories: Int
        public let answered: Int
        public let findings: Int
        /// When the applicant was told the result; nil while not told.
        public let applicantToldOn: CalendarDate?
    }

    /// The look-ups of a case, newest first.
    public func lookups(caseID: String) async throws -> [LookupSummary] {
        struct Row: Decodable {
            let id: String
            let debtor_name: String
            let status: String
            let purpose: String
            let requested_by_name: String?
            let requested_at: Date
            let categories: Int
            let answered: Int
            let findings: Int
            let applicant_told_on: String?
        }
        return try await database.sql.raw(
            """
            SELECT l.id, d.name AS debtor_name, l.status, l.purpose, u.display_name AS requested_by_name, l.requested_at, l.applicant_told_on,
                   (SELECT COUNT(*) FROM asset_lookup_answers a WHERE a.lookup_id = l.id) AS categories,
                   (SELECT COUNT(*) FROM asset_lookup_answers a WHERE a.lookup_id = l.id AND a.status = 'answered') AS answered,
                   (SELECT COUNT(*) FROM asset_findings f WHERE f.lookup_id = l.id) AS findings
            FROM asset_lookups l JOIN debtors d ON d.id = l.debtor_id LEFT JOIN users u ON u.id = l.requested_by
            WHERE l.case_id = \(bind: caseID) ORDER BY l.requested_at DESC, l.id
            """
        ).all(decoding: Row.self).map {
            LookupSummary(
                id: try Stored.uuid($0.id, "asset_lookups.id"), debtorName: $0.debtor_name,
                status: try Stored.value($0.status, "asset_lookups.status"), purpose: try Stored.value($0.purpose, "asset_lookups.purpose"),
                requestedBy: $0.requested_by_name, requestedAt: $0.requested_at, categories: $0.categories, answered: $0.answered,
                findings: $0.findings,
                applicantToldOn: try $0.applicant_told_on.map { try Stored.date($0, "asset_lookups.applicant_told_on") })
        }
    }

    /// The subject a connector is asked about.
    public struct Subject: Sendable, Codable {
        public let lookupId: String
        public let caseNumber: String
        public let name: String
        public let idNumber: String
        public let kind: String
        public let legalBasis: String
    }

    public func subject(lookupID: String) async throws -> Subject? {
        struct Row: Decodable {
            let id: String
            let case_number: String
            let name: String
            let id_number: String
            let kind: String
            let legal_basis: String
        }
        return try await database.sql.raw(
            """
            SELECT l.id, c.case_number, d.name, d.id_number, d.kind, l.legal_basis
            FROM asset_lookups l JOIN enforcement_cases c ON c.id = l.case_id JOIN debtors d ON d.id = l.debtor_id
            WHERE l.id = \(bind: lookupID)
            """
        ).first(decoding: Row.self).map {
            Subject(
                lookupId: $0.id, caseNumber: $0.case_number, name: $0.name, idNumber: $0.id_number, kind: $0.kind,
                legalBasis: $0.legal_basis)
        }
    }

    /// The categories of a look-up still pending, with their catalogue entries.
    public func pending(lookupID: String) async throws -> [DataCategory] {
        let codes = Set(
            try await database.sql.raw(
                """
                SELECT category_code FROM asset_lookup_answers WHERE lookup_id = \(bind: lookupID) AND status = 'pending'
                """
            ).all(decoding: [String: String].self).compactMap { $0["category_code"] })
        return try await catalogue().filter { codes.contains($0.code) }
    }

    /// A debtor of a 终本 case whose six-monthly look-up is due (法〔2016〕373号 art. 9).
    public struct DueLookup: Sendable, Equatable {
        public let caseID: UUID
        public let caseNumber: String
        public let judgeName: String?
        public let debtorID: UUID
        public let debtorName: String
        public let terminatedOn: CalendarDate
        public let lastLookupOn: CalendarDate?
        public let dueOn: CalendarDate
        /// Look-ups since the termination in which every category answered and nothing was found
        /// (two or more, with no valid lead, make a deletion trigger: 法释〔2017〕7号 art. 10 (4)).
        public let lookupsFindingNothing: Int
    }

    /// The condition that the look-up `l` (the alias the query gives it) found no property, as
    /// 法释〔2017〕7号 art. 10(4) counts it (issue 16 item 5): it asked at least one property
    /// category through a network channel (总对总, 点对点 — a manual enquiry is not a network
    /// look-up), and every such category answered and found nothing. An information category
    /// (婚姻, 户籍, 社保, 水电气; `data_categories.is_property`) finding something, or failing, does
    /// not count against it. The one definition for the deletion trigger and the due list.
    public static let foundNoProperty: SQLQueryString = """
        EXISTS (
            SELECT 1 FROM asset_lookup_answers a JOIN data_categories dc ON dc.code = a.category_code
            WHERE a.lookup_id = l.id AND dc.is_property = TRUE AND dc.channel <> 'manual')
        AND NOT EXISTS (
            SELECT 1 FROM asset_lookup_answers a JOIN data_categories dc ON dc.code = a.category_code
            WHERE a.lookup_id = l.id AND dc.is_property = TRUE AND dc.channel <> 'manual'
              AND (a.status <> 'answered' OR a.finding_count > 0))
        """

    /// The look-ups due by `today`: every debtor of every case terminated this round within the
    /// last five years whose last look-up since then is six months old or more, for one judge's
    /// cases or all; the longest overdue first. A look-up the director refused was never made and
    /// does not count; one waiting for approval does (it is on its way).
    /// With `dueBy`, also those falling due by that day (a person's coming deadlines).
    public func due(judgeID: UUID?, today: CalendarDate, dueBy: CalendarDate? = nil, limit: Int = 500) async throws -> [DueLookup] {
        struct Row: Decodable {
            let case_id: String
            let case_number: String
            let judge_name: String?
            let debtor_id: String
            let name: String
            let closed_on: String
            let last_lookup: Date?
            let nothing_found: Int
        }
        var query: SQLQueryString = """
            SELECT c.id AS case_id, c.case_number, c.judge_name, cd.debtor_id, d.name, c.closed_on,
                   (SELECT MAX(l.requested_at) FROM asset_lookups l WHERE l.case_id = c.id AND l.debtor_id = cd.debtor_id
                      AND l.status <> 'refused') AS last_lookup,
                   (SELECT COUNT(*) FROM asset_lookups l WHERE l.case_id = c.id AND l.debtor_id = cd.debtor_id AND l.status = 'completed'
                      AND \(Self.foundNoProperty))
                   AS nothing_found
            FROM enforcement_cases c JOIN case_debtors cd ON cd.case_id = c.id JOIN debtors d ON d.id = cd.debtor_id
            WHERE c.status = 'terminatedThisRound' AND c.closed_on IS NOT NULL AND c.closed_on >= \(bind: today.adding(months: -60).description)
            """
        if let judgeID { query = query + " AND c.judge_id = \(bind: judgeID.databaseText)" }
        let rows = try await database.sql.raw(query).all(decoding: Row.self)
        return try rows.compactMap { row throws -> DueLookup? in
            guard let terminated = try? CalendarDate.parse(row.closed_on) else { return nil }
            let last = row.last_lookup.map(CalendarDate.init(dayOf:))
            guard let due = PeriodicLookups.nextDue(terminatedOn: terminated, lastLookupOn: last), due <= (dueBy ?? today) else {
                return nil
            }
            return DueLookup(
                caseID: try Stored.uuid(row.case_id, "enforcement_cases.id"), caseNumber: row.case_number, judgeName: row.judge_name,
                debtorID: try Stored.uuid(row.debtor_id, "debtors.id"), debtorName: row.name, terminatedOn: terminated,
                lastLookupOn: last, dueOn: due, lookupsFindingNothing: row.nothing_found)
        }
        .sorted {
            ($0.dueOn, $0.caseNumber, $0.debtorID.databaseText) < ($1.dueOn, $1.caseNumber, $1.debtorID.databaseText)
        }
        .prefix(limit).map { $0 }
    }

    /// Whether look-up `id` concerns `debtorID` (any debtor when nil): for linking a verified lead.
    static func exists(id: String, debtorID: String?, on db: any SQLDatabase) async throws -> Bool {
        var query: SQLQueryString = "SELECT id FROM asset_lookups WHERE id = \(bind: id)"
        if let debtorID { query = query + " AND debtor_id = \(bind: debtorID)" }
        return try await db.raw(query).first() != nil
    }
}
