import ChuqingDocuments
import ChuqingDomain
import ChuqingPersistence
import ChuqingServices
import Foundation
import Hummingbird

/// A case's asset look-ups (`/cases/{id}/lookups`: the list and the form to start one); one
/// look-up (`/lookups/{id}`), which reloads itself every two seconds while categories are still
/// being answered, so they fill in without any script, and where the director approves, the judge
/// records measures on findings and that the applicant was told; the applicant's notice
/// (`/lookups/{id}/notice`); and the log auditors and the director search (`/lookups`).
struct LookupPages {
    let cases: CaseService
    let lookups: AssetLookupService
    let notices: NoticeRendering
    let clearance: ClearanceService
    let pages: PageRenderer
    let now: @Sendable () -> Date

    struct Option {
        let value: String
        let label: String
        let checked: Bool
    }
    struct Row {
        let url: String
        let debtor: String
        let status: String
        let statusClass: String
        let when: String
        let by: String
        let progress: String
    }

    struct CaseLookupsModel: PageModel {
        let page: PageChrome
        let caseNumber: String
        let caseURL: String
        let formURL: String?
        let approvalNote: String?
        let debtors: [Option]
        let categories: [Option]
        let legalBasis: String
        let lookups: [Row]
    }

    struct MeasureRow {
        let kind: String
        let on: String
        let documentNumber: String
        let amount: String?
    }
    struct FindingRow {
        let id: String
        let kind: String
        let description: String
        let identifier: String?
        let value: String?
        let holder: String?
        let measures: [MeasureRow]
        let measureURL: String?
        let measureKinds: [Option]
    }
    struct CategoryRow {
        let name: String
        let status: String
        let statusClass: String
        let attempts: Int
        let reason: String?
        let digest: String?
        let source: String?
        let findings: [FindingRow]
        let nothing: Bool
        let retryURL: String?
    }

    struct LookupModel: PageModel {
        var page: PageChrome
        let caseNumber: String
        let caseURL: String
        let debtor: String
        let legalBasis: String
        let status: String
        let statusClass: String
        let requested: String
        let approved: String?
        let refusalReason: String?
        let finished: String?
        let categories: [CategoryRow]
        let summary: String
        let approveURL: String?
        let refuseURL: String?
        let noticeURL: String?
        let told: String?
        let toldURL: String?
        let today: String
    }

    struct LogRow {
        let url: String
        let caseNumber: String
        let debtor: String
        let idNumber: String
        let basis: String
        let purpose: String
        let status: String
        let statusClass: String
        let requested: String
        let by: String
        let approvedBy: String
        let result: String
        let told: String
    }

    struct LogModel: PageModel {
        let page: PageChrome
        let query: [String: String]
        let statuses: [Option]
        let purposes: [Option]
        let rows: [LogRow]
        let nextURL: String?
        let awaitingURL: String
    }

    static let defaultBasis = "《最高人民法院关于民事执行中财产调查若干问题的规定》第十二条"

    func register(on routes: RouteTable) {
        routes.on(.get, SiteURL.caseLookups(id: "").pattern, .permitted(.readLookups), use: showCaseLookups)
        routes.on(.post, SiteURL.caseLookups(id: "").pattern, .permitted(.startLookups), use: startLookup)
        routes.on(.get, SiteURL.lookupLog.pattern, .permitted(.auditLookups), use: showLog)
        routes.on(.get, SiteURL.lookupsDue.pattern, .permitted(.startLookups), use: showDue)
        routes.on(.get, SiteURL.lookup(id: "").pattern, .permitted(.readLookups), use: showLookup)
        routes.on(.post, SiteURL.lookupRetry(id: "", code: "").pattern, .permitted(.startLookups), use: retryCategory)
        routes.on(.post, SiteURL.lookupApprove(id: "").pattern, .permitted(.approveLookups), use: approve)
        routes.on(.post, SiteURL.lookupRefuse(id: "").pattern, .permitted(.approveLookups), use: refuse)
        routes.on(.post, SiteURL.lookupTold(id: "").pattern, .permitted(.startLookups), use: recordApplicantTold)
        routes.on(.post, SiteURL.findingMeasures(lookup: "", finding: "").pattern, .permitted(.startLookups), use: recordFindingMeasure)
        routes.on(.get, SiteURL.lookupNotice(id: "").pattern, .permitted(.readLookups), use: applicantNotice)
    }

