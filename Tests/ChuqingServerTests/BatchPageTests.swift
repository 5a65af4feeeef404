import ChuqingDocuments
import ChuqingDomain
import ChuqingPersistence
import ChuqingServices
import ChuqingTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import ChuqingServer

@Suite("Batch pages, bulletin and exports")
struct BatchPageTests {
    @Test(arguments: TestEngine.available)
    func theDirectorRunsABatchFromThePages(engine: TestEngine) async throws {
        try await withApp(engine) { client, world in
            try await CaseAPITests.importSample(client, world)
            let cookie = try await world.cookie(.director)
            let csrf = PageTests.csrf(for: cookie)
            let today = ClearanceAPITests.today
            func post(_ path: String, _ fields: [String: String]) async throws -> TestResponse {
                try await client.execute(
                    uri: path, method: .post, headers: [.contentType: "application/x-www-form-urlencoded", .cookie: cookie],
                    body: PageTests.form(fields.merging(["_csrf": csrf]) { a, _ in a }))
            }

            // a deadline before the start is refused with the rule, and the form keeps what was typed
            let backwards = try await post(
                "/batches",
                [
                    "name": "第一批任务", "courtCode": "赣0732", "startsOn": "2026-03-01",
                    "deadline": "2026-02-01", "targetCases": "2",
                ])
            #expect(backwards.status == .unprocessableContent)
            #expect(backwards.text.contains("早于开始日期"))
            // issue 16 item 17: beside the field, which is marked
            #expect(backwards.text.contains("name=\"deadline\" aria-invalid=\"true\" aria-describedby=\"field-error\""))
            #expect(
                backwards.text.contains("<span class=\"field-error\" id=\"field-error\">截止日期 2026-02-01 早于开始日期 2026-03-01</span></label>"))
            #expect(backwards.text.contains("value=\"第一批任务\""))
            let created = try await post(
                "/batches",
                [
                    "name": "第一批任务", "courtCode": "赣0732", "startsOn": today.adding(days: -10).description,
                    "deadline": today.adding(days: 20).description, "targetCases": "2", "targetRecovered": "300,000",
                ])
            #expect(created.status == .seeOther)
            let batchPath = try #require(created.headers[.location]?.split(separator: "?").first.map(String.init))

            // cases by number, one per line; a closed case refuses the whole list
            let refused = try await post(batchPath + "/cases", ["caseNumbers": "（2023）赣0732执1022号\n（2023）赣0732执2050号"])
            #expect(refused.status == .unprocessableContent)
            #expect(refused.text.contains("只有终本案件可以加入"))
            let added = try await post(batchPath + "/cases", ["caseNumbers": "（2023）赣0732执1022号\n(2023)赣0732执1023号"])
            #expect(added.status == .ok)
            #expect(added.text.contains("已加入 2 件"))

            // a measure from the case page, then the batch page shows it with the charts
            let id = try await CaseAPITests.caseID(client, try await world.token(.director), "（2023）赣0732执1022号")
            let noPersons = try await post(
                "/cases/\(id)/measures", ["kind": "search", "on": today.description, "documentNumber": "（2026）赣0732执搜3号"])
            #expect(noPersons.status == .unprocessableContent)
            #expect(noPersons.text.contains("须填写人数"))
            let sixteen = try await post(
                "/cases/\(id)/measures",
                [
                    "kind": "detention", "on": today.description, "debtorId": "other", "personName": "刘某", "act": "拒不到庭",
                    "days": "16", "documentNumber": "（2026）赣0732司惩3号",
                ])
            #expect(sixteen.status == .unprocessableContent)
            #expect(sixteen.text.contains("十五日以下"))
            #expect(sixteen.text.contains(#"value="刘某""#))  // what was typed is kept
            let measure = try await post(
                "/cases/\(id)/measures",
                [
                    "kind": "detention", "on": today.description, "debtorId": "other", "personName": "刘某", "act": "拒不到庭",
                    "days": "15", "documentNumber": "（2026）赣0732司惩3号",
                ])
            #expect(measure.status == .seeOther)
            let chen = try #require(try await SanctionTests.debtors(client, try await world.token(.director), caseID: id)["陈某生"])
            let onDebtor = try await post(
                "/cases/\(id)/measures",
                [
                    "kind": "detention", "on": today.description, "debtorId": chen, "act": "拒不报告财产", "days": "10",
                    "documentNumber": "（2026）赣0732司惩4号",
                ])
            #expect(onDebtor.status == .seeOther)
            let casePage = try await client.execute(uri: "/cases/\(id)", method: .get, headers: [.cookie: cookie])
            #expect(casePage.text.contains("（2026）赣0732司惩3号"))
            #expect(casePage.text.contains("陈某生（个人）；拒不报告财产；10 日"))
            let page = try await client.execute(uri: batchPath, method: .get, headers: [.cookie: cookie])
            #expect(page.status == .ok)
            #expect(page.text.contains("<svg"))
            #expect(page.text.contains("0 / 2 件"))
            #expect(page.text.contains("2 人"))  // 拘留
            let bad = try await client.execute(uri: batchPath + "?asOf=2026-02-30", method: .get, headers: [.cookie: cookie])
            #expect(bad.status == .badRequest)

            // the bulletin, from the same figures
            let text = try await client.execute(uri: batchPath + "/bulletin.txt?asOf=\(today)", method: .get, headers: [.cookie: cookie])
            #expect(text.headers[.contentType] == "text/plain; charset=utf-8")
            #expect(text.text == "截至\(today.month)月\(today.day)日，第一批任务出清案件0件，到位金额0万元，拘留2人。\n")
            let html = try await client.execute(uri: batchPath + "/bulletin", method: .get, headers: [.cookie: cookie])
            #expect(html.text.contains("兴国县人民法院"))

            // exports: CSV with a BOM, and a workbook that reads back
            let csv = try await client.execute(uri: batchPath + "/export.csv", method: .get, headers: [.cookie: cookie])
            #expect(csv.text.hasPrefix("\u{FEFF}分组,名称,案件数"))
            #expect(csv.text.contains("合计,第一批任务,2,0,0,0.00,"))  // 元, never 分 (issue 16 item 17)
            #expect(csv.text.contains("到位金额（元）") && !csv.text.contains("（分）"))
            let xlsx = try await client.execute(uri: batchPath + "/export.xlsx", method: .get, headers: [.cookie: cookie])
            let rows = try XLSXReader.rows(Data(buffer: xlsx.body))
            #expect(rows.last?.cells.prefix(3) == ["合计", "第一批任务", "2"])

            // a judge sees the list and the page but no forms; a liaison sees nothing
            let judge = try await client.execute(uri: batchPath, method: .get, headers: [.cookie: try await world.cookie(.judge)])
            #expect(judge.status == .ok)
            #expect(!judge.text.contains("加入终本案件"))
            let liaison = try await client.execute(uri: "/batches", method: .get, headers: [.cookie: try await world.cookie(.liaison)])
            #expect(liaison.status == .forbidden)

            // by upload: a table with a 案号 column (here the sample export itself: its 终本 cases
            // of this court that are not in the batch yet join; the others refuse the list whole)
            let table = "案号,备注\n（2022）赣0732执3301号,仲裁\n(2004)兴法执字第00123号,\n,\n"
            let upload = try await client.execute(
                uri: batchPath + "/cases", method: .post,
                headers: [.contentType: "multipart/form-data; boundary=chuqing-test-boundary", .cookie: cookie],
                body: ImportPageTests.multipart(["_csrf": csrf], file: Data(table.utf8), filename: "名单.csv"))
            #expect(upload.status == .ok)
            #expect(upload.text.contains("已加入 2 件"))
            let noColumn = try await client.execute(
                uri: batchPath + "/cases", method: .post,
                headers: [.contentType: "multipart/form-data; boundary=chuqing-test-boundary", .cookie: cookie],
                body: ImportPageTests.multipart(["_csrf": csrf], file: Data("编号\n1\n".utf8), filename: "x.csv"))
            #expect(noColumn.status == .unprocessableContent)
            #expect(noColumn.text.contains("没有「案号」列"))

            // closing takes the forms away
            let unconfirmed = try await post(batchPath + "/close", ["on": today.description])
            #expect(unconfirmed.status == .unprocessableContent && unconfirmed.text.contains("「结束批次」提交后不能撤回"))
            let closed = try await post(batchPath + "/close", ["on": today.description, "confirmed": "on"])
            #expect(closed.status == .seeOther)
            let after = try await client.execute(uri: batchPath, method: .get, headers: [.cookie: cookie])
            #expect(after.text.contains("已于 \(today) 结束"))
            #expect(!after.text.contains("加入终本案件"))
        }
    }

    /// Issue 16 item 19: each row of the breakdowns leads to its open cases, as a page and as an
    /// export; a judge sees their own cases among them only.
    @Test(arguments: TestEngine.available)
    func aBreakdownRowDrillsDownToItsOpenCases(engine: TestEngine) async throws {
        try await withApp(engine) { client, world in
            try await CaseAPITests.importSample(client, world)
            let cookie = try await world.cookie(.director)
            let director = try await world.token(.director)
            let today = ClearanceAPITests.today
            let created = try await client.execute(
                uri: "/batches", method: .post, headers: [.contentType: "application/x-www-form-urlencoded", .cookie: cookie],
                body: PageTests.form([
                    "_csrf": PageTests.csrf(for: cookie), "name": "第一批任务", "courtCode": "赣0732",
                    "startsOn": today.adding(days: -10).description, "deadline": today.adding(days: 20).description, "targetCases": "3",
                ]))
            let batchPath = try #require(created.headers[.location]?.split(separator: "?").first.map(String.init))
            _ = try await client.execute(
                uri: batchPath + "/cases", method: .post, headers: [.contentType: "application/x-www-form-urlencoded", .cookie: cookie],
                body: PageTests.form([
                    "_csrf": PageTests.csrf(for: cookie),
                    "caseNumbers": "（2023）赣0732执1022号\n（2023）赣0732执1023号\n（2022）赣0732执3301号",
                ]))
            // 1023 is resumed and its 执恢 case fully enforced: cleared, so in no drill-down; 1022 is
            // resumed only: still open, in progress
            func resume(_ number: String, as successor: String) async throws -> String {
                let resumed = try await client.execute(
                    uri: "/api/v1/cases/\(try await CaseAPITests.caseID(client, director, number))/resume", method: .post,
                    headers: bearer(director), body: jsonBody(["on": today.description, "caseNumber": successor]))
                return try #require(resumed.json["id"] as? String)
            }
            let successor = try await resume("（2023）赣0732执1023号", as: "（2026）赣0732执恢501号")
            let done = try await client.execute(
                uri: "/api/v1/cases/\(successor)/transitions", method: .post, headers: bearer(director),
                body: jsonBody(["to": "fullyEnforced", "on": today.description, "reason": "履行完毕"]))
            #expect(done.status == .ok)
            _ = try await resume("（2023）赣0732执1022号", as: "（2026）赣0732执恢502号")

            let page = try await client.execute(uri: batchPath, method: .get, headers: [.cookie: cookie])
            func links(_ table: String, in html: String) throws -> [String] {
                let start = try #require(html.range(of: "id=\"\(table)\""))
                let end = try #require(html.range(of: "</table>", range: start.upperBound..<html.endIndex))
                return html[start.upperBound..<end.lowerBound].matches(of: /href="([^"]+)"/).map {
                    String($0.1).replacingOccurrences(of: "&amp;", with: "&")
                }
            }
            for table in ["by-team", "by-township", "by-judge"] {
                let rows = try links(table, in: page.text)
                #expect(!rows.isEmpty, "\(table)")
                var found: [String] = []
                for link in rows {
                    #expect(link.hasPrefix(batchPath + "/open-cases?by="))
                    let drill = try await client.execute(uri: link, method: .get, headers: [.cookie: cookie])
                    #expect(drill.status == .ok, "\(link)")
                    found += drill.text.matches(of: /（20\d\d）赣0732执\d+号/).map { String($0.0) }
                }
                // every open case once across a breakdown's rows, the cleared one nowhere
                #expect(Set(found) == ["（2023）赣0732执1022号", "（2022）赣0732执3301号"], "\(table)")
            }

            let team = try #require(try links("by-team", in: page.text).first)
            let csv = try await client.execute(uri: team + "&format=csv", method: .get, headers: [.cookie: cookie])
            #expect(csv.text.hasPrefix("\u{FEFF}案号,被执行人,承办人,乡镇,状态,未履行金额（元）"))
            #expect(csv.text.contains("（2023）赣0732执1022号,陈某生"))
            #expect(csv.text.contains(",恢复执行中,"))
            #expect(csv.headers[.contentDisposition]?.contains("attachment") == true)
            let xlsx = try await client.execute(uri: team + "&format=xlsx", method: .get, headers: [.cookie: cookie])
            let rows = try XLSXReader.rows(Data(buffer: xlsx.body))
            #expect(rows.first?.cells.first == "案号")
            #expect(rows.count == 3)
            let unknown = try await client.execute(uri: batchPath + "/open-cases?by=village", method: .get, headers: [.cookie: cookie])
            #expect(unknown.status == .badRequest)
            #expect(unknown.text.contains("team（专项组）"))

            // the judge of none of these cases sees the figures but none of the cases
            let judge = try await client.execute(uri: team, method: .get, headers: [.cookie: try await world.cookie(.judge)])
            #expect(judge.status == .ok)
            #expect(judge.text.contains("仅列出由您承办的案件"))
            #expect(!judge.text.contains("（2023）赣0732执1022号"))
        }
    }

    @Test func csvFieldsAreQuotedAndFormulasDefused() {
        #expect(BatchPages.csvField("潋江镇") == "潋江镇")
        #expect(BatchPages.csvField("a,b") == "\"a,b\"")
        #expect(BatchPages.csvField("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(BatchPages.csvField("=HYPERLINK(1)") == "'=HYPERLINK(1)")
        #expect(BatchPages.csvField("-5") == "-5")
    }
}

