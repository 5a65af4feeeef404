import ChuqingDomain
import Foundation
import SQLKit

/// What an import did, as the API and the command line report it.
public struct CaseImportReport: Sendable, Equatable {
    public var rowsRead = 0
    public var casesCreated = 0
    public var casesUpdated = 0
    public var unchanged = 0
    public var rowsRejected = 0
    public var rejections: [ImportRejection] = []
    public var warnings: [String] = []
    /// False for a dry run, or an all-or-nothing import that had rejections: nothing was written.
    public var committed = true
    /// How the file was read: "XLSX", or a CSV's encoding ("UTF-8", "GB18030（GBK）", …).
    public var format: String?
    /// The cases the import created or changed, in file order (a dry run's would-be ones too).
    public var touched: [TouchedCase] = []
    /// A dry run's file as kept for its checker to commit without choosing it again (issue 16
    /// item 18); nil when nothing was kept (a commit, or the command line, which has the file).
    public var checkedImportID: UUID?

    public init() {}
}

/// A case an import created or changed.
public struct TouchedCase: Sendable, Equatable {
    public let id: UUID
    public let caseNumber: String
    public let wasCreated: Bool
    /// An update that closed the case or changed what it says was performed: a deletion trigger
    /// of the debtors' list entries may follow (法释〔2017〕7号 art. 10 (1), (6), (7)), dated `closedOn`.
    public let mayEndListing: Bool
    public let closedOn: CalendarDate?
    /// The export's 承办人 when it names no judge of Chuqing (no such account, or two of that
    /// name): the case has no judge assigned until someone assigns one.
    public let unmatchedJudge: String?

    public init(
        id: UUID, caseNumber: String, wasCreated: Bool, mayEndListing: Bool, closedOn: CalendarDate?, unmatchedJudge: String? = nil
    ) {
        self.id = id
        self.caseNumber = caseNumber
        self.wasCreated = wasCreated
        self.mayEndListing = mayEndListing
        self.closedOn = closedOn
        self.unmatchedJudge = unmatchedJudge
    }
}

/// How to import.
public struct CaseImportOptions: Sendable {
    /// Check and count everything, write nothing.
    public var dryRun = false
    /// Write nothing unless every row is valid.
    public var allOrNothing = false
    /// Whose cases the import may create and change.
    public var scope: CaseImportScope = .courtWide

    public init(dryRun: Bool = false, allOrNothing: Bool = false, scope: CaseImportScope = .courtWide) {
        self.dryRun = dryRun
        self.allOrNothing = allOrNothing
        self.scope = scope
    }
}

/// Whose cases an import may touch: a judge works on the cases assigned to them, and an export
/// must not be a way round that (a judge who cannot open another judge's case cannot rewrite it
/// by importing a row of it either).
public enum CaseImportScope: Sendable, Equatable {
    /// The director, the clerk, the command line: every case of the court.
    case courtWide
    /// A judge: creates cases only for themselves (a blank 承办人 means them) and updates only
    /// the cases assigned to them.
    case judge(id: UUID, displayName: String)

    /// The scope of `user`'s imports: a judge's own cases; the court's for everyone else.
    public static func of(_ user: User) -> CaseImportScope {
        user.role == .judge ? .judge(id: user.id, displayName: user.displayName) : .courtWide
    }
}

/// Imports a court's case export (shared/formats/case-export.md).
///
/// Idempotent by case number: a case is created once; a later export of it updates what changed and
/// records the change in its history; the same file twice changes nothing. Each case is written in
/// a transaction with the other cases of its chunk (`casesPerChunk`), so an import killed half-way
/// leaves no half-written case and can simply be run again.
public struct CaseImporter: Sendable {
    let database: Database

    /// Cases written per transaction: large enough that round trips stop dominating, small enough
    /// that a chunk's `IN (…)` lists and multi-row INSERTs stay far below the bound-parameter limits.
    let casesPerChunk: Int

