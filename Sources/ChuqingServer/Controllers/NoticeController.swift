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
    let notices: NoticeService

    struct NewIssue: Decodable {
        let kind: String
        let entryIds: [String]
        let corrects: String?
    }

    struct IssueList: Encodable {
        let items: [NoticeIssueResponse]
        let nextCursor: String?
    }

    struct CandidateList: Encodable {
        let items: [NoticeCandidateResponse]
    }

    func register(on routes: RouteTable) {
        routes.on(.post, "/api/v1/notice-issues", .permitted(.composeNotices), use: compose)
        routes.on(.get, "/api/v1/notice-issues", .permitted(.readNotices), use: issues)
        routes.on(.get, "/api/v1/notice-candidates", .permitted(.readNotices), use: candidates)
        routes.on(.get, "/api/v1/notice-issues/:id", .permitted(.readNotices), use: issue)
        routes.on(.get, "/api/v1/notice-issues/:id/xml", .permitted(.readNotices), use: issueXML)
        routes.on(.post, "/api/v1/notice-issues/:id/approve", .permitted(.approveNotices), use: approve)
        routes.on(.post, "/api/v1/notice-issues/:id/publish", .permitted(.composeNotices), use: publish)
        routes.on(.delete, "/api/v1/notice-issues/:id", .permitted(.composeNotices), use: discard)
        routes.on(.put, "/api/v1/notice-issues/:id", .permitted(.composeNotices), use: refuseEdit)
        routes.on(.patch, "/api/v1/notice-issues/:id", .permitted(.composeNotices), use: refuseEdit)
    }

    /// An issue is never edited, only corrected by a new one: the service says so (409).
    @Sendable func refuseEdit(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await notices.refuseEdit(issueID: context.pathID, by: context.acting)
    }

    @Sendable func compose(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body = try await request.decode(as: NewIssue.self, context: context)
        let issue = try await notices.compose(
            kind: try NoticeKind.parse(body.kind), entryIDs: body.entryIds, corrects: body.corrects, by: context.acting)
        return try JSON.response(NoticeIssueResponse(issue), status: .created)
    }

    @Sendable func issues(_ request: Request, context: AppRequestContext) async throws -> Response {
        let state = try request.choice("state", of: ["published"])
        return try JSON.response(
            IssueList(
                items: try await notices.issues(publishedOnly: state == "published", by: context.acting).map(NoticeIssueResponse.init),
                nextCursor: nil))
    }

    @Sendable func candidates(_ request: Request, context: AppRequestContext) async throws -> Response {
        let kind = try NoticeKind.parse(request.uri.queryParameters.get("kind") ?? "")
        return try JSON.response(
            CandidateList(items: try await notices.candidates(kind: kind, by: context.acting).map(NoticeCandidateResponse.init)))
    }

    @Sendable func issue(_ request: Request, context: AppRequestContext) async throws -> Response {
        try JSON.response(NoticeIssueResponse(try await notices.issue(id: context.pathID, by: context.acting)))
    }

    @Sendable func issueXML(_ request: Request, context: AppRequestContext) async throws -> Response {
        Response(
            status: .ok, headers: [.contentType: "application/xml; charset=utf-8", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(string: try await notices.xml(issueID: context.pathID, by: context.acting))))
    }

    @Sendable func approve(_ request: Request, context: AppRequestContext) async throws -> Response {
        try JSON.response(NoticeIssueResponse(try await notices.approve(issueID: context.pathID, by: context.acting)))
    }

    @Sendable func publish(_ request: Request, context: AppRequestContext) async throws -> Response {
        try JSON.response(NoticeIssueResponse(try await notices.publish(issueID: context.pathID, by: context.acting)))
    }

    @Sendable func discard(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await notices.discard(issueID: context.pathID, by: context.acting)
        return Response(status: .noContent)
    }
}
