import ChuqingDomain
import ChuqingServices
import ChuqingTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import ChuqingServer

@Suite("Tip-offs from the public")
struct TipTests {
    /// Lists three debtors and publishes 陈某生 and 江西某置业 in 第1期; returns the issue and entries.
    static func publishedIssue(_ client: some TestClientProtocol, _ world: TestWorld) async throws -> (
        issue: String, chen: String, company: String
    ) {
        let (chen, company, _) = try await NoticeTests.listThree(client, world)
        let clerk = try await world.token(.clerk)
        let director = try await world.token(.director)
        let issue = try #require(
            try await NoticeTests.post(client, "/api/v1/notice-issues", clerk, ["kind": "blacklist", "entryIds": [chen, company]])
                .json["id"] as? String)
        _ = try await NoticeTests.post(client, "/api/v1/notice-issues/\(issue)/approve", director)
        _ = try await NoticeTests.post(client, "/api/v1/notice-issues/\(issue)/publish", clerk)
        return (issue, chen, company)
    }

    static func tip(_ client: some TestClientProtocol, _ body: [String: Any], token: String? = nil) async throws -> TestResponse {
        var headers: HTTPFields = [.contentType: "application/json"]
        if let token { headers[.authorization] = "Bearer \(token)" }
        return try await client.execute(uri: "/api/v1/tips", method: .post, headers: headers, body: jsonBody(body))
    }

    @Test(arguments: TestEngine.available)
    func anyoneTipsAboutAPublishedDebtorAndOnlyTheJudgeAndDirectorSeeWho(engine: TestEngine) async throws {
        // every test request comes from one address: a limit above what this test sends
        try await withApp(engine, tipThrottle: TipThrottle(limit: 100, window: 600)) { client, world in
            let (issue, chen, company) = try await Self.publishedIssue(client, world)
            // every person on the notice page links to the form, and the form names them
            let page = try await client.execute(uri: "/notices/\(issue)", method: .get).text
            #expect(page.contains("/tips/new?issue=\(issue)&amp;entry=\(chen)"))
            let form = try await client.execute(uri: "/tips/new?issue=\(issue)&entry=\(chen)", method: .get)
            #expect(form.text.contains("举报对象：<strong id=\"subject\">陈某生（（2023）赣0732执1022号）</strong>"))
            try ExternalCheckers.parseHTML(form.text)

            let stored = try await Self.tip(
                client,
                [
                    "text": "他在县城开了一家建材店，店名叫某某建材", "place": "潋江镇建设路", "name": "王某",
                    "phone": "138 0000 0000", "issueId": issue, "entryId": chen,
                ])
            #expect(stored.status == .created)
            #expect(stored.json["id"] is String)
            #expect(try await Self.tip(client, ["text": "有人在东村见过一辆挂着外地牌照的货车"]).status == .created)

            // refused with the rule: empty, a phone that is not one, a subject no notice shows
            #expect(try await Self.tip(client, ["text": "   "]).errorCode == "tip_empty")
            #expect(try await Self.tip(client, ["text": "x", "phone": "call me"]).errorCode == "invalid_phone")
            #expect(
                try await Self.tip(client, ["text": "x", "issueId": issue, "entryId": UUID().uuidString]).errorCode == "unknown_subject")
            #expect(try await Self.tip(client, ["text": "x", "entryId": chen]).errorCode == "unknown_subject")
            // the honeypot: answered like a success, never stored
            let robot = try await Self.tip(client, ["text": "cheap watches", "website": "http://spam.example"])
            #expect(robot.status == .created)

            let director = try await world.token(.director)
            let seen = try await client.execute(uri: "/api/v1/tips", method: .get, headers: bearer(director))
            let items = try #require(seen.json["items"] as? [[String: Any]])
            #expect(items.count == 2)
            let first = try #require(items.first { $0["debtorName"] as? String == "陈某生" })
            #expect(first["tipsterName"] as? String == "王某")
            #expect(first["tipsterPhone"] as? String == "138 0000 0000")
            #expect(first["source"] as? String == "publicForm")
            let clerk = try await world.token(.clerk)
            let clerkView = try #require(
                try await client.execute(uri: "/api/v1/tips", method: .get, headers: bearer(clerk)).json["items"] as? [[String: Any]])
            #expect(clerkView.count == 2)
            #expect(clerkView.allSatisfy { $0["tipsterName"] == nil || $0["tipsterName"] is NSNull })
            #expect(
                try await client.execute(uri: "/api/v1/tips", method: .get, headers: bearer(try await world.token(.liaison))).status
                    == .forbidden)
            // the judge of the case sees it with the tipster; the list page says who may see
            let zhang = try await world.accounts.login(username: "zhang", password: "password-zhang", kind: .api, by: .commandLine).token
            let judgeView = try #require(
                try await client.execute(uri: "/api/v1/tips", method: .get, headers: bearer(zhang)).json["items"] as? [[String: Any]])
            #expect(judgeView.contains { $0["tipsterName"] as? String == "王某" })
            let clerkPage = try await client.execute(uri: "/tips", method: .get, headers: [.cookie: try await world.cookie(.clerk)])
            #expect(clerkPage.text.contains("仅承办法官和院领导可见"))
            #expect(!clerkPage.text.contains("王某"))

            // withdrawn from the notice: no longer a subject for tips
            let case1022 = try await CaseAPITests.caseID(client, director, "（2023）赣0732执1022号")
            _ = try await NoticeTests.post(
                client, "/api/v1/cases/\(case1022)/payments", director,
                ["amountFen": 12_000_000, "receivedOn": "2026-02-27", "method": "deduction"])
            _ = try await NoticeTests.post(client, "/api/v1/blacklist-entries/\(chen)/deletion", director, ["on": "2026-03-02"])
            #expect(try await Self.tip(client, ["text": "x", "issueId": issue, "entryId": chen]).errorCode == "unknown_subject")
            #expect(try await Self.tip(client, ["text": "x", "issueId": issue, "entryId": company]).status == .created)

            // a phoned-in tip entered by a clerk: source phone, not counted against any address
            let phoned = try await Self.tip(client, ["text": "电话举报：被执行人在广东打工", "name": "李某"], token: clerk)
            #expect(phoned.status == .created)
            let all = try #require(
                try await client.execute(uri: "/api/v1/tips", method: .get, headers: bearer(director)).json["items"] as? [[String: Any]])
            #expect(all.contains { $0["source"] as? String == "phone" && $0["tipsterName"] as? String == "李某" })
        }
    }

    @Test(arguments: TestEngine.available)
    func aFloodFromOneAddressIsRefusedAndTheFormKeepsWhatWasTyped(engine: TestEngine) async throws {
        try await withApp(engine, tipThrottle: TipThrottle(limit: 2, window: 600)) { client, world in
            #expect(try await Self.tip(client, ["text": "一"]).status == .created)
            #expect(try await Self.tip(client, ["text": "二"]).status == .created)
            #expect(try await Self.tip(client, ["text": " "]).errorCode == "tip_empty")  // a refused typo does not count
            let third = try await Self.tip(client, ["text": "三"])
            #expect(third.status == .tooManyRequests)
            #expect(third.errorCode == "too_many_tips")
            #expect(Int(third.headers[.retryAfter] ?? "") ?? 0 > 0)
            let director = try await world.token(.director)
            #expect(
                (try await client.execute(uri: "/api/v1/tips", method: .get, headers: bearer(director)).json["items"] as? [[String: Any]])?
                    .count == 2)

            // the public form: a refusal shows the rule and keeps the text
            let (csrfCookie, csrf) = try await PageTests.csrf(client)
            let refused = try await client.execute(
                uri: "/tips", method: .post, headers: [.cookie: csrfCookie, .contentType: "application/x-www-form-urlencoded"],
                body: PageTests.form(["_csrf": csrf, "text": "他有一辆车", "place": "东村"]))
            #expect(refused.status == .tooManyRequests)  // the same address, over its limit
            #expect(refused.text.contains("提交过于频繁"))
            #expect(refused.text.contains("他有一辆车"))
        }
    }

    @Test(arguments: TestEngine.available)
    func thePublicFormSubmitsWithoutLogin(engine: TestEngine) async throws {
        try await withApp(engine) { client, world in
            let (csrfCookie, csrf) = try await PageTests.csrf(client)
            func submit(_ fields: [String: String]) async throws -> TestResponse {
                try await client.execute(
                    uri: "/tips", method: .post, headers: [.cookie: csrfCookie, .contentType: "application/x-www-form-urlencoded"],
                    body: PageTests.form(fields.merging(["_csrf": csrf]) { a, _ in a }))
            }
            let empty = try await submit(["text": "", "place": "东村"])
            #expect(empty.status == .unprocessableContent)
            #expect(empty.text.contains("请写明您知道的情况"))
            #expect(empty.text.contains("value=\"东村\""))
            let done = try await submit(["text": "被执行人住在东村三组", "place": "东村"])
            #expect(done.status == .ok)
            #expect(done.text.contains("已收到您的举报"))
            try ExternalCheckers.parseHTML(done.text)
            let director = try await world.token(.director)
            let items = try #require(
                try await client.execute(uri: "/api/v1/tips", method: .get, headers: bearer(director)).json["items"] as? [[String: Any]])
            #expect(items.map { $0["text"] as? String } == ["被执行人住在东村三组"])
        }
    }
}