    public init(database: Database, casesPerChunk: Int = 500) {
        self.database = database
        self.casesPerChunk = max(1, casesPerChunk)
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
        let width = headerRecord.fields.count
        for record in records.dropFirst() {
            report.rowsRead += 1
            if record.fields.count > width, let extra = record.fields[width...].first(where: { !$0.trimmed.isEmpty }) {
                // A shifted row (a comma typed into a field): its values would land under the
                // wrong columns, so it is refused, with one line, not one per field.
                report.rejections.append(
                    ImportRejection(
                        row: record.row, column: "第 \(width + 1) 列起", value: String(extra.prefix(40)),
                        reason: "此行有 \(record.fields.count) 个字段，多于列名行的 \(width) 列，可能是某个值中含有未加引号的逗号；此行未导入"))
                rejectedRows.insert(record.row)
                continue
            }
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
                            report.rejections.append(
                                ImportRejection(
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

        let writer = CaseImportWriter(actorID: actorID, actorUsername: actorUsername, now: now, scope: options.scope)
        let dryRun = options.dryRun
        let chunks = stride(from: 0, to: groups.count, by: casesPerChunk).map {
            Array(groups[$0..<min(groups.count, $0 + casesPerChunk)])
        }
        let total = groups.count
        let outcomes: [CaseImportWriter.Outcome]
        if options.allOrNothing {
            // One transaction for the whole file; a row the writer refuses (scope, identity) rolls
            // it all back.
            outcomes = try await rollingBackIf(true) {
                try await database.transaction { db in
                    var outcomes: [CaseImportWriter.Outcome] = []
                    for chunk in chunks {
                        outcomes += try await writer.write(chunk, on: db)
                        progress?(outcomes.count, total)
                    }
                    if dryRun || outcomes.contains(where: { !$0.rejections.isEmpty }) { throw RollBack(value: outcomes) }
                    return outcomes
                }
            }
        } else {
            // One transaction per chunk: a killed import leaves whole cases only, and the next run
            // finds the written ones unchanged.
            var collected: [CaseImportWriter.Outcome] = []
            for chunk in chunks {
                collected += try await rollingBackIf(dryRun) {
                    try await database.transaction { db in
                        let outcomes = try await writer.write(chunk, on: db)
                        if dryRun { throw RollBack(value: outcomes) }
                        return outcomes
                    }
                }
                progress?(collected.count, total)
            }
            outcomes = collected
        }
        for outcome in outcomes {
            if let touched = outcome.touched { report.touched.append(touched) }
            switch outcome.kind {
            case .created: report.casesCreated += 1
            case .updated: report.casesUpdated += 1
            case .unchanged: report.unchanged += 1
            case .rejected: break
            }
            report.rejections += outcome.rejections
            rejectedRows.formUnion(outcome.rejections.map(\.row))
        }
        report.rowsRejected = rejectedRows.count
        // Issue 16 item 18: a 承办人 that names no judge leaves the case without one; say so.
        let unmatched = Dictionary(grouping: report.touched.filter { $0.unmatchedJudge != nil }, by: { $0.unmatchedJudge! })
        for (name, cases) in unmatched.sorted(by: { $0.key < $1.key }) {
            let numbers = cases.prefix(3).map(\.caseNumber).joined(separator: "、") + (cases.count > 3 ? " 等 \(cases.count) 件" : "")
            report.warnings.append(
                "承办人「\(name)」与系统中的承办法官账号对不上（没有这个显示名，或有同名的两人）：\(numbers)已导入，但未指派承办法官，"
                    + "请由执行局长在案件页指派，或先建好该法官的账号再导入")
        }
        if options.allOrNothing && !report.rejections.isEmpty {
            report.casesCreated = 0
            report.casesUpdated = 0
            report.unchanged = 0
            report.committed = false
            report.warnings.append("因存在被拒绝的行，按「全部或全不」方式未导入任何案件")
        }
        return report
    }

    /// Master data: the courts and the townships.
    private func loadReferences(today: CalendarDate) async throws -> CaseImportReferences {
        CaseImportReferences(
            courts: try await CourtRepository(database: database).all(),
            townships: TownshipDirectory(try await TownshipRepository().all(on: database.sql)), today: today)
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

/// Writes cases of an import inside the caller's transaction, a chunk of cases at a time.
///
/// Set-based, because an import is dominated by round trips, not by work: a chunk reads the
/// existing cases, judgments, debtors and links it touches with one `IN (…)` query each, works out
/// in memory what each case changes — in file order, exactly as writing the cases one by one would —
/// and then writes new rows with multi-row INSERTs and changed rows with one UPDATE each.
/// docs/performance.md has the figures.
struct CaseImportWriter: Sendable {
    /// What became of one case of the file, and the rows of it that were refused.
    struct Outcome: Sendable, Equatable {
        enum Kind: Sendable, Equatable { case created, updated, unchanged, rejected }
        var kind: Kind
        var rejections: [ImportRejection] = []
        var touched: TouchedCase? = nil
    }
    typealias Group = (first: ImportedCase, rows: [ImportedRow])

    let actorID: UUID?
    let actorUsername: String?
    let now: Date
    var scope: CaseImportScope = .courtWide
    /// How a new case's first history line describes where it came from.
    var createdDetail: @Sendable (_ rows: String) -> String = { "自案件导出表导入（\($0)）" }
    /// Set on a case created here instead of matching 承办人 to a judge by name.
    var judgeID: UUID? = nil

    func write(_ fields: ImportedCase, rows: [ImportedRow], on db: any SQLDatabase) async throws -> Outcome {
        try await write([(fields, rows)], on: db)[0]
    }

    private struct CaseRow: Decodable {
        let id: String
        let case_number: String
        let court_code: String
        let filed_on: String
        let closed_on: String?
        let status: String
        let judgment_id: String
        let applicants: String
        let target_fen: Int64
        let imported_performed_fen: Int64
        let judge_name: String?
        let judge_id: String?
        let township_code: String?
    }

    private struct JudgmentState: Decodable {
        let id: String
        let document_number: String
        var issued_by: String
        var duty: String?
    }

    private struct DebtorState: Decodable {
        let id: String
        var kind: String
        var name: String
        let id_number: String
        let id_type: String
        var legal_representative: String?
        var address: String?
        var phone: String?
        var township_code: String?
        var is_public_official: Bool
        var employer: String?

        init(id: String, _ debtor: ImportedDebtor) {
            self.id = id
            kind = debtor.kind.rawValue
            name = debtor.name
            id_number = debtor.identifier.description
            id_type = debtor.identifier.typeName
            legal_representative = debtor.legalRepresentative
            address = debtor.address
            phone = debtor.phone
            township_code = debtor.townshipCode
            is_public_official = debtor.isPublicOfficial
            employer = debtor.employer
        }

        func sameDetails(as other: Self) -> Bool {
            kind == other.kind && PersonName.same(name, other.name) && legal_representative == other.legal_representative
                && address == other.address && phone == other.phone && township_code == other.township_code
                && is_public_official == other.is_public_official && employer == other.employer
        }
    }

    private struct Link: Decodable {
        let case_id: String
        let debtor_id: String
    }
    private struct Judge: Decodable {
        let id: String
        let display_name: String
    }

    /// What a chunk will write, worked out in memory.
    private struct Plan {
        var judgments: [String: JudgmentState] = [:]
        var newJudgments: [String] = []
        var isNewJudgment = Set<String>()
        var changedJudgments = Set<String>()
        var debtors: [String: DebtorState] = [:]
        var newDebtors: [String] = []
        var isNewDebtor = Set<String>()
        var changedDebtors = Set<String>()
        var links: [String: [String]] = [:]
        var newLinks: [(caseID: String, debtorID: String, position: Int)] = []
        var newCases: [[any Encodable & Sendable]] = []
        var caseUpdates: [SQLQueryString] = []
        var history: [[any Encodable & Sendable]] = []
        /// Case numbers each debtor is linked to by this chunk, for naming them in a refusal.
        var casesOfDebtor: [String: [String]] = [:]
    }

    /// Writes `groups` (one per case, case numbers distinct) and returns each one's outcome, in order.
    func write(_ groups: [Group], on db: any SQLDatabase) async throws -> [Outcome] {
        guard !groups.isEmpty else { return [] }
        var plan = Plan()

        let caseNumbers = groups.map { $0.first.caseNumber.canonical as any Encodable & Sendable }
        let existingCases = try await db.raw(
            """
            SELECT id, case_number, court_code, filed_on, closed_on, status, judgment_id, applicants, target_fen,
                   imported_performed_fen, judge_name, judge_id, township_code
            FROM enforcement_cases WHERE case_number IN (\(binds: caseNumbers))
            """
        ).all(decoding: CaseRow.self)
        let casesByNumber = Dictionary(existingCases.map { ($0.case_number, $0) }, uniquingKeysWith: { first, _ in first })

        let documentNumbers = Array(Set(groups.map(\.first.basisNumber))).map { $0 as any Encodable & Sendable }
        for judgment in try await db.raw(
            """
            SELECT id, document_number, issued_by, duty FROM judgments WHERE document_number IN (\(binds: documentNumbers))
            """
        ).all(decoding: JudgmentState.self) {
            plan.judgments[judgment.document_number] = judgment
        }

        let idNumbers = Array(Set(groups.flatMap { $0.rows.map(\.debtor.identifier.description) })).map { $0 as any Encodable & Sendable }
        for debtor in try await db.raw(
            """
            SELECT id, kind, name, id_number, id_type, legal_representative, address, phone, township_code, is_public_official, employer
            FROM debtors WHERE id_number IN (\(binds: idNumbers))
            """
        ).all(decoding: DebtorState.self) {
            plan.debtors[debtor.id_number] = debtor
        }

        if !existingCases.isEmpty {
            let caseIDs = existingCases.map { $0.id as any Encodable & Sendable }
            for link in try await db.raw(
                """
                SELECT case_id, debtor_id FROM case_debtors WHERE case_id IN (\(binds: caseIDs)) ORDER BY case_id, position
                """
            ).all(decoding: Link.self) {
                plan.links[link.case_id, default: []].append(link.debtor_id)
            }
        }

        // Exports carry the judge's name, not an account: a name matches when exactly one judge has it.
        var judgesByName: [String: [String]] = [:]
        for judge in try await db.raw("SELECT id, display_name FROM users WHERE role = 'judge'").all(decoding: Judge.self) {
            judgesByName[judge.display_name, default: []].append(judge.id)
        }
        func judge(named name: String?) -> String? {
            guard let name, let ids = judgesByName[name], ids.count == 1 else { return nil }
            return ids[0]
        }

        var outcomes: [Outcome] = []
        outcomes.reserveCapacity(groups.count)
        var identityConflicts: [(outcome: Int, rejection: Int, debtorID: String)] = []
        let storedDebtorIDs = Set(plan.debtors.values.map(\.id))
        for (fields, rows) in groups {
            let existing = casesByNumber[fields.caseNumber.canonical]
            if let refusal = scopeRefusal(fields, existing: existing) {
                outcomes.append(
                    Outcome(
                        kind: .rejected,
                        rejections: rows.map {
                            ImportRejection(
                                row: $0.row, column: CaseExportColumn.judge.rawValue, value: fields.judgeName ?? "", reason: refusal)
                        }))
                continue
            }
            // One ID number is one person: a row that gives a held number another name is refused
            // (a typo in the export), never merged into the other person's record.
            var kept: [ImportedRow] = []
            var rejections: [ImportRejection] = []
            for row in rows {
                let number = row.debtor.identifier.description
                if let held = plan.debtors[number], !PersonName.same(held.name, row.debtor.name) {
                    if storedDebtorIDs.contains(held.id) { identityConflicts.append((outcomes.count, rejections.count, held.id)) }
                    rejections.append(
                        ImportRejection(
                            row: row.row, column: CaseExportColumn.idNumber.rawValue, value: number,
                            reason: Self.identityReason(
                                number: number, heldBy: held.name, cases: plan.casesOfDebtor[held.id] ?? [],
                                given: row.debtor.name, caseNumber: fields.caseNumber.canonical)))
                } else {
                    kept.append(row)
                }
            }
            guard !kept.isEmpty else {
                outcomes.append(Outcome(kind: .rejected, rejections: rejections))
                continue
            }
            let (kind, caseID) = self.plan(fields, rows: kept, existing: existing, judge: judge(named:), into: &plan)
            var touched: TouchedCase? = nil
            if kind == .created || kind == .updated, let id = UUID(uuidString: caseID) {
                let closes = [CaseStatus.fullyEnforced, .refused, .terminated].contains(fields.status)
                let performedChanged = existing.map { $0.imported_performed_fen != fields.performed.fen } ?? false
                let statusChanged = existing.map { $0.status != fields.status.rawValue } ?? false
                touched = TouchedCase(
                    id: id, caseNumber: fields.caseNumber.canonical, wasCreated: kind == .created,
                    mayEndListing: kind == .updated && (performedChanged || (statusChanged && closes)),
                    closedOn: closes ? fields.closedOn : nil,
                    unmatchedJudge: scope == .courtWide ? fields.judgeName.flatMap { judge(named: $0) == nil ? $0 : nil } : nil)
            }
            outcomes.append(Outcome(kind: kind, rejections: rejections, touched: touched))
        }
        if !identityConflicts.isEmpty {
            // Name the stored person's cases too, so the clerk can tell which record is right.
            let ids = Array(Set(identityConflicts.map(\.debtorID))).map { $0 as any Encodable & Sendable }
            struct Held: Decodable {
                let debtor_id: String
                let case_number: String
            }
            var stored: [String: [String]] = [:]
            for row in try await db.raw(
                """
                SELECT cd.debtor_id, c.case_number FROM case_debtors cd JOIN enforcement_cases c ON c.id = cd.case_id
                WHERE cd.debtor_id IN (\(binds: ids)) ORDER BY c.case_number
                """
            ).all(decoding: Held.self) {
                stored[row.debtor_id, default: []].append(row.case_number)
            }
            for conflict in identityConflicts {
                let old = outcomes[conflict.outcome].rejections[conflict.rejection]
                let held = plan.debtors[old.value]!
                let given = groups[conflict.outcome].rows.first { $0.row == old.row }!
                var cases = stored[conflict.debtorID] ?? []
                for number in plan.casesOfDebtor[conflict.debtorID] ?? [] where !cases.contains(number) { cases.append(number) }
                outcomes[conflict.outcome].rejections[conflict.rejection] = ImportRejection(
                    row: old.row, column: old.column, value: old.value,
                    reason: Self.identityReason(
                        number: old.value, heldBy: held.name, cases: cases, given: given.debtor.name,
                        caseNumber: groups[conflict.outcome].first.caseNumber.canonical))
            }
        }

        try await insert(
            into: "judgments", columns: ["id", "document_number", "issued_by", "duty"],
            rows: plan.newJudgments.map { number in
                let judgment = plan.judgments[number]!
                return [judgment.id, judgment.document_number, judgment.issued_by, judgment.duty]
            }, on: db)
        for number in plan.changedJudgments.sorted() {
            let judgment = plan.judgments[number]!
            try await db.raw(
                """
                UPDATE judgments SET issued_by = \(bind: judgment.issued_by), duty = \(bind: judgment.duty) WHERE id = \(bind: judgment.id)
                """
            ).run()
        }
        try await insert(
            into: "debtors",
            columns: [
                "id", "kind", "name", "id_number", "id_type", "legal_representative", "address", "phone", "township_code",
                "is_public_official", "employer", "created_at", "updated_at",
            ],
            rows: plan.newDebtors.map { number in
                let debtor = plan.debtors[number]!
                return [
                    debtor.id, debtor.kind, debtor.name, debtor.id_number, debtor.id_type, debtor.legal_representative,
                    debtor.address, debtor.phone, debtor.township_code, debtor.is_public_official, debtor.employer, now, now,
                ]
            }, on: db)
        for number in plan.changedDebtors.sorted() {
            let debtor = plan.debtors[number]!
            try await db.raw(
                """
                UPDATE debtors SET kind = \(bind: debtor.kind), name = \(bind: debtor.name),
                    legal_representative = \(bind: debtor.legal_representative), address = \(bind: debtor.address),
                    phone = \(bind: debtor.phone), township_code = \(bind: debtor.township_code),
                    is_public_official = \(bind: debtor.is_public_official), employer = \(bind: debtor.employer),
                    updated_at = \(bind: now)
                WHERE id = \(bind: debtor.id)
                """
            ).run()
        }
        try await insert(
            into: "enforcement_cases",
            columns: [
                "id", "case_number", "court_code", "filed_on", "closed_on", "status", "judgment_id", "applicants",
                "target_fen", "imported_performed_fen", "judge_name", "judge_id", "township_code", "created_at", "updated_at",
            ], rows: plan.newCases, on: db)
        for update in plan.caseUpdates {
            try await db.raw(update).run()
        }
        try await insert(
            into: "case_debtors", columns: ["case_id", "debtor_id", "position"],
            rows: plan.newLinks.map { [$0.caseID, $0.debtorID, $0.position] }, on: db)
        try await insert(
            into: "case_history",
            columns: [
                "id", "case_id", "occurred_at", "actor_id", "actor_username", "event", "from_status", "to_status", "detail",
            ], rows: plan.history, on: db)
        return outcomes
    }

    /// Why this import may not write this case, or nil when it may.
    private func scopeRefusal(_ fields: ImportedCase, existing: CaseRow?) -> String? {
        guard case .judge(let id, let displayName) = scope else { return nil }
        if let existing, existing.judge_id != id.databaseText {
            return "案件 \(fields.caseNumber.canonical) 不是您承办的案件：承办法官只能导入本人承办的案件；其他案件请由执行局长或书记员导入"
        }
        if let name = fields.judgeName, !PersonName.same(name, displayName) {
            return "承办人为「\(name)」，不是您（\(displayName)）：承办法官只能导入由本人承办的案件（承办人写本人姓名或留空）；为其他法官导入请由执行局长或书记员操作"
        }
        return nil
    }

    static func identityReason(number: String, heldBy held: String, cases: [String], given: String, caseNumber: String) -> String {
        let listed =
            cases.isEmpty ? "" : "（案号 " + cases.prefix(5).joined(separator: "、") + (cases.count > 5 ? " 等 \(cases.count) 件" : "") + "）"
        return "证件号码 \(number) 已属于被执行人「\(held)」\(listed)，此行（案号 \(caseNumber)）却写作「\(given)」："
            + "同一证件号码只能是同一人，此行未导入；请核对导出表中的证件号码或姓名后重新导入"
    }

    /// Works out what one case changes, against the state the cases before it in the chunk left.
    private func plan(
        _ fields: ImportedCase, rows: [ImportedRow], existing: CaseRow?,
        judge judgeOf: (String?) -> String?, into plan: inout Plan
    ) -> (Outcome.Kind, caseID: String) {
        var changes: [String] = []
        // A judge's import keeps every case it writes with that judge (scopeRefusal has checked).
        var judgeName = fields.judgeName
        if case .judge(_, let displayName) = scope { judgeName = judgeName ?? displayName }
        func judge(_ name: String?) -> String? {
            if case .judge(let id, _) = scope { return id.databaseText }
            return judgeOf(name)
        }
        let judgmentID = self.judgment(for: fields, plan: &plan, changes: &changes)
        let township = rows.lazy.compactMap(\.debtor.townshipCode).first
        let applicants = fields.applicants.joined(separator: "、")
        let rowList = rows.map { "第 \($0.row) 行" }.joined(separator: "、")

        guard let existing else {
            let caseID = UUID().databaseText
            let judgeID: String? = if let given = self.judgeID { given.databaseText } else { judge(judgeName) }
            plan.newCases.append([
                caseID, fields.caseNumber.canonical, fields.courtCode, fields.filedOn.description, fields.closedOn?.description,
                fields.status.rawValue, judgmentID, applicants, fields.target.fen, fields.performed.fen, judgeName,
                judgeID, township, now, now,
            ])
            _ = linkDebtors(rows, caseID: caseID, caseNumber: fields.caseNumber.canonical, plan: &plan)
            plan.history.append(
                historyRow(
                    caseID: caseID, event: "imported", from: nil, to: fields.status.rawValue,
                    detail: createdDetail(rowList)))
            return (.created, caseID)
        }

        func note(_ label: String, _ old: String?, _ new: String?) {
            if old != new { changes.append("\(label)：\(old ?? "（空）") → \(new ?? "（空）")") }
        }
        let oldStatus = CaseStatus(rawValue: existing.status)
        let judgmentChanged = existing.judgment_id != judgmentID
        note("执行法院", existing.court_code, fields.courtCode)
        note("立案日期", existing.filed_on, fields.filedOn.description)
        note("案件状态", oldStatus?.chinese ?? existing.status, fields.status.chinese)
        note("结案日期", existing.closed_on, fields.closedOn?.description)
        note("执行依据", judgmentChanged ? existing.judgment_id : nil, judgmentChanged ? fields.basisNumber : nil)
        note("申请执行人", existing.applicants, applicants)
        note("执行标的金额", Money(fen: existing.target_fen).plainYuan, fields.target.plainYuan)
        note("已履行金额（导入）", Money(fen: existing.imported_performed_fen).plainYuan, fields.performed.plainYuan)
        note("承办人", existing.judge_name, judgeName)
        if existing.township_code == nil, township != nil { note("所属乡镇", nil, township) }
        if !changes.isEmpty {
            plan.caseUpdates.append(
                """
                UPDATE enforcement_cases SET court_code = \(bind: fields.courtCode), filed_on = \(bind: fields.filedOn.description),
                    closed_on = \(bind: fields.closedOn?.description), status = \(bind: fields.status.rawValue),
                    judgment_id = \(bind: judgmentID), applicants = \(bind: applicants), target_fen = \(bind: fields.target.fen),
                    imported_performed_fen = \(bind: fields.performed.fen), judge_name = \(bind: judgeName),
                    judge_id = \(bind: judge(judgeName)),
                    township_code = \(bind: existing.township_code ?? township), updated_at = \(bind: now)
                WHERE id = \(bind: existing.id)
                """)
        }
        changes += linkDebtors(rows, caseID: existing.id, caseNumber: existing.case_number, plan: &plan)
        guard !changes.isEmpty else { return (.unchanged, existing.id) }
        let statusChanged = oldStatus != fields.status
        plan.history.append(
            historyRow(
                caseID: existing.id, event: "import_update",
                from: statusChanged ? existing.status : nil,
                to: statusChanged ? fields.status.rawValue : nil,
                detail: "导入更新（\(rowList)）：" + changes.joined(separator: "；")))
        return (.updated, existing.id)
    }

    /// The judgment with this document number, created or brought up to date.
    private func judgment(for fields: ImportedCase, plan: inout Plan, changes: inout [String]) -> String {
        if var judgment = plan.judgments[fields.basisNumber] {
            if judgment.issued_by != fields.basisIssuer || (fields.duty != nil && judgment.duty != fields.duty) {
                judgment.issued_by = fields.basisIssuer
                judgment.duty = fields.duty ?? judgment.duty
                plan.judgments[fields.basisNumber] = judgment
                if !plan.isNewJudgment.contains(fields.basisNumber) { plan.changedJudgments.insert(fields.basisNumber) }
                changes.append("执行依据（\(fields.basisNumber)）的做出单位或义务已更新")
            }
            return judgment.id
        }
        let judgment = JudgmentState(
            id: UUID().databaseText, document_number: fields.basisNumber,
            issued_by: fields.basisIssuer, duty: fields.duty)
        plan.judgments[fields.basisNumber] = judgment
        plan.newJudgments.append(fields.basisNumber)
        plan.isNewJudgment.insert(fields.basisNumber)
        return judgment.id
    }

    /// Creates or updates each row's debtor (found by ID number) and links it to the case;
    /// returns what changed.
    private func linkDebtors(_ rows: [ImportedRow], caseID: String, caseNumber: String, plan: inout Plan) -> [String] {
        var changes: [String] = []
        for row in rows {
            let number = row.debtor.identifier.description
            let debtor: DebtorState
            if let existing = plan.debtors[number] {
                let updated = DebtorState(id: existing.id, row.debtor)
                if !updated.sameDetails(as: existing) {
                    plan.debtors[number] = updated
                    if !plan.isNewDebtor.contains(number) { plan.changedDebtors.insert(number) }
                    changes.append("被执行人 \(row.debtor.name) 的信息已更新")
                }
                debtor = updated
            } else {
                debtor = DebtorState(id: UUID().databaseText, row.debtor)
                plan.debtors[number] = debtor
                plan.newDebtors.append(number)
                plan.isNewDebtor.insert(number)
            }
            if plan.casesOfDebtor[debtor.id]?.contains(caseNumber) != true { plan.casesOfDebtor[debtor.id, default: []].append(caseNumber) }
            var linked = plan.links[caseID] ?? []
            if !linked.contains(debtor.id) {
                plan.newLinks.append((caseID, debtor.id, linked.count))
                linked.append(debtor.id)
                plan.links[caseID] = linked
                changes.append("新增被执行人 \(row.debtor.name)")
            }
        }
        return changes
    }

    private func historyRow(caseID: String, event: String, from: String?, to: String?, detail: String) -> [any Encodable & Sendable] {
        [UUID().databaseText, caseID, now, actorID?.databaseText, actorUsername, event, from, to, detail]
    }

    private func insert(into table: String, columns: [String], rows: [[any Encodable & Sendable]], on db: any SQLDatabase) async throws {
        try await MultiRowInsert.run(into: table, columns: columns, rows: rows, on: db)
    }
}
