import ChuqingDomain
import ChuqingPersistence
import ChuqingServices
import Foundation
import Hummingbird

/// Tip-offs from the public (举报), invited by every published notice: `POST /api/v1/tips` and the
/// public form `/tips/new`, both without login, rate-limited per address, with a honeypot field
/// (`website`) instead of a captcha. A clerk enters phoned-in tips with the same form, logged in.
/// Staff read them at `/tips` and `GET /api/v1/tips`; who tipped is shown only to the judge and the
/// director.
struct TipController {
    let tips: TipService
    let pages: PageRenderer

    /// The public form, linked from every notice page.
    static let formPath = "/tips/new"

    /// The public tip form: the API's tip, with the empty fields a browser sends for the
    /// notice and entry when the tip is about nobody in particular.
    struct TipForm: Decodable {
        @FormText var text: String
        var place: String?
        var name: String?
        var phone: String?
        var issueId: String?
        var entryId: String?
        var website: String?

        var tip: NewTip {
            NewTip(
                text: text, place: place, name: name, phone: phone, issueId: issueId?.nonEmpty, entryId: entryId?.nonEmpty, website: website
            )
        }
    }

    struct NewTip: Decodable {
        let text: String
        let place: String?
        let name: String?
        let phone: String?
        let issueId: String?
        let entryId: String?
        /// The honeypot: people leave it empty (the form hides it); robots fill it in.
        let website: String?

        /// What the service takes.
        var input: TipService.TipInput {
            TipService.TipInput(text: text, place: place, name: name, phone: phone, issueID: issueId, entryID: entryId, website: website)
        }
    }

    struct Received: Encodable {
        let id: String
        let receivedAt: Date
    }

    struct TipList: Encodable {
        let items: [TipResponse]
        let nextCursor: String?
    }

    func register(on routes: RouteTable) {
        routes.on(.post, "/api/v1/tips", .anyone, use: submit)
        routes.on(.get, "/api/v1/tips", .permitted(.readTips), use: tips)
        routes.on(.get, Self.formPath, .anyone, use: showForm)
        routes.on(.post, "/tips", .anyone, use: submitForm)
        routes.on(.get, "/tips", .permitted(.readTips), use: tipsPage)
    }

    @Sendable func submit(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body = try await request.decode(as: NewTip.self, context: context)
        let (id, receivedAt) = try await tips.receive(body.input, by: context.acting)
        return try JSON.response(Received(id: id.databaseText, receivedAt: receivedAt), status: .created)
    }

    @Sendable func tips(_ request: Request, context: AppRequestContext) async throws -> Response {
        try JSON.response(TipList(items: try await tips.tips(by: context.acting).map(TipResponse.init), nextCursor: nil))
    }

    @Sendable func showForm(_ request: Request, context: AppRequestContext) async throws -> Response {
        let issue = request.uri.queryParameters.get("issue")
        let entry = request.uri.queryParameters.get("entry")
        return try await formPage(context, form: ["issueId": issue ?? "", "entryId": entry ?? ""], message: nil, status: .ok)
    }

    @Sendable func submitForm(_ request: Request, context: AppRequestContext) async throws -> Response {
        let form = context.form
        let body = try await request.decode(as: TipForm.self, context: context).tip
        do {
            _ = try await tips.receive(body.input, by: context.acting)
            if context.user != nil { return Response(status: .seeOther, headers: [.location: "/tips?saved=entered"]) }
            struct Received { let noticesURL = "/notices" }
            return pages.renderStandalone("tip-received", model: Received(), cacheControl: "no-store")
        } catch let error as DomainError {
            return try await formPage(context, form: form, message: error.message, status: APIError(error).status)
        } catch let refusal as Refusal {
            guard case .tooManyRequests(let wait) = refusal.reason else { throw refusal }
            var response = try await formPage(context, form: form, message: refusal.message, status: .tooManyRequests)
            response.headers[.retryAfter] = String(wait)
            return response
        }
    }

    @Sendable func tipsPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.requireSession().user
        struct Model: PageModel {
            struct Row {
                let receivedAt: String
                let subject: String
                let caseURL: String?
                let text: String
                let place: String?
                let tipster: String
                let source: String
            }
            let page: PageChrome
            let tips: [Row]
            let formURL = "/tips/new"
        }
        let showTipster = user.may(.readTipsters)
        let tips = try await tips.tips(by: context.acting)
        let saved = request.uri.queryParameters.get("saved") == "entered" ? PageChrome.success("已录入电话举报") : nil
        return pages.render(
            "tips",
            model: Model(
                page: PageChrome(title: "举报线索", context: context, current: .triage, flash: saved),
                tips: tips.map { tip in
                    Model.Row(
                        receivedAt: Display.time(tip.receivedAt),
                        subject: tip.debtorName.map { "\($0)（\(tip.caseNumber ?? "")）" } ?? "未指明对象",
                        caseURL: tip.caseID.map { SiteURL.caseDetail(id: $0.databaseText).path }, text: tip.text, place: tip.place,
                        tipster: showTipster
                            ? [tip.tipsterName, tip.tipsterPhone].compactMap { $0 }.joined(separator: " · ").nonEmpty ?? "匿名"
                            : "（仅承办法官和院领导可见）",
                        source: tip.source == .phone ? "电话" : "网上")
                }))
    }

    private func formPage(_ context: AppRequestContext, form: [String: String], message: String?, status: HTTPResponse.Status) async throws
        -> Response
    {
        var subject: String?
        if let issue = form["issueId"], let entry = form["entryId"], !issue.isEmpty, !entry.isEmpty,
            let found = try await tips.subject(issueID: issue, entryID: entry)
        {
            subject = "\(found.debtorName)（\(found.caseNumber)）"
        }
        struct Model {
            let csrf: String
            let subject: String?
            let issueId: String
            let entryId: String
            let form: [String: String]
            let message: String?
            let isStaff: Bool
        }
        var response = pages.renderStandalone(
            "tip",
            model: Model(
                csrf: context.csrfToken ?? "", subject: subject, issueId: subject == nil ? "" : form["issueId"] ?? "",
                entryId: subject == nil ? "" : form["entryId"] ?? "", form: form, message: message,
                isStaff: context.user.map { $0.may(.enterTips) } ?? false), cacheControl: "no-store")
        response.status = status
        return response
    }
}
