import HTTPTypes
import Hummingbird

/// Headers on every response, error pages and JSON included, that keep a browser from reading a
/// response as something it is not, from framing the pages and from running anything the server
/// did not send as a file.
///
/// The policy fits the pages as they are: scripts only from this server (the liaison page's
/// outbox is `/static/liaison.js`; no inline script anywhere), styles from the stylesheet and the
/// `<style>` blocks of the court-replaceable document templates, images from this server (photos,
/// the court's logo, charts) and `blob:` for a photo's preview before it is sent.
struct SecurityHeadersMiddleware<Context: RequestContext>: RouterMiddleware {
    static var contentSecurityPolicy: String {
        "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
            + "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[.referrerPolicy] = "same-origin"
        response.headers[.xFrameOptions] = "DENY"
        if response.headers[.contentSecurityPolicy] == nil {
            response.headers[.contentSecurityPolicy] = Self.contentSecurityPolicy
        }
        return response
    }
}

extension HTTPField.Name {
    static let xContentTypeOptions = Self("X-Content-Type-Options")!
    static let referrerPolicy = Self("Referrer-Policy")!
    static let xFrameOptions = Self("X-Frame-Options")!
    static let contentSecurityPolicy = Self("Content-Security-Policy")!
}
