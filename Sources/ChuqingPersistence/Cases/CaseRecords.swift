import ChuqingDomain
import Foundation
import SQLKit

/// A case entered by hand (not imported): the same values and rules as an export row, written by
/// the same writer, so both ways in agree.
public struct NewCase: Sendable {
    public let fields: ImportedCase
    public let debtors: [ImportedDebtor]
    public let judgeID: UUID?

    public init(fields: ImportedCase, debtors: [ImportedDebtor], judgeID: UUID?) {
        self.fields = fields
        self.debtors = debtors
        self.judgeID = judgeID
    }
}

/// Changes to a debtor's contact details and status (the ID and kind never change: a different
/// ID is a different debtor). Nil leaves a value as it is.
public struct DebtorChanges: Sendable, Equatable {
    public var name: String?
    public var legalRepresentative: String?
    public var address: String?
    public var phone: String?
    /// A township's code or full name.
    public var township: String?
    /// One of the township's villages; "" clears it.
    public var village: String?
    public var isPublicOfficial: Bool?
    public var employer: String?
    /// The debtor's standings as a public official, replacing `isPublicOfficial` and `employer`.
    public var official: OfficialProfile?

    public init(
        name: String? = nil, legalRepresentative: String? = nil, address: String? = nil, phone: String? = nil, township: String? = nil,
        village: String? = nil, isPublicOfficial: Bool? = nil, employer: String? = nil, official: OfficialProfile? = nil
    ) {
        self.official = official
        self.name = name
        self.legalRepresentative = legalRepresentative
        self.address = address
        self.phone = phone
        self.township = township
        self.village = village
        self.isPublicOfficial = isPublicOfficial
        self.employer = employer
    }
}

extension CaseRepository {
    /// Creates a case entered in Chuqing; 409 when the case number exists.
    public func create(_ newCase: NewCase, author: HistoryAuthor, audit: AuditEntry, now: Date) async throws -> CaseDetail {
        try await database.transaction { db in
            struct Existing: Decodable { let id: String }
            if try await db.raw("SELECT id FROM enforcement_cases WHERE case_number = \(bind: newCase.fields.caseNumber.canonical)")
                .first(decoding: Existing.self) != nil
            {
                throw DomainError(
                    code: "case_number_taken", message: "案号 \(newCase.fields.caseNumber.canonical) 已存在", field: "caseNumber",
                    kind: .conflict)
            }
            var writer = CaseImportWriter(actorID: author.id, actorUsername: author.username, now: now)
            writer.createdDetail = { _ in "在出清系统中立案登记" }
            writer.judgeID = newCase.judgeID
            let rows = newCase.debtors.map { ImportedRow(row: 0, caseFields: newCase.fields, debtor: $0) }
            let outcome = try await writer.write(newCase.fields, rows: rows, on: db)
            if let refused = outcome.rejections.first {
                // Rolls the case back: a case registered by hand is written whole or not at all.
                throw DomainError(code: "id_number_held", message: refused.reason, field: "debtors", kind: .conflict)
            }
            try await AuditLogRepository().append(audit, on: db)
            struct Row: Decodable { let id: String }
            let id = try await db.raw("SELECT id FROM enforcement_cases WHERE case_number = \(bind: newCase.fields.caseNumber.canonical)")
                .first(decoding: Row.self)!.id
            return try await self.detail(id: id, on: db)!
        }
    }
}

extension DebtorRepository {
    /// Applies `changes` to a debtor; a public official needs an employer.
    public func update(id: String, _ changes: DebtorChanges, audit: AuditEntry, now: Date) async throws -> DebtorDetail {
        try await database.transaction { db in
            struct Row: Decodable {
                let name: String
                let legal_representative: String?
                let address: String?
                let phone: String?
                let township_code: String?
                let village: String?
                let is_public_official: Bool
                let employer: String?
            }
            guard
                let row = try await db.raw(
                    """
                    SELECT name, legal_representative, address, phone, township_code, village, is_public_official, employer FROM debtors WHERE id = \(bind: id)
                    """
                ).first(decoding: Row.self)
            else { throw CaseNotFound() }
            let name = changes.name?.trimmingCharacters(in: .whitespaces) ?? row.name
            guard !name.isEmpty else { throw DomainError(code: "invalid_name", message: "姓名/名称不能为空", field: "name") }
            let official = changes.official?.isOfficial ?? changes.isPublicOfficial ?? row.is_public_official
            let employer = changes.official.map { $0.employer } ?? changes.employer ?? row.employer
            if official && (employer ?? "").isEmpty {
                throw DomainError(code: "employer_required", message: "公职人员须填写工作单位", field: "employer")
            }
            var township = row.township_code
            if let given = changes.township {
                township = try TownshipDirectory(try await TownshipRepository().all(on: db)).resolve(given, field: "township").code
            }
            // A village is one of the township's registered villages; "" clears it. Moving the
            // debtor to another township without naming a village clears the old one.
            var village = township == row.township_code ? row.village : nil
            if let given = changes.village?.trimmed {
                if given.isEmpty {
                    village = nil
                } else {
                    try await VillageRepository.check(given, townshipCode: township, on: db)
                    village = given
                }
            }
            try await db.raw(
                """
                UPDATE debtors SET name = \(bind: name), legal_representative = \(bind: changes.legalRepresentative ?? row.legal_representative),
                    address = \(bind: changes.address ?? row.address), phone = \(bind: changes.phone ?? row.phone), township_code = \(bind: township),
                    village = \(bind: village), is_public_official = \(bind: official), employer = \(bind: employer),
                    updated_at = \(bind: now)
                WHERE id = \(bind: id)
                """
            ).run()
            if let profile = changes.official {
                try await OfficialRepository.replace(debtorID: id, with: profile, now: now, on: db)
            } else if !official {
                // 是否公职人员=否 clears every standing.
                try await db.raw("DELETE FROM debtor_standings WHERE debtor_id = \(bind: id)").run()
            }
            try await AuditLogRepository().append(audit, on: db)
        }
        return try await detail(id: id, visibleToJudge: nil)!
    }
}

