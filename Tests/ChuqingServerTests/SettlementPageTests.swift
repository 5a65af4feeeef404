import ChuqingDomain
import ChuqingTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Synchronization
import Testing

@testable import ChuqingServer

/// Issue 18 items 4 and 6 on the pages: a settlement recorded on its case page, read on the
/// team's page and its own, walked to a breach and resumed.
@Suite("The settlement team's pages")
struct SettlementPageTests {
    @Test(arguments: TestEngine.available)
    func aDirectorSettlesACaseOnItsPageAndResumesItAfterTheBreach(engine: TestEngine) async throws {
        let clock = Mutex(TestSupport.fixedNow)  // 2026-03-02
        try await withApp(engine, now: { clock.withLock { $0 } }) { client, world in
            let c = try await SettlementTests.openCase(client, world)
            var cookie = try await world.cookie(.director)
            func post(_ path: String, _ fields: [String: String]) async throws -> TestResponse {
                try await client.execute(
                    uri: path, method: .post, headers: [.contentType: "application/x-www-form-urlencoded", .cookie: cookie],
                    body: PageTests.form(fields.merging(["_csrf": PageTests.csrf(for: cookie)]) { a, _ in a }))
            }
            func get(_ path: String) async throws -> TestResponse {
                try await client.execute(uri: path, method: .get, headers: [.cookie: cookie])
            }
            let casePage = try await get("/cases/\(c.caseID)")
            #expect(casePage.text.contains("登记执行和解协议"))
            // a line the page cannot read: refused naming the line, what was typed kept
            let fields = ["agreedOn": "2026-03-01", "terms": "分两期付三万元", "instalments": "2026-03-10 10000\n四月十日 20000"]
            let unreadable = try await post("/cases/\(c.caseID)/settlements", fields)
            #expect(unreadable.status == .unprocessableContent)
            #expect(unreadable.text.contains("履行计划第 2 行"))
            #expect(unreadable.text.contains("分两期付三万元"))
            let saved = try await post(
                "/cases/\(c.caseID)/settlements",
                fields.merging(["instalments": "2026-03-10 10000\n2026-04-10 20,000.00", "acceleration": "on"]) { $1 })
            #expect(saved.status == .seeOther)
            let settled = try await get("/cases/\(c.caseID)")
            #expect(settled.text.contains("2026-03-01 起因执行和解中止执行"))
            #expect(!settled.text.contains("登记执行和解协议"))  // one running settlement a case
            let id = try #require(
                try await client.execute(uri: "/api/v1/cases/\(c.caseID)/settlements", method: .get, headers: bearer(c.token))
                    .json["items"].flatMap { ($0 as? [[String: Any]])?.first?["id"] as? String })
            var page = try await get("/settlements/\(id)")
            #expect(page.text.contains("履行中"))
            #expect(page.text.contains("有：任何一期逾期，剩余各期视为到期"))
            #expect(!page.text.contains("id=\"resume\""))

            // past the first instalment's day: in breach of all that is left, first on the team's page
            clock.withLock { $0 = TestSupport.fixedNow.addingTimeInterval(10 * 86_400) }  // 2026-03-12
            cookie = try await world.cookie(.director)
            let team = try await get("/settlements")
            #expect(team.text.contains("违约（1）"))
            #expect(team.text.contains("违约金额 ¥30,000.00"))
            page = try await get("/settlements/\(id)")
            #expect(page.text.contains("逾期未付"))
            #expect(page.text.contains("id=\"resume\""))
            let early = try await post("/cases/\(c.caseID)/settlement-resumption", ["appliedOn": "2026-03-05"])
            #expect(early.status == .conflict)
            #expect(early.text.contains("不予恢复执行"))
            let resumed = try await post("/cases/\(c.caseID)/settlement-resumption", ["appliedOn": "2026-03-12"])
            #expect(resumed.status == .seeOther)
            page = try await get(try #require(resumed.headers[.location]))
            #expect(page.text.contains("已恢复执行：和解协议不再履行"))
            #expect(page.text.contains("2026-03-12（申请日期 2026-03-12）"))
        }
    }

    @Test func instalmentsAreTypedOneALineWithTheDayThenTheAmountInYuan() throws {
        let parsed = try SettlementPages.instalments("2026-03-10 10000\n\n2026-04-10，10,000.50\r\n2026/5/11\t1")
        #expect(parsed.map(\.dueOn.description) == ["2026-03-10", "2026-04-10", "2026-05-11"])
        #expect(parsed.map(\.amount.fen) == [1_000_000, 1_000_050, 100])
        #expect(throws: DomainError.self) { try SettlementPages.instalments("2026-03-10") }
        do { _ = try SettlementPages.instalments("2026-03-10 1000 元") } catch {
            #expect(error.code == "invalid_instalment_line")
            #expect(error.message.contains("第 1 行"))
        }
    }
}
