import ChuqingDocuments
import ChuqingDomain
import ChuqingPersistence
import ChuqingServices
import Foundation
import Hummingbird

/// The clearance batches: the list, a batch's progress page with its charts, the bulletin and
/// the exports. Every figure comes from `ClearanceRepository.progress`, as in the API.
struct BatchPages {
    let clearance: ClearanceService
    let network: NetworkService
    let pages: PageRenderer
    let documents: DocumentTemplates
    let now: @Sendable () -> Date

    struct ListModel: PageModel {
        struct Row {
            let url: String
            let name: String
            let period: String
            let cleared: String
            let percent: Int
            let status: String
        }
        struct Option {
            let value: String
            let label: String
            let selected: Bool
        }
        let page: PageChrome
        let rows: [Row]
        let canManage: Bool
        let createURL: String
        let courts: [Option]
        let form: [String: String]
    }

    struct BatchModel: PageModel {
        struct Figure {
            let label: String
            let value: String
        }
        struct Row {
            let name: String
            let cases: Int
            let cleared: Int
            let inProgress: Int
            let recovered: String
            /// The row's open cases (issue 16 item 19).
            let openCasesURL: String
            let open: Int
        }
        struct Option {
            let value: String
            let label: String
            let selected: Bool
        }
        let page: PageChrome
        let name: String
        let period: String
        let asOf: String
        let today: String
        let closedOn: String?
        let figures: [Figure]
        let measures: [Figure]
        let burnUp: String
        let townshipChart: String
        let byTeam: [Row]
        let byTownship: [Row]
        /// The township network's leads and visits on the batch's debtors (when there are any).
        let network: [BatchProgress.NetworkBreakdown]
        let hasNetwork: Bool
        let byJudge: [Row]
        let bulletinURL: String
        let bulletinTextURL: String
        let csvURL: String
        let xlsxURL: String
        let selfURL: String
        let manage: Manage?
    }

    /// The director's forms on a batch page.
    struct Manage {
        struct Option {
            let value: String
            let label: String
            let selected: Bool
        }
        let casesURL: String
        let closeURL: String
        let teams: [Option]
        let townships: [Option]
        let form: [String: String]
        let today: String
    }

    func register(on routes: RouteTable) {
        routes.on(.get, SiteURL.batches.pattern, .permitted(.readCases), use: showBatches)
        routes.on(.post, SiteURL.batches.pattern, .permitted(.manageBatches), use: createBatch)
        routes.on(.get, SiteURL.batchDetail(id: "").pattern, .permitted(.readCases), use: showBatch)
        routes.on(.post, SiteURL.batchCases(id: "").pattern, .permitted(.manageBatches), use: addCases)
        routes.on(.post, SiteURL.batchClose(id: "").pattern, .permitted(.manageBatches), use: close)
        routes.on(.get, SiteURL.batchBulletin(id: "").pattern, .permitted(.readCases), use: bulletinHTML)
        routes.on(.get, SiteURL.batchBulletinText(id: "").pattern, .permitted(.readCases), use: bulletinText)
        routes.on(.get, SiteURL.batchExport(id: "", format: "csv").pattern, .permitted(.readCases)) { try await export("csv", $0, $1) }
        routes.on(.get, SiteURL.batchExport(id: "", format: "xlsx").pattern, .permitted(.readCases)) { try await export("xlsx", $0, $1) }
        routes.on(.get, SiteURL.batchOpenCases(id: "").pattern, .permitted(.readCases), use: openCases)
    }

    /// The batch's progress by case as a spreadsheet: `csv` (UTF-8 with a byte-order mark, for
    /// Excel) or `xlsx`.
    func export(_ format: String, _ request: Request, _ context: AppRequestContext) async throws -> Response {
        let batch = try await clearance.batch(id: context.pathID, by: context.acting)
        let asOf = try ClearanceController.asOf(request, default: ShanghaiClock.today(now()))
        let progress = try await clearance.progress(batchID: batch.id, asOf: asOf, by: context.acting)
        return try Self.spreadsheet(Self.exportRows(progress), sheet: "出清进度", filename: "\(batch.name)-\(asOf)", format: format)
    }

    static func openCasesURL(_ batch: UUID, _ group: BatchGroup, key: String, asOf: CalendarDate, format: String? = nil) -> String {
        let key = key.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
        return SiteURL.batchOpenCases(id: batch.databaseText).path + "?by=\(group.rawValue)&key=\(key)&asOf=\(asOf)"
            + (format.map { "&format=\($0)" } ?? "")
    }

