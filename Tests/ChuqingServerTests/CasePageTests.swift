import ChuqingDomain
import ChuqingServices
import ChuqingTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import ChuqingServer

@Suite("Case and debtor pages, debtor API")
struct CasePageTests {
    @Test(arguments: TestEngine.available)
    func aJudgeSearchesOpensACaseAndItsDebtor(engine: TestEngine) async throws {
        try await withApp(engine) { client, world in
            try await CaseAPITests.importSample(client, world)
            let token = try await world.accounts.login(username: "zhang", password: "password-zhang", kind: .web, by: .commandLine).token
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
            // the debtor's payments and history across their cases
            _ = try await client.execute(
                uri: "/api/v1/cases/\(try await CaseAPITests.caseID(client, token, "（2023）赣0732执1023号"))/payments",
                method: .post, headers: bearer(token),
                body: jsonBody(["amountFen": 150_000, "receivedOn": "2025-01-10", "method": "deduction"]))
            let withPayment = try await client.execute(
                uri: "/debtors/\(id)", method: .get, headers: [.cookie: try await world.cookie(.director)])
            let payments = try #require(
                withPayment.text.components(separatedBy: "id=\"payments\"").last?.components(separatedBy: "</section>").first)
            #expect(payments.contains("¥1,500.00"))
            #expect(payments.contains("（2023）赣0732执1023号"))
            let history = try #require(
                withPayment.text.components(separatedBy: "id=\"history\"").last?.components(separatedBy: "</section>").first)
            #expect(history.contains("自案件导出表导入"))
            let json = try await client.execute(uri: "/api/v1/debtors/\(id)", method: .get, headers: bearer(token))
            #expect((json.json["payments"] as? [[String: Any]])?.first?["caseNumber"] as? String == "（2023）赣0732执1023号")
            // a judge of other cases does not learn the debtor exists
            let other = try await client.execute(uri: "/api/v1/debtors/\(id)", method: .get, headers: bearer(try await world.token(.judge)))
            #expect(other.status == .notFound)
        }
    }

    @Test(arguments: TestEngine.available)
    func theCaseFormsRecordPaymentsTransitionsAndResumption(engine: TestEngine) async throws {
        try await withApp(engine) { client, world in
            try await CaseAPITests.importSample(client, world)
            let cookie = try await world.cookie(.director)
            let csrf = PageTests.csrf(for: cookie)
            let id = try await CaseAPITests.caseID(client, try await world.token(.director), "（2023）赣0732执1023号")
            func post(_ path: String, _ fields: [String: String]) async throws -> TestResponse {
                try await client.execute(
                    uri: path, method: .post,
                    headers: [.contentType: "application/x-www-form-urlencoded", .cookie: cookie],
                    body: PageTests.form(fields.merging(["_csrf": csrf]) { a, _ in a }))
            }
            let today = ShanghaiClock.today(TestSupport.fixedNow)  // the app runs on a fixed clock

            // the page offers the payment and resumption forms, not a transition (终本 only resumes)
            let page = try await client.execute(uri: "/cases/\(id)", method: .get, headers: [.cookie: cookie])
            #expect(page.text.contains("登记履行款项"))
            #expect(page.text.contains("立执恢案件"))
            #expect(!page.text.contains("变更案件状态"))

            // a bad amount is refused with the value, and what was typed stays in the form
            let bad = try await post("/cases/\(id)/payments", ["amount": "12,34x", "receivedOn": "2025-01-10", "method": "deduction"])
            #expect(bad.status == .unprocessableContent)
            #expect(bad.text.contains("12,34x"))
            #expect(bad.text.contains("value=\"2025-01-10\""))
            let future = try await post(
                "/cases/\(id)/payments", ["amount": "100", "receivedOn": today.adding(days: 1).description, "method": "voluntary"])
            #expect(future.status == .unprocessableContent)
            #expect(future.text.contains("晚于今天"))

            // a good payment redirects back to the case, which shows it
            let paid = try await post("/cases/\(id)/payments", ["amount": "12,000.50", "receivedOn": "2025-01-10", "method": "deduction"])
            #expect(paid.status == .seeOther)
            #expect(paid.headers[.location] == "/cases/\(id)?saved=payment")
            let after = try await client.execute(uri: "/cases/\(id)?saved=payment", method: .get, headers: [.cookie: cookie])
            #expect(after.text.contains("已登记履行款项"))
            #expect(after.text.contains("¥12,000.50"))
            #expect(after.text.contains("¥237,999.00"))  // 300,000 − 50,000.50 − 12,000.50

            // a payment above what is left is refused beside its figures; with its excess said, it is recorded
            let over = try await post("/cases/\(id)/payments", ["amount": "300000", "receivedOn": "2025-01-11", "method": "voluntary"])
            #expect(over.status == .unprocessableContent)
            #expect(over.text.contains("超过未履行金额 ¥237,999.00"))
            #expect(over.text.contains("value=\"300000\""))
            // the payment is wrong: reversing it needs a reason and the box, then the figure is back
            let json = try await client.execute(uri: "/api/v1/cases/\(id)", method: .get, headers: bearer(try await world.token(.director)))
                .json
            let paymentID = try #require((json["payments"] as? [[String: Any]])?.first?["id"] as? String)
            let reversalPath = "/cases/\(id)/payments/\(paymentID)/reversal"
            #expect(after.text.contains(reversalPath))
            let unticked = try await post(reversalPath, ["reason": "金额录错"])
            #expect(unticked.status == .unprocessableContent)
            #expect(unticked.text.contains("请勾选确认框"))
            let reversed = try await post(reversalPath, ["reason": "金额录错", "confirmed": "on"])
            #expect(reversed.status == .seeOther)
            let afterReversal = try await client.execute(uri: "/cases/\(id)?saved=reversal", method: .get, headers: [.cookie: cookie])
            #expect(afterReversal.text.contains("¥249,999.50"))
            #expect(afterReversal.text.contains("已撤销"))
            #expect(afterReversal.text.contains("<s>¥12,000.50</s>"))
            #expect(!afterReversal.text.contains(reversalPath))
            #expect(
                try await post("/cases/\(id)/payments", ["amount": "12,000.50", "receivedOn": "2025-01-10", "method": "deduction"]).status
                    == .seeOther)

            // resuming needs a 执恢 number; then the new case is in enforcement and can change status
            let wrongType = try await post("/cases/\(id)/resume", ["caseNumber": "（2026）赣0732执12号", "on": today.description])
            #expect(wrongType.status == .unprocessableContent)
            #expect(wrongType.text.contains("执恢"))
            // 立执恢 cannot be undone: without its box ticked the page asks again and nothing is opened
            let unconfirmed = try await post("/cases/\(id)/resume", ["caseNumber": "(2026)赣0732执恢12号", "on": today.description])
            #expect(unconfirmed.status == .unprocessableContent)
            #expect(unconfirmed.text.contains("请勾选确认框"))
            let resumed = try await post(
                "/cases/\(id)/resume", ["caseNumber": "(2026)赣0732执恢12号", "on": today.description, "confirmed": "on"])
            #expect(resumed.status == .seeOther)
            let newPath = try #require(resumed.headers[.location]?.split(separator: "?").first.map(String.init))
            #expect(newPath != "/cases/\(id)")
            let newCase = try await client.execute(uri: newPath, method: .get, headers: [.cookie: cookie])
            #expect(newCase.text.contains("（2026）赣0732执恢12号"))
            #expect(newCase.text.contains("变更案件状态"))

            // 终本 straight away is refused: three months have not passed since filing
            let early = try await post(
                newPath + "/transitions",
                [
                    "to": "terminatedThisRound", "on": today.description, "noticeServedAndReportOrdered": "on",
                    "consumptionRestrictedAndListed": "on", "propertyInvestigationExhausted": "on",
                    "debtorSoughtAndObstructionPunished": "on",
                ])
            #expect(early.status == .conflict)
            #expect(early.text.contains("超过三个月"))
            #expect(early.text.contains("checked"))  // the ticked conditions stay ticked
            let done = try await post(newPath + "/transitions", ["to": "fullyEnforced", "on": today.description, "reason": "和解协议履行完毕"])
            #expect(done.status == .seeOther)
            let closed = try await client.execute(uri: newPath, method: .get, headers: [.cookie: cookie])
            #expect(closed.text.contains("和解协议履行完毕"))
            #expect(!closed.text.contains("变更案件状态"))

            // an auditor reads the case but gets no forms, and cannot post them
            let auditor = try await world.cookie(.auditor)
            let readOnly = try await client.execute(uri: "/cases/\(id)", method: .get, headers: [.cookie: auditor])
            #expect(readOnly.status == .ok)
            #expect(!readOnly.text.contains("登记履行款项"))
            let refused = try await client.execute(
                uri: "/cases/\(id)/payments", method: .post,
                headers: [.contentType: "application/x-www-form-urlencoded", .cookie: auditor],
                body: PageTests.form([
                    "_csrf": PageTests.csrf(for: auditor), "amount": "1", "receivedOn": "2025-01-10", "method": "voluntary",
                ]))
            #expect(refused.status == .forbidden)
        }
    }
}

