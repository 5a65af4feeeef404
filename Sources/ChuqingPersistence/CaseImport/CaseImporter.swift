import ChuqingDomain
import Foundation
import SQLKit

/// What an import did, as the API and the command line report it.
public struct CaseImportReport: Sendable, Codable, Equatable {
    public var rowsRead = 0
    public var casesCreated = 0
    public var casesUpdated = 0
    public var unchanged = 0
    public var rowsRejected = 0
    public var rejections: [ImportRejection] = []
    public var warnings: [String] = []
    /// False for a dry run, or an all-or-nothing import that had rejections: nothing was written.
    public var committed = true

    public init() {}
}

/// How to import.
public struct CaseImportOptions: Sendable {
    /// Check and count everything, write nothing.
    public var dryRun = false
    /// Write nothing unless every row is valid.
    public var allOrNothing = false

    public init(dryRun: Bool = false, allOrNothing: Bool = false) {
        self.dryRun = dryRun
        self.allOrNothing = allOrNothing
    }
}

/// Imports a court's case export (shared/formats/case-export.md).
///
/// Idempotent by case number: a case is created once; a later export of it updates what changed and
/// records the change in its history; the same file twice changes nothing. Each case is written in
/// its own transaction, so an import killed half-way leaves no half-written case and can simply be
/// run again.
public struct CaseImporter: Sendable {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    /// Imports `records` (the header first). `progress` is told (done, total) after each case.
    public func run(
        _ records: [CSVReader.Record],
        options: CaseImportOptions = .init(),
        actorID: UUID?,
        actorUsername: String?,
        now: Date,
        today: CalendarDate,
        progress: (@Sendable (Int, Int) -> Void)? = nil
    ) async throws -> CaseImportReport {
        var report = CaseImportReport()
        guard let headerRecord = records.first else {
            throw DomainError(code: "empty_file", message: "文件为空：第一行应为列名", field: "file")
        }
        let header = try CaseExportHeader(headerRecord.fields)
        report.warnings += header.unknownColumns.map { "未知的列「\($0)」已忽略" }
        let references = try await loadReferences(today: today)

        // Check every row; group the valid ones by case, in order of first appearance.
        var groups: [(first: ImportedCase, rows: [ImportedRow])] = []
        var groupIndex: [String: Int] = [:]
        var rejectedRows = Set<Int>()
        for record in records.dropFirst() {
            report.rowsRead += 1
            var fields: [CaseExportColumn: String] = [:]
            for (column, position) in header.positions where position < record.fields.count {
                fields[column] = record.fields[position]
            }
            switch CaseExportRowValidator.validate(fields, row: record.row, references: references) {
            case .failure(let rejected):
                report.rejections += rejected.rejections
                rejectedRows.insert(record.row)
            case .success(let row):
                let key = row.caseFields.caseNumber.canonical
                if let index = groupIndex[key] {
                    let first = groups[index].first
                    let differing = CaseExportRowValidator.disagreements(row.caseFields, with: first)
                    if differing.isEmpty {
                        groups[index].rows.append(row)
                    } else {
                        let firstRow = groups[index].rows[0].row
                        for column in differing {
                            report.rejections.append(ImportRejection(
                                row: row.row, column: column.rawValue, value: fields[column] ?? "",
                                reason: "与同一案号的第 \(firstRow) 行不一致；同一案件的各行须一致，此行未导入"))
                        }
                        rejectedRows.insert(record.row)
                    }
                } else {
                    groupIndex[key] = groups.count
                    groups.append((row.caseFields, [row]))
                }
            }
        }
        report.rowsRejected = rejectedRows.count

        if options.allOrNothing && !report.rejections.isEmpty {
            report.committed = false
            report.warnings.append("因存在被拒绝的行，按「全部或全不」方式未导入任何案件")
            return report
        }
        report.committed = !options.dryRun

        let writer = CaseImportWriter(actorID: actorID, actorUsername: actorUsername, now: now)
        let dryRun = options.dryRun
        let caseGroups = groups
        let outcomes: [CaseImportWriter.Outcome]
        if options.allOrNothing {
            // One transaction for the whole file.
            outcomes = try await rollingBackIf(dryRun) {
                try await database.transaction { db in
                    var outcomes: [CaseImportWriter.Outcome] = []
                    for (index, group) in caseGroups.enumerated() {
                        outcomes.append(try await writer.write(group.first, rows: group.rows, on: db))
                        progress?(index + 1, caseGroups.count)
                    }
                    if dryRun { throw RollBack(value: outcomes) }
                    return outcomes
                }
            }
        } else {
            var collected: [CaseImportWriter.Outcome] = []
            for (index, group) in caseGroups.enumerated() {
                let outcome = try await rollingBackIf(dryRun) {
                    try await database.transaction { db in
                        let outcome = try await writer.write(group.first, rows: group.rows, on: db)
                        if dryRun { throw RollBack(value: outcome) }
                        return outcome
                    }
                }
                collected.append(outcome)
                progress?(index + 1, caseGroups.count)
            }
            outcomes = collected
        }
        for outcome in outcomes {
            switch outcome {
            case .created: report.casesCreated += 1
            case .updated: report.casesUpdated += 1
            case .unchanged: report.unchanged += 1
            }
        }
        return report
    }