    struct OpenCasesModel: PageModel {
        struct Row {
            let url: String
            let caseNumber: String
            let debtors: String
            let judge: String
            let township: String
            let state: String
            let unperformed: String
        }
        let page: PageChrome
        let title: String
        let batchURL: String
        let asOf: String
        let total: Int
        let rows: [Row]
        let csvURL: String
        let xlsxURL: String
        let judgeNote: String?
    }

    /// One row of the batch's breakdown drilled down to its open cases (issue 16 item 19): the
    /// page, or `format=csv|xlsx` for the same list as a spreadsheet.
    @Sendable func openCases(_ request: Request, context: AppRequestContext) async throws -> Response {
        let batch = try await clearance.batch(id: context.pathID, by: context.acting)
        let query = request.uri.queryParameters
        let group: BatchGroup
        let asOf: CalendarDate
        do {
            group = try BatchGroup.parse(query.get("by"))
            asOf = try ClearanceController.asOf(request, default: ShanghaiClock.today(now()))
        } catch let error as DomainError {
            throw APIError(.badRequest, code: error.code, message: error.message, field: error.field)
        }
        let key = query.get("key") ?? ""
        let cases = try await clearance.openCases(batchID: batch.id, group: group, key: key, asOf: asOf, by: context.acting)
        let progress = try await clearance.progress(batchID: batch.id, asOf: asOf, by: context.acting)
        let breakdown: [BatchProgress.Breakdown] =
            switch group {
            case .team: progress.byTeam
            case .township: progress.byTownship
            case .judge: progress.byJudge
            }
        let name = breakdown.first { $0.key == key }?.name ?? (key.isEmpty ? "未定\(group.chinese)" : key)
        let title = "\(batch.name) · \(group.chinese)「\(name)」的未出清案件"
        if let format = query.get("format") {
            guard format == "csv" || format == "xlsx" else {
                throw APIError(.badRequest, code: "unknown_format", message: "format 应为 csv 或 xlsx，收到「\(format)」", field: "format")
            }
            return try Self.spreadsheet(Self.openCaseRows(cases), sheet: "未出清案件", filename: "\(batch.name)-\(name)-\(asOf)", format: format)
        }
        let user = try context.requireSession().user
        return pages.render(
            "batch-cases",
            model: OpenCasesModel(
                page: PageChrome(title: title, context: context, current: .batches, flash: nil), title: title,
                batchURL: SiteURL.batchDetail(id: batch.id.databaseText).path + "?asOf=\(asOf)", asOf: asOf.description,
                total: cases.count,
                rows: cases.map {
                    .init(
                        url: SiteURL.caseDetail(id: $0.summary.id.databaseText).path, caseNumber: $0.summary.caseNumber.canonical,
                        debtors: $0.summary.debtors.map(\.name).joined(separator: "、"), judge: $0.summary.judgeName ?? "未定",
                        township: $0.summary.township ?? "未定", state: $0.inProgress ? "恢复执行中" : "未出清",
                        unperformed: $0.summary.unperformed.formatted)
                },
                csvURL: Self.openCasesURL(batch.id, group, key: key, asOf: asOf, format: "csv"),
                xlsxURL: Self.openCasesURL(batch.id, group, key: key, asOf: asOf, format: "xlsx"),
                judgeNote: user.role == .judge ? "仅列出由您承办的案件" : nil))
    }

    /// The open cases as a table: amounts in 元.
    static func openCaseRows(_ cases: [BatchOpenCase]) -> [[XLSXWriter.Cell]] {
        [["案号", "被执行人", "承办人", "乡镇", "状态", "未履行金额（元）"].map(XLSXWriter.Cell.text)]
            + cases.map {
                [
                    .text($0.summary.caseNumber.canonical), .text($0.summary.debtors.map(\.name).joined(separator: "、")),
                    .text($0.summary.judgeName ?? ""), .text($0.summary.township ?? ""), .text($0.inProgress ? "恢复执行中" : "未出清"),
                    .yuan($0.summary.unperformed.fen),
                ]
            }
    }

