import ChuqingDomain
import ChuqingPersistence
import ChuqingServices
import Foundation
import Hummingbird

/// The 涉公职人员案件组's pages (issue 18 items 1 and 6): the team's list (`/officials`) with the
/// debtors still to push and the pushes by stage, and one push (`/officials/pushes/{id}`) with its
/// letters, the employer's replies and the escalation.
struct OfficialPages {
    let officials: OfficialService
    let cases: CaseService
    let notices: NoticeRendering
    let pages: PageRenderer
    let now: @Sendable () -> Date

    func register(on routes: RouteTable) {
        routes.on(.get, SiteURL.officials.pattern, .permitted(.readCases), use: teamPage)
        routes.on(.post, SiteURL.officialPushes.pattern, .permitted(.changeCases), use: push)
        routes.on(.get, SiteURL.officialPush(id: "").pattern, .permitted(.readCases), use: pushPage)
        routes.on(.post, SiteURL.officialPushReplies(id: "").pattern, .permitted(.changeCases), use: reply)
        routes.on(.post, SiteURL.officialPushEscalation(id: "").pattern, .permitted(.changeCases), use: escalate)
        routes.on(.get, SiteURL.officialPushLetter(id: "").pattern, .permitted(.readCases), use: letter)
        routes.on(.get, SiteURL.officialEscalationLetter(id: "", escalation: "").pattern, .permitted(.readCases), use: letter)
    }

    struct Option {
        let value: String
        let label: String
        let selected: Bool
    }

    struct Row {
        let url: String
        let caseNumber: String
        let debtorName: String
        let recipient: String
        let sentOn: String
        let dueOn: String
        let stage: String
        let stageKey: String
        let overdue: Bool
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
        let settings: String
        let candidates: [Option]
        let hasCandidates: Bool
        let candidateCount: Int
        let canPush: Bool
        let pushURL: String
        let stages: [Stage]
        let form: [String: String]
    }

    static func row(_ push: PushRecord, today: CalendarDate) -> Row {
        let stage = push.stage(today: today)
        return Row(
            url: SiteURL.officialPush(id: push.id.databaseText).path, caseNumber: push.caseNumber, debtorName: push.debtorName,
            recipient: push.recipient, sentOn: push.sentOn.description, dueOn: push.dueOn.description, stage: stage.chinese,
            stageKey: stage.rawValue, overdue: stage == .dueForEscalation, judge: push.judgeName ?? "—")
    }

    /// The team page's model. Pure: a unit test builds it without a server.
    static func teamModel(
        pushes: [PushRecord], candidates: [PushCandidate], settings: PushSettings, page: PageChrome, user: User, today: CalendarDate,
        form: [String: String]
    ) -> TeamModel {
        let order: [PushStage] = [.dueForEscalation, .pushed, .escalated, .performed]
        let stages = order.map { stage in
            let rows = pushes.filter { $0.stage(today: today) == stage }.map { row($0, today: today) }
            return Stage(key: stage.rawValue, label: stage.chinese, count: rows.count, rows: rows, hasRows: !rows.isEmpty)
        }
        let chosen = form["candidate"] ?? ""
        return TeamModel(
            page: page, today: today.description,
            settings:
                "通报函给予 \(settings.days) 日履行期限；期满仍未履行的，\(settings.escalation == .automatic ? "次日由系统自动生成" : "列入待移送，由承办人生成")移送\(settings.bodies.joined(separator: "、"))的移送函（本院设置）。",
            candidates: candidates.map {
                let value = "\($0.caseID.databaseText):\($0.debtorID.databaseText)"
                return Option(
                    value: value, label: "\($0.caseNumber) \($0.debtorName)\($0.employer.map { "（\($0)）" } ?? "")",
                    selected: value == chosen)
            }, hasCandidates: !candidates.isEmpty, candidateCount: candidates.count, canPush: user.may(.changeCases),
            pushURL: SiteURL.officialPushes.path, stages: stages, form: form.filter { $0.key != CSRFMiddleware.fieldName })
    }