    /// Master data: courts and townships by name.
    private func loadReferences(today: CalendarDate) async throws -> CaseImportReferences {
        struct Named: Decodable { let code: String; let name: String }
        let courts = try await database.sql.raw("SELECT code, name FROM courts").all(decoding: Named.self)
        let townships = try await database.sql.raw("SELECT code, name FROM townships").all(decoding: Named.self)
        return CaseImportReferences(
            courtCodes: Dictionary(courts.map { ($0.name, $0.code) }, uniquingKeysWith: { first, _ in first }),
            townshipCodes: Dictionary(townships.map { ($0.name, $0.code) }, uniquingKeysWith: { first, _ in first }),
            today: today)
    }
}

/// Carries a dry run's result out of a transaction that must roll back.
private struct RollBack<Value: Sendable>: Error {
    let value: Value
}

private func rollingBackIf<Value: Sendable>(_ dryRun: Bool, _ body: () async throws -> Value) async throws -> Value {
    do {
        return try await body()
    } catch let rollBack as RollBack<Value> where dryRun {
        return rollBack.value
    }
}

/// Writes one case of an import inside the caller's transaction.
struct CaseImportWriter: Sendable {
    enum Outcome: Sendable { case created, updated, unchanged }

    let actorID: UUID?
    let actorUsername: String?
    let now: Date
    /// How a new case's first history line describes where it came from.
    var createdDetail: @Sendable (_ rows: String) -> String = { "自案件导出表导入（\($0)）" }
    /// Set on a case created here instead of matching 承办人 to a judge by name.
    var judgeID: UUID? = nil

    private struct CaseRow: Decodable {
        let id: String
        let court_code: String
        let filed_on: String
        let closed_on: String?
        let status: String
        let judgment_id: String
        let applicants: String
        let target_fen: Int64
        let imported_performed_fen: Int64
        let judge_name: String?
        let township_code: String?
    }