/// Changes to a case's own fields; each change is written to the case history. Nil leaves a
/// value as it is.
public struct CaseChanges: Sendable, Equatable {
    public var judgeID: UUID?
    /// A township's code or full name.
    public var township: String?
    public var target: Money?
    public var applicants: [String]?

    public init(judgeID: UUID? = nil, township: String? = nil, target: Money? = nil, applicants: [String]? = nil) {
        self.judgeID = judgeID
        self.township = township
        self.target = target
        self.applicants = applicants
    }
}

extension CaseRepository {
    /// Applies `changes`; the target may not fall below what was already performed.
    public func update(caseID: String, _ changes: CaseChanges, author: HistoryAuthor, audit: AuditEntry, now: Date) async throws
        -> CaseDetail
    {
        try await database.transaction { db in
            guard let current = try await self.detail(id: caseID, on: db) else { throw CaseNotFound() }
            var notes: [String] = []
            if let id = changes.judgeID {
                guard let judge = try await UserRepository().find(id: id, on: db), judge.user.role == .judge, !judge.user.isDisabled
                else {
                    throw DomainError(code: "unknown_judge", message: "judgeID 不是在用的承办法官账号", field: "judgeID")
                }
                try await db.raw(
                    "UPDATE enforcement_cases SET judge_id = \(bind: id.databaseText), judge_name = \(bind: judge.user.displayName) WHERE id = \(bind: caseID)"
                ).run()
                notes.append("承办人：\(current.summary.judgeName ?? "（空）") → \(judge.user.displayName)")
            }
            if let given = changes.township {
                let township = try TownshipDirectory(try await TownshipRepository().all(on: db)).resolve(given, field: "township")
                try await db.raw("UPDATE enforcement_cases SET township_code = \(bind: township.code) WHERE id = \(bind: caseID)").run()
                notes.append("乡镇：\(current.summary.township ?? "（空）") → \(township.name)")
            }
            if let target = changes.target {
                guard target > .zero else { throw DomainError(code: "invalid_amount", message: "执行标的金额须大于 0（单位：分）", field: "targetFen") }
                guard target >= current.summary.performed else {
                    throw DomainError(
                        code: "target_below_performed", message: "执行标的金额不能低于已履行金额 \(current.summary.performed.formatted)",
                        field: "targetFen")
                }
                try await db.raw("UPDATE enforcement_cases SET target_fen = \(bind: target.fen) WHERE id = \(bind: caseID)").run()
                notes.append("执行标的金额：\(current.summary.target.formatted) → \(target.formatted)")
            }
            if let applicants = changes.applicants {
                let names = applicants.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
                guard !names.isEmpty else { throw DomainError(code: "applicant_required", message: "至少一名申请执行人", field: "applicants") }
                try await db.raw(
                    "UPDATE enforcement_cases SET applicants = \(bind: names.joined(separator: "、")) WHERE id = \(bind: caseID)"
                ).run()
                notes.append("申请执行人：\(current.applicants.joined(separator: "、")) → \(names.joined(separator: "、"))")
            }
            guard !notes.isEmpty else { return current }
            try await db.raw("UPDATE enforcement_cases SET updated_at = \(bind: now) WHERE id = \(bind: caseID)").run()
            try await db.raw(
                """
                INSERT INTO case_history (id, case_id, occurred_at, actor_id, actor_username, event, detail)
                VALUES (\(bind: UUID().databaseText), \(bind: caseID), \(bind: now), \(bind: author.id?.databaseText), \(bind: author.username),
                        'updated', \(bind: notes.joined(separator: "；")))
                """
            ).run()
            try await AuditLogRepository().append(audit, on: db)
            return try await self.detail(id: caseID, on: db)!
        }
    }
}
