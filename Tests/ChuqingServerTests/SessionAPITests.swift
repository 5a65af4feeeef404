import ChuqingDomain
import ChuqingPersistence
import ChuqingServices
import ChuqingTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SQLKit
import Testing

@testable import ChuqingServer

@Suite("API login, tokens and bad input")
struct SessionAPITests {
    @Test(arguments: TestEngine.available)
    func loginGivesATokenThatWorksUntilLogout(engine: TestEngine) async throws {
        try await withApp(engine) { client, _ in
            // act
            let login = try await client.execute(
                uri: "/api/v1/sessions", method: .post, headers: [.contentType: "application/json"],
                body: jsonBody(["username": "U-Judge", "password": "password-judge"]))
            // check
            #expect(login.status == .created)
            let token = try #require(login.json["token"] as? String)
            #expect((login.json["user"] as? [String: Any])?["role"] as? String == "judge")
            #expect(login.json["expiresAt"] is String)
            let me = try await client.execute(uri: "/api/v1/sessions/current", method: .get, headers: bearer(token))
            #expect(me.status == .ok)
            let logout = try await client.execute(uri: "/api/v1/sessions/current", method: .delete, headers: bearer(token))
            #expect(logout.status == .noContent)
            let after = try await client.execute(uri: "/api/v1/sessions/current", method: .get, headers: bearer(token))
            #expect(after.status == .unauthorized)
            #expect(after.errorCode == "session_expired")
        }
    }

    @Test(arguments: TestEngine.available)
    func tokensAreStoredOnlyAsHashes(engine: TestEngine) async throws {
        try await withApp(engine) { _, world in
            let token = try await world.token(.clerk)
            struct Row: Decodable { let token_hash: String }
            let hashes = try await world.database.sql.raw("SELECT token_hash FROM sessions").all(decoding: Row.self).map(\.token_hash)
            #expect(!hashes.contains(token))
            #expect(hashes.contains(Tokens.hash(token)))
        }
    }

    @Test(arguments: TestEngine.available)
    func anExpiredTokenIsRefused(engine: TestEngine) async throws {
        // setup: the clock moves 13 hours past the login
        let clock = MovableClock(TestSupport.fixedNow)
        try await withApp(engine, now: { clock.now }) { client, world in
            let token = try await world.token(.judge)
            clock.advance(by: 13 * 3600)
            // act
            let response = try await client.execute(uri: "/api/v1/sessions/current", method: .get, headers: bearer(token))
            // check
            #expect(response.status == .unauthorized)
            #expect(response.errorCode == "session_expired")
        }
    }

    @Test(arguments: TestEngine.available)
    func aWrongPasswordIsRefusedAndAudited(engine: TestEngine) async throws {
        try await withApp(engine) { client, world in
            let response = try await client.execute(
                uri: "/api/v1/sessions", method: .post, headers: [.contentType: "application/json"],
                body: jsonBody(["username": "u-judge", "password": "wrong-password"]))
            #expect(response.status == .unauthorized)
            #expect(response.errorCode == "invalid_credentials")
            let unknown = try await client.execute(
                uri: "/api/v1/sessions", method: .post, headers: [.contentType: "application/json"],
                body: jsonBody(["username": "nobody", "password": "wrong-password"]))
            #expect(unknown.status == .unauthorized)
            #expect(unknown.errorCode == "invalid_credentials")  // no hint which names exist
            let log = try await AuditLogRepository().recent(limit: 50, before: nil, on: world.database.sql)
            #expect(log.filter { $0.action == "session.login_failed" }.count == 2)
        }
    }