    func write(_ fields: ImportedCase, rows: [ImportedRow], on db: any SQLDatabase) async throws -> Outcome {
        var changes: [String] = []
        let judgmentID = try await judgment(for: fields, on: db, changes: &changes)
        let township = rows.lazy.compactMap(\.debtor.townshipCode).first
        let applicants = fields.applicants.joined(separator: "、")
        let rowList = rows.map { "第 \($0.row) 行" }.joined(separator: "、")

        let existing = try await db.raw("""
            SELECT id, court_code, filed_on, closed_on, status, judgment_id, applicants, target_fen, imported_performed_fen,
                   judge_name, township_code
            FROM enforcement_cases WHERE case_number = \(bind: fields.caseNumber.canonical)
            """).first(decoding: CaseRow.self)

        let caseID: String
        var outcome: Outcome
        if let existing {
            caseID = existing.id
            func note(_ label: String, _ old: String?, _ new: String?) {
                if old != new { changes.append("\(label)：\(old ?? "（空）") → \(new ?? "（空）")") }
            }
            let oldStatus = CaseStatus(rawValue: existing.status)
            note("执行法院", existing.court_code, fields.courtCode)
            note("立案日期", existing.filed_on, fields.filedOn.description)
            note("案件状态", oldStatus?.chinese ?? existing.status, fields.status.chinese)
            note("结案日期", existing.closed_on, fields.closedOn?.description)
            note("执行依据", existing.judgment_id == judgmentID ? nil : existing.judgment_id, existing.judgment_id == judgmentID ? nil : fields.basisNumber)
            note("申请执行人", existing.applicants, applicants)
            note("执行标的金额", Money(fen: existing.target_fen).plainYuan, fields.target.plainYuan)
            note("已履行金额（导入）", Money(fen: existing.imported_performed_fen).plainYuan, fields.performed.plainYuan)
            note("承办人", existing.judge_name, fields.judgeName)
            if existing.township_code == nil, township != nil { note("所属乡镇", nil, township) }
            let caseChanged = !changes.isEmpty
            if caseChanged {
                try await db.raw("""
                    UPDATE enforcement_cases SET court_code = \(bind: fields.courtCode), filed_on = \(bind: fields.filedOn.description),
                        closed_on = \(bind: fields.closedOn?.description), status = \(bind: fields.status.rawValue),
                        judgment_id = \(bind: judgmentID), applicants = \(bind: applicants), target_fen = \(bind: fields.target.fen),
                        imported_performed_fen = \(bind: fields.performed.fen), judge_name = \(bind: fields.judgeName),
                        judge_id = \(bind: try await judge(named: fields.judgeName, on: db)),
                        township_code = \(bind: existing.township_code ?? township), updated_at = \(bind: now)
                    WHERE id = \(bind: caseID)
                    """).run()
            }
            let debtorChanges = try await linkDebtors(rows, caseID: caseID, on: db)
            changes += debtorChanges
            outcome = changes.isEmpty ? .unchanged : .updated
            if outcome == .updated {
                try await history(caseID: caseID, event: "import_update",
                                  from: oldStatus != fields.status ? existing.status : nil,
                                  to: oldStatus != fields.status ? fields.status.rawValue : nil,
                                  detail: "导入更新（\(rowList)）：" + changes.joined(separator: "；"), on: db)
            }
        } else {
            caseID = UUID().databaseText
            let judgeID: String? = if let given = self.judgeID { given.databaseText } else { try await judge(named: fields.judgeName, on: db) }
            try await db.raw("""
                INSERT INTO enforcement_cases (id, case_number, court_code, filed_on, closed_on, status, judgment_id, applicants,
                    target_fen, imported_performed_fen, judge_name, judge_id, township_code, created_at, updated_at)
                VALUES (\(bind: caseID), \(bind: fields.caseNumber.canonical), \(bind: fields.courtCode), \(bind: fields.filedOn.description),
                    \(bind: fields.closedOn?.description), \(bind: fields.status.rawValue), \(bind: judgmentID), \(bind: applicants),
                    \(bind: fields.target.fen), \(bind: fields.performed.fen), \(bind: fields.judgeName), \(bind: judgeID), \(bind: township),
                    \(bind: now), \(bind: now))
                """).run()
            _ = try await linkDebtors(rows, caseID: caseID, on: db)
            try await history(caseID: caseID, event: "imported", from: nil, to: fields.status.rawValue,
                              detail: createdDetail(rowList), on: db)
            outcome = .created
        }
        return outcome
    }

    /// The judge user whose display name is the export's 承办人, when exactly one judge has it
    /// (exports carry names, not accounts).
    private func judge(named name: String?, on db: any SQLDatabase) async throws -> String? {
        guard let name else { return nil }
        struct Row: Decodable { let id: String }
        let judges = try await db.raw("SELECT id FROM users WHERE role = 'judge' AND display_name = \(bind: name)").all(decoding: Row.self)
        return judges.count == 1 ? judges[0].id : nil
    }

    /// The judgment with this document number, created or brought up to date.
    private func judgment(for fields: ImportedCase, on db: any SQLDatabase, changes: inout [String]) async throws -> String {
        struct Row: Decodable { let id: String; let issued_by: String; let duty: String? }
        if let row = try await db.raw("SELECT id, issued_by, duty FROM judgments WHERE document_number = \(bind: fields.basisNumber)")
            .first(decoding: Row.self) {
            if row.issued_by != fields.basisIssuer || (fields.duty != nil && row.duty != fields.duty) {
                try await db.raw("""
                    UPDATE judgments SET issued_by = \(bind: fields.basisIssuer), duty = \(bind: fields.duty ?? row.duty)
                    WHERE id = \(bind: row.id)
                    """).run()
                changes.append("执行依据（\(fields.basisNumber)）的做出单位或义务已更新")
            }
            return row.id
        }
        let id = UUID().databaseText
        try await db.raw("""
            INSERT INTO judgments (id, document_number, issued_by, duty)
            VALUES (\(bind: id), \(bind: fields.basisNumber), \(bind: fields.basisIssuer), \(bind: fields.duty))
            """).run()
        return id
    }

