import ChuqingDomain
import ChuqingPersistence
import ChuqingServices
import Foundation
import Hummingbird

/// The case search and the case page with its payment, measure, transition and resumption forms.
struct CasePages {
    let pages: PageRenderer
    let now: @Sendable () -> Date
    let cases: CaseService
    let clearance: ClearanceService
    let network: NetworkService
    let settlements: SettlementService

    struct CaseRow {
        let url: String
        let caseNumber: String
        let debtors: String
        let filedOn: String
        let status: String
        let target: String
        let unperformed: String
        let judge: String
        let township: String

        init(_ summary: CaseSummary) {
            url = SiteURL.caseDetail(id: summary.id.databaseText).path
            caseNumber = summary.caseNumber.canonical
            debtors = summary.debtors.map(\.name).joined(separator: "、")
            filedOn = summary.filedOn.description
            status = summary.status.chinese
            target = summary.target.formatted
            unperformed = summary.unperformed.formatted
            judge = summary.judgeName ?? ""
            township = summary.township ?? ""
        }
    }

    struct SearchModel: PageModel {
        struct Option {
            let value: String
            let label: String
            let selected: Bool
        }
        let page: PageChrome
        let query: [String: String]
        let statuses: [Option]
        let townships: [Option]
        let rows: [CaseRow]
        let nextURL: String?
        let previousURL: String?
        let count: Int
        /// 共 N 件 over every page; the page number and how many pages.
        let total: Int
        let pageNumber: Int
        let pageCount: Int
        /// For a judge: the list shows their own cases only.
        let scopeNote: String?
    }

    struct CaseModel: PageModel {
        struct DebtorRow {
            let url: String
            let name: String
            let kind: String
            let idNumber: String
            let township: String
            let official: String
        }
        struct PaymentRow {
            let receivedOn: String
            let amount: String
            let method: String
            let note: String
            let isReversed: Bool
            /// The reversal form's address, for those who may change the case, while not reversed.
            let reversalURL: String?
        }
        struct HistoryRow {
            let time: String
            let on: String
            let actor: String
            let text: String
        }
        let page: PageChrome
        let caseNumber: String
        let court: String
        let status: String
        let filedOn: String
        let closedOn: String
        let judge: String
        let township: String
        let applicants: String
        let basis: String
        let issuer: String
        let duty: String
        let target: String
        let performed: String
        let unperformed: String
        let performance: String
        let resumedFromURL: String?
        let resumedFrom: String?
        let resumedAsURL: String?
        let resumedAs: String?
        let debtors: [DebtorRow]
        let payments: [PaymentRow]
        let history: [HistoryRow]
        let measures: [MeasureRow]
        /// The forms, for the director and the case's judge.
        let actions: Actions?
        /// The case's asset look-ups, for those who may read them.
        let lookupsURL: String?
        /// The case's settlements, and the form to record one.
        let settlement: SettlementSection
    }

    /// 执行和解 on the case page (issue 18 item 4): the settlements made, the running one's 中止,
    /// and the form for a case in enforcement without one.
    struct SettlementSection {
        let rows: [SettlementPages.Row]
        let hasRows: Bool
        let canSettle: Bool
        let settleURL: String
        let filings: [Actions.Option]
    }

    struct MeasureRow {
        let on: String
        let kind: String
        let figure: String
        let document: String
        let judge: String
        /// The person and act of a fine, detention or summons, and any 复议.
        let subject: String
    }

    /// The payment, transition and resumption forms of a case page, with what was typed when a
    /// submission was refused.
    struct Actions {
        struct Option {
            let value: String
            let label: String
            let selected: Bool
        }
        let paymentURL: String
        let measureURL: String
        let measureKinds: [Option]
        /// The case's debtors, for the person a fine or detention names.
        let sanctionSubjects: [Option]
        let personKinds: [Option]
        let canMeasure: Bool
        let transitionURL: String
        let resumeURL: String
        let today: String
        let methods: [Option]
        let targets: [Option]
        let canTransition: Bool
        let canResume: Bool
        let earliestTermination: String
        let form: [String: String]
        let checked: [String: Bool]
    }

