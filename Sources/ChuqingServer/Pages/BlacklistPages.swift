import ChuqingDomain
import ChuqingPersistence
import ChuqingServices
import Foundation
import Hummingbird

/// The dishonest-debtor list page: first what has a deadline — deletions due (art. 10: 3 working
/// days) and open revocations, corrections and requests — overdue ones flagged; then the notice
/// issues (compose, approve, publish); then every entry and the notifications produced.
struct BlacklistPages {
    let blacklist: BlacklistService
    let noticeIssues: NoticeService
    let pages: PageRenderer
    let notices: NoticeRendering
    let now: @Sendable () -> Date

    struct Model: PageModel {
        struct Row {
            let id: String
            let caseURL: String
            let caseNumber: String
            let debtor: String
            let circumstances: String
            let decidedOn: String
            let term: String
            let state: String
            let overdue: Bool
            let deletionURL: String
        }
        struct Procedure {
            let caseNumber: String
            let debtor: String
            let kind: String
            let reason: String
            let dueOn: String
            let overdue: Bool
        }
        struct Candidate {
            let field: String
            let label: String
            let refusal: String?
        }
        struct Compose {
            let kind: String
            let title: String
            let candidates: [Candidate]
            let hasEligible: Bool
        }
        struct Issue {
            let title: String
            let state: String
            let people: Int
            let draftURL: String?
            let publicURL: String?
            let approveURL: String?
            /// Why the approver sees no button: they composed the issue (four eyes).
            let approvalNote: String?
            let publishURL: String?
            let discardURL: String?
        }
        struct Notification {
            let url: String
            let label: String
            let recipient: String
            let createdOn: String
        }
        let page: PageChrome
        let due: [Row]
        let procedures: [Procedure]
        let entries: [Row]
        let canWrite: Bool
        let canCompose: Bool
        let compose: [Compose]
        let issues: [Issue]
        let notifications: [Notification]
        let today: String
        let composeURL = "/blacklist/notice-issues"
        let publicURL = "/notices"
    }

    func register(on routes: RouteTable) {
        routes.on(.get, SiteURL.blacklist.pattern, .permitted(.readCases), use: listPage)
        routes.on(.post, "/blacklist/entries/:id/deletion", .permitted(.changeCases), use: delete)
        routes.on(.post, "/blacklist/notice-issues", .permitted(.composeNotices), use: composeNotice)
        routes.on(.post, "/blacklist/notice-issues/:id/approve", .permitted(.approveNotices), use: approveNotice)
        routes.on(.post, "/blacklist/notice-issues/:id/publish", .permitted(.composeNotices), use: publishNotice)
        routes.on(.post, "/blacklist/notice-issues/:id/discard", .permitted(.composeNotices), use: discardNotice)
        routes.on(.get, "/blacklist/notice-issues/:id/draft", .permitted(.readCases), use: noticeDraft)
        routes.on(.get, "/blacklist/entry-photos/:id", .permitted(.readCases), use: entryPhoto)
    }