    @Sendable func teamPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await team(context: context, flash: Self.flash(request))
    }

    static func flash(_ request: Request) -> PageChrome.Flash? {
        switch request.uri.queryParameters.get("saved") {
        case "push": PageChrome.success("已发出通报函")
        case "reply": PageChrome.success("已登记单位回复")
        case "escalation": PageChrome.success("已生成移送函")
        default: nil
        }
    }

    private func team(context: AppRequestContext, flash: PageChrome.Flash?, status: HTTPResponse.Status = .ok) async throws -> Response {
        let user = try context.requireSession().user
        let model = Self.teamModel(
            pushes: try await officials.pushes(by: context.acting), candidates: try await officials.candidates(by: context.acting),
            settings: officials.pushSettings, page: PageChrome(title: "涉公职人员案件组", context: context, current: .officials, flash: flash),
            user: user, today: ShanghaiClock.today(now()), form: status == .ok ? [:] : context.form)
        return pages.render("officials", model: model, status: status)
    }

    struct PushForm: Decodable {
        @FormText var candidate: String
        @FormText var recipient: String
        @FormText var sentOn: String
    }

    @Sendable func push(_ request: Request, context: AppRequestContext) async throws -> Response {
        let form = try await request.decode(as: PushForm.self, context: context)
        do {
            let parts = form.candidate.split(separator: ":").map(String.init)
            guard parts.count == 2, let caseID = UUID(uuidString: parts[0]), let debtorID = UUID(uuidString: parts[1]) else {
                throw DomainError(code: "candidate_required", message: "请从列表中选择要通报的被执行人", field: "candidate")
            }
            let push = try await officials.push(
                .init(
                    caseID: caseID, debtorID: debtorID, recipient: form.recipient.trimmed.nilIfEmpty,
                    sentOn: try CalendarDate.parse(form.sentOn, field: "sentOn")), by: context.acting)
            return Response(status: .seeOther, headers: [.location: SiteURL.officialPush(id: push.id.databaseText).path + "?saved=push"])
        } catch let error as DomainError {
            return try await team(context: context, flash: PageChrome.error(error), status: APIError(error).status)
        }
    }

    struct PushModel: PageModel {
        let page: PageChrome
        let today: String
        let caseURL: String
        let caseNumber: String
        let debtorName: String
        let recipient: String
        let sentOn: String
        let dueOn: String
        let stage: String
        let overdue: Bool
        let letterNumber: String
        let letterURL: String
        let printURL: String
        let acknowledgedOn: String?
        let repliedOn: String?
        let reply: String?
        let escalations: [Escalation]
        let hasEscalations: Bool
        let canAct: Bool
        let canEscalate: Bool
        let escalationHint: String
        let replyURL: String
        let escalationURL: String
        let bodies: String
        let form: [String: String]
    }

    struct Escalation {
        let body: String
        let letterNumber: String
        let producedOn: String
        let producedBy: String
        let letterURL: String
        let printURL: String
    }

    static func pushModel(
        _ push: PushRecord, settings: PushSettings, page: PageChrome, user: User, today: CalendarDate, form: [String: String]
    )
        -> PushModel
    {
        let stage = push.stage(today: today)
        let id = push.id.databaseText
        let letter = SiteURL.officialPushLetter(id: id).path
        let open = stage == .pushed || stage == .dueForEscalation
        return PushModel(
            page: page, today: today.description, caseURL: SiteURL.caseDetail(id: push.caseID.databaseText).path,
            caseNumber: push.caseNumber, debtorName: push.debtorName, recipient: push.recipient, sentOn: push.sentOn.description,
            dueOn: push.dueOn.description, stage: stage.chinese, overdue: stage == .dueForEscalation, letterNumber: push.letterNumber,
            letterURL: letter, printURL: letter + "?format=print", acknowledgedOn: push.acknowledgedOn?.description,
            repliedOn: push.repliedOn?.description, reply: push.reply,
            escalations: push.escalations.map {
                let url = SiteURL.officialEscalationLetter(id: id, escalation: $0.id.databaseText).path
                return Escalation(
                    body: $0.body, letterNumber: $0.letterNumber, producedOn: $0.producedOn.description,
                    producedBy: $0.producedBy ?? "系统（定时任务）",
                    letterURL: url, printURL: url + "?format=print")
            }, hasEscalations: !push.escalations.isEmpty, canAct: user.may(.changeCases) && open,
            canEscalate: user.may(.changeCases) && stage == .dueForEscalation,
            escalationHint: stage == .pushed ? "履行期限至 \(push.dueOn) 止；期满仍未履行的，自 \(push.dueOn.adding(days: 1)) 起可以移送。" : "",
            replyURL: SiteURL.officialPushReplies(id: id).path, escalationURL: SiteURL.officialPushEscalation(id: id).path,
            bodies: settings.bodies.joined(separator: "、"), form: form.filter { $0.key != CSRFMiddleware.fieldName })
    }

    @Sendable func pushPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await pushPage(context: context, flash: Self.flash(request))
    }

    private func pushPage(context: AppRequestContext, flash: PageChrome.Flash?, status: HTTPResponse.Status = .ok) async throws -> Response
    {
        let push = try await officials.push(id: context.pathID, by: context.acting)
        let model = Self.pushModel(
            push, settings: officials.pushSettings,
            page: PageChrome(title: "\(push.caseNumber) \(push.debtorName)", context: context, current: .officials, flash: flash),
            user: try context.requireSession().user, today: ShanghaiClock.today(now()), form: status == .ok ? [:] : context.form)
        return pages.render("official-push", model: model, status: status)
    }

    struct ReplyForm: Decodable {
        @FormText var kind: String
        @FormText var on: String
        @FormText var text: String
    }

    @Sendable func reply(_ request: Request, context: AppRequestContext) async throws -> Response {
        let form = try await request.decode(as: ReplyForm.self, context: context)
        return try await act(context: context, saved: "reply") {
            let on = try CalendarDate.parse(form.on, field: "on")
            let reply: OfficialService.Reply = form.kind == "replied" ? .replied(on: on, text: form.text) : .acknowledged(on: on)
            _ = try await officials.record(reply, pushID: context.pathID, by: context.acting)
        }
    }

    struct EscalationForm: Decodable {
        @FormText var on: String
    }

    @Sendable func escalate(_ request: Request, context: AppRequestContext) async throws -> Response {
        let form = try await request.decode(as: EscalationForm.self, context: context)
        return try await act(context: context, saved: "escalation") {
            _ = try await officials.escalate(pushID: context.pathID, on: try CalendarDate.parse(form.on, field: "on"), by: context.acting)
        }
    }

    /// Post/redirect/get; a broken rule shows the push page again with what was typed.
    private func act(context: AppRequestContext, saved: String, _ work: () async throws -> Void) async throws -> Response {
        do {
            try await work()
            let id = try context.pathID
            return Response(status: .seeOther, headers: [.location: SiteURL.officialPush(id: id.databaseText).path + "?saved=\(saved)"])
        } catch let error as DomainError {
            return try await pushPage(context: context, flash: PageChrome.error(error), status: APIError(error).status)
        }
    }

    @Sendable func letter(_ request: Request, context: AppRequestContext) async throws -> Response {
        let escalation = context.parameters.get("escalation") == nil ? nil : try context.pathUUID("escalation")
        let xml = try await officials.letter(pushID: context.pathID, escalationID: escalation, by: context.acting)
        return try OfficialController.letterResponse(xml, format: request.uri.queryParameters.get("format"), notices: notices)
    }
}