    @Test(arguments: TestEngine.available)
    func repeatedFailuresSlowThatNameFromThatAddressAndLockNobodyOut(engine: TestEngine) async throws {
        try await withApp(engine, setup: .live, throttle: LoginThrottle(freeFailures: 3, firstDelay: 30)) { client, _ in
            func login(_ username: String, _ password: String, from address: String? = nil) async throws -> TestResponse {
                var headers: HTTPFields = [.contentType: "application/json"]
                if let address { headers[HTTPField.Name("X-Forwarded-For")!] = address }
                return try await client.execute(
                    uri: "/api/v1/sessions", method: .post, headers: headers,
                    body: jsonBody(["username": username, "password": password]))
            }
            for _ in 0..<4 { _ = try await login("u-judge", "wrong-password") }
            // the fourth failure makes this name wait at this address
            let waiting = try await login("u-judge", "password-judge")
            #expect(waiting.status == .tooManyRequests)
            #expect(waiting.errorCode == "too_many_attempts")
            #expect(waiting.headers[.retryAfter] == "30")
            // another user at the same address is not affected
            #expect(try await login("u-clerk", "password-clerk").status == .created)
            // X-Forwarded-For from an untrusted peer names nobody: still the same pair
            #expect(try await login("u-judge", "password-judge", from: "203.0.113.7").status == .tooManyRequests)
        }
    }

    @Test(arguments: TestEngine.available)
    func behindATrustedProxyEachCallerIsThrottledApart(engine: TestEngine) async throws {
        try await withApp(
            engine, setup: .live, throttle: LoginThrottle(freeFailures: 1, firstDelay: 60),
            configure: { $0.trustedProxies = try! TrustedProxies(parsing: "127.0.0.1, ::1") }
        ) { client, _ in
            func login(_ password: String, from address: String) async throws -> TestResponse {
                try await client.execute(
                    uri: "/api/v1/sessions", method: .post,
                    headers: [.contentType: "application/json", HTTPField.Name("X-Forwarded-For")!: address],
                    body: jsonBody(["username": "u-judge", "password": password]))
            }
            for _ in 0..<2 { _ = try await login("wrong-password", from: "10.1.1.66") }
            #expect(try await login("password-judge", from: "10.1.1.66").status == .tooManyRequests)
            // the real judge at her own desk, behind the same proxy, logs in
            #expect(try await login("password-judge", from: "10.1.1.20").status == .created)
        }
    }

    @Test(arguments: TestEngine.available)
    func aDisabledUserCannotLogInAndLosesTheirSessions(engine: TestEngine) async throws {
        try await withApp(engine) { client, world in
            let judgeToken = try await world.token(.judge)
            let admin = try await world.token(.admin)
            let users = try await client.execute(uri: "/api/v1/users", method: .get, headers: bearer(admin))
            let judge = try #require((users.json["items"] as? [[String: Any]])?.first { $0["username"] as? String == "u-judge" })
            let id = try #require(judge["id"] as? String)
            let disable = try await client.execute(uri: "/api/v1/users/\(id)/disable", method: .post, headers: bearer(admin))
            #expect(disable.status == .ok)
            #expect(disable.json["disabled"] as? Bool == true)
            let old = try await client.execute(uri: "/api/v1/sessions/current", method: .get, headers: bearer(judgeToken))
            #expect(old.status == .unauthorized)
            let login = try await client.execute(
                uri: "/api/v1/sessions", method: .post, headers: [.contentType: "application/json"],
                body: jsonBody(["username": "u-judge", "password": "password-judge"]))
            #expect(login.status == .forbidden)
            #expect(login.errorCode == "account_disabled")
        }
    }

