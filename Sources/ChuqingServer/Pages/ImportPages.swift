import ChuqingDomain
import ChuqingPersistence
import ChuqingServices
import Foundation
import Hummingbird

/// The import page: a director or judge uploads a court's case export (CSV or XLSX) and reads the
/// report: counts, and each rejected row with its column, value and reason
/// (shared/formats/case-export.md).
struct ImportPages {
    let imports: ImportService
    let pages: PageRenderer

    struct Model: PageModel {
        struct Report {
            let title: String
            let format: String
            let rowsRead: Int
            let casesCreated: Int
            let casesUpdated: Int
            let unchanged: Int
            let rowsRejected: Int
            let rejections: [ImportRejection]
            let warnings: [String]
            /// Stored, not computed: Mustache reads a model through `Mirror`, which sees stored properties only.
            let hasRejections: Bool
            /// The cases the import created or changed, linked (the first 100; `moreTouched` the rest).
            let touched: [TouchedLink]
            let hasTouched: Bool
            let moreTouched: Int
            /// A dry run's file, kept to commit as checked: the form's action.
            let commitURL: String?
            let filename: String
        }
        struct TouchedLink {
            let url: String?
            let caseNumber: String
            let what: String
        }
        let page: PageChrome
        let actionURL: String
        let casesURL: String
        let dryRun: Bool
        let allOrNothing: Bool
        let scopeNote: String
        let report: Report?
    }

    func register(on routes: RouteTable) {
        routes.on(.get, SiteURL.caseImport.pattern, .permitted(.importCases), use: importPage)
        routes.on(.post, SiteURL.caseImport.pattern, .permitted(.importCases), use: importCases)
        routes.on(.post, SiteURL.caseImport.path + "/checked/:id", .permitted(.importCases), use: commitChecked)
    }

    /// Commits the file a dry run checked, without choosing it again.
    @Sendable func commitChecked(_ request: Request, context: AppRequestContext) async throws -> Response {
        let choices = try await request.decode(as: OptionsForm.self, context: context)
        do {
            let (report, filename) = try await imports.commitChecked(
                id: context.pathID, allOrNothing: choices.allOrNothing, by: context.acting)
            return reportPage(context, report, filename: filename, options: .init(dryRun: false, allOrNothing: choices.allOrNothing))
        } catch let error as DomainError {
            return render(
                context: context, flash: PageChrome.error(error), form: context.form, report: nil,
                status: .unprocessableContent)
        } catch let refusal as Refusal where refusal.reason == .notFound {
            return render(context: context, flash: PageChrome.error(refusal.message), form: context.form, report: nil, status: .notFound)
        }
    }

    @Sendable func importPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        render(context: context, flash: nil, form: [:], report: nil)
    }

    /// The import's two options (the file is an upload).
    struct OptionsForm: Decodable {
        @Checkbox var dryRun: Bool
        @Checkbox var allOrNothing: Bool
    }

    @Sendable func importCases(_ request: Request, context: AppRequestContext) async throws -> Response {
        let form = context.form
        guard let file = context.uploads["file"], !file.data.isEmpty else {
            return render(
                context: context, flash: PageChrome.error("请选择要导入的案件导出表（CSV 或 XLSX 文件）"), form: form,
                report: nil, status: .unprocessableContent)
        }
        let choices = try await request.decode(as: OptionsForm.self, context: context)
        let options = CaseImportOptions(dryRun: choices.dryRun, allOrNothing: choices.allOrNothing)
        do {
            let filename = file.filename ?? "文件"
            let report = try await imports.importCases(
                try CaseExportFile(file.data), named: filename, options: options, by: context.acting)
            return reportPage(context, report, filename: filename, options: options)
        } catch let error as DomainError {
            return render(
                context: context, flash: PageChrome.error(error), form: form, report: nil,
                status: .unprocessableContent)
        }
    }

    /// The report of an import or a check, with the form that commits a checked file.
    private func reportPage(
        _ context: AppRequestContext, _ report: CaseImportReport, filename: String, options: CaseImportOptions
    ) -> Response {
        let title: String
        let flash: PageChrome.Flash
        if options.dryRun {
            title = "检查结果（未写入）"
            flash = PageChrome.success("已检查「\(filename)」，未写入任何案件；核对无误后可直接按下方按钮导入，无需重新选择文件")
        } else if !report.committed {
            title = "导入结果（未写入）"
            flash = PageChrome.error("有 \(report.rowsRejected) 行被拒绝；按「全部或全不」方式，未导入任何案件")
        } else {
            title = "导入结果"
            flash =
                report.rowsRejected == 0
                ? PageChrome.success("已导入「\(filename)」")
                : PageChrome.error("已导入「\(filename)」的有效行；\(report.rowsRejected) 行被拒绝，见下表")
        }
        return render(
            context: context, flash: flash, form: options.allOrNothing ? ["allOrNothing": "on"] : [:],
            report: Model.Report(
                title: title, format: report.format ?? "", rowsRead: report.rowsRead, casesCreated: report.casesCreated,
                casesUpdated: report.casesUpdated,
                unchanged: report.unchanged, rowsRejected: report.rowsRejected, rejections: report.rejections,
                warnings: report.warnings, hasRejections: !report.rejections.isEmpty,
                touched: report.touched.prefix(100).map {
                    // a dry run's new cases do not exist: no link
                    .init(
                        url: report.committed || !$0.wasCreated ? SiteURL.caseDetail(id: $0.id.databaseText).path : nil,
                        caseNumber: $0.caseNumber, what: $0.wasCreated ? "新增" : "更新")
                },
                hasTouched: !report.touched.isEmpty, moreTouched: max(0, report.touched.count - 100),
                commitURL: report.checkedImportID.map { SiteURL.caseImport.path + "/checked/\($0.databaseText)" }, filename: filename))
    }

    private func render(
        context: AppRequestContext, flash: PageChrome.Flash?, form: [String: String], report: Model.Report?,
        status: HTTPResponse.Status = .ok
    ) -> Response {
        pages.render(
            "import",
            model: Model(
                page: PageChrome(title: "导入案件", context: context, current: .caseImport, flash: flash),
                actionURL: SiteURL.caseImport.path, casesURL: SiteURL.cases.path,
                dryRun: form["dryRun"] != nil, allOrNothing: form["allOrNothing"] != nil,
                scopeNote: Self.scopeNote(context.user), report: report), status: status)
    }

    /// What this user's import may touch, said before they choose a file.
    static func scopeNote(_ user: User?) -> String {
        guard let user, case .judge(_, let name) = CaseImportScope.of(user) else { return "" }
        return "您以承办法官身份导入：只能新增和更新由您承办的案件（「承办人」一栏写「\(name)」或留空）；其他法官的案件请由执行局长或书记员导入。"
    }
}
