import ChuqingDomain
import ChuqingPersistence
import Foundation

/// Imports of the court's case export (shared/formats/case-export.md), from the API, the import
/// page and `chuqing import cases`. A judge imports only their own cases (`CaseImportScope`);
/// the director, a clerk and the command line the court's. A committed import is audited.
public struct ImportService: Sendable {
    let database: Database
    let cases: CaseService
    let now: @Sendable () -> Date

    public init(database: Database, cases: CaseService, now: @escaping @Sendable () -> Date = Date.init) {
        self.database = database
        self.cases = cases
        self.now = now
    }

    /// Imports `file`'s records: checked, written in chunks of `casesPerChunk` cases, reported.
    /// `progress` is told (done, total) after each case. A person's dry run keeps the file, named
    /// `filename`, for `commitChecked` (`report.checkedImportID`).
    public func importCases(
        _ file: CaseExportFile, named filename: String? = nil, options: CaseImportOptions, casesPerChunk: Int = 500,
        progress: (@Sendable (Int, Int) -> Void)? = nil, by actor: ActingUser
    ) async throws -> CaseImportReport {
        var report = try await run(file, options: options, casesPerChunk: casesPerChunk, progress: progress, by: actor)
        if options.dryRun, let user = actor.user {
            report.checkedImportID = try await CheckedImportRepository(database: database).keep(
                file.data, filename: filename ?? "案件导出表", userID: user.id, now: now())
        }
        return report
    }

    /// Commits the export the caller checked (`checkedImportID` of their dry run) without the
    /// file being chosen again; "not found" for someone else's, or one checked over a day ago.
    /// Committed, it is no longer kept; refused whole under all-or-nothing, it stays to be fixed
    /// and checked again.
    public func commitChecked(
        id: UUID, allOrNothing: Bool, by actor: ActingUser
    ) async throws -> (report: CaseImportReport, filename: String) {
        try actor.require(.importCases)
        let user = try actor.requireUser()
        let checked = CheckedImportRepository(database: database)
        guard let kept = try await checked.find(id: id, userID: user.id, now: now()) else {
            throw Refusal(
                .notFound, code: "not_found",
                message: "检查过的文件已不在：文件只保留一天，只能由检查它的人导入，导入后即不再保留；请重新选择文件")
        }
        let report = try await run(
            try CaseExportFile(kept.bytes), options: CaseImportOptions(dryRun: false, allOrNothing: allOrNothing), casesPerChunk: 500,
            progress: nil, by: actor)
        if report.committed { try await checked.remove(id: kept.id) }
        return (report, kept.filename)
    }

    private func run(
        _ file: CaseExportFile, options: CaseImportOptions, casesPerChunk: Int, progress: (@Sendable (Int, Int) -> Void)?,
        by actor: ActingUser
    ) async throws -> CaseImportReport {
        try actor.require(.importCases)
        let instant = now()
        var options = options
        options.scope = actor.user.map(CaseImportScope.of) ?? .courtWide
        var report = try await CaseImporter(database: database, casesPerChunk: casesPerChunk).run(
            file.records, options: options, actorID: actor.user?.id, actorUsername: actor.name, now: instant,
            today: ShanghaiClock.today(instant), progress: progress)
        report.format = file.format
        if report.committed {
            try await AuditLogRepository().append(
                actor.audit(
                    "cases.import", entity: "import", id: nil,
                    detail:
                        "读取 \(report.rowsRead) 行：新增 \(report.casesCreated)，更新 \(report.casesUpdated)，未变 \(report.unchanged)，拒绝 \(report.rowsRejected) 行",
                    at: instant), on: database.sql)
            // Issue 16 item 7: an export that closes a case (执行完毕, 不予执行, 终结执行) or brings
            // what is left to pay to 0 records the deletion triggers of its listed debtors, as a
            // payment or a transition through the API does, dated by the export's 结案日期 or the
            // import day.
            let today = ShanghaiClock.today(instant)
            for touched in report.touched where touched.mayEndListing {
                await cases.recordBlacklistTriggers(caseID: touched.id, on: min(touched.closedOn ?? today, today), by: actor)
            }
        }
        return report
    }
}