    /// A table as a download: CSV (UTF-8 with a byte-order mark, for Excel) or XLSX.
    static func spreadsheet(_ rows: [[XLSXWriter.Cell]], sheet: String, filename: String, format: String) throws -> Response {
        let name = "\(filename).\(format)"
        let encoded = name.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "export.\(format)"
        var headers: HTTPFields = [.contentDisposition: "attachment; filename=\"export.\(format)\"; filename*=UTF-8''\(encoded)"]
        let body: ByteBuffer
        if format == "csv" {
            headers[.contentType] = "text/csv; charset=utf-8"
            body = ByteBuffer(
                string: "\u{FEFF}" + rows.map { $0.map(Self.csvText).joined(separator: ",") }.joined(separator: "\r\n") + "\r\n")
        } else {
            headers[.contentType] = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            body = ByteBuffer(bytes: try XLSXWriter.workbook(sheetName: sheet, rows: rows))
        }
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: body))
    }

    @Sendable func showBatches(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await listPage(context: context, flash: nil)
    }

    /// The new-batch form; the target recovered is in 元 and may be left empty.
    struct NewBatchForm: Decodable {
        @FormText var name: String
        @FormText var courtCode: String
        @FormText var startsOn: String
        @FormText var deadline: String
        @FormText var targetCases: String
        @FormText var targetRecovered: String

        func input() throws(DomainError) -> ClearanceService.NewBatch {
            let targetText = targetCases.trimmed
            guard let target = Int(targetText) else {
                throw DomainError(code: "invalid_target", message: "出清目标案件数须为整数（收到「\(targetText)」）", field: "targetCases")
            }
            let amountText = targetRecovered.trimmed
            return ClearanceService.NewBatch(
                name: name, courtCode: courtCode, startsOn: try CalendarDate.parse(startsOn, field: "startsOn"),
                deadline: try CalendarDate.parse(deadline, field: "deadline"), targetCases: target,
                targetRecovered: amountText.isEmpty ? nil : try Money.parseYuan(amountText, field: "targetRecovered"))
        }
    }

    @Sendable func createBatch(_ request: Request, context: AppRequestContext) async throws -> Response {
        let form = try await request.decode(as: NewBatchForm.self, context: context)
        do {
            let batch = try await clearance.create(try form.input(), by: context.acting)
            return Response(status: .seeOther, headers: [.location: SiteURL.batchDetail(id: batch.id.databaseText).path + "?saved=created"])
        } catch let error as DomainError {
            return try await listPage(
                context: context, flash: PageChrome.error(error), form: context.form, status: APIError(error).status)
        }
    }

    @Sendable func showBatch(_ request: Request, context: AppRequestContext) async throws -> Response {
        let batch = try await clearance.batch(id: context.pathID, by: context.acting)
        let saved = request.uri.queryParameters.get("saved").flatMap { Self.savedMessages[$0] }
        let asOf: CalendarDate
        do {
            asOf = try ClearanceController.asOf(request, default: ShanghaiClock.today(now()))
        } catch let error as APIError {
            return try await batchPage(
                batch, asOf: ShanghaiClock.today(now()), context: context, flash: PageChrome.error(error),
                status: .badRequest)
        }
        return try await batchPage(batch, asOf: asOf, context: context, flash: saved.map(PageChrome.success))
    }

    /// Cases to add: numbers typed (one a line, or separated by commas or 、), a file of them, or
    /// the filter (filed before, township); the team is chosen or left to the debtor.
    struct AddCasesForm: Decodable {
        @FormText var caseNumbers: String
        @FormText var filedBefore: String
        @FormText var township: String
        @FormText var team: String
    }

    /// The close form: the day the batch ended.
    struct CloseForm: Decodable {
        @FormText var on: String
        @Checkbox var confirmed: Bool
    }

    @Sendable func addCases(_ request: Request, context: AppRequestContext) async throws -> Response {
        let batch = try await clearance.batch(id: context.pathID, by: context.acting)
        let form = try await request.decode(as: AddCasesForm.self, context: context)
        do {
            var numbers = form.caseNumbers.split(whereSeparator: { $0.isNewline || $0 == "," || $0 == "，" || $0 == "、" })
                .map(\.trimmed).filter { !$0.isEmpty }
            if let file = context.uploads["file"], !file.data.isEmpty {
                numbers = try Self.caseNumbers(in: file.data)
            }
            var filter = BatchCaseFilter()
            if let text = form.filedBefore.nonEmpty {
                filter.filedBefore = try CalendarDate.parse(text, field: "filedBefore")
            }
            filter.township = form.township.nonEmpty
            let team = try form.team.nonEmpty.map { text throws(DomainError) in try Team.parse(text) }
            let result = try await clearance.addCases(
                batchID: batch.id, numbers.isEmpty ? .filter(filter) : .numbers(numbers), team: team, by: context.acting)
            let message = "已加入 \(result.added) 件" + (result.skipped > 0 ? "；\(result.skipped) 件已在其他未结束批次中，未加入" : "")
            return try await batchPage(batch, asOf: ShanghaiClock.today(now()), context: context, flash: PageChrome.success(message))
        } catch let error as DomainError {
            return try await batchPage(
                batch, asOf: ShanghaiClock.today(now()), context: context, flash: PageChrome.error(error),
                keep: context.form, status: APIError(error).status)
        }
    }

    @Sendable func close(_ request: Request, context: AppRequestContext) async throws -> Response {
        let batch = try await clearance.batch(id: context.pathID, by: context.acting)
        let form = try await request.decode(as: CloseForm.self, context: context)
        do {
            let on = try CalendarDate.parse(form.on, field: "on")
            try Confirmation.require(form.confirmed, "结束批次")
            _ = try await clearance.close(batchID: batch.id, on: on, by: context.acting)
            return Response(status: .seeOther, headers: [.location: SiteURL.batchDetail(id: batch.id.databaseText).path + "?saved=closed"])
        } catch let error as DomainError {
            return try await batchPage(
                batch, asOf: ShanghaiClock.today(now()), context: context, flash: PageChrome.error(error),
                status: APIError(error).status)
        }
    }

    @Sendable func bulletinHTML(_ request: Request, context: AppRequestContext) async throws -> Response {
        let html = try await bulletin(request, context, stylesheet: documents.bulletinHTML)
        return Response(
            status: .ok, headers: [.contentType: "text/html; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    @Sendable func bulletinText(_ request: Request, context: AppRequestContext) async throws -> Response {
        let text = try await bulletin(request, context, stylesheet: documents.bulletinText)
        return Response(
            status: .ok, headers: [.contentType: "text/plain; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    static let savedMessages: [String: String] = ["created": "已新建批次", "closed": "批次已结束"]

    /// The case numbers in the 案号 column of an uploaded table (CSV or XLSX, header first), such
    /// as the case export or a list kept by the court; blank cells are skipped, repeats kept once.
    static func caseNumbers(in data: Data) throws -> [String] {
        let records = try CaseExportFile(data).records
        guard let header = records.first,
            let column = header.fields.firstIndex(where: { $0.trimmed == CaseExportColumn.caseNumber.rawValue })
        else {
            throw DomainError(code: "missing_columns", message: "上传的表格第一行没有「案号」列", field: "file")
        }
        var seen = Set<String>()
        var numbers: [String] = []
        for record in records.dropFirst() where column < record.fields.count {
            let text = record.fields[column].trimmed
            guard !text.isEmpty else { continue }
            let number = try CaseNumber(text, field: "file")
            if seen.insert(number.canonical).inserted { numbers.append(number.canonical) }
        }
        guard !numbers.isEmpty else {
            throw DomainError(code: "no_cases", message: "上传的表格「案号」列是空的", field: "file")
        }
        return numbers
    }

    /// The bulletin document for the batch as of `?asOf=`, validated against its XSD, then
    /// transformed with `stylesheet`.
    private func bulletin(_ request: Request, _ context: AppRequestContext, stylesheet: XSLTStylesheet) async throws -> String {
        let batch = try await clearance.batch(id: context.pathID, by: context.acting)
        let asOf = try ClearanceController.asOf(request, default: ShanghaiClock.today(now()))
        let progress = try await clearance.progress(batchID: batch.id, asOf: asOf, by: context.acting)
        let court = try await clearance.courts(by: context.acting).first { $0.code == batch.courtCode }
        let xml = CampaignBulletin.xml(progress, courtName: court?.name ?? batch.courtCode, courtCode: batch.courtCode)
        try documents.bulletinSchema.validate(xml)
        return try stylesheet.transform(xml)
    }

    /// The breakdowns as a table: one header row, then team, township and judge rows; amounts in
    /// 元 (issue 16 item 17: a person reads 元 with two decimals, never 分).
    static func exportRows(_ progress: BatchProgress) -> [[XLSXWriter.Cell]] {
        let kinds = MeasureKind.allCases
        func measure(_ kind: MeasureKind, _ figure: Int64) -> XLSXWriter.Cell { kind.quantity == .amount ? .yuan(figure) : .number(figure) }
        var rows: [[XLSXWriter.Cell]] = [
            (["分组", "名称", "案件数", "已出清", "恢复执行中", "到位金额（元）"] + kinds.map { "\($0.chinese)（\($0.quantity == .amount ? "元" : $0.unit)）" })
                .map(XLSXWriter.Cell.text)
        ]
        for (group, breakdown) in [("专项组", progress.byTeam), ("乡镇", progress.byTownship), ("承办人", progress.byJudge)] {
            for row in breakdown {
                rows.append(
                    [
                        .text(group), .text(row.name), .number(Int64(row.cases)), .number(Int64(row.clearedCases)),
                        .number(Int64(row.inProgressCases)), .yuan(row.recoveredFen),
                    ] + kinds.map { measure($0, Int64(row.measures[$0.rawValue] ?? 0)) })
            }
        }
        rows.append(
            [
                .text("合计"), .text(progress.batchName), .number(Int64(progress.totalCases)), .number(Int64(progress.clearedCases)),
                .number(Int64(progress.inProgressCases)), .yuan(progress.recoveredFen),
            ] + kinds.map { measure($0, Int64(progress.measures[$0.rawValue] ?? 0)) })
        return rows
    }

    /// A cell as CSV writes it: amounts as 元 with two decimals (`41237687.00`).
    static func csvText(_ cell: XLSXWriter.Cell) -> String {
        switch cell {
        case .text(let text): csvField(text)
        case .number(let value): String(value)
        case .yuan(let fen): Money(fen: fen).plainYuan
        }
    }

    /// RFC 4180, and a leading `=`, `+`, `-` or `@` quoted with an apostrophe so that a spreadsheet
    /// does not run a name as a formula.
    static func csvField(_ text: String) -> String {
        var value = text
        if let first = value.first, "=+-@".contains(first), Int64(value) == nil { value = "'" + value }
        if value.contains(where: { $0 == "," || $0 == "\"" || $0.isNewline }) {
            return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return value
    }

    private func listPage(
        context: AppRequestContext, flash: PageChrome.Flash?, form: [String: String] = [:],
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let user = try context.requireSession().user
        let today = ShanghaiClock.today(now())
        var rows: [ListModel.Row] = []
        for batch in try await clearance.batches(by: context.acting) {
            let progress = try await clearance.progress(batchID: batch.id, asOf: min(today, batch.closedOn ?? today), by: context.acting)
            let cleared = progress.clearedCases
            rows.append(
                .init(
                    url: SiteURL.batchDetail(id: batch.id.databaseText).path, name: batch.name,
                    period: "\(batch.startsOn) 至 \(batch.deadline)",
                    cleared: "\(cleared) / \(batch.targetCases)", percent: min(100, cleared * 100 / max(1, batch.targetCases)),
                    status: batch.closedOn.map { "已于 \($0) 结束" } ?? "进行中，剩余 \(max(0, batch.deadline.dayNumber - today.dayNumber)) 天"))
        }
        // code descending, as the form has always listed them
        let courts = try await clearance.courts(by: context.acting).reversed()
        return pages.render(
            "batches",
            model: ListModel(
                page: PageChrome(title: "出清批次", context: context, current: .batches, flash: flash), rows: rows,
                canManage: user.may(.manageBatches), createURL: SiteURL.batches.path,
                courts: courts.map {
                    .init(value: $0.code, label: "\($0.name)（\($0.code)）", selected: (form["courtCode"] ?? "赣0732") == $0.code)
                },
                form: form.filter { $0.key != CSRFMiddleware.fieldName }), status: status)
    }

    private func batchPage(
        _ batch: ClearanceBatch, asOf: CalendarDate, context: AppRequestContext, flash: PageChrome.Flash?,
        keep form: [String: String] = [:], status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let user = try context.requireSession().user
        let progress = try await clearance.progress(batchID: batch.id, asOf: asOf, by: context.acting)
        func rows(_ breakdown: [BatchProgress.Breakdown], _ group: BatchGroup) -> [BatchModel.Row] {
            breakdown.map {
                .init(
                    name: $0.name, cases: $0.cases, cleared: $0.clearedCases, inProgress: $0.inProgressCases,
                    recovered: Money(fen: $0.recoveredFen).formatted,
                    openCasesURL: Self.openCasesURL(batch.id, group, key: $0.key, asOf: asOf), open: $0.cases - $0.clearedCases)
            }
        }
        var figures: [BatchModel.Figure] = [
            .init(label: "已出清 / 目标", value: "\(progress.clearedCases) / \(progress.targetCases) 件"),
            .init(label: "恢复执行中", value: "\(progress.inProgressCases) 件"),
            .init(label: "批次内案件", value: "\(progress.totalCases) 件"),
            .init(label: "到位金额", value: Money(fen: progress.recoveredFen).formatted),
            .init(label: "剩余天数", value: batch.closedOn.map { "已于 \($0) 结束" } ?? "\(progress.daysLeft) 天（截止 \(batch.deadline)）"),
        ]
        if let target = progress.targetRecoveredFen {
            figures.insert(.init(label: "到位金额目标", value: Money(fen: target).formatted), at: 4)
        }
        if progress.teams.officialsPushed > 0 {
            figures.append(
                .init(
                    label: "涉公职人员", value: "推送 \(progress.teams.officialsPushed) 人，逾期移送纪委监委 \(progress.teams.officialsEscalated) 人"))
        }
        if progress.teams.settlementsMade > 0 {
            figures.append(
                .init(label: "执行和解", value: "和解 \(progress.teams.settlementsMade) 件，履行中 \(progress.teams.settlementsRunning) 件"))
        }
        if progress.totalCases == 0 { figures.append(.init(label: "提示", value: "批次中还没有案件")) }
        let measures = MeasureKind.allCases.map { kind -> BatchModel.Figure in
            let total = progress.measures[kind.rawValue] ?? 0
            return .init(label: kind.chinese, value: kind == .fine ? Money(fen: total).formatted : "\(total) \(kind.unit)")
        }
        let asOfQuery = "?asOf=\(asOf)"
        let townships = try await network.allTownships(by: context.acting)
        let manage: Manage? =
            user.may(.manageBatches) && batch.isOpen
            ? Manage(
                casesURL: SiteURL.batchCases(id: batch.id.databaseText).path, closeURL: SiteURL.batchClose(id: batch.id.databaseText).path,
                teams: [.init(value: "", label: "按被执行人自动（公职人员入涉公职人员案件组）", selected: (form["team"] ?? "").isEmpty)]
                    + Team.allCases.map { .init(value: $0.rawValue, label: $0.chinese, selected: form["team"] == $0.rawValue) },
                townships: [.init(value: "", label: "全部乡镇", selected: (form["township"] ?? "").isEmpty)]
                    + townships.map { .init(value: $0.code, label: $0.name, selected: form["township"] == $0.code) },
                form: form.filter { $0.key != CSRFMiddleware.fieldName }, today: ShanghaiClock.today(now()).description) : nil
        return pages.render(
            "batch",
            model: BatchModel(
                page: PageChrome(title: batch.name, context: context, current: .batches, flash: flash),
                name: batch.name, period: "\(batch.startsOn) 至 \(batch.deadline)", asOf: asOf.description,
                today: ShanghaiClock.today(now()).description, closedOn: batch.closedOn?.description,
                figures: figures, measures: measures, burnUp: Charts.burnUp(progress),
                townshipChart: Charts.byTownship(progress.byTownship),
                byTeam: rows(progress.byTeam, .team), byTownship: rows(progress.byTownship, .township),
                network: progress.network, hasNetwork: !progress.network.isEmpty, byJudge: rows(progress.byJudge, .judge),
                bulletinURL: SiteURL.batchBulletin(id: batch.id.databaseText).path + asOfQuery,
                bulletinTextURL: SiteURL.batchBulletinText(id: batch.id.databaseText).path + asOfQuery,
                csvURL: SiteURL.batchExport(id: batch.id.databaseText, format: "csv").path + asOfQuery,
                xlsxURL: SiteURL.batchExport(id: batch.id.databaseText, format: "xlsx").path + asOfQuery,
                selfURL: SiteURL.batchDetail(id: batch.id.databaseText).path, manage: manage), status: status)
    }
}
