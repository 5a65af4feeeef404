import ChuqingDomain
import ChuqingTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import ChuqingServer

/// Issue 16 item 16: the audit log in Chinese, people by display name, filtered by who, what and
/// when, and exported.
@Suite("The audit log as people read it")
struct AuditLogTests {
    /// Every action a service writes has a Chinese label: a new one without a label fails here.
    @Test func everyActionWrittenHasAChineseLabel() throws {
        let sources = TestSupport.repositoryRoot.appendingPathComponent("Sources")
        var written: Set<String> = []
        for case let file as URL in FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil)!
        where file.pathExtension == "swift" {
            let text = try String(contentsOf: file, encoding: .utf8)
            for match in text.matches(of: /(?:audit\(\s*|action: )"([a-z_]+\.[a-z_]+)"/) { written.insert(String(match.1)) }
        }
        #expect(written.count > 30)
        let known = Set(AuditVocabulary.actions.map(\.code))
        #expect(written.subtracting(known).isEmpty, "no label: \(written.subtracting(known).sorted())")
    }

    @Test(arguments: TestEngine.available)
    func theLogIsFilteredByWhoWhatAndWhenAndExported(engine: TestEngine) async throws {
        try await withApp(engine) { client, world in
            try await CaseAPITests.importSample(client, world)  // the director imports: 导入案件
            let cookie = try await world.cookie(.auditor)
            let page = try await client.execute(uri: "/audit", method: .get, headers: [.cookie: cookie])
            #expect(page.status == .ok)
            #expect(page.text.contains("<td>导入案件</td>"))
            #expect(page.text.contains("<td>测试执行局长</td>"))
            #expect(!page.text.contains("<td>cases.import</td>"))
            #expect(!page.text.contains("<td>u-director</td>"))

            let director = try #require(
                page.text.firstMatch(of: /<option value="([0-9a-f-]{36})">测试执行局长（执行局长）<\/option>/).map { String($0.1) })
            let byAction = try await client.execute(uri: "/audit?action=cases.import", method: .get, headers: [.cookie: cookie])
            #expect(byAction.text.contains("<td>导入案件</td>"))
            #expect(!byAction.text.contains("<td>登录</td>"))
            #expect(byAction.text.contains("<option value=\"cases.import\" selected>"))
            let byAuditor = try await client.execute(
                uri: "/audit?actorId=\(director)&action=session.login", method: .get, headers: [.cookie: cookie])
            #expect(byAuditor.text.contains("<td>登录</td>"))
            #expect(!byAuditor.text.contains("<td>测试审计员</td>"))
            let today = ClearanceAPITests.today
            let future = try await client.execute(
                uri: "/audit?from=\(today.adding(days: 1))&to=\(today.adding(days: 2))", method: .get, headers: [.cookie: cookie])
            #expect(future.text.contains("暂无记录"))
            let todays = try await client.execute(uri: "/audit?from=\(today)&to=\(today)", method: .get, headers: [.cookie: cookie])
            #expect(todays.text.contains("<td>导入案件</td>"))
            let reversed = try await client.execute(
                uri: "/audit?from=\(today)&to=\(today.adding(days: -1))", method: .get, headers: [.cookie: cookie])
            #expect(reversed.status == .unprocessableContent)
            #expect(reversed.text.contains("晚于截止日期"))
            let badDay = try await client.execute(uri: "/audit?from=2026-02-30", method: .get, headers: [.cookie: cookie])
            #expect(badDay.status == .badRequest)
            #expect(badDay.text.contains("class=\"main-nav\""))

            // the export follows the filter, in Chinese
            let csv = try await client.execute(uri: "/audit?format=csv&action=cases.import", method: .get, headers: [.cookie: cookie])
            #expect(csv.text.hasPrefix("\u{FEFF}时间,操作人,用户名,操作,对象,对象编号,说明,地址"))
            let lines = csv.text.split(separator: "\r\n")
            #expect(lines.count == 2)
            #expect(lines.last?.contains("测试执行局长,u-director,导入案件,导入") == true)

            // the API: the same filters, with labels and names beside the codes
            let api = try await client.execute(
                uri: "/api/v1/audit-log?action=cases.import", method: .get, headers: bearer(try await world.token(.auditor)))
            let items = try #require(api.json["items"] as? [[String: Any]])
            #expect(items.count == 1)
            #expect(items.first?["actionLabel"] as? String == "导入案件")
            #expect(items.first?["actorName"] as? String == "测试执行局长")
            // a case's history names people by display name too
            let director1022 = try await world.token(.director)
            let case1022 = try await CaseAPITests.caseID(client, director1022, "（2023）赣0732执1022号")
            #expect(try await PaymentTests.pay(client, director1022, case1022, fen: 100_000).status == .created)
            let casePage = try await client.execute(
                uri: "/cases/\(case1022)", method: .get, headers: [.cookie: try await world.cookie(.director)])
            let history = try #require(
                casePage.text.range(of: "<ol class=\"history\">").map { String(casePage.text[$0.upperBound...].prefix(4_000)) })
            #expect(history.contains("</time> 测试执行局长："))
            #expect(!history.contains("u-director"))

            let unknown = try await client.execute(
                uri: "/api/v1/audit-log?action=cases.explode", method: .get, headers: bearer(try await world.token(.auditor)))
            #expect(unknown.errorCode == "unknown_action")
        }
    }
}