    @Sendable func showCaseLookups(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await caseLookupsPage(
            try await cases.visibleCase(id: context.pathID, by: context.acting), context: context, flash: nil)
    }

    /// Every look-up due (issue 16 item 19: the home page shows five), 50 a page, the most
    /// overdue first.
    struct DueModel: PageModel {
        struct Row {
            let url: String
            let caseNumber: String
            let debtorName: String
            let judge: String
            let dueOn: String
            let lastLookup: String
            let nothingFound: Int
        }
        let page: PageChrome
        let total: Int
        let rows: [Row]
        let pageNumber: Int
        let pageCount: Int
        let previousURL: String?
        let nextURL: String?
    }

    @Sendable func showDue(_ request: Request, context: AppRequestContext) async throws -> Response {
        let due = try await lookups.due(by: context.acting)
        let size = 50
        let pageCount = max(1, (due.count + size - 1) / size)
        let number = min(pageCount, max(1, request.uri.queryParameters.get("page").flatMap { Int($0) } ?? 1))
        func url(_ page: Int) -> String { SiteURL.lookupsDue.path + (page > 1 ? "?page=\(page)" : "") }
        return pages.render(
            "lookups-due",
            model: DueModel(
                page: PageChrome(title: "到期的定期财产查询", context: context, current: .home, flash: nil), total: due.count,
                rows: due.dropFirst((number - 1) * size).prefix(size).map {
                    .init(
                        url: SiteURL.caseLookups(id: $0.caseID.databaseText).path, caseNumber: $0.caseNumber, debtorName: $0.debtorName,
                        judge: $0.judgeName ?? "—", dueOn: $0.dueOn.description, lastLookup: $0.lastLookupOn?.description ?? "终本后未查询",
                        nothingFound: $0.lookupsFindingNothing)
                },
                pageNumber: number, pageCount: pageCount, previousURL: number > 1 ? url(number - 1) : nil,
                nextURL: number < pageCount ? url(number + 1) : nil))
    }

    @Sendable func startLookup(_ request: Request, context: AppRequestContext) async throws -> Response {
        let detail = try await cases.visibleCase(id: context.pathID, by: context.acting)
        let form = try await request.decode(as: StartForm.self, context: context)
        do {
            // One checkbox a category, named category.<code>: the catalogue says which names exist.
            let chosen = try await lookups.catalogue(by: context.acting).map(\.code).filter { context.form["category.\($0)"] == "on" }
            guard !chosen.isEmpty else {
                throw DomainError(code: "no_categories", message: "请至少选择一个数据类别", field: "categories")
            }
            // The form offers the case's debtors as choices; anything else chose none of them.
            guard let debtorID = UUID(uuidString: form.debtorId) else {
                throw DomainError(code: "no_debtor", message: "请选择要查询的被执行人（本案的被执行人之一）", field: "debtorId")
            }
            try Confirmation.require(form.confirmed, "发起查询")
            let lookup = try await lookups.start(
                caseID: detail.summary.id, debtorID: debtorID, categories: chosen, legalBasis: form.legalBasis,
                by: context.acting)
            return Response(status: .seeOther, headers: [.location: SiteURL.lookup(id: lookup.id.databaseText).path])
        } catch let error as DomainError {
            return try await caseLookupsPage(
                detail, context: context, flash: PageChrome.error(error), keep: context.form, status: APIError(error).status)
        }
    }

    /// The look-up form: whose assets, on what legal basis (the categories are checkboxes).
    struct StartForm: Decodable {
        @FormText var debtorId: String
        @FormText var legalBasis: String
        @Checkbox var confirmed: Bool
    }

    /// The director's refusal, with why.
    struct RefusalForm: Decodable {
        @FormText var reason: String
    }

