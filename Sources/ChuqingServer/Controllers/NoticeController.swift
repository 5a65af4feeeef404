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
        let items: [NoticeIssue]
        let nextCursor: String?
    }

    struct CandidateList: Encodable {
        let items: [NoticeCandidate]
    }

    func register(on routes: RouteTable) {
        routes.on(.post, "/api/v1/notice-issues", .permitted(.composeNotices)) { request, context in
            let body = try await request.decodeJSON(NewIssue.self, context: context)
            let issue = try await notices.compose(
                kind: try NoticeKind.parse(body.kind), entryIDs: body.entryIds, corrects: body.corrects, by: context.acting)
            return try JSON.response(issue, status: .created)
        }
        routes.on(.get, "/api/v1/notice-issues", .permitted(.readNotices)) { request, context in
            let state = try request.choice("state", of: ["published"])
            return try JSON.response(
                IssueList(items: try await notices.issues(publishedOnly: state == "published", by: context.acting), nextCursor: nil))
        }
        routes.on(.get, "/api/v1/notice-candidates", .permitted(.readNotices)) { request, context in
            let kind = try NoticeKind.parse(request.uri.queryParameters.get("kind") ?? "")
            return try JSON.response(CandidateList(items: try await notices.candidates(kind: kind, by: context.acting)))
        }
        routes.on(.get, "/api/v1/notice-issues/:id", .permitted(.readNotices)) { _, context in
            try JSON.response(try await notices.issue(id: context.pathID, by: context.acting))
        }
        routes.on(.get, "/api/v1/notice-issues/:id/xml", .permitted(.readNotices)) { _, context in
            Response(
                status: .ok, headers: [.contentType: "application/xml; charset=utf-8", .cacheControl: "no-store"],
                body: .init(byteBuffer: ByteBuffer(string: try await notices.xml(issueID: context.pathID, by: context.acting))))
        }
        routes.on(.post, "/api/v1/notice-issues/:id/approve", .permitted(.approveNotices)) { _, context in
            try JSON.response(try await notices.approve(issueID: context.pathID, by: context.acting))
        }
        routes.on(.post, "/api/v1/notice-issues/:id/publish", .permitted(.composeNotices)) { _, context in
            try JSON.response(try await notices.publish(issueID: context.pathID, by: context.acting))
        }
        routes.on(.delete, "/api/v1/notice-issues/:id", .permitted(.composeNotices)) { _, context in
            try await notices.discard(issueID: context.pathID, by: context.acting)
            return Response(status: .noContent)
        }
        for method in [HTTPRequest.Method.put, .patch] {
            routes.on(method, "/api/v1/notice-issues/:id", .permitted(.composeNotices)) { _, context -> Response in
                try await notices.refuseEdit(issueID: context.pathID, by: context.acting)
            }
        }
    }
}
