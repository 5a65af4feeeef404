import ChuqingDomain
import ChuqingTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import ChuqingServer

/// Issue 16 item 12: the one search box finds what people type.
@Suite("Case search finds what people type")
struct CaseSearchTests {
    static func numbers(_ client: some TestClientProtocol, _ token: String, _ q: String, limit: Int = 50) async throws -> (
        numbers: Set<String>, total: Int?
    ) {
        let response = try await CaseAPITests.search(
            client, token, "q=\(q.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)&limit=\(limit)")
        #expect(response.status == .ok, "\(response.text)")
        return (Set(CaseAPITests.items(response).compactMap { $0["caseNumber"] as? String }), response.json["total"] as? Int)
    }

    @Test(arguments: TestEngine.available)
    func partOfANumberANameOrTheEndOfAnIDNumberFindsTheCase(engine: TestEngine) async throws {
        try await withApp(engine) { client, world in
            try await CaseAPITests.importSample(client, world)
            let director = try await world.token(.director)
            let n1022 = "（2023）赣0732执1022号"
            let n1023 = "（2023）赣0732执1023号"
            let n3301 = "（2022）赣0732执3301号"
            // part of a case number, in any bracket or digit width
            #expect(try await Self.numbers(client, director, "执1022").numbers == [n1022])
            #expect(try await Self.numbers(client, director, "(2023)赣0732执1022号").numbers == [n1022])
            #expect(try await Self.numbers(client, director, "执１０２２").numbers == [n1022])
            #expect(try await Self.numbers(client, director, "3301").numbers == [n3301])
            // part of a debtor's or an applicant's name: 钟某华 applied in 1022, 钟某林 owes in 3301
            #expect(try await Self.numbers(client, director, "置业").numbers == [n1023])
            #expect(try await Self.numbers(client, director, "钟某").numbers == [n1022, n3301])
            #expect(try await Self.numbers(client, director, "商贸").numbers.contains(n3301))  // 兴国县某商贸有限公司 applied
            // the last characters of an ID number or a credit code, not its middle
            #expect(try await Self.numbers(client, director, "131x").numbers == [n1022])
            #expect(try await Self.numbers(client, director, "2131X").numbers == [n1022])
            #expect(try await Self.numbers(client, director, "Q11A").numbers == [n1023])
            #expect(try await Self.numbers(client, director, "0312").numbers.isEmpty)  // 陈某生's birthday, mid-number
            // the total, on every page
            let firstPage = try await Self.numbers(client, director, "赣0732", limit: 2)
            #expect(firstPage.numbers.count == 2 && firstPage.total == 5)  // not （2004）兴法执字 nor 赣0733
            #expect(try await Self.numbers(client, director, "没有这个人").total == 0)
            // wildcards are text, not patterns; too long is refused
            #expect(try await Self.numbers(client, director, "%").total == 7)  // nothing left to look for: every case
            #expect(try await Self.numbers(client, director, "执10%22").numbers == ["（2023）赣0732执1022号"])
            let long = try await CaseAPITests.search(client, director, "q=" + String(repeating: "a", count: 41))
            #expect(long.status == .badRequest && long.errorCode == "invalid_search")
            // a judge's search and total cover their own cases only
            let judge = try await world.token(.judge)
            #expect(try await Self.numbers(client, judge, "钟某").total == 0)
        }
    }

    @Test(arguments: TestEngine.available)
    func thePageHasOneBoxTheTotalAndBothWaysThroughThePages(engine: TestEngine) async throws {
        try await withApp(engine) { client, world in
            try await CaseAPITests.importSample(client, world)
            let cookie = try await world.cookie(.director)
            let page = try await client.execute(uri: "/cases?q=%E7%BD%AE%E4%B8%9A", method: .get, headers: [.cookie: cookie])  // 置业
            #expect(page.status == .ok)
            #expect(page.text.contains("name=\"q\""))
            #expect(page.text.contains("共 1 件，第 1 页，共 1 页"))
            #expect(page.text.contains("（2023）赣0732执1023号"))
            #expect(!page.text.contains("上一页"))
            let judgePage = try await client.execute(uri: "/cases", method: .get, headers: [.cookie: try await world.cookie(.judge)])
            #expect(judgePage.text.contains("只显示您承办的案件"))
            let second = try await client.execute(uri: "/cases?page=2", method: .get, headers: [.cookie: cookie])
            #expect(second.text.contains("上一页") && second.text.contains("第 2 页，共 1 页"))
        }
    }
}

/// Issue 16 item 19: a due list shows every item, paged, and the home page leads to it.
@Suite("Lists that end")
struct DueListTests {
    @Test(arguments: TestEngine.available)
    func everyDueLookUpIsListedAndTheHomePageLeadsThere(engine: TestEngine) async throws {
        try await withApp(engine) { client, world in
            try await CaseAPITests.importSample(client, world)
            let director = try await world.token(.director)
            let due = try await client.execute(uri: "/api/v1/asset-lookups/due", method: .get, headers: bearer(director))
            let items = try #require(due.json["items"] as? [[String: Any]])
            #expect(items.count >= 3)
            let cookie = try await world.cookie(.director)
            let home = try await client.execute(uri: "/", method: .get, headers: [.cookie: cookie])
            #expect(home.text.contains("href=\"/lookups/due\""))
            let page = try await client.execute(uri: "/lookups/due", method: .get, headers: [.cookie: cookie])
            #expect(page.status == .ok)
            #expect(page.text.contains("共 \(items.count) 件，第 1 页，共 1 页"))
            for item in items {
                #expect(page.text.contains(item["caseNumber"] as? String ?? "-"))
            }
            let beyond = try await client.execute(uri: "/lookups/due?page=9", method: .get, headers: [.cookie: cookie])
            #expect(beyond.text.contains("第 1 页，共 1 页"))
            let liaison = try await client.execute(uri: "/lookups/due", method: .get, headers: [.cookie: try await world.cookie(.liaison)])
            #expect(liaison.status == .forbidden)
        }
    }
}
