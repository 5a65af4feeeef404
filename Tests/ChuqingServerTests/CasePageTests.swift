import ChuqingDomain
@testable import ChuqingServer
import ChuqingTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("Case and debtor pages, debtor API")
struct CasePageTests {
    @Test(arguments: TestEngine.available)
    func aJudgeSearchesOpensACaseAndItsDebtor(engine: TestEngine) async throws {
        try await withApp(engine) { client, world in
            try await CaseAPITests.importSample(client, world)
            let token = try await world.accounts.login(username: "zhang", password: "password-zhang", kind: .web, actor: .commandLine).token
            let cookie = "\(AuthenticationMiddleware.cookieName)=\(token)"
            let list = try await client.execute(uri: "/cases", method: .get, headers: [.cookie: cookie])
            #expect(list.status == .ok)
            #expect(list.text.contains("（2023）赣0732执1023号"))
            #expect(!list.text.contains("（2023）赣0733执510号"))  // not this judge's case
            let filtered = try await client.execute(uri: "/cases?status=fullyEnforced", method: .get, headers: [.cookie: cookie])
            #expect(filtered.text.contains("（2023）赣0732执2050号"))
            #expect(!filtered.text.contains("（2023）赣0732执1023号"))
            let bad = try await client.execute(uri: "/cases?filedFrom=2023-02-30", method: .get, headers: [.cookie: cookie])
            #expect(bad.status == .badRequest)
            #expect(bad.text.contains("不存在"))

            let id = try await CaseAPITests.caseID(client, try await world.token(.director), "（2023）赣0732执1023号")
            let page = try await client.execute(uri: "/cases/\(id)", method: .get, headers: [.cookie: cookie])
            #expect(page.status == .ok)
            #expect(page.text.contains("¥300,000.00"))
            #expect(page.text.contains("¥249,999.50"))  // unperformed
            #expect(page.text.contains("黄某强"))
            #expect(page.text.contains("自案件导出表导入"))
        }
    }

    @Test(arguments: TestEngine.available)
    func aDebtorIsFoundByIDWithAllTheirCases(engine: TestEngine) async throws {
        try await withApp(engine) { client, world in
            try await CaseAPITests.importSample(client, world)
            let token = try await world.token(.director)
            let found = try await client.execute(uri: "/api/v1/debtors?idNumber=91360732ma35c2q11a", method: .get, headers: bearer(token))
            let debtor = try #require((found.json["items"] as? [[String: Any]])?.first)
            #expect(debtor["name"] as? String == "江西某置业有限公司")
            let id = try #require(debtor["id"] as? String)
            let detail = try await client.execute(uri: "/api/v1/debtors/\(id)", method: .get, headers: bearer(token))
            #expect(detail.status == .ok)
            #expect(((detail.json["cases"] as? [[String: Any]])?.first)?["caseNumber"] as? String == "（2023）赣0732执1023号")
            let page = try await client.execute(uri: "/debtors/\(id)", method: .get, headers: [.cookie: try await world.cookie(.director)])
            #expect(page.status == .ok)
            #expect(page.text.contains("黄某强"))  // legal representative
            // a judge of other cases does not learn the debtor exists
            let other = try await client.execute(uri: "/api/v1/debtors/\(id)", method: .get, headers: bearer(try await world.token(.judge)))
            #expect(other.status == .notFound)
        }
    }
}
