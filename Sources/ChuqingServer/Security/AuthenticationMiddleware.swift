import ChuqingPersistence
import ChuqingServices
import Foundation
import Hummingbird

/// Finds who is calling: a bearer token in the API's and the system routes' groups, the session
/// cookie in the pages' group (never the other way round, so a page form cannot be replayed
/// against the API and the API needs no CSRF token).
struct AuthenticationMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    static let cookieName = "chuqing_session"

    /// Where the credential is read from.
    enum Credential {
        case bearer, cookie
    }

    let accounts: AccountService
    let bodyLimit: Int
    let credential: Credential

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        context.bodyLimit = bodyLimit
        let token: String?
        switch credential {
        case .bearer:
            token = request.headers[.authorization].flatMap { header in
                let parts = header.split(separator: " ", maxSplits: 1)
                return parts.count == 2 && parts[0].lowercased() == "bearer" ? String(parts[1]).trimmingCharacters(in: .whitespaces) : nil
            }
        case .cookie:
            token = request.cookies[Self.cookieName]?.value
        }
        if let token, !token.isEmpty {
            if let session = try await accounts.activeSession(token: token) {
                context.session = session
                context.logger[metadataKey: "user"] = .string(session.user.username.value)
            } else {
                context.credentialRejected = true
            }
        }
        return try await next(request, context)
    }
}
