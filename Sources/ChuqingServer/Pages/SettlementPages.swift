import ChuqingDomain
import ChuqingPersistence
import ChuqingServices
import Foundation
import Hummingbird

/// The 和解推进组's pages (issue 18 items 4 and 6): the team's list (`/settlements`) by stage, the
/// breaches first; one settlement (`/settlements/{id}`) with its instalments, what was paid
/// against each, and the resumption after a breach. A settlement is recorded on its case's page
/// (`CasePages`), where the unperformed amount is in view.
struct SettlementPages {
    let settlements: SettlementService
    let pages: PageRenderer

    func register(on routes: RouteTable) {
        routes.on(.get, SiteURL.settlements.pattern, .permitted(.readCases), use: teamPage)
        routes.on(.get, SiteURL.settlement(id: "").pattern, .permitted(.readCases), use: settlementPage)
        routes.on(.post, SiteURL.caseSettlementResume(id: "").pattern, .permitted(.changeCases), use: resume)
    }

    struct Row {
        let url: String
        let caseNumber: String
        let debtorNames: String
        let agreedOn: String
        let total: String
        let paid: String
        let next: String
        let stage: String
        let stageKey: String
        let breached: Bool
        let judge: String
    }

    struct Stage {
        let key: String
        let label: String
        let count: Int
        let rows: [Row]
        let hasRows: Bool
    }

    struct TeamModel: PageModel {
        let page: PageChrome
        let today: String
        let stages: [Stage]
        let casesURL: String
    }

    /// A settlement as the lists show it, on `today`.
    static func row(_ settlement: SettlementRecord, today: CalendarDate, calendar: WorkingDayCalendar) -> Row {
        let stage = settlement.stage(on: today, calendar: calendar)
        let standing = settlement.standing(on: today, calendar: calendar)
        let next: String
        switch stage {
        case .breached:
            let late = standing.firstOverdue
            next = "\(late?.instalment.dueOn.description ?? "") 应付 \(late?.unpaid.formatted ?? "") 未付；违约金额 \(standing.inBreach.formatted)"
        case .running: next = standing.next.map { "\($0.instalment.dueOn) 应付 \($0.unpaid.formatted)" } ?? "—"
        case .performed: next = "\(settlement.performedOn?.description ?? "") 履行完毕"
        case .resumed: next = "\(settlement.resumedOn?.description ?? "") 恢复执行"
        }
        return Row(
            url: SiteURL.settlement(id: settlement.id.databaseText).path, caseNumber: settlement.caseNumber,
            debtorNames: settlement.debtorNames, agreedOn: settlement.agreedOn.description, total: standing.total.formatted,
            paid: standing.paid.formatted, next: next, stage: stage.chinese, stageKey: stage.rawValue, breached: stage == .breached,
            judge: settlement.judgeName ?? "—")
    }

    /// The team page's model. Pure: a unit test builds it without a server.
    static func teamModel(_ all: [SettlementRecord], page: PageChrome, today: CalendarDate, calendar: WorkingDayCalendar) -> TeamModel {
        let order: [SettlementStage] = [.breached, .running, .performed, .resumed]
        let stages = order.map { stage in
            let rows = all.filter { $0.stage(on: today, calendar: calendar) == stage }.map { row($0, today: today, calendar: calendar) }
            return Stage(key: stage.rawValue, label: stage.chinese, count: rows.count, rows: rows, hasRows: !rows.isEmpty)
        }
        return TeamModel(page: page, today: today.description, stages: stages, casesURL: SiteURL.cases.path + "?status=inEnforcement")
    }