@Suite("Home page work lists")
struct WorkListTests {
    @Test(arguments: TestEngine.available)
    func aJudgeSeesIdleBatchCasesAndTodaysRecords(engine: TestEngine) async throws {
        try await withApp(engine) { client, world in
            try await CaseAPITests.importSample(client, world)  // 执1022 and 执1023 are 张某's
            let director = try await world.token(.director)
            let directorUser = try #require(try await world.accounts.allUsers(by: .commandLine).first { $0.role == .director })
            let today = ClearanceAPITests.today
            let monthAgo = TestSupport.fixedNow.addingTimeInterval(-30 * 86_400)
            let clearance = ClearanceRepository(database: world.database)
            let batch = try await clearance.create(
                name: "第一批任务", courtCode: "赣0732", startsOn: today.adding(days: -40), deadline: today.adding(days: 40),
                targetCases: 2, targetRecoveredFen: nil, createdBy: directorUser.id,
                audit: AuditEntry(
                    occurredAt: monthAgo, actorID: nil, actorUsername: "t", action: "batch.create",
                    entity: "batch", entityID: nil, detail: ""), now: monthAgo)
            let ids = [
                try await CaseAPITests.caseID(client, director, "（2023）赣0732执1022号"),
                try await CaseAPITests.caseID(client, director, "（2023）赣0732执1023号"),
            ]
            _ = try await clearance.addCases(
                batchID: batch.id.databaseText, .ids(ids), team: nil, addedBy: directorUser.id,
                audit: AuditEntry(
                    occurredAt: monthAgo, actorID: nil, actorUsername: "t", action: "batch.add_cases",
                    entity: "batch", entityID: nil, detail: ""), now: monthAgo)
            // a measure today on 执1023 only
            let measure = try await client.execute(
                uri: "/api/v1/cases/\(ids[1])/measures", method: .post, headers: bearer(director),
                body: jsonBody([
                    "kind": "summons", "on": today.description, "persons": 1, "documentNumber": "（2026）赣0732执拘1号",
                ]))
            #expect(measure.status == .created)

            let token = try await world.accounts.login(username: "zhang", password: "password-zhang", kind: .web, by: .commandLine).token
            let home = try await client.execute(
                uri: "/", method: .get, headers: [.cookie: "\(AuthenticationMiddleware.cookieName)=\(token)"])
            let idle = try #require(home.text.components(separatedBy: "id=\"idle\"").last?.components(separatedBy: "</section>").first)
            #expect(idle.contains("（2023）赣0732执1022号"))
            #expect(idle.contains("30 天"))
            #expect(!idle.contains("（2023）赣0732执1023号"))
            let todays = try #require(home.text.components(separatedBy: "id=\"today\"").last?.components(separatedBy: "</section>").first)
            #expect(todays.contains("（2023）赣0732执1023号"))
            #expect(todays.contains("拘传"))

            // another judge's list is empty; the director sees the batch at a glance
            let other = try await client.execute(uri: "/", method: .get, headers: [.cookie: try await world.cookie(.judge)])
            #expect(!other.text.contains("（2023）赣0732执1022号"))
            let glance = try await client.execute(uri: "/", method: .get, headers: [.cookie: try await world.cookie(.director)])
            #expect(glance.text.contains("第一批任务"))
            #expect(glance.text.contains("<svg"))
            #expect(glance.text.contains("0 / 2 件"))
        }
    }
}
