import ChuqingDomain
import ChuqingTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@testable import ChuqingServer

@Suite("Deny by default")
struct AccessTests {
    /// The routes anyone may use. Adding to this list is a decision, made here in review.
    static let publicRoutes: Set<String> = [
        "GET /healthz", "GET /readyz", "GET /api/v1/openapi.yaml", "GET /static/chuqing.css", "GET /static/liaison.js",
        "GET /login", "POST /login", "POST /api/v1/sessions",
        // the published notices are public by law (法释〔2017〕7号 art. 7; rules.md §7.13)
        "GET /notices", "GET /notices/feed.atom", "GET /notices/court-logo", "GET /notices/:id", "GET /notices/{id}.xml",
        "GET /notices/{id}.txt", "GET /notices/:id/print", "GET /notices/:id/photos/:entry",
        // the tip-off form the notices link to (限制消费规定 art. 10), rate-limited per address
        "POST /api/v1/tips", "GET /tips/new", "POST /tips",
    ]

    @Test(arguments: TestEngine.available)
    func everyRouteIsClosedToStrangersUnlessListedAsPublic(engine: TestEngine) async throws {
        try await withApp(engine) { client, world in
            let open = Set(world.routes.filter { $0.access == .anyone }.map { "\($0.method) \($0.path)" })
            #expect(open == Self.publicRoutes)
            for route in world.routes where route.access != .anyone {
                let uri = route.path.replacingOccurrences(of: ":id", with: UUID().uuidString)
                let response = try await client.execute(uri: uri, method: route.method, headers: [.contentType: "application/json"])
                if route.isAPI || route.path == "/metrics" {
                    #expect(response.status == .unauthorized, "\(route.method) \(route.path) let a stranger in")
                    #expect(response.errorCode == "unauthenticated")
                } else if route.method == .get {
                    #expect(response.status == .seeOther, "\(route.method) \(route.path) did not send a stranger to the login page")
                    #expect(response.headers[.location]?.hasPrefix("/login?next=") == true)
                } else {
                    // Page forms without a CSRF token never reach the handler.
                    #expect(response.status == .forbidden || response.status == .unsupportedMediaType, "\(route.method) \(route.path)")
                }
            }
        }
    }

    @Test(arguments: TestEngine.available)
    func everyAPIRouteRefusesTheRolesItDoesNotName(engine: TestEngine) async throws {
        try await withApp(engine) { client, world in
            for role in Role.allCases {
                let token = try await world.token(role)
                for route in world.routes where route.isAPI {
                    guard case .roles(let allowed) = route.access, !allowed.contains(role) else { continue }
                    let uri = route.path.replacingOccurrences(of: ":id", with: UUID().uuidString)
                    let response = try await client.execute(uri: uri, method: route.method, headers: bearer(token))
                    #expect(response.status == .forbidden, "\(role) reached \(route.method) \(route.path)")
                    #expect(response.errorCode == "forbidden")
                }
            }
        }
    }

    @Test(arguments: TestEngine.available)
    func pagesOfOtherRolesAreForbiddenToAJudge(engine: TestEngine) async throws {
        try await withApp(engine) { client, world in
            let cookie = try await world.cookie(.judge)
            for path in ["/admin/users", "/audit"] {
                let response = try await client.execute(uri: path, method: .get, headers: [.cookie: cookie])
                #expect(response.status == .forbidden, "\(path)")
                // issue 16 item 18: who may, and the navigation kept
                #expect(response.text.contains("您当前的角色是承办法官"), "\(path)")
                #expect(response.text.contains("系统管理员"), "\(path)")
                #expect(response.text.contains("class=\"main-nav\""), "\(path)")
            }
            let home = try await client.execute(uri: "/", method: .get, headers: [.cookie: cookie])
            #expect(home.status == .ok)
            #expect(home.text.contains("data-role=\"judge\""))
            #expect(!home.text.contains("用户管理"))
        }
    }