    @Sendable func teamPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        let model = Self.teamModel(
            try await settlements.settlements(by: context.acting),
            page: PageChrome(title: "和解推进组", context: context, current: .officials, flash: nil), today: settlements.today,
            calendar: settlements.calendar)
        return pages.render("settlements", model: model)
    }

    struct Line {
        let number: Int
        let dueOn: String
        let amount: String
        let paid: String
        let state: String
        let overdue: Bool
    }

    struct Payment {
        let receivedOn: String
        let amount: String
    }

    struct SettlementModel: PageModel {
        let page: PageChrome
        let today: String
        let caseURL: String
        let caseNumber: String
        let debtorNames: String
        let stage: String
        let breached: Bool
        let agreedOn: String
        let filing: String
        let terms: String
        let suspendedOn: String
        let unperformedAtAgreement: String
        let total: String
        let paid: String
        let remaining: String
        let inBreach: String
        let excessReason: String?
        let guarantor: String?
        let acceleration: String
        let lastAgreedDay: String
        let resumptionLastDay: String
        let performedOn: String?
        let resumedOn: String?
        let resumptionAppliedOn: String?
        let lines: [Line]
        let payments: [Payment]
        let hasPayments: Bool
        let canResume: Bool
        let canPay: Bool
        let resumeURL: String
        let paymentURL: String
        let form: [String: String]
    }

    /// One settlement's model on `today`. Pure.
    static func settlementModel(
        _ settlement: SettlementRecord, page: PageChrome, user: User, today: CalendarDate, calendar: WorkingDayCalendar,
        form: [String: String]
    ) -> SettlementModel {
        let stage = settlement.stage(on: today, calendar: calendar)
        let standing = settlement.standing(on: today, calendar: calendar)
        let limit = SettlementRules.resumptionLastDay(lastAgreedDay: settlement.lastAgreedDay, calendar: calendar)
        let caseID = settlement.caseID.databaseText
        let open = stage == .running || stage == .breached
        return SettlementModel(
            page: page, today: today.description, caseURL: SiteURL.caseDetail(id: caseID).path, caseNumber: settlement.caseNumber,
            debtorNames: settlement.debtorNames, stage: stage.chinese, breached: stage == .breached,
            agreedOn: settlement.agreedOn.description, filing: settlement.filing.chinese, terms: settlement.terms,
            suspendedOn: settlement.suspendedOn.description, unperformedAtAgreement: settlement.unperformedAtAgreement.formatted,
            total: standing.total.formatted, paid: standing.paid.formatted, remaining: standing.remaining.formatted,
            inBreach: standing.inBreach.formatted, excessReason: settlement.excessReason,
            guarantor: settlement.guarantor.map {
                "\($0)\(settlement.guarantorPromise ? "（承诺直接接受强制执行：违约时可裁定执行担保人财产，执行和解规定第十八条）" : "（未承诺直接接受强制执行）")"
            },
            acceleration: settlement.acceleration ? "有：任何一期逾期，剩余各期视为到期" : "无：逾期仅涉及该期款项",
            lastAgreedDay: settlement.lastAgreedDay.description,
            resumptionLastDay: limit.extended?.description ?? "\(limit.nominal)（如遇节假日顺延）",
            performedOn: settlement.performedOn?.description, resumedOn: settlement.resumedOn?.description,
            resumptionAppliedOn: settlement.resumptionAppliedOn?.description,
            lines: standing.lines.enumerated().map { index, line in
                Line(
                    number: index + 1, dueOn: line.instalment.dueOn.description, amount: line.instalment.amount.formatted,
                    paid: line.paid.formatted, state: line.isPaid ? "已付清" : (line.overdue ? "逾期未付" : (line.paid.fen > 0 ? "部分支付" : "未到期")),
                    overdue: line.overdue)
            },
            payments: settlement.payments.map { Payment(receivedOn: $0.dueOn.description, amount: $0.amount.formatted) },
            hasPayments: !settlement.payments.isEmpty, canResume: user.may(.changeCases) && stage == .breached,
            canPay: user.may(.changeCases) && open, resumeURL: SiteURL.caseSettlementResume(id: caseID).path,
            paymentURL: SiteURL.caseDetail(id: caseID).path + "#payment", form: form.filter { $0.key != CSRFMiddleware.fieldName })
    }

    @Sendable func settlementPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        let flash = request.uri.queryParameters.get("saved") == "resume" ? PageChrome.success("已恢复执行：和解协议不再履行，已付款项计入已履行金额") : nil
        return try await show(try await settlements.settlement(id: context.pathID, by: context.acting), context: context, flash: flash)
    }

    private func show(
        _ settlement: SettlementRecord, context: AppRequestContext, flash: PageChrome.Flash?, status: HTTPResponse.Status = .ok
    )
        async throws -> Response
    {
        let model = Self.settlementModel(
            settlement, page: PageChrome(title: "执行和解 \(settlement.caseNumber)", context: context, current: .officials, flash: flash),
            user: try context.requireSession().user, today: settlements.today, calendar: settlements.calendar,
            form: status == .ok ? [:] : context.form)
        return pages.render("settlement", model: model, status: status)
    }

    struct ResumeForm: Decodable {
        @FormText var appliedOn: String
        @FormText var on: String
    }

    /// The applicant's application after a breach; a refusal shows the settlement again with why.
    @Sendable func resume(_ request: Request, context: AppRequestContext) async throws -> Response {
        let form = try await request.decode(as: ResumeForm.self, context: context)
        let caseID = try context.pathID
        // A case without a settlement gets the service's own refusal (409 no_settlement) as an error page.
        let settlement = try await settlements.settlements(caseID: caseID, by: context.acting).last
        do {
            _ = try await settlements.resume(
                caseID: caseID, appliedOn: try CalendarDate.parse(form.appliedOn, field: "appliedOn"),
                on: try form.on.trimmed.nilIfEmpty.map { try CalendarDate.parse($0, field: "on") }, by: context.acting)
            let page =
                settlement.map { SiteURL.settlement(id: $0.id.databaseText).path } ?? SiteURL.caseDetail(id: caseID.databaseText).path
            return Response(status: .seeOther, headers: [.location: page + "?saved=resume"])
        } catch let error as DomainError {
            guard let settlement else { throw error }
            return try await show(settlement, context: context, flash: PageChrome.error(error), status: APIError(error).status)
        }
    }

    /// The instalments as a person types them: one a line, the day then the amount in 元
    /// ("2026-03-10 10000", "2026-03-10，10,000.50"). A line that reads as neither says which.
    static func instalments(_ text: String) throws(DomainError) -> [Instalment] {
        var result: [Instalment] = []
        let lines = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        for (index, line) in lines.enumerated() {
            let parts = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "，" || $0 == "：" || $0 == "　" })
                .map(String.init).filter { !$0.isEmpty }
            guard parts.count == 2 else {
                throw DomainError(
                    code: "invalid_instalment_line",
                    message: "履行计划第 \(index + 1) 行「\(line)」看不懂：每行写一期，先写履行日期，再写金额（元），如「2026-03-10 10000」",
                    field: "instalments")
            }
            do {
                let day = try CalendarDate.parse(parts[0], field: "instalments")
                let amount = try Money.parseYuan(parts[1], field: "instalments")
                result.append(Instalment(dueOn: day, amount: amount))
            } catch {
                // Which line: a schedule of twelve lines is read back by its line number.
                throw DomainError(code: error.code, message: "履行计划第 \(index + 1) 行：\(error.message)", field: "instalments")
            }
        }
        return result
    }
}
