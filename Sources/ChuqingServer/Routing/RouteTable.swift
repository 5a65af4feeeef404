import ChuqingDomain
import Foundation
import Hummingbird

/// Who may use a route. Every route states one; there is no default.
public enum Access: Sendable, Equatable {
    /// Anyone, logged in or not (login, health checks, the stylesheet, the OpenAPI document).
    case anyone
    /// Logged-in users with one of these roles.
    case roles(Set<Role>)
    /// Callers on this machine, or logged-in users with one of these roles (Prometheus scraping).
    case loopbackOr(Set<Role>)

    /// Every role.
    public static let anyRole = Access.roles(Set(Role.allCases))

    /// The roles that hold `permission` in the permission table.
    public static func permitted(_ permission: Permission) -> Access {
        .roles(permission.roles)
    }
}

/// A route as declared: used to serve it, and by the tests that walk the table.
public struct RouteDeclaration: Sendable, Equatable {
    public let method: HTTPRequest.Method
    public let path: String
    public let access: Access
    /// API routes answer in JSON and take bearer tokens; the others are pages with cookies.
    public var isAPI: Bool { path.hasPrefix("/api/") }

    /// Whether a request path has this route's shape: `:name` is any one segment, `{name}` any
    /// text within one (`{id}.xml`).
    func matches(_ requestPath: String) -> Bool {
        let pattern = path.split(separator: "/", omittingEmptySubsequences: false)
        let given = requestPath.split(separator: "/", omittingEmptySubsequences: false)
        guard pattern.count == given.count else { return false }
        return zip(pattern, given).allSatisfy { pattern, given in
            if pattern.hasPrefix(":") { return !given.isEmpty }
            guard pattern.contains("{") else { return pattern == given }
            let regex =
                "^"
                + pattern.replacingOccurrences(of: ".", with: "\\.")
                .replacingOccurrences(of: #"\{[A-Za-z]+\}"#, with: "[^/]+", options: .regularExpression) + "$"
            return given.range(of: regex, options: .regularExpression) != nil
        }
    }
}

/// Registers routes on the router, each wrapped in its access check.
public final class RouteTable: @unchecked Sendable {
    // @unchecked: mutated only while the application is built, before any request.
    let router: Router<AppRequestContext>
    public private(set) var declarations: [RouteDeclaration] = []

    init(router: Router<AppRequestContext>) {
        self.router = router
    }

    /// Adds a route that only `access` may use.
    func on<Output: ResponseGenerator>(
        _ method: HTTPRequest.Method,
        _ path: String,
        _ access: Access,
        handler: @escaping @Sendable (Request, AppRequestContext) async throws -> Output
    ) {
        let declaration = RouteDeclaration(method: method, path: path, access: access)
        precondition(!declarations.contains { $0.method == method && $0.path == path }, "route declared twice: \(method) \(path)")
        declarations.append(declaration)
        router.on(RouterPath(path), method: method) { request, context in
            try Self.check(declaration, context: context, request: request)
            return try await handler(request, context)
        }
    }

    /// The methods served at `path` (for a 405's `Allow`); empty when no route has this path.
    func methods(servedAt path: String) -> [HTTPRequest.Method] {
        declarations.filter { $0.matches(path) }.map(\.method)
    }

    /// Refuses the request unless `declaration.access` lets this caller in.
    static func check(_ declaration: RouteDeclaration, context: AppRequestContext, request: Request) throws {
        let allowed: Set<Role>
        switch declaration.access {
        case .anyone:
            return
        case .roles(let roles):
            allowed = roles
        case .loopbackOr(let roles):
            if context.isLoopback { return }
            allowed = roles
        }
        guard let user = context.user else {
            if declaration.isAPI || declaration.path == "/metrics" {
                throw APIError.unauthenticated(expired: context.credentialRejected)
            }
            throw LoginRequired(next: request.uri.path)
        }
        guard allowed.contains(user.role) else {
            throw APIError.forbidden
        }
    }
}

/// A page needs a login: the error middleware turns this into a redirect to the login page.
struct LoginRequired: Error {
    let next: String
}
