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
    /// Which group serves the route, and so which middleware it has.
    public var kind: RouteKind { RouteKind(path: path) }
    /// API routes answer in JSON and take bearer tokens; the others are pages with cookies.
    public var isAPI: Bool { kind == .api }

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

/// The three groups of routes, each with its own middleware.
public enum RouteKind: Sendable, Equatable {
    /// `/api/v1/…`: JSON, bearer tokens, no CSRF (a browser never sends a bearer token on its own).
    case api
    /// The pages: HTML, the session cookie, and a CSRF token on every form.
    case page
    /// `/healthz`, `/readyz`, `/metrics` and `/static/…`: probes, scraping and files, no forms.
    case system

    /// The group a path belongs to: the one place a path's prefix decides anything about a route.
    init(path: String) {
        if path.hasPrefix(RouteTable.apiPrefix + "/") {
            self = .api
        } else if ["/healthz", "/readyz", "/metrics"].contains(path) || path.hasPrefix("/static/") {
            self = .system
        } else {
            self = .page
        }
    }
}

/// Registers routes on the router, each in its group and wrapped in its access check.
public final class RouteTable: @unchecked Sendable {
    // @unchecked: mutated only while the application is built, before any request.
    /// The API's route group, with its own middleware.
    let api: RouterGroup<AppRequestContext>
    /// The pages' route group, with theirs.
    let pages: RouterGroup<AppRequestContext>
    /// The system routes' group.
    let system: RouterGroup<AppRequestContext>
    public private(set) var declarations: [RouteDeclaration] = []

    /// Where the API lives.
    static let apiPrefix = "/api/v1"

    /// `api` must be the router's group at `apiPrefix`; the others are groups at the root.
    init(api: RouterGroup<AppRequestContext>, pages: RouterGroup<AppRequestContext>, system: RouterGroup<AppRequestContext>) {
        self.api = api
        self.pages = pages
        self.system = system
    }

    /// Adds a route that only `access` may use.
    func on<Output: ResponseGenerator>(
        _ method: HTTPRequest.Method,
        _ path: String,
        _ access: Access,
        use handler: @escaping @Sendable (Request, AppRequestContext) async throws -> Output
    ) {
        let declaration = RouteDeclaration(method: method, path: path, access: access)
        precondition(!declarations.contains { $0.method == method && $0.path == path }, "route declared twice: \(method) \(path)")
        declarations.append(declaration)
        let responder: @Sendable (Request, AppRequestContext) async throws -> Output = { request, context in
            try Self.check(declaration, context: context, request: request)
            return try await handler(request, context)
        }
        switch declaration.kind {
        case .api: api.on(RouterPath(String(path.dropFirst(Self.apiPrefix.count))), method: method, use: responder)
        case .page: pages.on(RouterPath(path), method: method, use: responder)
        case .system: system.on(RouterPath(path), method: method, use: responder)
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
            if declaration.kind != .page {
                throw APIError.unauthenticated(expired: context.credentialRejected)
            }
            throw LoginRequired(next: request.uri.path)
        }
        guard allowed.contains(user.role) else {
            // Issue 16 item 18: say who may, so the person knows whom to ask.
            let who = Role.allCases.filter(allowed.contains).map(\.chineseName).joined(separator: "、")
            throw APIError(
                .forbidden, code: "forbidden",
                message: "此操作仅限\(who)进行；您当前的角色是\(user.role.chineseName)。如需办理，请联系上述人员")
        }
    }
}

/// A page needs a login: the error middleware turns this into a redirect to the login page.
struct LoginRequired: Error {
    let next: String
}
