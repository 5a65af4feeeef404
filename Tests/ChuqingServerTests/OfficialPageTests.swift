import ChuqingDomain
import ChuqingTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Synchronization
import Testing

@testable import ChuqingServer

/// Issue 18 items 1 and 6 on the pages: the standing on the debtor page, the team page's push,
/// and a push walked to its escalation.
@Suite("The public-officials team's pages")
struct OfficialPageTests {
    @Test(arguments: TestEngine.available)
    func aJudgeRecordsAStandingPushesTheEmployerAndEscalatesWhenTheDeadlinePasses(engine: TestEngine) async throws {
        let clock = Mutex(TestSupport.fixedNow)
        try await withApp(engine, now: { clock.withLock { $0 } }) { client, world in
            let s = try await SanctionTests.sample(client, world)
            var cookie = try await world.cookie(.director)
            func post(_ path: String, _ fields: [String: String]) async throws -> TestResponse {
                try await client.execute(
                    uri: path, method: .post, headers: [.contentType: "application/x-www-form-urlencoded", .cookie: cookie],
                    body: PageTests.form(fields.merging(["_csrf": PageTests.csrf(for: cookie)]) { a, _ in a }))
            }
            func get(_ path: String) async throws -> TestResponse {
                try await client.execute(uri: path, method: .get, headers: [.cookie: cookie])
            }
            // the export's 是否公职人员=是 (执恢88号) is offered already; 陈某生 not yet
            let before = try await get("/officials")
            #expect(before.text.contains("（2024）赣0732执恢88号"))
            #expect(!before.text.contains("陈某生"))

            // the standing, on the debtor page: a deputy needs a level; what was typed stays
            let noLevel = try await post("/debtors/\(s.chen)/standing", ["standing-deputy": "on", "employer": "兴国县农业农村局"])
            #expect(noLevel.status == .unprocessableContent)
            #expect(noLevel.text.contains("人大代表须选择代表级别"))
            let saved = try await post(
                "/debtors/\(s.chen)/standing",
                ["standing-deputy": "on", "standing-stateFunctionary": "on", "deputyLevel": "county", "employer": "兴国县农业农村局"])
            #expect(saved.status == .seeOther)
            let debtorPage = try await get("/debtors/\(s.chen)")
            #expect(debtorPage.text.contains("国家工作人员、人大代表（县级），兴国县农业农村局"))

            // the team page offers them; a push without a choice is refused
            let team = try await get("/officials")
            #expect(team.text.contains("（2023）赣0732执1022号 陈某生（兴国县农业农村局）"))
            #expect(team.text.contains("通报函给予 30 日履行期限"))
            let none = try await post("/officials/pushes", ["candidate": "", "sentOn": "2026-03-02"])
            #expect(none.status == .unprocessableContent)
            #expect(none.text.contains("请从列表中选择要通报的被执行人"))
            let pushed = try await post(
                "/officials/pushes", ["candidate": "\(s.case1022):\(s.chen)", "recipient": "", "sentOn": "2026-03-02"])
            #expect(pushed.status == .seeOther)
            let pushPath = try #require(pushed.headers[.location]?.split(separator: "?").first.map(String.init))
            var page = try await get(pushPath)
            #expect(page.text.contains("已推送，履行期内"))
            #expect(page.text.contains("自 2026-04-02 起可以移送"))
            #expect(!page.text.contains("生成移送函"))
            let letter = try await get(pushPath + "/letter?format=print")
            #expect(letter.text.contains("关于陈某生未履行生效法律文书确定义务的通报函"))

            // the employer replies
            let reply = try await post(pushPath + "/replies", ["kind": "replied", "on": "2026-03-02", "text": "已约谈本人，督促履行"])
            #expect(reply.status == .seeOther)
            #expect(try await get(pushPath).text.contains("2026-03-02：已约谈本人，督促履行"))

            // past the deadline: due on the team page, escalated with a click
            clock.withLock { $0 = $0.addingTimeInterval(31 * 86_400) }
            _ = try await world.runScheduler()
            cookie = try await world.cookie(.director)
            let due = try await get("/officials")
            #expect(due.text.contains("逾期未履行，待移送（1）"))
            page = try await get(pushPath)
            #expect(page.text.contains("生成移送函"))
            let escalated = try await post(pushPath + "/escalation", ["on": "2026-04-02"])
            #expect(escalated.status == .seeOther)
            page = try await get(pushPath)
            #expect(page.text.contains("县纪委监委"))
            #expect(page.text.contains("县委组织部"))
            #expect(page.text.contains("已移送纪委监委、组织部"))
            let again = try await post(pushPath + "/escalation", ["on": "2026-04-02"])
            #expect(again.status == .conflict)

            // the batch page and the bulletin count it (issue 18 item 6)
            let batch = try await ClearanceAPITests.createBatch(client, try await world.token(.director))
            _ = try await client.execute(
                uri: "/api/v1/clearance-batches/\(batch)/cases", method: .post, headers: bearer(try await world.token(.director)),
                body: jsonBody(["caseNumbers": ["（2023）赣0732执1022号"]]))
            #expect(try await get("/batches/\(batch)").text.contains("推送 1 人，逾期移送纪委监委 1 人"))
            let bulletin = try await get("/batches/\(batch)/bulletin.txt")
            #expect(bulletin.text.contains("推送涉公职人员1人，逾期移送纪委监委1人"))
            let early = try await get("/batches/\(batch)/bulletin.txt?asOf=2026-03-01")
            #expect(!early.text.contains("涉公职人员"))
        }
    }
}
