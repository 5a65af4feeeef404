import ChuqingDomain
import ChuqingPersistence
import ChuqingServices
import Foundation
import Hummingbird

/// The case search, the case page and the debtor page.
struct CasePages {
    let database: Database
    let pages: PageRenderer
    let now: @Sendable () -> Date
    let cases: CaseService
    let clearance: ClearanceService
    let debtors: DebtorService
    let network: NetworkService

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
            url = SiteURL.caseDetail(id: summary.id).path
            caseNumber = summary.caseNumber
            debtors = summary.debtors.map(\.name).joined(separator: "、")
            filedOn = summary.filedOn
            status = summary.statusName
            target = Money(fen: summary.targetFen).formatted
            unperformed = Money(fen: summary.unperformedFen).formatted
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
        let count: Int
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
    }

    struct MeasureRow {
        let on: String
        let kind: String
        let figure: String
        let document: String
        let judge: String
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

    struct DebtorModel: PageModel {
        let page: PageChrome
        let name: String
        let kind: String
        let idNumber: String
        let legalRepresentative: String?
        let address: String
        let phone: String
        let township: String
        let village: String
        let employer: String?
        let cases: [CaseRow]
        let totalUnperformed: String
        let photoURL: String?
        /// The photo upload form's address, for the director and judges.
        let photoFormURL: String?
        let payments: [EventRow]
        let history: [EventRow]
        /// Nil for the admin, who runs the system and does not read portraits.
        let network: DebtorNetwork?
    }

    /// The township network's part of a debtor's page: the portrait built from household visits,
    /// the leads on them in arrival order, the townships asked to look for them.
    struct DebtorNetwork {
        struct PortraitRow {
            let label: String
            let value: String
            let source: String
            let earlier: [String]
            let hasEarlier: Bool
        }
        struct LeadRow {
            let position: Int
            let kind: String
            let text: String
            let from: String
            let receivedAt: String
            let status: String
            let statusClass: String
        }
        struct AssignmentRow {
            let township: String
            let note: String?
            let by: String
            let endURL: String?
        }
        struct TownshipOption {
            let code: String
            let name: String
        }
        let portrait: [PortraitRow]
        let visitSummary: String
        let leads: [LeadRow]
        let assignments: [AssignmentRow]
        let assignURL: String?
        let townships: [TownshipOption]
        let visitURL: String?
        let visitor: String
        let today: String
    }

    struct EventRow {
        let caseURL: String
        let caseNumber: String
        let when: String
        let text: String
    }

    func register(on routes: RouteTable) {
        routes.on(.get, SiteURL.cases.pattern, .permitted(.readCases)) { request, context in
            var query: [String: String] = [:]
            for key in ["caseNumber", "debtorName", "idNumber", "status", "township", "filedFrom", "filedTo"] {
                if let value = request.uri.queryParameters.get(key), !value.isEmpty { query[key] = value }
            }
            var flash: PageChrome.Flash?
            var page: (items: [CaseSummary], nextCursor: String?) = ([], nil)
            do {
                page = try await cases.search(
                    try CaseController.filter(from: request), limit: 50, after: request.uri.queryParameters.get("cursor"),
                    by: context.acting)
            } catch let error as APIError {
                flash = PageChrome.error(error.message)
            }
            let townships = try await SQLTownshipRepository().all(on: database.sql)
            var nextURL: String?
            if let next = page.nextCursor {
                var parts = query.map { "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }
                parts.append("cursor=\(next.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")")
                nextURL = SiteURL.cases.path + "?" + parts.sorted().joined(separator: "&")
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
                    rows: page.items.map(CaseRow.init), nextURL: nextURL, count: page.items.count),
                status: flash == nil ? .ok : .badRequest)
        }
        routes.on(.get, SiteURL.caseDetail(id: "").pattern, .permitted(.readCases)) { request, context in
            let detail = try await cases.visibleCase(id: context.pathID, by: context.acting)
            let saved = request.uri.queryParameters.get("saved").flatMap { Self.savedMessages[$0] }
            return try await casePage(detail, context: context, flash: saved.map(PageChrome.success))
        }
        routes.on(.post, SiteURL.casePayments(id: "").pattern, .permitted(.changeCases)) { _, context in
            try await caseForm(context, saved: "payment") { form in
                try await cases.recordPayment(
                    caseID: context.pathID, amount: try Money.parseYuan(form["amount"] ?? "", field: "amount"),
                    receivedOn: try CalendarDate.parse(form["receivedOn"] ?? "", field: "receivedOn"),
                    method: try PaymentMethod.parse(form["method"] ?? ""), amountField: "amount", by: context.acting
                ).summary.id
            }
        }
        routes.on(.post, SiteURL.caseMeasures(id: "").pattern, .permitted(.changeCases)) { _, context in
            try await caseForm(context, saved: "measure") { form in
                try await clearance.recordMeasure(try Self.measure(form), caseID: context.pathID, by: context.acting).caseId
            }
        }
        routes.on(.post, SiteURL.caseTransitions(id: "").pattern, .permitted(.changeCases)) { _, context in
            try await caseForm(context, saved: "transition") { form in
                let target = try Lifecycle.transitionTarget(form["to"] ?? "")
                let conditions =
                    target == .terminatedThisRound
                    ? TerminationConditions(
                        noticeServedAndReportOrdered: form["noticeServedAndReportOrdered"] != nil,
                        consumptionRestrictedAndListed: form["consumptionRestrictedAndListed"] != nil,
                        propertyInvestigationExhausted: form["propertyInvestigationExhausted"] != nil,
                        debtorSoughtAndObstructionPunished: form["debtorSoughtAndObstructionPunished"] != nil) : nil
                return try await cases.transition(
                    caseID: context.pathID, to: target, on: try CalendarDate.parse(form["on"] ?? "", field: "on"),
                    reason: form["reason"] ?? "", conditions: conditions, by: context.acting
                ).summary.id
            }
        }
        routes.on(.post, SiteURL.caseResume(id: "").pattern, .permitted(.changeCases)) { _, context in
            // the redirect goes to the new 执恢 case
            try await caseForm(context, saved: "resume") { form in
                try await cases.resume(
                    caseID: context.pathID, as: try CaseNumber(form["caseNumber"] ?? "", field: "caseNumber"),
                    on: try CalendarDate.parse(form["on"] ?? "", field: "on"), by: context.acting
                ).summary.id
            }
        }
        routes.on(.get, SiteURL.debtorDetail(id: "").pattern, .permitted(.readCases)) { request, context in
            let debtor = try await debtors.visibleDebtor(id: context.pathID, by: context.acting)
            let saved = request.uri.queryParameters.get("saved").flatMap { Self.savedMessages[$0] }
            return try await debtorPage(debtor, context: context, flash: saved.map(PageChrome.success))
        }
        routes.on(.get, SiteURL.debtorPhoto(id: "").pattern, .permitted(.readCases)) { _, context in
            let photo = try await debtors.photo(id: context.pathID, by: context.acting)
            return Response.privateImage(photo.bytes, contentType: photo.contentType)
        }
        routes.on(.post, SiteURL.debtorPhoto(id: "").pattern, .permitted(.changeCases)) { _, context in
            try await debtorForm(context, saved: "photo") {
                guard let file = context.uploads["photo"] else {
                    throw DomainError(code: "empty_photo", message: "请选择照片（JPEG 或 PNG）", field: "photo")
                }
                try await debtors.setPhoto(id: context.pathID, try DebtorPhoto(file.data), by: context.acting)
            }
        }
        routes.on(.post, SiteURL.debtorAssignments(id: "").pattern, .permitted(.changeCases)) { _, context in
            try await debtorForm(context, saved: "assign#network") {
                _ = try await network.assign(
                    debtorID: context.pathID, township: context.form["township"] ?? "", note: context.form["note"], by: context.acting)
            }
        }
        routes.on(.post, SiteURL.debtorAssignmentEnd(id: "", township: "").pattern, .permitted(.changeCases)) { _, context in
            try await debtorForm(context, saved: "unassign#network") {
                try await network.endAssignment(
                    debtorID: context.pathID, township: context.parameters.get("township") ?? "", by: context.acting)
            }
        }
        routes.on(.post, SiteURL.debtorVisits(id: "").pattern, .permitted(.recordVisitsAsStaff)) { _, context in
            try await debtorForm(context, saved: "visit#network") {
                _ = try await network.addVisit(try LiaisonPages.visit(context.form).input, debtorID: context.pathID, by: context.acting)
            }
        }
    }

    /// A debtor page's form: `submit` calls the service; a broken rule shows the debtor page again
    /// with the message.
    private func debtorForm(_ context: AppRequestContext, saved: String, _ submit: () async throws -> Void) async throws -> Response {
        do {
            try await submit()
            return Response(
                status: .seeOther, headers: [.location: SiteURL.debtorDetail(id: context.pathID.lowercased()).path + "?saved=\(saved)"])
        } catch let error as DomainError {
            let debtor = try await debtors.visibleDebtor(id: context.pathID, by: context.acting)
            return try await debtorPage(debtor, context: context, flash: PageChrome.error(error.message), status: APIError(error).status)
        }
    }

    private func debtorNetwork(_ debtor: DebtorDetail, user: User) async throws -> DebtorNetwork {
        let portrait = try await VisitRepository(database: database).portrait(debtorID: debtor.id)
        let leads = try await LeadRepository(database: database).list(debtor: debtor.id)
        let assignments = try await NetworkRepository(database: database).assignments(debtorID: debtor.id)
        let canAssign = user.may(.changeCases)
        let townships = canAssign ? try await SQLTownshipRepository().all(on: database.sql) : []
        return DebtorNetwork(
            portrait: portrait.fields.map { field in
                DebtorNetwork.PortraitRow(
                    label: field.label, value: field.current.value,
                    source: "\(field.current.observedOn) · \(field.current.visitors)",
                    earlier: field.values.dropFirst().map { "\($0.observedOn) \($0.value)（\($0.visitors)）" },
                    hasEarlier: field.values.count > 1)
            },
            visitSummary: portrait.visitCount == 0
                ? "尚无入户走访记录"
                : "入户走访 \(portrait.visitCount) 次，最近 \(portrait.lastVisitedOn!)"
                    + (portrait.lastFoundOn.map { "；最近见到本人 \($0)" } ?? "；从未见到本人"),
            leads: leads.map { lead in
                DebtorNetwork.LeadRow(
                    position: lead.position, kind: Lead.Kind(rawValue: lead.kind)?.chinese ?? lead.kind, text: lead.text,
                    from: "\(lead.liaisonName)（\(lead.township ?? "")）", receivedAt: Display.time(lead.receivedAt),
                    status: LeadStatus(rawValue: lead.status)?.chinese ?? lead.status, statusClass: lead.status)
            },
            assignments: assignments.map { item in
                DebtorNetwork.AssignmentRow(
                    township: item.township, note: item.note, by: item.assignedBy ?? "—",
                    endURL: canAssign ? SiteURL.debtorAssignmentEnd(id: debtor.id, township: item.townshipCode).path : nil)
            },
            assignURL: canAssign ? SiteURL.debtorAssignments(id: debtor.id).path : nil,
            townships: townships.map { .init(code: $0.code, name: $0.name) },
            visitURL: user.may(.recordVisitsAsStaff) ? SiteURL.debtorVisits(id: debtor.id).path : nil,
            visitor: user.displayName, today: ShanghaiClock.today(now()).description)
    }

    private func debtorPage(
        _ debtor: DebtorDetail, context: AppRequestContext, flash: PageChrome.Flash?,
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let user = try context.requireSession().user
        let network = user.may(.readPortraits) ? try await debtorNetwork(debtor, user: user) : nil
        let unperformed = debtor.cases.reduce(Int64(0)) { $0 + $1.unperformedFen }
        return pages.render(
            "debtor",
            model: DebtorModel(
                page: PageChrome(title: debtor.name, context: context, current: .cases, flash: flash),
                name: debtor.name, kind: DebtorKind(rawValue: debtor.kind)?.chinese ?? debtor.kind, idNumber: debtor.idNumber,
                legalRepresentative: debtor.legalRepresentative, address: debtor.address ?? "—", phone: debtor.phone ?? "—",
                township: debtor.township ?? "—", village: debtor.village ?? "—",
                employer: debtor.isPublicOfficial ? (debtor.employer ?? "") : nil,
                cases: debtor.cases.map(CaseRow.init), totalUnperformed: Money(fen: unperformed).formatted,
                photoURL: debtor.hasPhoto ? SiteURL.debtorPhoto(id: debtor.id).path : nil,
                photoFormURL: user.may(.changeCases) ? SiteURL.debtorPhoto(id: debtor.id).path : nil,
                payments: debtor.payments.map {
                    .init(
                        caseURL: SiteURL.caseDetail(id: $0.caseId).path, caseNumber: $0.caseNumber, when: $0.event.receivedOn,
                        text: "\(Money(fen: $0.event.amountFen).formatted) \(Self.method($0.event.method))")
                },
                history: debtor.history.map {
                    .init(
                        caseURL: SiteURL.caseDetail(id: $0.caseId).path, caseNumber: $0.caseNumber,
                        when: Display.time($0.event.occurredAt),
                        text: "\($0.event.actor ?? "系统")："
                            + [$0.event.detail, $0.event.reason].filter { !$0.isEmpty }.joined(separator: "："))
                },
                network: network),
            status: status)
    }

    /// What a successful form says after its redirect (fixed texts: nothing from the query string
    /// is shown).
    static let savedMessages: [String: String] = [
        "payment": "已登记履行款项",
        "transition": "已变更案件状态",
        "resume": "已恢复执行：这是新立的执恢案件",
        "photo": "已上传照片",
        "measure": "已记录执行措施",
        "assign": "已指派乡镇协助查找",
        "unassign": "已结束指派",
        "visit": "走访记录已保存",
    ]

    /// A case page's form: `submit` calls the service and answers the case to show next; a
    /// broken rule shows the case page again with the message and what was typed.
    private func caseForm(
        _ context: AppRequestContext, saved: String, _ submit: ([String: String]) async throws -> String
    ) async throws -> Response {
        let form = context.form
        do {
            return Self.redirect(to: try await submit(form), saved: saved)
        } catch let error as DomainError {
            let detail = try await cases.visibleCase(id: context.pathID, by: context.acting)
            return try await casePage(
                detail, context: context, flash: PageChrome.error(error.message), keep: form, status: APIError(error).status)
        }
    }

    /// The measure form: one quantity field, read as persons or a count by the kind.
    static func measure(_ form: [String: String]) throws(DomainError) -> ClearanceService.MeasureInput {
        let kind = try MeasureKind.parse(form["kind"] ?? "")
        let quantityText = (form["quantity"] ?? "").trimmed
        let quantity: Int? = quantityText.isEmpty ? nil : Int(quantityText)
        if !quantityText.isEmpty, quantity == nil {
            throw DomainError(code: "invalid_count", message: "人数/数量须为整数（收到「\(quantityText)」）", field: "quantity")
        }
        let amountText = (form["amount"] ?? "").trimmed
        return ClearanceService.MeasureInput(
            kind: kind, on: try CalendarDate.parse(form["on"] ?? "", field: "on"), quantity: quantity,
            amount: amountText.isEmpty ? nil : try Money.parseYuan(amountText, field: "amount"), documentNumber: form["documentNumber"])
    }

    /// The case page's forms for `user`: none for those who may not change cases; the transitions
    /// the lifecycle allows from `status`; resumption only for a 终本 case not yet resumed; the
    /// earliest 终本 date (法〔2016〕373号 art. 1(4): more than three months after filing); what was
    /// typed in `form` when a submission was refused. Pure: a unit test calls it without a server.
    static func actions(
        caseID: String, status: CaseStatus?, filedOn: CalendarDate?, isResumed: Bool, user: User, today: CalendarDate,
        form: [String: String]
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
        let measures = try await ClearanceRepository(database: database).measures(caseID: detail.summary.id).map { record -> MeasureRow in
            let kind = MeasureKind(rawValue: record.kind)
            let figure: String =
                switch kind?.quantity {
                case .persons: "\(record.persons ?? 0) \(kind!.unit)"
                case .count: "\(record.count ?? 0) \(kind!.unit)" + (record.amountFen.map { "，\(Money(fen: $0).formatted)" } ?? "")
                case .amount: Money(fen: record.amountFen ?? 0).formatted
                case nil: ""
                }
            return MeasureRow(
                on: record.on, kind: kind?.chinese ?? record.kind, figure: figure, document: record.documentNumber,
                judge: record.judgeName ?? "")
        }
        let s = detail.summary
        let user = try context.requireSession().user
        let caseStatus = CaseStatus(rawValue: s.status)
        let actions = Self.actions(
            caseID: s.id, status: caseStatus, filedOn: try? CalendarDate.parse(s.filedOn), isResumed: detail.resumedAs != nil, user: user,
            today: ShanghaiClock.today(now()), form: form)
        return pages.render(
            "case",
            model: CaseModel(
                page: PageChrome(title: s.caseNumber, context: context, current: .cases, flash: flash),
                caseNumber: s.caseNumber, court: "\(s.court.name)（\(s.court.code)）", status: s.statusName, filedOn: s.filedOn,
                closedOn: s.closedOn ?? "—", judge: s.judgeName ?? "—", township: s.township ?? "—",
                applicants: detail.applicants.joined(separator: "、"), basis: detail.judgment.documentNumber,
                issuer: detail.judgment.issuedBy,
                duty: detail.judgment.duty ?? "—", target: Money(fen: s.targetFen).formatted,
                performed: Money(fen: s.performedFen).formatted,
                unperformed: Money(fen: s.unperformedFen).formatted,
                performance: PerformanceStatus(rawValue: s.performance)?.chinese ?? s.performance,
                resumedFromURL: detail.resumedFrom.map { SiteURL.caseDetail(id: $0.id).path }, resumedFrom: detail.resumedFrom?.caseNumber,
                resumedAsURL: detail.resumedAs.map { SiteURL.caseDetail(id: $0.id).path }, resumedAs: detail.resumedAs?.caseNumber,
                debtors: s.debtors.map {
                    .init(
                        url: SiteURL.debtorDetail(id: $0.id).path, name: $0.name,
                        kind: DebtorKind(rawValue: $0.kind)?.chinese ?? $0.kind, idNumber: $0.idNumber,
                        township: $0.township ?? "", official: $0.isPublicOfficial ? "公职人员（\($0.employer ?? "")）" : "")
                },
                payments: detail.payments.map {
                    .init(receivedOn: $0.receivedOn, amount: Money(fen: $0.amountFen).formatted, method: Self.method($0.method))
                },
                history: detail.history.map {
                    .init(
                        time: Display.time($0.occurredAt), on: $0.on ?? "", actor: $0.actor ?? "系统",
                        text: [$0.detail, $0.reason].filter { !$0.isEmpty }.joined(separator: "："))
                },
                measures: measures, actions: actions,
                lookupsURL: user.may(.readLookups) ? SiteURL.caseLookups(id: s.id).path : nil), status: status)
    }

    /// A payment's method as a person reads it.
    static func method(_ raw: String) -> String {
        PaymentMethod(rawValue: raw)?.chinese ?? raw
    }
}
