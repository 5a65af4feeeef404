import ChuqingDocuments
import ChuqingDomain
import ChuqingPersistence
import ChuqingServices
import Foundation
import Hummingbird

/// The public notice pages, open to anyone: `/notices` lists published issues; each issue has its
/// web page, `.xml`, `.txt` and print view; `/notices/feed.atom` announces new issues. Everything
/// is rendered from the stored XML, so the pages show exactly what was published — less any entry
/// withdrawn since, which shows as "该信息已依法删除". Only masked ID numbers are ever stored there.
struct NoticePages {
    let noticeIssues: NoticeService
    let notices: NoticeRendering
    let pages: PageRenderer

    static let logoPath = "/notices/court-logo"

    func register(on routes: RouteTable) {
        routes.on(.get, "/notices", .anyone, use: index)
        routes.on(.get, "/notices/feed.atom", .anyone, use: feed)
        routes.on(.get, Self.logoPath, .anyone, use: logo)
        routes.on(.get, "/notices/:id", .anyone, use: notice)
        routes.on(.get, "/notices/{id}.xml", .anyone, use: noticeXML)
        routes.on(.get, "/notices/{id}.txt", .anyone, use: noticeText)
        routes.on(.get, "/notices/:id/print", .anyone, use: printable)
        routes.on(.get, "/notices/:id/photos/:entry", .anyone, use: entryPhoto)
    }

    @Sendable func index(_ request: Request, context: AppRequestContext) async throws -> Response {
        struct Model {
            struct Row {
                let url: String
                let title: String
                let publishedOn: String
                let people: Int
            }
            let issues: [Row]
            let feedURL = "/notices/feed.atom"
            let tipURL = TipController.formPath
        }
        let rows = try await noticeIssues.published().map {
            Model.Row(
                url: "/notices/\($0.id.databaseText)", title: $0.title, publishedOn: $0.publishedOn?.description ?? "",
                people: $0.entryIDs.count)
        }
        // A public page: its own template, without the staff layout, navigation or session.
        return pages.renderStandalone("notices", model: Model(issues: rows), cacheControl: "public, max-age=60")
    }

    @Sendable func feed(_ request: Request, context: AppRequestContext) async throws -> Response {
        let issues = try await noticeIssues.published(limit: 50)
        let feed = AtomFeed.xml(
            title: "人民法院失信被执行人曝光与信用修复公告", selfURL: "/notices/feed.atom", pageURL: "/notices",
            entries: issues.map { issue in
                AtomFeed.Entry(
                    id: issue.id.databaseText, title: issue.title, url: "/notices/\(issue.id.databaseText)",
                    updated: issue.publishedAt ?? issue.composedAt,
                    summary: "\(issue.title)，共 \(issue.entryIDs.count) 人，发布于 \(issue.publishedOn?.description ?? "")")
            },
            updated: issues.first?.publishedAt ?? Date(timeIntervalSince1970: 0))
        return Response(
            status: .ok, headers: [.contentType: "application/atom+xml; charset=utf-8", .cacheControl: "public, max-age=60"],
            body: .init(byteBuffer: ByteBuffer(string: feed)))
    }

    @Sendable func logo(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let logo = notices.templates.logo else { throw APIError.notFound }
        return Response(
            status: .ok, headers: [.contentType: logo.contentType, .cacheControl: "public, max-age=3600"],
            body: .init(byteBuffer: ByteBuffer(bytes: logo.bytes)))
    }

    @Sendable func notice(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await document(context.pathID, .html)
    }

    @Sendable func noticeXML(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await document(context.pathID, .xml)
    }

    @Sendable func noticeText(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await document(context.pathID, .text)
    }

    @Sendable func printable(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await document(context.pathID, .print)
    }

    @Sendable func entryPhoto(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let photo = try await noticeIssues.publishedPhoto(issueID: context.pathID, entryID: context.pathUUID("entry")) else {
            throw APIError.notFound
        }
        // As short as the pages: a withdrawn person's photo comes down with the page.
        return Response(
            status: .ok, headers: [.contentType: photo.contentType, .cacheControl: "public, max-age=60"],
            body: .init(byteBuffer: ByteBuffer(bytes: photo.bytes)))
    }

    private func document(_ id: UUID, _ format: NoticeRendering.Format) async throws -> Response {
        guard let published = try await noticeIssues.publishedDocument(issueID: id) else { throw APIError.notFound }
        let body = try notices.publicDocument(
            issueID: id.databaseText, stored: published.xml, withdrawn: published.withdrawn, format: format)
        let type =
            switch format {
            case .html, .print: "text/html; charset=utf-8"
            case .text: "text/plain; charset=utf-8"
            case .xml: "application/xml; charset=utf-8"
            }
        // Short public caching: a withdrawal must reach readers within a minute.
        return Response(
            status: .ok, headers: [.contentType: type, .cacheControl: "public, max-age=60"],
            body: .init(byteBuffer: ByteBuffer(string: body)))
    }
}
