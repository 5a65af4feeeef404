import ChuqingDocuments
import ChuqingDomain
import ChuqingPersistence
import ChuqingServices
import Foundation
import Hummingbird

/// `/api/v1/notice-issues`: exposure and credit-repair notice issues — composed by a clerk (or
/// the director) from eligible entries, approved by the director after the XSD check, then
/// published under the court's next number for the year. `/notices/` serves them to the public.
struct NoticeController {
    let database: Database
    let notices: NoticeRendering
    let now: @Sendable () -> Date

    struct NewIssue: Decodable {
        let kind: String
        let entryIds: [String]
        let corrects: String?
    }

    struct IssueList: Encodable {
        let items: [NoticeIssue]
        let nextCursor: String?
    }

    struct CandidateList: Encodable {
        let items: [NoticeCandidate]
    }

    var repository: NoticeRepository { NoticeRepository(database: database) }

    func register(on routes: RouteTable) {
        routes.on(.post, "/api/v1/notice-issues", .permitted(.composeNotices)) { request, context in
            let body = try await request.decodeJSON(NewIssue.self, context: context)
            return try JSON.response(
                try await compose(
                    kind: try NoticeKind.parse(body.kind), entryIDs: body.entryIds, corrects: body.corrects,
                    context), status: .created)
        }
        routes.on(.get, "/api/v1/notice-issues", .permitted(.readNotices)) { request, context in
            let state = try request.choice("state", of: ["published"])
            let items =
                state == "published" ? try await repository.published() : try await repository.unpublished() + repository.published()
            return try JSON.response(IssueList(items: items, nextCursor: nil))
        }
        routes.on(.get, "/api/v1/notice-candidates", .permitted(.readNotices)) { request, context in
            let kind = try NoticeKind.parse(request.uri.queryParameters.get("kind") ?? "")
            return try JSON.response(CandidateList(items: try await repository.candidates(kind: kind, today: ShanghaiClock.today(now()))))
        }
        routes.on(.get, "/api/v1/notice-issues/:id", .permitted(.readNotices)) { _, context in
            try JSON.response(try await issue(context))
        }
        routes.on(.get, "/api/v1/notice-issues/:id/xml", .permitted(.readNotices)) { _, context in
            // The stored canonical XML of a published issue (the record, withdrawn entries
            // included), or the draft as it would be published today.
            let issue = try await issue(context)
            let xml: String
            if let stored = try await repository.storedXML(issueID: issue.id) {
                xml = stored
            } else {
                guard let (header, items) = try await repository.draft(id: issue.id, date: ShanghaiClock.today(now())) else {
                    throw APIError.notFound
                }
                xml = NoticeDocument.xml(header, items: items)
            }
            return Response(
                status: .ok, headers: [.contentType: "application/xml; charset=utf-8", .cacheControl: "no-store"],
                body: .init(byteBuffer: ByteBuffer(string: xml)))
        }
        routes.on(.post, "/api/v1/notice-issues/:id/approve", .permitted(.approveNotices)) { _, context in
            try JSON.response(try await approve(try await issue(context), context))
        }
        routes.on(.post, "/api/v1/notice-issues/:id/publish", .permitted(.composeNotices)) { _, context in
            try JSON.response(try await publish(try await issue(context), context))
        }
        routes.on(.delete, "/api/v1/notice-issues/:id", .permitted(.composeNotices)) { _, context in
            let issue = try await issue(context)
            try await discard(issue, context)
            return Response(status: .noContent)
        }
        for method in [HTTPRequest.Method.put, .patch] {
            // A published issue is never edited; a draft is discarded and composed anew.
            routes.on(method, "/api/v1/notice-issues/:id", .permitted(.composeNotices)) { _, context -> Response in
                let issue = try await issue(context)
                try NoticeIssueState(rawValue: issue.state)?.checkEditable()
                throw DomainError(
                    code: "issue_not_editable",
                    message: "公告的内容只能在编排时确定；如需修改未发布的一期，请撤回（DELETE）后重新编排", kind: .conflict)
            }
        }
    }

    func compose(kind: NoticeKind, entryIDs: [String], corrects: String?, _ context: AppRequestContext) async throws -> NoticeIssue {
        let user = try context.requireSession().user
        let instant = now()
        let actor = context.acting
        return try await repository.compose(
            kind: kind, entryIDs: entryIDs, corrects: corrects?.trimmed.isEmpty == false ? corrects : nil, composedBy: user.id,
            audit: { id in actor.audit("notice.compose", entity: "notice_issue", id: id, detail: kind.chinese, at: instant) },
            today: ShanghaiClock.today(instant), now: instant)
    }

    func approve(_ issue: NoticeIssue, _ context: AppRequestContext) async throws -> NoticeIssue {
        let user = try context.requireSession().user
        let instant = now()
        let notices = self.notices
        return try await repository.approve(
            id: issue.id, approvedBy: user.id,
            audit: context.acting.audit("notice.approve", entity: "notice_issue", id: issue.id, detail: issue.title, at: instant),
            today: ShanghaiClock.today(instant), now: instant, check: { header, items in _ = try notices.noticeXML(header, items) })
    }

    func publish(_ issue: NoticeIssue, _ context: AppRequestContext) async throws -> NoticeIssue {
        let user = try context.requireSession().user
        let instant = now()
        let notices = self.notices
        return try await repository.publish(
            id: issue.id, publishedBy: user.id,
            audit: context.acting.audit("notice.publish", entity: "notice_issue", id: issue.id, detail: issue.title, at: instant),
            today: ShanghaiClock.today(instant), now: instant, render: { header, items in try notices.noticeXML(header, items) })
    }

    func discard(_ issue: NoticeIssue, _ context: AppRequestContext) async throws {
        try await repository.discard(
            id: issue.id,
            audit: context.acting.audit(
                "notice.discard", entity: "notice_issue", id: issue.id,
                detail: issue.title, at: now()))
    }

    private func issue(_ context: AppRequestContext) async throws -> NoticeIssue {
        guard let id = context.parameters.get("id"), let issue = try await repository.issue(id: id) else { throw APIError.notFound }
        return issue
    }
}