    @Sendable func listPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        let saved = request.uri.queryParameters.get("saved").flatMap { Self.savedMessages[$0] }
        return try await page(context, flash: saved.map(PageChrome.success))
    }

    /// The deletion form: the day the entry leaves the list.
    struct DeletionForm: Decodable {
        @FormText var on: String
    }

    /// The compose form: which notice (the entries are checkboxes named entry-<id>).
    struct ComposeForm: Decodable {
        @FormText var kind: String
    }

    @Sendable func delete(_ request: Request, context: AppRequestContext) async throws -> Response {
        let form = try await request.decode(as: DeletionForm.self, context: context)
        do {
            _ = try await blacklist.delete(entryID: context.pathID, on: try CalendarDate.parse(form.on, field: "on"), by: context.acting)
            return Self.redirect("deleted")
        } catch let error as DomainError {
            return try await page(context, flash: PageChrome.error(error), status: APIError(error).status)
        }
    }

    @Sendable func composeNotice(_ request: Request, context: AppRequestContext) async throws -> Response {
        let form = try await request.decode(as: ComposeForm.self, context: context)
        do {
            let kind = try NoticeKind.parse(form.kind)
            let prefix = "entry-"
            let chosen = context.form.filter { $0.key.hasPrefix(prefix) && $0.value == "on" }.map {
                String($0.key.dropFirst(prefix.count))
            }
            // Keep the page's order (by decision date), not the form's.
            let order = try await noticeIssues.candidates(kind: kind, by: context.acting).map(\.entryID.databaseText)
            _ = try await noticeIssues.compose(
                kind: kind, entryIDs: chosen.sorted { (order.firstIndex(of: $0) ?? .max) < (order.firstIndex(of: $1) ?? .max) },
                corrects: nil, by: context.acting)
            return Self.redirect("composed")
        } catch let error as DomainError {
            return try await page(context, flash: PageChrome.error(error), status: APIError(error).status)
        }
    }

    @Sendable func approveNotice(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await issueAction(context, saved: "approved", confirming: "审批") {
            _ = try await noticeIssues.approve(issueID: context.pathID, by: context.acting)
        }
    }

    @Sendable func publishNotice(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await issueAction(context, saved: "published", confirming: "发布") {
            _ = try await noticeIssues.publish(issueID: context.pathID, by: context.acting)
        }
    }

    @Sendable func discardNotice(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await issueAction(context, saved: "discarded", confirming: "撤回草稿") {
            try await noticeIssues.discard(issueID: context.pathID, by: context.acting)
        }
    }

    @Sendable func noticeDraft(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let (header, items) = try await noticeIssues.draft(issueID: context.pathID, by: context.acting) else {
            throw APIError.notFound
        }
        return Response(
            status: .ok, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(string: try notices.draftHTML(header, items))))
    }

    @Sendable func entryPhoto(_ request: Request, context: AppRequestContext) async throws -> Response {
        // every listed debtor's photo, as the notice drafts every member of staff reads show it
        let photo = try await blacklist.entryPhoto(entryID: context.pathID, by: context.acting)
        return Response.privateImage(photo.bytes, contentType: photo.contentType)
    }

    static let savedMessages = [
        "deleted": "已删除该失信信息，并生成了给信用平台（及公职人员所在单位）的通知",
        "composed": "已编排一期公告，待院领导审批",
        "approved": "已审批，可以发布",
        "published": "已发布；公众可在「公告」页面查看",
        "discarded": "已撤回该期草稿，其中的失信信息可重新编排",
    ]

    static func redirect(_ saved: String) -> Response {
        Response(status: .seeOther, headers: [.location: SiteURL.blacklist.path + "?saved=\(saved)"])
    }

    /// Approving, publishing and discarding cannot be undone: each form's box must be ticked
    /// (`Confirmation`).
    private func issueAction(
        _ context: AppRequestContext, saved: String, confirming: String, _ action: () async throws -> Void
    ) async throws -> Response {
        do {
            try Confirmation.require(context.form[Confirmation.field] == "on", confirming)
            try await action()
            return Self.redirect(saved)
        } catch let error as DomainError {
            return try await page(context, flash: PageChrome.error(error), status: APIError(error).status)
        }
    }

    private func page(_ context: AppRequestContext, flash: PageChrome.Flash?, status: HTTPResponse.Status = .ok) async throws -> Response {
        let user = try context.requireSession().user
        let today = ShanghaiClock.today(now())
        let canWrite = user.may(.changeCases)
        func row(_ entry: BlacklistEntry) -> Model.Row {
            let state: String
            if let removed = entry.deletedOn {
                state = entry.removal == .revoked ? "已于 \(removed) 撤销" : "已于 \(removed) 删除"
            } else if let due = entry.deletionDueOn {
                let trigger = entry.deletionTrigger?.chinese ?? ""
                state = "\(trigger)，应于 \(due) 前删除"
            } else {
                state = entry.publishableFrom > today ? "宽限期至 \(entry.publishableFrom)（公布及通报均暂缓）" : "在列"
            }
            return Model.Row(
                id: entry.id.databaseText, caseURL: SiteURL.caseDetail(id: entry.caseID.databaseText).path, caseNumber: entry.caseNumber,
                debtor: entry.debtorName, circumstances: entry.circumstances.map(\.text).joined(separator: "；"),
                decidedOn: entry.decidedOn.description, term: entry.expiresOn.map { "至 \($0)" } ?? "无固定期限", state: state,
                overdue: entry.deletedOn == nil && (entry.deletionDueOn.map { $0 < today } ?? false),
                deletionURL: "/blacklist/entries/\(entry.id.databaseText)/deletion")
        }
        let canCompose = user.may(.composeNotices)
        var compose: [Model.Compose] = []
        if canCompose {
            for kind in NoticeKind.allCases {
                let candidates = try await noticeIssues.candidates(kind: kind, by: context.acting).map {
                    Model.Candidate(
                        field: "entry-\($0.entryID.databaseText)", label: "\($0.debtorName)（\($0.caseNumber)）", refusal: $0.refusal)
                }
                compose.append(
                    Model.Compose(
                        kind: kind.rawValue, title: kind.chinese, candidates: candidates,
                        hasEligible: candidates.contains { $0.refusal == nil }))
            }
        }
        let issues = try await noticeIssues.issues(publishedOnly: false, publishedLimit: 20, by: context.acting)
        let procedures = try await blacklist.openProcedures(by: context.acting).map {
            Model.Procedure(
                caseNumber: $0.caseNumber, debtor: $0.debtorName, kind: $0.kind.chinese,
                reason: $0.reason, dueOn: $0.dueOn.description, overdue: $0.dueOn < today)
        }
        let notifications = try await blacklist.notifications(entryID: nil, limit: 30, by: context.acting).map {
            Model.Notification(
                url: "/api/v1/blacklist-notifications/\($0.id.databaseText)?format=html",
                label: "\($0.debtorName)：\($0.event.chinese)",
                recipient: $0.recipient, createdOn: ShanghaiClock.today($0.createdAt).description)
        }
        return pages.render(
            "blacklist",
            model: Model(
                page: PageChrome(title: "失信名单", context: context, current: .blacklist, flash: flash),
                due: try await blacklist.entries(deletionDue: true, by: context.acting).map(row),
                procedures: procedures,
                entries: try await blacklist.entries(deletionDue: false, by: context.acting).map(row),
                canWrite: canWrite, canCompose: canCompose, compose: compose,
                issues: issues.map { issue in
                    let state = issue.state
                    let mayApprove = state == .composed && user.may(.approveNotices)
                    let ownIssue = issue.composedBy == user.id
                    return Model.Issue(
                        title: issue.title, state: state.chinese, people: issue.entryIDs.count,
                        draftURL: state == .published ? nil : "/blacklist/notice-issues/\(issue.id.databaseText)/draft",
                        publicURL: state == .published ? "/notices/\(issue.id.databaseText)" : nil,
                        approveURL: mayApprove && !ownIssue ? "/blacklist/notice-issues/\(issue.id.databaseText)/approve" : nil,
                        approvalNote: mayApprove && ownIssue ? "由您编排，须由另一位有批准权限的人员批准" : nil,
                        publishURL: state == .approved && canCompose ? "/blacklist/notice-issues/\(issue.id.databaseText)/publish" : nil,
                        discardURL: state != .published && canCompose ? "/blacklist/notice-issues/\(issue.id.databaseText)/discard" : nil)
                },
                notifications: notifications, today: today.description), status: status)
    }
}