    /// Creates or updates each row's debtor (found by ID number) and links it to the case;
    /// returns what changed.
    private func linkDebtors(_ rows: [ImportedRow], caseID: String, on db: any SQLDatabase) async throws -> [String] {
        struct DebtorRow: Decodable {
            let id: String
            let kind: String
            let name: String
            let legal_representative: String?
            let address: String?
            let phone: String?
            let township_code: String?
            let is_public_official: Bool
            let employer: String?
        }
        struct Count: Decodable { let n: Int }
        var changes: [String] = []
        for row in rows {
            let debtor = row.debtor
            let idNumber = debtor.identifier.description
            let debtorID: String
            if let existing = try await db.raw("""
                SELECT id, kind, name, legal_representative, address, phone, township_code, is_public_official, employer
                FROM debtors WHERE id_number = \(bind: idNumber)
                """).first(decoding: DebtorRow.self) {
                debtorID = existing.id
                let same = existing.kind == debtor.kind.rawValue && existing.name == debtor.name
                    && existing.legal_representative == debtor.legalRepresentative && existing.address == debtor.address
                    && existing.phone == debtor.phone && existing.township_code == debtor.townshipCode
                    && existing.is_public_official == debtor.isPublicOfficial && existing.employer == debtor.employer
                if !same {
                    try await db.raw("""
                        UPDATE debtors SET kind = \(bind: debtor.kind.rawValue), name = \(bind: debtor.name),
                            legal_representative = \(bind: debtor.legalRepresentative), address = \(bind: debtor.address),
                            phone = \(bind: debtor.phone), township_code = \(bind: debtor.townshipCode),
                            is_public_official = \(bind: debtor.isPublicOfficial), employer = \(bind: debtor.employer),
                            updated_at = \(bind: now)
                        WHERE id = \(bind: debtorID)
                        """).run()
                    changes.append("被执行人 \(debtor.name) 的信息已更新")
                }
            } else {
                debtorID = UUID().databaseText
                try await db.raw("""
                    INSERT INTO debtors (id, kind, name, id_number, id_type, legal_representative, address, phone, township_code,
                        is_public_official, employer, created_at, updated_at)
                    VALUES (\(bind: debtorID), \(bind: debtor.kind.rawValue), \(bind: debtor.name), \(bind: idNumber),
                        \(bind: debtor.identifier.typeName), \(bind: debtor.legalRepresentative), \(bind: debtor.address),
                        \(bind: debtor.phone), \(bind: debtor.townshipCode), \(bind: debtor.isPublicOfficial), \(bind: debtor.employer),
                        \(bind: now), \(bind: now))
                    """).run()
            }
            let linked = try await db.raw("""
                SELECT COUNT(*) AS n FROM case_debtors WHERE case_id = \(bind: caseID) AND debtor_id = \(bind: debtorID)
                """).first(decoding: Count.self)?.n ?? 0
            if linked == 0 {
                let position = try await db.raw("SELECT COUNT(*) AS n FROM case_debtors WHERE case_id = \(bind: caseID)")
                    .first(decoding: Count.self)?.n ?? 0
                try await db.raw("""
                    INSERT INTO case_debtors (case_id, debtor_id, position) VALUES (\(bind: caseID), \(bind: debtorID), \(bind: position))
                    """).run()
                changes.append("新增被执行人 \(debtor.name)")
            }
        }
        return changes
    }

    private func history(caseID: String, event: String, from: String?, to: String?, detail: String, on db: any SQLDatabase) async throws {
        try await db.raw("""
            INSERT INTO case_history (id, case_id, occurred_at, actor_id, actor_username, event, from_status, to_status, detail)
            VALUES (\(bind: UUID().databaseText), \(bind: caseID), \(bind: now), \(bind: actorID?.databaseText), \(bind: actorUsername),
                    \(bind: event), \(bind: from), \(bind: to), \(bind: detail))
            """).run()
    }
}