    /// When and how the applicant was told the result.
    struct ToldForm: Decodable {
        @FormText var on: String
        @FormText var how: String
    }

    @Sendable func showLog(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await logPage(request, context: context)
    }

    @Sendable func showLookup(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await lookupPage(try await lookups.lookup(id: context.pathID, by: context.acting), context: context)
    }

    @Sendable func retryCategory(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await acting(context) { lookup in
            _ = try await lookups.retry(lookupID: lookup.id, category: context.parameters.get("code"), by: context.acting)
        }
    }

    @Sendable func approve(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await acting(context) { lookup in _ = try await lookups.approve(lookupID: lookup.id, by: context.acting) }
    }

    @Sendable func refuse(_ request: Request, context: AppRequestContext) async throws -> Response {
        let form = try await request.decode(as: RefusalForm.self, context: context)
        return try await acting(context) { lookup in
            _ = try await lookups.refuse(lookupID: lookup.id, reason: form.reason, by: context.acting)
        }
    }

    @Sendable func recordApplicantTold(_ request: Request, context: AppRequestContext) async throws -> Response {
        let form = try await request.decode(as: ToldForm.self, context: context)
        return try await acting(context) { lookup in
            _ = try await lookups.recordTold(
                lookupID: lookup.id, on: try CalendarDate.parse(form.on, field: "on"), how: form.how, by: context.acting)
        }
    }

    @Sendable func recordFindingMeasure(_ request: Request, context: AppRequestContext) async throws -> Response {
        // the case page's measure form, without the quantity field: a finding is frozen, sealed or deducted
        let form = try await request.decode(as: CasePages.MeasureForm.self, context: context)
        return try await acting(context) { lookup in
            let findingID = try context.pathUUID("finding")
            guard lookup.categories.contains(where: { $0.findings.contains { $0.id == findingID } }) else { throw APIError.notFound }
            _ = try await clearance.recordMeasure(
                try form.input(), caseID: lookup.caseID, findingID: findingID, by: context.acting)
        }
    }

