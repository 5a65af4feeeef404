import ChuqingServices
import Crypto
import Foundation
import Hummingbird
import NIOCore

/// Protects every page form against cross-site request forgery: each form repeats a token in a
/// hidden `_csrf` field, and a POST without the right one is refused (403) before its handler runs.
///
/// For a signed-in browser the token is derived from its session (`token(forSession:)`), so only
/// the token issued to this session passes: a cookie planted by another site or a sibling host
/// cannot make up a matching pair. Before login (the login form, the public tip form) there is no
/// session to bind to, and a random value in an HttpOnly, SameSite=Lax cookie is double-submitted.
///
/// It is the pages' group's middleware: the API is not covered, as it authenticates only with
/// bearer tokens, which a browser never sends on its own.
struct CSRFMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    static let cookieName = "chuqing_csrf"
    static let fieldName = "_csrf"
    let secureCookies: Bool

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        // the pages' group only: the API and the system routes have no forms
        let path = request.uri.path
        var context = context
        var request = request
        let existing = request.cookies[Self.cookieName]?.value
        let sessionToken = context.session == nil ? nil : request.cookies[AuthenticationMiddleware.cookieName]?.value
        let token = sessionToken.map(Self.token(forSession:)) ?? existing.flatMap { $0.count == 43 ? $0 : nil } ?? Tokens.make()
        context.csrfToken = token

        if request.method == .post {
            let contentType = request.headers[.contentType] ?? ""
            if MultipartForm.isMultipart(contentType) {
                // Only signed-in users upload files (imports, photos, case lists): a stranger is sent
                // to log in before up to 32 MiB is read.
                guard context.user != nil else { throw LoginRequired(next: path) }
                let buffer = try await request.collectBody(upTo: ImportController.maxFileBytes)
                let multipart = try MultipartForm(Data(buffer: buffer), contentType: contentType)
                for part in multipart.parts {
                    if part.filename != nil { context.uploads[part.name] = part } else { context.form[part.name] = part.text }
                }
            } else if contentType.lowercased().hasPrefix("application/x-www-form-urlencoded") {
                let buffer = try await request.collectBody(upTo: context.bodyLimit)
                context.form = FormBody.parse(String(buffer: buffer))
            } else {
                throw APIError(
                    .unsupportedMediaType, code: "form_expected",
                    message: "表单须以 application/x-www-form-urlencoded 或 multipart/form-data 提交")
            }
            context.formWasRead = true
            let expected = sessionToken == nil ? existing : token
            guard let expected, let sent = context.form[Self.fieldName], Tokens.constantTimeEquals(expected, sent) else {
                throw APIError(.forbidden, code: "csrf_failed", message: "表单已过期或来源不明，请刷新页面后重新提交")
            }
        }

        var response = try await next(request, context)
        if sessionToken == nil, existing != token {
            response.setCookie(
                Cookie(name: Self.cookieName, value: token, path: "/", secure: secureCookies, httpOnly: true, sameSite: .lax))
        }
        return response
    }
}

extension CSRFMiddleware {
    /// The form token of a browser session: a one-way, domain-separated digest of the session
    /// cookie, which is HttpOnly and never in a page, so no other site can compute it, and the
    /// stored session hash (`Tokens.hash`) is not it either.
    static func token(forSession session: String) -> String {
        Tokens.urlSafe(SHA256.hash(data: Data("chuqing-csrf\u{0}\(session)".utf8)))
    }
}

/// `application/x-www-form-urlencoded` bodies.
enum FormBody {
    /// The fields of a form body; a repeated name keeps its last value.
    static func parse(_ body: String) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in body.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ text: Substring) -> String {
                String(text).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(text)
            }
            fields[decode(parts[0])] = parts.count > 1 ? decode(parts[1]) : ""
        }
        return fields
    }
}
