import ChuqingDomain
import ChuqingPersistence
import Foundation

/// Imports of the court's case export (shared/formats/case-export.md), from the API, the import
/// page and `chuqing import cases`. A judge imports only their own cases (`CaseImportScope`);
/// the director, a clerk and the command line the court's. A committed import is audited.
public struct ImportService: Sendable {
    let database: Database
    let now: @Sendable () -> Date

    public init(database: Database, now: @escaping @Sendable () -> Date = Date.init) {
        self.database = database
        self.now = now
    }

    /// Imports `file`'s records: checked, written in chunks of `casesPerChunk` cases, reported.
    /// `progress` is told (done, total) after each case.
    public func importCases(
        _ file: CaseExportFile, options: CaseImportOptions, casesPerChunk: Int = 500,
        progress: (@Sendable (Int, Int) -> Void)? = nil, by actor: ActingUser
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
        }
        return report
    }
}