@Suite("The import page")
struct ImportPageTests {
    static func multipart(_ fields: [String: String], file: Data, filename: String, boundary: String = "chuqing-test-boundary")
        -> ByteBuffer
    {
        var body = Data()
        for (name, value) in fields {
            body.append(Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8))
        }
        body.append(
            Data(
                "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(filename)\"\r\nContent-Type: text/csv\r\n\r\n"
                    .utf8))
        body.append(file)
        body.append(Data("\r\n--\(boundary)--\r\n".utf8))
        return ByteBuffer(bytes: body)
    }

    @Test(arguments: TestEngine.available)
    func aClerkUploadsTheSampleAndReadsEveryRejection(engine: TestEngine) async throws {
        try await withApp(engine) { client, world in
            let cookie = try await world.cookie(.clerk)
            let csrf = PageTests.csrf(for: cookie)
            let sample = try Data(contentsOf: TestSupport.repositoryRoot.appendingPathComponent("Tests/Fixtures/sample-case-export.csv"))
            let headers: HTTPFields = [.contentType: "multipart/form-data; boundary=chuqing-test-boundary", .cookie: cookie]

            let page = try await client.execute(uri: "/imports/cases", method: .get, headers: [.cookie: cookie])
            #expect(page.status == .ok)
            #expect(page.text.contains("enctype=\"multipart/form-data\""))

            // a dry run reports and writes nothing
            let dry = try await client.execute(
                uri: "/imports/cases", method: .post, headers: headers,
                body: Self.multipart(["_csrf": csrf, "dryRun": "on"], file: sample, filename: "导出.csv"))
            #expect(dry.status == .ok)
            #expect(dry.text.contains("未写入"))
            let none = try await client.execute(uri: "/api/v1/cases", method: .get, headers: bearer(try await world.token(.director)))
            #expect((none.json["items"] as? [Any])?.isEmpty == true)

            // the real import lands the 7 cases and lists rows 9 and 12 with column, value and reason
            let done = try await client.execute(
                uri: "/imports/cases", method: .post, headers: headers,
                body: Self.multipart(["_csrf": csrf], file: sample, filename: "导出.csv"))
            #expect(done.status == .ok)
            #expect(done.text.contains("<dt>新增案件</dt><dd class=\"num\">7</dd>"))
            #expect(done.text.contains("360732198506302420"))
            #expect(done.text.contains("应为 6"))
            #expect(done.text.contains("第 12 行 · 案号"))
            let all = try await client.execute(
                uri: "/api/v1/cases?limit=100", method: .get, headers: bearer(try await world.token(.director)))
            #expect((all.json["items"] as? [Any])?.count == 7)
            // issue 16 item 18: the report links every case it touched, and names a 承办人 that is no judge
            for item in all.json["items"] as? [[String: Any]] ?? [] {
                #expect(done.text.contains("href=\"/cases/\(item["id"] as? String ?? "")\""))
            }
            #expect(done.text.contains("承办人「肖某某」与系统中的承办法官账号对不上"))

            // no file, a forged token, a liaison: refused
            let empty = try await client.execute(
                uri: "/imports/cases", method: .post, headers: headers,
                body: Self.multipart(["_csrf": csrf], file: Data(), filename: ""))
            #expect(empty.status == .unprocessableContent)
            #expect(empty.text.contains("请选择"))
            let forged = try await client.execute(
                uri: "/imports/cases", method: .post, headers: headers,
                body: Self.multipart(["_csrf": "forged"], file: sample, filename: "a.csv"))
            #expect(forged.status == .forbidden)
            let liaison = try await client.execute(
                uri: "/imports/cases", method: .get, headers: [.cookie: try await world.cookie(.liaison)])
            #expect(liaison.status == .forbidden)
            let (anonymousCookie, anonymousToken) = try await PageTests.csrf(client)
            let stranger = try await client.execute(
                uri: "/imports/cases", method: .post,
                headers: [.contentType: "multipart/form-data; boundary=chuqing-test-boundary", .cookie: anonymousCookie],
                body: Self.multipart(["_csrf": anonymousToken], file: sample, filename: "a.csv"))
            #expect(stranger.headers[.location]?.hasPrefix("/login") == true)  // sent to log in, the file unread
        }
    }

    /// Issue 16 item 18: a dry run's file is committed without choosing it again — only by the
    /// person who checked it, once — and a page refused to a role names the roles that may.
    @Test(arguments: TestEngine.available)
    func aCheckedFileIsCommittedWithoutChoosingItAgain(engine: TestEngine) async throws {
        try await withApp(engine) { client, world in
            let cookie = try await world.cookie(.clerk)
            let csrf = PageTests.csrf(for: cookie)
            let sample = try Data(contentsOf: TestSupport.repositoryRoot.appendingPathComponent("Tests/Fixtures/sample-case-export.csv"))
            let dry = try await client.execute(
                uri: "/imports/cases", method: .post,
                headers: [.contentType: "multipart/form-data; boundary=chuqing-test-boundary", .cookie: cookie],
                body: Self.multipart(["_csrf": csrf, "dryRun": "on"], file: sample, filename: "导出.csv"))
            #expect(dry.text.contains("id=\"commit-checked\""))
            #expect(dry.text.contains("「导出.csv」"))
            let action = try #require(
                dry.text.firstMatch(of: /action="(\/imports\/cases\/checked\/[0-9a-f-]{36})"/).map { String($0.1) })

            // someone else cannot commit the clerk's file
            let directorCookie = try await world.cookie(.director)
            let other = try await client.execute(
                uri: action, method: .post, headers: [.contentType: "application/x-www-form-urlencoded", .cookie: directorCookie],
                body: PageTests.form(["_csrf": PageTests.csrf(for: directorCookie)]))
            #expect(other.status == .notFound)
            #expect(other.text.contains("请重新选择文件"))

            let committed = try await client.execute(
                uri: action, method: .post, headers: [.contentType: "application/x-www-form-urlencoded", .cookie: cookie],
                body: PageTests.form(["_csrf": csrf]))
            #expect(committed.status == .ok)
            #expect(committed.text.contains("<dt>新增案件</dt><dd class=\"num\">7</dd>"))
            #expect(committed.text.contains("已导入「导出.csv」"))
            #expect(!committed.text.contains("id=\"commit-checked\""))
            let all = try await client.execute(
                uri: "/api/v1/cases?limit=100", method: .get, headers: bearer(try await world.token(.director)))
            #expect((all.json["items"] as? [Any])?.count == 7)
            // once committed it is not kept: a second press does not import twice
            let again = try await client.execute(
                uri: action, method: .post, headers: [.contentType: "application/x-www-form-urlencoded", .cookie: cookie],
                body: PageTests.form(["_csrf": csrf]))
            #expect(again.status == .notFound)

            // a liaison on the import page: told who may import, with the navigation kept
            let liaison = try await client.execute(
                uri: "/imports/cases", method: .get, headers: [.cookie: try await world.cookie(.liaison)])
            #expect(liaison.status == .forbidden)
            #expect(liaison.text.contains("此操作仅限执行局长、承办法官、书记员进行；您当前的角色是乡镇联络员"))
            #expect(liaison.text.contains("class=\"main-nav\""))
        }
    }
}
