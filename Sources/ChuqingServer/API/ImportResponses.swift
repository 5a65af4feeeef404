import ChuqingDomain
import ChuqingPersistence

/// What an import of the case export did (`POST /api/v1/imports/cases`): the counts, every
/// rejected row's problems with what is accepted, and how the file was read.
struct ImportReportResponse: Encodable {
    struct Rejection: Encodable {
        let row: Int
        let column: String
        let value: String
        let reason: String
    }

    let rowsRead: Int
    let casesCreated: Int
    let casesUpdated: Int
    let unchanged: Int
    let rowsRejected: Int
    let rejections: [Rejection]
    let warnings: [String]
    /// False for a dry run, or an all-or-nothing import that had rejections: nothing was written.
    let committed: Bool
    let format: String?
    /// The cases created or changed, in file order.
    let cases: [Touched]
    /// A dry run's file, kept a day for `POST /api/v1/imports/cases/checked/{id}` (commit it
    /// without sending it again).
    let checkedImportId: String?

    struct Touched: Encodable {
        let id: String
        let caseNumber: String
        let created: Bool
    }

    init(_ report: CaseImportReport) {
        rowsRead = report.rowsRead
        checkedImportId = report.checkedImportID?.databaseText
        casesCreated = report.casesCreated
        casesUpdated = report.casesUpdated
        unchanged = report.unchanged
        rowsRejected = report.rowsRejected
        rejections = report.rejections.map { Rejection(row: $0.row, column: $0.column, value: $0.value, reason: $0.reason) }
        warnings = report.warnings
        committed = report.committed
        format = report.format
        cases = report.touched.map { Touched(id: $0.id.databaseText, caseNumber: $0.caseNumber, created: $0.wasCreated) }
    }
}
