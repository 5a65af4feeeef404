import ChuqingDomain
import ChuqingTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import ChuqingServer

@Suite("Pages, cookies and CSRF")
struct PageTests {
    /// GETs the login page and returns the CSRF cookie and the form's token.
    static func csrf(_ client: some TestClientProtocol) async throws -> (cookie: String, token: String) {
        let page = try await client.execute(uri: "/login", method: .get)
        let setCookie = try #require(page.headers[values: .setCookie].first { $0.hasPrefix("chuqing_csrf=") })
        #expect(setCookie.contains("HttpOnly"))
        #expect(setCookie.contains("SameSite=Lax"))
        let cookie = String(setCookie.split(separator: ";")[0])
        let token = String(cookie.dropFirst("chuqing_csrf=".count))
        #expect(page.text.contains("value=\"\(token)\""))
        return (cookie, token)
    }

    /// The form token of a signed-in browser (`chuqing_session=…` in `cookie`), as its pages carry it.
    static func csrf(for cookie: String) -> String {
        let session = cookie.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            .first { $0.hasPrefix("\(AuthenticationMiddleware.cookieName)=") }!
        return CSRFMiddleware.token(forSession: String(session.dropFirst(AuthenticationMiddleware.cookieName.count + 1)))
    }

    static func form(_ fields: [String: String]) -> ByteBuffer {
        ByteBuffer(
            string: fields.map { "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }.joined(
                separator: "&"))
    }

    @Test(arguments: TestEngine.available)
    func aJudgeLogsInWithTheFormAndSeesTheirNavigation(engine: TestEngine) async throws {
        try await withApp(engine) { client, _ in
            let (cookie, token) = try await Self.csrf(client)
            let login = try await client.execute(
                uri: "/login", method: .post,
                headers: [.contentType: "application/x-www-form-urlencoded", .cookie: cookie],
                body: Self.form(["_csrf": token, "username": "u-judge", "password": "password-judge", "next": "/"]))
            #expect(login.status == .seeOther)
            let session = try #require(login.headers[values: .setCookie].first { $0.hasPrefix("chuqing_session=") })
            #expect(session.contains("HttpOnly") && session.contains("SameSite=Lax"))
            #expect(!session.contains("Secure"))  // served over plain HTTP in this configuration
            let home = try await client.execute(
                uri: "/", method: .get,
                headers: [.cookie: "\(cookie); \(session.split(separator: ";")[0])"])
            #expect(home.status == .ok)
            #expect(home.text.contains("<html lang=\"zh-CN\">"))
            #expect(home.text.contains("data-role=\"judge\""))
            #expect(home.text.contains("测试承办法官"))
        }
    }

    @Test(arguments: TestEngine.available)
    func aFormWithoutTheCSRFTokenIsRefused(engine: TestEngine) async throws {
        try await withApp(engine) { client, world in
            let (cookie, _) = try await Self.csrf(client)
            let login = try await client.execute(
                uri: "/login", method: .post,
                headers: [.contentType: "application/x-www-form-urlencoded", .cookie: cookie],
                body: Self.form(["_csrf": "forged", "username": "u-judge", "password": "password-judge"]))
            #expect(login.status == .forbidden)
            #expect(login.text.contains("表单已过期"))
            // An admin's form post without a token changes nothing either.
            let admin = try await world.cookie(.admin)
            let before = try await world.accounts.allUsers(by: .commandLine).count
            let create = try await client.execute(
                uri: "/admin/users", method: .post,
                headers: [.contentType: "application/x-www-form-urlencoded", .cookie: admin],
                body: Self.form(["username": "sneaky", "displayName": "x", "role": "admin", "password": "long-enough-pw"]))
            #expect(create.status == .forbidden)
            #expect(try await world.accounts.allUsers(by: .commandLine).count == before)
        }
    }