    func register(on routes: RouteTable) {
        routes.on(.get, SiteURL.cases.pattern, .permitted(.readCases), use: search)
        routes.on(.get, SiteURL.caseDetail(id: "").pattern, .permitted(.readCases), use: showCase)
        routes.on(.post, SiteURL.casePayments(id: "").pattern, .permitted(.changeCases), use: recordPayment)
        routes.on(.post, SiteURL.casePaymentReversal(id: "", payment: "").pattern, .permitted(.changeCases), use: reversePayment)
        routes.on(.post, SiteURL.caseMeasures(id: "").pattern, .permitted(.changeCases), use: recordMeasure)
        routes.on(.post, SiteURL.caseTransitions(id: "").pattern, .permitted(.changeCases), use: transition)
        routes.on(.post, SiteURL.caseResume(id: "").pattern, .permitted(.changeCases), use: resume)
        routes.on(.post, SiteURL.caseSettlements(id: "").pattern, .permitted(.changeCases), use: settle)
    }

    @Sendable func search(_ request: Request, context: AppRequestContext) async throws -> Response {
        var query: [String: String] = [:]
        for key in ["q", "caseNumber", "debtorName", "idNumber", "status", "township", "filedFrom", "filedTo"] {
            if let value = request.uri.queryParameters.get(key), !value.isEmpty { query[key] = value }
        }
        let pageSize = 50
        let pageNumber = max(1, request.uri.queryParameters.get("page").flatMap { Int($0) } ?? 1)
        var flash: PageChrome.Flash?
        var page: (items: [CaseSummary], nextCursor: String?) = ([], nil)
        var total = 0
        do {
            let filter = try CaseController.filter(from: request)
            page = try await cases.search(filter, limit: pageSize, after: nil, offset: (pageNumber - 1) * pageSize, by: context.acting)
            total = try await cases.count(filter, by: context.acting)
        } catch let error as APIError {
            flash = PageChrome.error(error)
        }
        let townships = try await network.allTownships(by: context.acting)
        func url(page: Int) -> String {
            var parts = query.map { "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }
            if page > 1 { parts.append("page=\(page)") }
            return SiteURL.cases.path + (parts.isEmpty ? "" : "?" + parts.sorted().joined(separator: "&"))
        }
        return pages.render(
            "cases",
            model: SearchModel(
                page: PageChrome(title: "案件查询", context: context, current: .cases, flash: flash),
                query: query,
                statuses: CaseStatus.allCases.map {
                    .init(value: $0.rawValue, label: $0.chinese, selected: query["status"] == $0.rawValue)
                },
                townships: townships.map { .init(value: $0.code, label: $0.name, selected: query["township"] == $0.code) },
                rows: page.items.map(CaseRow.init), nextURL: page.nextCursor == nil ? nil : url(page: pageNumber + 1),
                previousURL: pageNumber > 1 ? url(page: pageNumber - 1) : nil, count: page.items.count, total: total,
                pageNumber: pageNumber, pageCount: max(1, (total + pageSize - 1) / pageSize),
                scopeNote: context.user?.judgeScope == nil ? nil : "只显示您承办的案件"),
            status: flash == nil ? .ok : .badRequest)
    }

    @Sendable func showCase(_ request: Request, context: AppRequestContext) async throws -> Response {
        let detail = try await cases.visibleCase(id: context.pathID, by: context.acting)
        let saved = request.uri.queryParameters.get("saved").flatMap { Self.savedMessages[$0] }
        return try await casePage(detail, context: context, flash: saved.map(PageChrome.success))
    }

    @Sendable func recordPayment(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await caseForm(PaymentForm.self, request, context, saved: "payment") { form in
            let detail = try await cases.recordPayment(
                caseID: context.pathID, amount: try Money.parseYuan(form.amount, field: "amount"),
                receivedOn: try CalendarDate.parse(form.receivedOn, field: "receivedOn"), method: try PaymentMethod.parse(form.method),
                excessReason: form.excessReason, amountField: "amount", by: context.acting)
            return detail.summary.id.databaseText
        }
    }

    /// A reversal cannot be undone: the form requires its box ticked (the browser enforces
    /// `required`; a request without it gets the page again, saying so).
    @Sendable func reversePayment(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await caseForm(ReversalForm.self, request, context, saved: "reversal") { form in
            try Confirmation.require(form.confirmed, "撤销履行记录")
            let detail = try await cases.reversePayment(
                paymentID: try context.pathUUID("payment"), reason: form.reason, by: context.acting)
            return detail.summary.id.databaseText
        }
    }

    @Sendable func recordMeasure(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await caseForm(MeasureForm.self, request, context, saved: "measure") { form in
            try await clearance.recordMeasure(try form.input(), caseID: context.pathID, by: context.acting).caseID.databaseText
        }
    }

    @Sendable func transition(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await caseForm(TransitionForm.self, request, context, saved: "transition") { form in
            let target = try Lifecycle.transitionTarget(form.to)
            let detail = try await cases.transition(
                caseID: context.pathID, to: target, on: try CalendarDate.parse(form.on, field: "on"), reason: form.reason,
                conditions: target == .terminatedThisRound ? form.conditions : nil, by: context.acting)
            return detail.summary.id.databaseText
        }
    }

    @Sendable func resume(_ request: Request, context: AppRequestContext) async throws -> Response {
        // the redirect goes to the new 执恢 case
        try await caseForm(ResumeForm.self, request, context, saved: "resume") { form in
            // what was typed is checked first, so the box is the last thing asked
            let number = try CaseNumber(form.caseNumber, field: "caseNumber")
            let on = try CalendarDate.parse(form.on, field: "on")
            try Confirmation.require(form.confirmed, "立执恢案件")
            let detail = try await cases.resume(caseID: context.pathID, as: number, on: on, by: context.acting)
            return detail.summary.id.databaseText
        }
    }

    /// The payment form, in 元 as a person types it.
    struct SettlementForm: Decodable {
        @FormText var agreedOn: String
        @FormText var filing: String
        @FormText var terms: String
        @FormText var instalments: String
        @FormText var excessReason: String
        @FormText var guarantor: String
        @Checkbox var guarantorPromise: Bool
        @Checkbox var acceleration: Bool
    }

    /// Records a settlement from the case page; the instalments come one a line.
    @Sendable func settle(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await caseForm(SettlementForm.self, request, context, saved: "settlement") { form in
            let settlement = try await settlements.create(
                .init(
                    caseID: context.pathID, agreedOn: try CalendarDate.parse(form.agreedOn, field: "agreedOn"),
                    filing: try form.filing.trimmed.nilIfEmpty.map { try SettlementFiling.parse($0) } ?? .bothFiled, terms: form.terms,
                    instalments: try SettlementPages.instalments(form.instalments), excessReason: form.excessReason,
                    guarantor: form.guarantor, guarantorPromise: form.guarantorPromise, acceleration: form.acceleration),
                by: context.acting)
            return settlement.caseID.databaseText
        }
    }

    struct PaymentForm: Decodable {
        @FormText var amount: String
        @FormText var receivedOn: String
        @FormText var method: String
        @FormText var excessReason: String
    }

    /// The reversal form of one payment.
    struct ReversalForm: Decodable {
        @FormText var reason: String
        @Checkbox var confirmed: Bool
    }

    /// The transition form; the four conditions of 法〔2016〕373号 art. 1 count only for 终本.
    struct TransitionForm: Decodable {
        @FormText var to: String
        @FormText var on: String
        @FormText var reason: String
        @Checkbox var noticeServedAndReportOrdered: Bool
        @Checkbox var consumptionRestrictedAndListed: Bool
        @Checkbox var propertyInvestigationExhausted: Bool
        @Checkbox var debtorSoughtAndObstructionPunished: Bool

        var conditions: TerminationConditions {
            TerminationConditions(
                noticeServedAndReportOrdered: noticeServedAndReportOrdered, consumptionRestrictedAndListed: consumptionRestrictedAndListed,
                propertyInvestigationExhausted: propertyInvestigationExhausted,
                debtorSoughtAndObstructionPunished: debtorSoughtAndObstructionPunished)
        }
    }

    /// The resumption form: the new 执恢 number and the day.
    struct ResumeForm: Decodable {
        @FormText var caseNumber: String
        @FormText var on: String
        @Checkbox var confirmed: Bool
    }

    /// The measure form: one quantity field, read as persons or a count by the kind.
    struct MeasureForm: Decodable {
        @FormText var kind: String
        @FormText var on: String
        @FormText var quantity: String
        @FormText var amount: String
        var documentNumber: String?
        /// A debtor's id, `other` for another person (then `personName`, `personKind`), or empty.
        @FormText var debtorId: String
        @FormText var personName: String
        @FormText var personKind: String
        @FormText var act: String
        @FormText var days: String
        @FormText var deputyPermission: String

        func input() throws(DomainError) -> ClearanceService.MeasureInput {
            let kind = try MeasureKind.parse(kind)
            let quantityText = quantity.trimmed
            let count: Int? = quantityText.isEmpty ? nil : Int(quantityText)
            if !quantityText.isEmpty, count == nil {
                throw DomainError(code: "invalid_count", message: "人数/数量须为整数（收到「\(quantityText)」）", field: "quantity")
            }
            let amountText = amount.trimmed
            var input = ClearanceService.MeasureInput(
                kind: kind, on: try CalendarDate.parse(on, field: "on"), quantity: count,
                amount: amountText.isEmpty ? nil : try Money.parseYuan(amountText, field: "amount"), documentNumber: documentNumber)
            switch debtorId.trimmed {
            case "": break
            case "other":
                input.personName = personName.trimmed.nilIfEmpty
                input.personKind = try SanctionSubject.Kind.parse(personKind.trimmed.nilIfEmpty ?? "individual")
                if input.personName == nil {
                    throw DomainError(code: "person_name_required", message: "选择了「其他人」，请填写被处罚人的姓名或名称", field: "personName")
                }
            case let text:
                guard let id = UUID(uuidString: text) else {
                    throw DomainError(code: "unknown_debtor", message: "请从列表中选择被处罚人", field: "debtorId")
                }
                input.debtorID = id
            }
            input.act = act.trimmed.nilIfEmpty
            let daysText = days.trimmed
            if !daysText.isEmpty {
                guard let value = Int(daysText) else {
                    throw DomainError(code: "invalid_days", message: "拘留天数须为 1 至 15 的整数（收到「\(daysText)」）", field: "days")
                }
                input.days = value
            }
            input.deputyPermission = deputyPermission.trimmed.nilIfEmpty
            return input
        }
    }

    /// What a successful form says after its redirect (fixed texts: nothing from the query string
    /// is shown).
    static let savedMessages: [String: String] = [
        "payment": "已登记履行款项",
        "transition": "已变更案件状态",
        "resume": "已恢复执行：这是新立的执恢案件",
        "measure": "已记录执行措施",
        "reversal": "已撤销这笔履行记录，金额不再计入",
        "settlement": "已登记执行和解，案件中止执行",
    ]

    /// A case page's form: `submit` calls the service and answers the case to show next; a
    /// broken rule shows the case page again with the message and what was typed.
    private func caseForm<Form: Decodable>(
        _ type: Form.Type, _ request: Request, _ context: AppRequestContext, saved: String, _ submit: (Form) async throws -> String
    ) async throws -> Response {
        let form = try await request.decode(as: type, context: context)
        do {
            return Self.redirect(to: try await submit(form), saved: saved)
        } catch let error as DomainError {
            let detail = try await cases.visibleCase(id: context.pathID, by: context.acting)
            return try await casePage(
                detail, context: context, flash: PageChrome.error(error), keep: context.form, status: APIError(error).status)
        }
    }

    /// The case page's forms for `user`: none for those who may not change cases; the transitions
    /// the lifecycle allows from `status`; resumption only for a 终本 case not yet resumed; the
    /// earliest 终本 date (法〔2016〕373号 art. 1(4): more than three months after filing); what was
    /// typed in `form` when a submission was refused. Pure: a unit test calls it without a server.
    static func actions(
        caseID: String, status: CaseStatus?, filedOn: CalendarDate?, isResumed: Bool, user: User, today: CalendarDate,
        form: [String: String], debtors: [DebtorSummary] = []
    ) -> Actions? {
        guard user.may(.changeCases) else { return nil }
        let allowed = status.map(Lifecycle.allowedTransitions(from:)) ?? []
        let conditionKeys = [
            "noticeServedAndReportOrdered", "consumptionRestrictedAndListed", "propertyInvestigationExhausted",
            "debtorSoughtAndObstructionPunished",
        ]
        return Actions(
            paymentURL: SiteURL.casePayments(id: caseID).path, measureURL: SiteURL.caseMeasures(id: caseID).path,
            measureKinds: MeasureKind.allCases.map {
                .init(
                    value: $0.rawValue, label: "\($0.chinese)（\($0.quantity == .amount ? "元" : $0.unit)）",
                    selected: form["kind"] == $0.rawValue)
            },
            sanctionSubjects: [.init(value: "", label: "（不针对具体人：搜查、查封等）", selected: (form["debtorId"] ?? "").isEmpty)]
                + debtors.map {
                    .init(value: $0.id.databaseText, label: "被执行人 \($0.name)", selected: form["debtorId"] == $0.id.databaseText)
                } + [.init(value: "other", label: "其他人（填写下方姓名/名称）", selected: form["debtorId"] == "other")],
            personKinds: SanctionSubject.Kind.allCases.map {
                .init(value: $0.rawValue, label: $0.chinese, selected: (form["personKind"] ?? "individual") == $0.rawValue)
            },
            canMeasure: status == .inEnforcement || status == .terminatedThisRound,
            transitionURL: SiteURL.caseTransitions(id: caseID).path, resumeURL: SiteURL.caseResume(id: caseID).path,
            today: today.description,
            methods: PaymentMethod.allCases.map { .init(value: $0.rawValue, label: $0.chinese, selected: form["method"] == $0.rawValue) },
            targets: allowed.map { .init(value: $0.rawValue, label: $0.chinese, selected: form["to"] == $0.rawValue) },
            canTransition: !allowed.isEmpty, canResume: status == .terminatedThisRound && !isResumed,
            earliestTermination: filedOn.map { $0.adding(months: 3).adding(days: 1).description } ?? "",
            form: form.filter { $0.key != CSRFMiddleware.fieldName },
            checked: Dictionary(uniqueKeysWithValues: conditionKeys.map { ($0, form[$0] != nil) }))
    }

    /// Post/redirect/get, so that reloading the page does not submit the form twice.
    static func redirect(to caseID: String, saved: String) -> Response {
        Response(status: .seeOther, headers: [.location: SiteURL.caseDetail(id: caseID).path + "?saved=\(saved)"])
    }

    private func casePage(
        _ detail: CaseDetail, context: AppRequestContext, flash: PageChrome.Flash?,
        keep form: [String: String] = [:], status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let measures = try await clearance.measures(caseID: detail.summary.id, by: context.acting)
        let user = try context.requireSession().user
        let model = Self.caseModel(
            detail, measures: measures,
            page: PageChrome(title: detail.summary.caseNumber.canonical, context: context, current: .cases, flash: flash),
            user: user, today: ShanghaiClock.today(now()), form: form,
            settlements: try await settlements.settlements(caseID: detail.summary.id, by: context.acting), calendar: settlements.calendar)
        return pages.render("case", model: model, status: status)
    }

    /// A measure as the case page lists it: persons or a count in its unit, amounts in 元.
    static func measureRow(_ record: MeasureRecord) -> MeasureRow {
        let kind = record.kind
        let figure: String =
            switch kind.quantity {
            case .persons: "\(record.persons ?? 0) \(kind.unit)"
            case .count: "\(record.count ?? 0) \(kind.unit)" + (record.amount.map { "，\($0.formatted)" } ?? "")
            case .amount: (record.amount ?? .zero).formatted
            }
        var subject = [
            record.personName.map { name in "\(name)（\(record.personKind?.chinese ?? "")）" }, record.act,
            record.days.map { "\($0) 日" }, record.deputyPermission.map { "人大许可：\($0)" },
        ].compactMap { $0 }.joined(separator: "；")
        if let r = record.reconsideration {
            subject +=
                "；\(r.appliedOn) 申请复议"
                + (r.outcome.map { "，\(r.decidedOn?.description ?? "") 复议\($0.chinese)" } ?? "，上级法院应于 \(r.dueOn) 前决定")
        }
        return MeasureRow(
            on: record.on.description, kind: kind.chinese, figure: figure, document: record.documentNumber, judge: record.judgeName ?? "",
            subject: subject)
    }

    /// The case page's model: what a person reads of `detail`, and the forms `user` may use.
    static func caseModel(
        _ detail: CaseDetail, measures: [MeasureRecord], page: PageChrome, user: User, today: CalendarDate, form: [String: String],
        settlements: [SettlementRecord] = [], calendar: WorkingDayCalendar = WorkingDayCalendar(coveredYears: [], exceptions: [:])
    ) -> CaseModel {
        let s = detail.summary
        let running = settlements.last { $0.performedOn == nil && $0.resumedOn == nil }
        // 中止 is not a status of its own: the case is in enforcement, suspended while the settlement runs.
        let status = running.map { "\(s.status.chinese)（\($0.suspendedOn) 起因执行和解中止执行）" } ?? s.status.chinese
        return CaseModel(
            page: page, caseNumber: s.caseNumber.canonical, court: "\(s.court.name)（\(s.court.code)）", status: status,
            filedOn: s.filedOn.description, closedOn: s.closedOn?.description ?? "—", judge: s.judgeName ?? "—",
            township: s.township ?? "—", applicants: detail.applicants.joined(separator: "、"), basis: detail.judgment.documentNumber,
            issuer: detail.judgment.issuedBy, duty: detail.judgment.duty ?? "—", target: s.target.formatted,
            performed: s.performed.formatted, unperformed: s.unperformed.formatted, performance: s.performance.chinese,
            resumedFromURL: detail.resumedFrom.map { SiteURL.caseDetail(id: $0.id.databaseText).path },
            resumedFrom: detail.resumedFrom?.caseNumber.canonical,
            resumedAsURL: detail.resumedAs.map { SiteURL.caseDetail(id: $0.id.databaseText).path },
            resumedAs: detail.resumedAs?.caseNumber.canonical,
            debtors: s.debtors.map {
                .init(
                    url: SiteURL.debtorDetail(id: $0.id.databaseText).path, name: $0.name, kind: $0.kind.chinese, idNumber: $0.idNumber,
                    township: $0.township ?? "", official: $0.isPublicOfficial ? "公职人员（\($0.employer ?? "")）" : "")
            },
            payments: detail.payments.map { payment in
                let note = [
                    payment.excessReason.map { "超出部分：\($0)" },
                    payment.reversal.map { "已撤销（\($0.by ?? "系统") \(Display.time($0.at))：\($0.reason)）" },
                ].compactMap { $0 }.joined(separator: "；")
                return .init(
                    receivedOn: payment.receivedOn.description, amount: payment.amount.formatted, method: payment.method.chinese,
                    note: note,
                    isReversed: payment.isReversed,
                    reversalURL: user.may(.changeCases) && !payment.isReversed
                        ? SiteURL.casePaymentReversal(id: s.id.databaseText, payment: payment.id.databaseText).path : nil)
            },
            history: detail.history.map {
                .init(
                    time: Display.time($0.occurredAt), on: $0.on?.description ?? "", actor: $0.actor ?? "系统",
                    text: [$0.detail, $0.reason].filter { !$0.isEmpty }.joined(separator: "："))
            },
            measures: measures.map(measureRow),
            actions: actions(
                caseID: s.id.databaseText, status: s.status, filedOn: s.filedOn, isResumed: detail.resumedAs != nil, user: user,
                today: today, form: form, debtors: s.debtors),
            lookupsURL: user.may(.readLookups) ? SiteURL.caseLookups(id: s.id.databaseText).path : nil,
            settlement: SettlementSection(
                rows: settlements.reversed().map { SettlementPages.row($0, today: today, calendar: calendar) },
                hasRows: !settlements.isEmpty,
                canSettle: user.may(.changeCases) && s.status == .inEnforcement && running == nil && s.unperformed.fen > 0,
                settleURL: SiteURL.caseSettlements(id: s.id.databaseText).path,
                filings: SettlementFiling.allCases.map {
                    .init(value: $0.rawValue, label: $0.chinese, selected: form["filing"] == $0.rawValue)
                }))
    }
}