    @Test(arguments: TestEngine.available)
    func metricsAreForAdminsOrThisMachine(engine: TestEngine) async throws {
        try await withApp(engine) { client, world in
            let judge = try await client.execute(uri: "/metrics", method: .get, headers: bearer(try await world.token(.judge)))
            #expect(judge.status == .forbidden)
            _ = try await client.execute(uri: "/healthz", method: .get)
            let admin = try await client.execute(uri: "/metrics", method: .get, headers: bearer(try await world.token(.admin)))
            #expect(admin.status == .ok)
            #expect(admin.headers[.contentType]?.hasPrefix("text/plain") == true)
            // request counts and latencies by route
            #expect(admin.text.contains("hb_requests"))
            #expect(admin.text.contains("http_route=\"/healthz\""))
            #expect(admin.text.contains("http_server_request_duration"))
        }
    }

    @Test
    func aMethodNotServedAtAPathIs405WithTheMethodsThatAre() async throws {
        try await withApp(.sqlite) { client, world in
            let admin = try await world.token(.admin)
            for method in [HTTPRequest.Method.put, .delete, .init("TRACE")!] {
                let response = try await client.execute(uri: "/api/v1/users", method: method, headers: bearer(admin))
                #expect(response.status == .methodNotAllowed, "\(method)")
                #expect(response.errorCode == "method_not_allowed")
                #expect(response.headers[.allow] == "GET, POST")
            }
            let withID = try await client.execute(uri: "/api/v1/users/\(UUID().uuidString)", method: .put, headers: bearer(admin))
            #expect(withID.status == .methodNotAllowed)
            #expect(withID.headers[.allow] == "PATCH")
            let document = try await client.execute(uri: "/api/v1/openapi.yaml", method: .post)
            #expect(document.status == .methodNotAllowed)
            #expect(document.headers[.allow] == "GET")
            // a served method whose record does not exist stays 404
            #expect(
                try await client.execute(uri: "/api/v1/cases/\(UUID().uuidString)", method: .get, headers: bearer(admin)).status
                    == .notFound)
            #expect(try await client.execute(uri: "/notices/\(UUID().uuidString)", method: .get).status == .notFound)
            // a path that is not served at all stays 404
            #expect(try await client.execute(uri: "/api/v1/nothing-here", method: .put, headers: bearer(admin)).status == .notFound)
        }
    }

    @Test
    func aQueryValueOutsideWhatIsAcceptedIsRefusedNotIgnored() async throws {
        try await withApp(.sqlite) { client, world in
            let director = try await world.token(.director)
            for uri in ["/api/v1/blacklist-entries?deletionDue=null", "/api/v1/triage?open=yes", "/api/v1/notice-issues?state=AAA"] {
                let response = try await client.execute(uri: uri, method: .get, headers: bearer(director))
                #expect(response.status == .badRequest, "\(uri)")
                #expect(response.errorCode == "invalid_query", "\(uri)")
            }
            // what is accepted, and empty, which means not given
            for uri in [
                "/api/v1/blacklist-entries?deletionDue=true", "/api/v1/triage?open=1", "/api/v1/triage?open=",
                "/api/v1/notice-issues?state=published",
                "/api/v1/audit-log?cursor=",
            ] {
                #expect(try await client.execute(uri: uri, method: .get, headers: bearer(director)).status == .ok, "\(uri)")
            }
            let dry = try await client.execute(
                uri: "/api/v1/imports/cases?dryRun=perhaps", method: .post,
                headers: [.authorization: "Bearer \(director)", .contentType: "text/csv"], body: ByteBuffer(string: "x"))
            #expect(dry.errorCode == "invalid_query")
        }
    }

    @Test
    func metricsAnswerLoopbackCallersWithoutLogin() async throws {
        try await withApp(.sqlite, setup: .live) { client, _ in
            let response = try await client.execute(uri: "/metrics", method: .get)
            #expect(response.status == .ok)
        }
    }
}