    @Test(arguments: TestEngine.available)
    func onlyTheTokenIssuedToThisSessionPasses(engine: TestEngine) async throws {
        try await withApp(engine) { client, world in
            let admin = try await world.cookie(.admin)
            let before = try await world.accounts.allUsers(by: .commandLine).count
            func create(_ cookie: String, _ token: String) async throws -> TestResponse {
                try await client.execute(
                    uri: "/admin/users", method: .post,
                    headers: [.contentType: "application/x-www-form-urlencoded", .cookie: cookie],
                    body: Self.form([
                        "_csrf": token, "username": "sneaky", "displayName": "某", "role": "admin",
                        "password": "long-enough-pw",
                    ]))
            }
            // a made-up value sent as both cookie and field (a planted cookie) does not pass
            let madeUp = String(repeating: "A", count: 43)
            #expect(try await create("\(admin); chuqing_csrf=\(madeUp)", madeUp).status == .forbidden)
            // nor does a real token of another session, nor the anonymous double-submit pair
            let other = Self.csrf(for: try await world.cookie(.admin))
            #expect(try await create(admin, other).status == .forbidden)
            let (anonymousCookie, anonymousToken) = try await Self.csrf(client)
            #expect(try await create("\(admin); \(anonymousCookie)", anonymousToken).status == .forbidden)
            #expect(try await world.accounts.allUsers(by: .commandLine).count == before)
            // the token the page gave this session does
            let page = try await client.execute(uri: "/admin/users", method: .get, headers: [.cookie: admin])
            let token = try #require(page.text.firstMatch(of: /name="_csrf" value="([A-Za-z0-9_-]+)"/)?.1)
            #expect(String(token) == Self.csrf(for: admin))
            #expect(try await create(admin, String(token)).status == .ok)
            #expect(try await world.accounts.allUsers(by: .commandLine).count == before + 1)
        }
    }

    @Test(arguments: TestEngine.available)
    func aWrongPasswordOnTheFormShowsTheMessageAndKeepsTheName(engine: TestEngine) async throws {
        try await withApp(engine) { client, _ in
            let (cookie, token) = try await Self.csrf(client)
            let login = try await client.execute(
                uri: "/login", method: .post,
                headers: [.contentType: "application/x-www-form-urlencoded", .cookie: cookie],
                body: Self.form(["_csrf": token, "username": "u-judge", "password": "nope-nope-nope"]))
            #expect(login.status == .unauthorized)
            #expect(login.text.contains("用户名或密码错误"))
            #expect(login.text.contains("value=\"u-judge\""))
        }
    }

    @Test(arguments: TestEngine.available)
    func anAdminAddsALiaisonWithTheForm(engine: TestEngine) async throws {
        try await withApp(engine) { client, world in
            let cookies = try await world.cookie(.admin)
            let token = Self.csrf(for: cookies)
            let response = try await client.execute(
                uri: "/admin/users", method: .post,
                headers: [.contentType: "application/x-www-form-urlencoded", .cookie: cookies],
                body: Self.form([
                    "_csrf": token, "username": "wang.cun", "displayName": "王联络员",
                    "role": "liaison", "township": "360732-09", "password": "long-enough-pw",
                ]))
            #expect(response.status == .ok)
            #expect(response.text.contains("已新增用户 wang.cun"))
            #expect(response.text.contains("兴江乡"))
            let bad = try await client.execute(
                uri: "/admin/users", method: .post,
                headers: [.contentType: "application/x-www-form-urlencoded", .cookie: cookies],
                body: Self.form(["_csrf": token, "username": "x", "displayName": "某", "role": "judge", "password": "long-enough-pw"]))
            #expect(bad.status == .unprocessableContent)
            #expect(bad.text.contains("用户名「x」不合规"))
        }
    }

    @Test
    func onlyLocalPathsAreFollowedAfterLogin() {
        #expect(AccountPages.safeNext("/audit") == "/audit")
        #expect(AccountPages.safeNext("//evil.example") == "/")
        #expect(AccountPages.safeNext("https://evil.example") == "/")
        #expect(AccountPages.safeNext(nil) == "/")
    }
}