    /// Each bad body gets its 4xx in the one error shape, and nothing is stored.
    @Test(arguments: TestEngine.available)
    func badInputGetsA4xxAndChangesNothing(engine: TestEngine) async throws {
        try await withApp(engine) { client, world in
            let admin = try await world.token(.admin)
            let before = try await world.accounts.allUsers(by: .commandLine).count
            let cases: [(String, String, HTTPResponse.Status, String, String?)] = [
                ("malformed JSON", "{\"username\": ", .badRequest, "malformed_json", nil),
                (
                    "wrong type", #"{"username": 12, "displayName": "甲", "role": "judge", "password": "long-enough-pw"}"#, .badRequest,
                    "wrong_type", "username"
                ),
                (
                    "missing field", #"{"username": "new.user", "role": "judge", "password": "long-enough-pw"}"#, .badRequest,
                    "missing_field", "displayName"
                ),
                (
                    "unknown role", #"{"username": "new.user", "displayName": "甲", "role": "president", "password": "long-enough-pw"}"#,
                    .unprocessableContent, "unknown_role", "role"
                ),
                (
                    "short password", #"{"username": "new.user", "displayName": "甲", "role": "judge", "password": "short"}"#,
                    .unprocessableContent, "password_too_short", "password"
                ),
                (
                    "liaison without township",
                    #"{"username": "new.user", "displayName": "甲", "role": "liaison", "password": "long-enough-pw"}"#,
                    .unprocessableContent, "township_required", "township"
                ),
                (
                    "taken name", #"{"username": "u-judge", "displayName": "甲", "role": "judge", "password": "long-enough-pw"}"#,
                    .unprocessableContent, "username_taken", "username"
                ),
                ("empty body", "", .badRequest, "empty_body", nil),
                ("too large", "{\"username\": \"" + String(repeating: "a", count: 5000) + "\"}", .contentTooLarge, "body_too_large", nil),
            ]
            for (name, body, status, code, field) in cases {
                let response = try await client.execute(
                    uri: "/api/v1/users", method: .post, headers: bearer(admin), body: ByteBuffer(string: body))
                #expect(response.status == status, "\(name)")
                let error = response.json["error"] as? [String: Any]
                #expect(error?["code"] as? String == code, "\(name)")
                #expect((error?["message"] as? String)?.isEmpty == false, "\(name)")
                #expect(error?["field"] as? String == field, "\(name)")
            }
            #expect(try await world.accounts.allUsers(by: .commandLine).count == before)
        }
    }

    @Test(arguments: TestEngine.available)
    func creatingAUserIsAuditedInTheSameTransaction(engine: TestEngine) async throws {
        try await withApp(engine) { client, world in
            let admin = try await world.token(.admin)
            let response = try await client.execute(
                uri: "/api/v1/users", method: .post, headers: bearer(admin),
                body: jsonBody([
                    "username": "zhong.liaison", "displayName": "钟联络员", "role": "liaison", "township": "360732-05",
                    "password": "long-enough-pw",
                ]))
            #expect(response.status == .created)
            let id = try #require(response.json["id"] as? String)
            let audit = try await client.execute(
                uri: "/api/v1/audit-log?limit=100", method: .get, headers: bearer(try await world.token(.auditor)))
            let items = try #require(audit.json["items"] as? [[String: Any]])
            let entry = try #require(items.first { $0["action"] as? String == "user.create" && $0["entityID"] as? String == id })
            #expect(entry["actorUsername"] as? String == "u-admin")
        }
    }

    @Test
    func unknownPathsGetTheErrorShape() async throws {
        try await withApp(.sqlite) { client, _ in
            let response = try await client.execute(uri: "/api/v1/nothing-here", method: .get)
            #expect(response.status == .notFound)
            #expect(response.errorCode == "not_found")
        }
    }

    @Test
    func healthAndReadiness() async throws {
        try await withApp(.sqlite) { client, _ in
            #expect(try await client.execute(uri: "/healthz", method: .get).status == .ok)
            let ready = try await client.execute(uri: "/readyz", method: .get)
            #expect(ready.status == .ok)
            #expect(ready.json["status"] as? String == "ready")
            #expect(ready.headers[.init("X-Request-ID")!] != nil)
        }
    }
}

/// A clock the test moves by hand.
final class MovableClock: @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date
    init(_ start: Date) { current = start }
    var now: Date { lock.withLock { current } }
    func advance(by seconds: TimeInterval) { lock.withLock { current += seconds } }
}