@Suite("OpenAPI document")
struct OpenAPITests {
    /// `METHOD /path` pairs of the document's `paths`, read from the YAML's indentation.
    static func documentedOperations() throws -> Set<String> {
        let text = try String(contentsOf: TestSupport.repositoryRoot.appendingPathComponent("docs/openapi.yaml"), encoding: .utf8)
        var operations: Set<String> = []
        var inPaths = false
        var currentPath: String?
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line == "paths:" {
                inPaths = true
                continue
            }
            guard inPaths else { continue }
            if !line.hasPrefix(" ") && !line.isEmpty {
                inPaths = false
                continue
            }
            if line.hasPrefix("  /") && !line.hasPrefix("   ") {
                currentPath = String(line.dropFirst(2).dropLast())  // "  /api/v1/x:" → "/api/v1/x"
            } else if let path = currentPath, line.hasPrefix("    "), !line.hasPrefix("     "),
                let method = ["get", "post", "put", "patch", "delete"].first(where: { line == "    \($0):" })
            {
                operations.insert("\(method.uppercased()) \(path)")
            }
        }
        return operations
    }

    @Test(arguments: TestEngine.available)
    func everyAPIRouteIsDocumentedAndEveryDocumentedRouteExists(engine: TestEngine) async throws {
        try await withApp(engine) { _, world in
            let served = Set(
                world.routes.filter(\.isAPI).map {
                    // Hummingbird's `:name` parameters are OpenAPI's `{name}`.
                    "\($0.method) \($0.path.replacingOccurrences(of: #":([A-Za-z]+)"#, with: "{$1}", options: .regularExpression))"
                })
            let documented = try Self.documentedOperations()
            #expect(served.subtracting(documented).isEmpty, "served but not documented: \(served.subtracting(documented))")
            #expect(documented.subtracting(served).isEmpty, "documented but not served: \(documented.subtracting(served))")
        }
    }

    @Test
    func theDocumentIsServed() async throws {
        try await withApp(.sqlite) { client, _ in
            let response = try await client.execute(uri: "/api/v1/openapi.yaml", method: .get)
            #expect(response.status == .ok)
            #expect(response.text.hasPrefix("openapi: 3.1.0"))
        }
    }
}

@Suite("Security headers")
struct SecurityHeaderTests {
    @Test(arguments: TestEngine.available)
    func everyResponseCarriesThem(engine: TestEngine) async throws {
        try await withApp(engine) { client, world in
            let judge = try await world.cookie(.judge)
            let responses = [
                try await client.execute(uri: "/login", method: .get),
                try await client.execute(uri: "/", method: .get, headers: [.cookie: judge]),
                try await client.execute(uri: "/api/v1/cases", method: .get),  // 401
                try await client.execute(uri: "/no-such-page", method: .get),  // 404
                try await client.execute(uri: "/static/liaison.js", method: .get),
                try await client.execute(
                    uri: "/api/v1/debtors/\(UUID().uuidString)/photo", method: .get, headers: bearer(try await world.token(.judge))),
            ]
            for response in responses {
                #expect(response.headers[HTTPField.Name("X-Content-Type-Options")!] == "nosniff", "\(response.status)")
                #expect(response.headers[HTTPField.Name("Referrer-Policy")!] == "same-origin")
                #expect(response.headers[HTTPField.Name("X-Frame-Options")!] == "DENY")
                let policy = try #require(response.headers[HTTPField.Name("Content-Security-Policy")!])
                #expect(policy.contains("script-src 'self'") && !policy.contains("script-src 'self' 'unsafe-inline'"))
                #expect(policy.contains("frame-ancestors 'none'"))
            }
            // no page carries an inline script the policy would block
            let home = try await client.execute(uri: "/", method: .get, headers: [.cookie: judge])
            #expect(home.text.firstMatch(of: /<script(?![^>]*\bsrc=)[^>]*>/) == nil)
        }
    }
}