    @Sendable func applicantNotice(_ request: Request, context: AppRequestContext) async throws -> Response {
        let html = try notices.lookupNotice(
            try await lookups.noticeContent(lookupID: context.pathID, by: context.acting), format: .html)
        return Response(
            status: .ok, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    /// Does `change` to the `:id` look-up and goes back to its page; a broken rule shows the page
    /// again with the message, the look-up unchanged.
    private func acting(_ context: AppRequestContext, _ change: (StoredLookup) async throws -> Void) async throws -> Response {
        let lookup = try await lookups.lookup(id: context.pathID, by: context.acting)
        do {
            try await change(lookup)
            return Self.back(to: lookup)
        } catch let error as DomainError {
            return try await lookupPage(lookup, context: context, flash: PageChrome.error(error), status: APIError(error).status)
        }
    }

    private static func back(to lookup: StoredLookup) -> Response {
        Response(status: .seeOther, headers: [.location: SiteURL.lookup(id: lookup.id.databaseText).path])
    }

    private func caseLookupsPage(
        _ detail: CaseDetail, context: AppRequestContext, flash: PageChrome.Flash?, keep form: [String: String] = [:],
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let user = try context.requireSession().user
        let catalogue = try await self.lookups.catalogue(by: context.acting).filter(\.isEnabled)
        let lookups = try await self.lookups.lookups(caseID: detail.summary.id, by: context.acting)
        return pages.render(
            "lookups",
            model: CaseLookupsModel(
                page: PageChrome(title: "\(detail.summary.caseNumber) 财产查询", context: context, current: .cases, flash: flash),
                caseNumber: detail.summary.caseNumber.canonical, caseURL: SiteURL.caseDetail(id: detail.summary.id.databaseText).path,
                formURL: user.may(.startLookups) ? SiteURL.caseLookups(id: detail.summary.id.databaseText).path : nil,
                approvalNote: self.lookups.approval == .director && user.role == .judge ? "本院的财产查询须经院领导批准：提交后待批准，批准后才开始查询。" : nil,
                debtors: detail.summary.debtors.map {
                    .init(value: $0.id.databaseText, label: $0.name, checked: $0.id.databaseText == form["debtorId"])
                },
                categories: catalogue.map {
                    .init(
                        value: $0.code, label: "\($0.name)（\($0.channel.chinese)）",
                        checked: form.isEmpty || form["category.\($0.code)"] == "on")
                },
                legalBasis: form["legalBasis"] ?? Self.defaultBasis,
                lookups: lookups.map { item in
                    Row(
                        url: SiteURL.lookup(id: item.id.databaseText).path, debtor: item.debtorName, status: item.status.chinese,
                        statusClass: item.status.rawValue,
                        when: Display.time(item.requestedAt), by: item.requestedBy ?? (item.purpose == .periodic ? "定期查询" : "系统"),
                        progress: "\(item.answered)/\(item.categories) 类已答复，发现 \(item.findings) 项"
                            + (item.status != .completed ? "" : item.applicantToldOn.map { "，\($0) 已告知申请执行人" } ?? "，尚未告知申请执行人"))
                }), status: status)
    }

    private func lookupPage(
        _ lookup: StoredLookup, context: AppRequestContext, flash: PageChrome.Flash? = nil,
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let user = try context.requireSession().user
        let state = lookup.status
        var page = PageChrome(title: "财产查询 · \(lookup.debtorName)", context: context, current: .cases, flash: flash)
        if state == .running { page.refreshSeconds = 2 }
        let canAct = user.may(.startLookups)
        // Measures are taken while the case is enforced (执行中 or 终本), like any measure.
        let caseOpen =
            canAct
            ? [.inEnforcement, .terminatedThisRound].contains(
                try await cases.visibleCase(id: lookup.caseID, by: context.acting).summary.status)
            : false
        let form = context.form
        let findings = lookup.categories.reduce(0) { $0 + $1.findings.count }
        let ended = lookup.categories.filter(\.status.isFinal).count
        let awaiting = state == .awaitingApproval && user.role == .director
        return pages.render(
            "lookup",
            model: LookupModel(
                page: page, caseNumber: lookup.caseNumber, caseURL: SiteURL.caseDetail(id: lookup.caseID.databaseText).path,
                debtor: lookup.debtorName,
                legalBasis: lookup.legalBasis, status: lookup.status.chinese, statusClass: lookup.status.rawValue,
                requested: "\(Display.time(lookup.requestedAt)) \(lookup.requestedBy ?? (lookup.purpose == .periodic ? "定期查询" : "系统"))",
                approved: lookup.approvedBy.map { name in "\(lookup.approvedAt.map(Display.time) ?? "") \(name)" },
                refusalReason: lookup.refusalReason,
                finished: state == .refused ? nil : lookup.finishedAt.map(Display.time),
                categories: lookup.categories.map { category in
                    let status = category.status
                    return CategoryRow(
                        name: category.name, status: category.status.chinese, statusClass: category.status.rawValue,
                        attempts: category.attempts,
                        reason: category.reason, digest: category.digest.map { String($0.prefix(12)) }, source: category.source,
                        findings: category.findings.map { finding in
                            let allowed = FindingMeasures.allowed(for: finding.kind)
                            return FindingRow(
                                id: finding.id.databaseText, kind: finding.kind.chinese, description: finding.description,
                                identifier: finding.identifier, value: finding.value?.formatted, holder: finding.holder,
                                measures: finding.measures.map {
                                    MeasureRow(
                                        kind: $0.kind.chinese, on: $0.on.description, documentNumber: $0.documentNumber,
                                        amount: $0.amount?.formatted)
                                },
                                measureURL: caseOpen && !allowed.isEmpty
                                    ? SiteURL.findingMeasures(lookup: lookup.id.databaseText, finding: finding.id.databaseText).path : nil,
                                measureKinds: allowed.map {
                                    .init(
                                        value: $0.rawValue, label: $0 == .vehicleSeizure ? "扣押" : $0.chinese,
                                        checked: form["kind"] == $0.rawValue)
                                })
                        },
                        nothing: status == .answered && category.findings.isEmpty,
                        retryURL: canAct && (status == .failed || status == .timedOut)
                            ? SiteURL.lookupRetry(id: lookup.id.databaseText, code: category.code).path : nil)
                },
                summary: state == .refused || state == .awaitingApproval
                    ? "尚未查询" : "\(ended)/\(lookup.categories.count) 类已结束，发现财产线索 \(findings) 项",
                approveURL: awaiting ? SiteURL.lookupApprove(id: lookup.id.databaseText).path : nil,
                refuseURL: awaiting ? SiteURL.lookupRefuse(id: lookup.id.databaseText).path : nil,
                noticeURL: state == .completed ? SiteURL.lookupNotice(id: lookup.id.databaseText).path : nil,
                told: lookup.applicantTold.map { "\($0.on) \($0.how)\($0.by.map { "（\($0)）" } ?? "")" },
                toldURL: state == .completed && lookup.applicantTold == nil && canAct
                    ? SiteURL.lookupTold(id: lookup.id.databaseText).path : nil,
                today: ShanghaiClock.today(now()).description), status: status)
    }

    private func logPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        let query = Dictionary(
            request.uri.queryParameters.map { (String($0.key), String($0.value)) }, uniquingKeysWith: { first, _ in first })
        var flash: PageChrome.Flash?
        var page: (items: [LookupLogEntry], nextCursor: String?) = ([], nil)
        do {
            let filter = try AssetLookupController.logFilter { query[$0] }
            page = try await lookups.log(filter, limit: 50, after: query["cursor"].flatMap { $0.isEmpty ? nil : $0 }, by: context.acting)
        } catch let error as APIError {
            flash = PageChrome.error(error)
        } catch let error as DomainError {
            flash = PageChrome.error(error)
        }
        var next: String?
        if let cursor = page.nextCursor {
            var components = URLComponents()
            components.queryItems =
                query.filter { $0.key != "cursor" }.sorted { $0.key < $1.key }.map { URLQueryItem(name: $0.key, value: $0.value) }
                + [URLQueryItem(name: "cursor", value: cursor)]
            next = SiteURL.lookupLog.path + "?" + (components.percentEncodedQuery ?? "")
        }
        return pages.render(
            "lookup-log",
            model: LogModel(
                page: PageChrome(title: "财产查询日志", context: context, current: .lookupLog, flash: flash),
                query: query,
                statuses: [Option(value: "", label: "全部", checked: query["status"] == nil)]
                    + AssetLookup.Status.allCases.map {
                        Option(value: $0.rawValue, label: $0.chinese, checked: query["status"] == $0.rawValue)
                    },
                purposes: [
                    Option(value: "", label: "全部", checked: query["purpose"] == nil),
                    Option(value: "manual", label: "人工发起", checked: query["purpose"] == "manual"),
                    Option(value: "periodic", label: "定期查询", checked: query["purpose"] == "periodic"),
                ],
                rows: page.items.map { entry in
                    LogRow(
                        url: SiteURL.lookup(id: entry.id.databaseText).path, caseNumber: entry.caseNumber, debtor: entry.debtorName,
                        idNumber: entry.debtorIdNumber,
                        basis: entry.legalBasis, purpose: entry.purpose == .periodic ? "定期查询" : "人工发起",
                        status: entry.status.chinese, statusClass: entry.status.rawValue,
                        requested: Display.time(entry.requestedAt), by: entry.requestedBy ?? "定期查询（命令行）",
                        approvedBy: entry.approvedBy ?? "—",
                        result: "\(entry.answered)/\(entry.categories) 类答复，失败 \(entry.failed)，超时 \(entry.timedOut)，发现 \(entry.findings) 项",
                        told: entry.applicantToldOn?.description ?? (entry.status == .completed ? "未告知" : "—"))
                },
                nextURL: next, awaitingURL: SiteURL.lookupLog.path + "?status=awaitingApproval"))
    }
}
