import ChuqingDomain
import ChuqingPersistence
import ChuqingServices
import ChuqingTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import SQLKit
import Testing

@testable import ChuqingServer

/// Issue 4, second part: extract files, the director's approval, measures on findings, the log
/// auditors search, telling the applicant, and look-ups a stopped server left unfinished.
@Suite("Asset look-ups: extracts, approval, measures, the log and the applicant")
struct AssetLookupAuditTests {
    static let zhongID = "36073219830415009X"

    static func start(_ client: some TestClientProtocol, _ token: String, _ body: [String: Any]) async throws -> TestResponse {
        try await client.execute(uri: "/api/v1/asset-lookups", method: .post, headers: bearer(token), body: jsonBody(body))
    }

    @Test(arguments: TestEngine.available)
    func anExtractFileAnswersItsCategoryWithNoExchangeAtAll(engine: TestEngine) async throws {
        try await withApp(engine) { client, world in
            let f = try await NetworkFixture.make(client, world)
            let admin = try await world.token(.admin)
            let case3301 = try await NetworkFixture.caseID(world, "（2022）赣0732执3301号")
            func load(_ category: String, _ csv: String, extractedOn: String = "2026-02-20") async throws -> TestResponse {
                try await client.execute(
                    uri: "/api/v1/data-categories/\(category)/snapshot?extractedOn=\(extractedOn)&fileName=\(category).csv",
                    method: .post, headers: [.authorization: "Bearer \(admin)", .contentType: "text/csv"], body: ByteBuffer(string: csv))
            }
            // a file with bad rows is refused whole, each bad row named; nothing is loaded
            let bad = try await load(
                "utilities",
                """
                证件号码,姓名或名称,财产种类,描述,标识,价值（元）,权利人
                \(Self.zhongID),钟某林,水电气户,用电户,3600001,,钟某林
                360732198304150091,钟某林,水电气户,用电户,3600002,,
                \(Self.zhongID),钟某林,金条,用电户,,,
                \(Self.zhongID),钟某林,不动产,,,,
                \(Self.zhongID),钟某林,不动产,某房,,12.345,
                """)
            #expect(bad.status == .unprocessableContent && bad.errorCode == "invalid_extract", "\(bad.text)")
            let message = (bad.json["error"] as? [String: Any])?["message"] as? String ?? ""
            #expect(
                message.contains("有 4 行有误") && message.contains("第 3 行") && message.contains("第 4 行") && message.contains("第 5 行")
                    && message.contains("第 6 行") && !message.contains("第 2 行"), "\(message)")
            #expect(try await load("utilities", "身份证,姓名\n1,2\n").errorCode == "unknown_extract_column")
            #expect(try await load("utilities", "证件号码,姓名\n\(Self.zhongID),钟某林\n").errorCode == "missing_extract_column")
            #expect(try await load("gold", "idNumber,name,kind,description\n").errorCode == "unknown_category")
            #expect(
                try await load("utilities", "idNumber,name,kind,description\n", extractedOn: "2099-01-01").errorCode == "date_in_future")
            #expect(
                try await client.execute(
                    uri: "/api/v1/data-categories/utilities/snapshot", method: .post, headers: bearer(f.director),
                    body: ByteBuffer(string: "x")
                ).status == .forbidden)
            struct N: Decodable { let n: Int }
            #expect(try await world.database.sql.raw("SELECT COUNT(*) AS n FROM asset_snapshots").first(decoding: N.self)?.n == 0)

            // English headings in another order, quoted fields, a 15-digit ID upgraded to 18, a credit code
            let codeBody = "91360732MA35K2L8Y"
            let check = CreditCode.checkCharacter(for: Array(codeBody))
            let creditCode = codeBody + String(check)
            let wrongCode = codeBody + (check == "1" ? "2" : "1")
            let loaded = try await load(
                "utilities",
                """
                kind,idNumber,name,description,identifier,valueYuan,holder
                utilityAccount,\(Self.zhongID),钟某林,"用电户，地址：兴国县高兴镇",3600001,,钟某林
                水电气户,\(Self.zhongID.lowercased()),钟某林,用水户,W-77,,
                utilityAccount,360732780312131,陈某生,用电户,3600009,,
                other,\(wrongCode),某公司,押金,,"1,200.50",
                """)
            #expect(loaded.errorCode == "invalid_extract" && loaded.text.contains("第 5 行"), "a wrong check character: \(loaded.text)")
            let good = try await load(
                "utilities",
                """
                kind,idNumber,name,description,identifier,valueYuan,holder
                utilityAccount,\(Self.zhongID),钟某林,"用电户，地址：兴国县高兴镇",3600001,,钟某林
                水电气户,\(Self.zhongID.lowercased()),钟某林,用水户,W-77,,
                utilityAccount,360732780312131,陈某生,用电户,3600009,,
                other,\(Self.zhongID),钟某林,供电押金,,"1,200.50",
                other,\(creditCode.lowercased()),某公司,押金,,,
                """)
            #expect(good.status == .created, "\(good.text)")
            #expect(
                good.json["rows"] as? Int == 5 && (good.json["digest"] as? String)?.count == 64
                    && good.json["extractedOn"] as? String == "2026-02-20")

            // the category is still answered by the exchange until the admin switches it
            _ = try await client.execute(
                uri: "/api/v1/data-categories/utilities", method: .patch, headers: bearer(admin), body: jsonBody(["connector": "snapshot"]))
            let created = try await Self.start(
                client, f.li,
                [
                    "caseId": case3301, "debtorId": f.zhong, "legalBasis": "财产调查规定第十二条",
                    "categories": ["utilities", "publicResources"],
                ])
            let lookup = try await completedLookup(client, f.li, try #require(created.json["id"] as? String))
            let categories = try #require(lookup["categories"] as? [[String: Any]])
            let utilities = try #require(categories.first { $0["code"] as? String == "utilities" })
            #expect(utilities["status"] as? String == "answered")
            let findings = try #require(utilities["findings"] as? [[String: Any]])
            #expect(findings.map { $0["identifier"] as? String } == ["3600001", "W-77", nil])  // 钟某林's rows, in file order; not 陈某生's
            #expect((findings.last?["valueFen"] as? NSNumber)?.int64Value == 120_050)
            #expect((utilities["source"] as? String)?.contains("utilities.csv（提取日期 2026-02-20，5 行") == true)
            #expect((utilities["digest"] as? String)?.count == 64)
            // an exchange category with no exchange configured fails with its reason; the look-up completes
            let publicResources = try #require(categories.first { $0["code"] as? String == "publicResources" })
            #expect(publicResources["status"] as? String == "failed")

            // a new extract replaces the old: 陈某生 is now the only holder
            let replaced = try await load("utilities", "证件号码,姓名或名称,财产种类,描述\n36073219780312131X,陈某生,水电气户,用电户\n", extractedOn: "2026-02-27")
            #expect(replaced.status == .created)
            let again = try await Self.start(
                client, f.li,
                [
                    "caseId": case3301, "debtorId": f.zhong, "legalBasis": "财产调查规定第十二条",
                    "categories": ["utilities"],
                ])
            let second = try await completedLookup(client, f.li, try #require(again.json["id"] as? String))
            let answer = try #require((second["categories"] as? [[String: Any]])?.first)
            #expect(answer["status"] as? String == "answered" && (answer["findings"] as? [Any])?.isEmpty == true)
            #expect((answer["source"] as? String)?.contains("2026-02-27") == true)
            let current = try #require(
                try await client.execute(uri: "/api/v1/asset-snapshots", method: .get, headers: bearer(try await world.token(.auditor)))
                    .json["items"] as? [[String: Any]])
            #expect(current.count == 1 && current.first?["rows"] as? Int == 1)
            #expect(try await world.database.sql.raw("SELECT COUNT(*) AS n FROM asset_snapshot_rows").first(decoding: N.self)?.n == 1)

            // a category switched to extracts before any is loaded fails with the way to load one
            _ = try await client.execute(
                uri: "/api/v1/data-categories/tax", method: .patch, headers: bearer(admin), body: jsonBody(["connector": "snapshot"]))
            let none = try await Self.start(
                client, f.li, ["caseId": case3301, "debtorId": f.zhong, "legalBasis": "x", "categories": ["tax"]])
            let noneID = try #require(none.json["id"] as? String)
            let noneDone = try await completedLookup(client, f.li, noneID)
            let failed = try #require((noneDone["categories"] as? [[String: Any]])?.first)
            #expect(
                failed["status"] as? String == "failed" && (failed["reason"] as? String)?.contains("chuqing import snapshot tax") == true)
        }
    }

    @Test(arguments: TestEngine.available)
    func whenTheCourtAsksForApprovalNothingIsAskedBeforeTheDirectorApproves(engine: TestEngine) async throws {
        try await withExchangeSim { exchange in
            try await withApp(
                engine,
                configure: {
                    $0.exchange = ExchangeConfiguration(defaultURL: exchange)
                    $0.lookupApproval = .director
                }
            ) { client, world in
                let f = try await NetworkFixture.make(client, world)
                let case3301 = try await NetworkFixture.caseID(world, "（2022）赣0732执3301号")
                let body: [String: Any] = [
                    "caseId": case3301, "debtorId": f.zhong, "legalBasis": "财产调查规定第十二条", "categories": ["realEstate", "vehicles"],
                ]
                let created = try await Self.start(client, f.li, body)
                #expect(created.status == .created && created.json["status"] as? String == "awaitingApproval", "\(created.text)")
                let id = try #require(created.json["id"] as? String)
                try await Task.sleep(for: .milliseconds(300))
                let waiting = try await client.execute(uri: "/api/v1/asset-lookups/\(id)", method: .get, headers: bearer(f.li)).json
                #expect(
                    (waiting["categories"] as? [[String: Any]])?.allSatisfy {
                        $0["status"] as? String == "pending" && $0["attempts"] as? Int == 0
                    } == true)
                // the judge cannot approve their own; the director can, once
                #expect(
                    try await client.execute(uri: "/api/v1/asset-lookups/\(id)/approve", method: .post, headers: bearer(f.li)).status
                        == .forbidden)
                let approved = try await client.execute(
                    uri: "/api/v1/asset-lookups/\(id)/approve", method: .post, headers: bearer(f.director))
                #expect(approved.status == .ok && approved.json["approvedBy"] as? String == "测试执行局长", "\(approved.text)")
                let done = try await completedLookup(client, f.li, id)
                #expect((done["categories"] as? [[String: Any]])?.allSatisfy { $0["status"] as? String == "answered" } == true)
                #expect(
                    try await client.execute(uri: "/api/v1/asset-lookups/\(id)/approve", method: .post, headers: bearer(f.director))
                        .errorCode == "lookup_not_awaiting_approval")

                // refused: a reason is required, nothing is ever asked, and it cannot be approved afterwards
                let other = try #require(try await Self.start(client, f.li, body).json["id"] as? String)
                let noReason = try await client.execute(
                    uri: "/api/v1/asset-lookups/\(other)/refuse", method: .post, headers: bearer(f.director),
                    body: jsonBody(["reason": " "]))
                #expect(noReason.status == .unprocessableContent && noReason.errorCode == "refusal_reason_required")
                let refused = try await client.execute(
                    uri: "/api/v1/asset-lookups/\(other)/refuse", method: .post, headers: bearer(f.director),
                    body: jsonBody(["reason": "法律依据不足"]))
                #expect(refused.json["status"] as? String == "refused" && refused.json["refusalReason"] as? String == "法律依据不足")
                #expect(
                    try await client.execute(uri: "/api/v1/asset-lookups/\(other)/approve", method: .post, headers: bearer(f.director))
                        .status == .conflict)
                try await Task.sleep(for: .milliseconds(200))
                let still = try await client.execute(uri: "/api/v1/asset-lookups/\(other)", method: .get, headers: bearer(f.director)).json
                #expect((still["categories"] as? [[String: Any]])?.allSatisfy { $0["attempts"] as? Int == 0 } == true)

                // the director's own look-up is approved as it starts
                let own = try await Self.start(client, f.director, body)
                #expect(own.json["status"] as? String == "running" && own.json["approvedBy"] as? String == "测试执行局长")

                // the page: the director sees the approval form for a waiting one, the judge a note before starting
                let waitingID = try #require(try await Self.start(client, f.li, body).json["id"] as? String)
                let page = try await client.execute(
                    uri: "/lookups/\(waitingID)", method: .get, headers: [.cookie: try await world.cookie(.director)])
                #expect(
                    page.text.contains("id=\"lookup-approval\"") && page.text.contains("待审批")
                        && !page.text.contains("http-equiv=\"refresh\""))
                let cookie = try await world.cookie(.director)
                let csrf = PageTests.csrf(for: cookie)
                let approve = try await client.execute(
                    uri: "/lookups/\(waitingID)/approve", method: .post,
                    headers: [.contentType: "application/x-www-form-urlencoded", .cookie: cookie],
                    body: PageTests.form(["_csrf": csrf]))
                #expect(approve.status == .seeOther)
                _ = try await completedLookup(client, f.li, waitingID)
                let login = try await world.accounts.login(username: "lim", password: "password-lim", kind: .web, by: .commandLine).token
                let form = try await client.execute(
                    uri: "/cases/\(case3301)/lookups", method: .get,
                    headers: [.cookie: "\(AuthenticationMiddleware.cookieName)=\(login)"])
                #expect(form.text.contains("须经院领导批准"))

                // a periodic look-up waiting for approval is on its way; a refused one was never made
                let case1022 = try await NetworkFixture.caseID(world, "（2023）赣0732执1022号")
                func chenDue() async throws -> Bool {
                    let due =
                        try await client.execute(uri: "/api/v1/asset-lookups/due", method: .get, headers: bearer(f.director)).json["items"]
                        as? [[String: Any]]
                    return due?.contains { $0["debtorId"] as? String == f.chen } == true
                }
                #expect(try await chenDue())
                let periodic = try await Self.start(
                    client, f.zhang, ["caseId": case1022, "debtorId": f.chen, "legalBasis": "法〔2016〕373号第九条"])
                #expect(periodic.json["status"] as? String == "awaitingApproval")
                #expect(try await !chenDue())
                // the director's home page names the look-ups waiting for approval
                let home = try await client.execute(uri: "/", method: .get, headers: [.cookie: try await world.cookie(.director)])
                #expect(home.text.contains("id=\"lookups\"") && home.text.contains("待审批的财产查询 1 件"), "\(home.text)")
                _ = try await client.execute(
                    uri: "/api/v1/asset-lookups/\(try #require(periodic.json["id"] as? String))/refuse", method: .post,
                    headers: bearer(f.director), body: jsonBody(["reason": "请先核实被执行人身份"]))
                #expect(try await chenDue())
            }
        }
    }

    @Test(arguments: TestEngine.available)
    func aMeasureOnAFindingFitsWhatWasFound(engine: TestEngine) async throws {
        try await withExchangeSim { exchange in
            try await withApp(engine, configure: { $0.exchange = ExchangeConfiguration(defaultURL: exchange) }) { client, world in
                let f = try await NetworkFixture.make(client, world)
                let case3301 = try await NetworkFixture.caseID(world, "（2022）赣0732执3301号")
                let created = try await Self.start(client, f.li, ["caseId": case3301, "debtorId": f.zhong, "legalBasis": "财产调查规定第十二条"])
                let id = try #require(created.json["id"] as? String)
                let lookup = try await completedLookup(client, f.li, id)
                let findings = (lookup["categories"] as? [[String: Any]] ?? []).flatMap { $0["findings"] as? [[String: Any]] ?? [] }
                let property = try #require(
                    findings.first { ["realEstate", "vehicle", "deposit", "housingFund"].contains($0["kind"] as? String ?? "") })
                let information = try #require(
                    findings.first { ["marriage", "residence", "employer", "medicalInsurance"].contains($0["kind"] as? String ?? "") })
                let propertyID = try #require(property["id"] as? String)
                let kind = try #require(property["kind"] as? String)
                let fits = kind == "realEstate" || kind == "vehicle" ? "seal" : "freeze"
                let misfit = kind == "realEstate" || kind == "vehicle" ? "freezing" : "sealing"
                func measure(_ finding: String, _ token: String, _ body: [String: Any]) async throws -> TestResponse {
                    try await client.execute(
                        uri: "/api/v1/asset-findings/\(finding)/measures", method: .post, headers: bearer(token), body: jsonBody(body))
                }
                let base: [String: Any] = ["kind": fits, "on": "2026-03-02", "documentNumber": "（2022）赣0732执3301号之三"]
                #expect(try await measure(propertyID, f.li, base.merging(["kind": misfit]) { $1 }).errorCode == "measure_not_for_finding")
                #expect(try await measure(try #require(information["id"] as? String), f.li, base).errorCode == "finding_not_an_asset")
                #expect(try await measure(propertyID, f.li, base.merging(["on": "2026-02-27"]) { $1 }).errorCode == "date_before_finding")
                #expect(
                    try await measure(propertyID, f.li, base.merging(["documentNumber": ""]) { $1 }).errorCode == "document_number_required"
                )
                #expect(try await measure(propertyID, f.zhang, base).status == .notFound)  // not their case
                #expect(try await measure(propertyID, f.liaison, base).status == .forbidden)
                #expect(try await measure("00000000-0000-0000-0000-000000000000", f.li, base).status == .notFound)
                let taken = try await measure(propertyID, f.li, base)
                #expect(taken.status == .created && taken.json["findingId"] as? String == propertyID, "\(taken.text)")
                // on the look-up, on the case's measures, and on the page
                let after = try await client.execute(uri: "/api/v1/asset-lookups/\(id)", method: .get, headers: bearer(f.li)).json
                let measured = (after["categories"] as? [[String: Any]] ?? []).flatMap { $0["findings"] as? [[String: Any]] ?? [] }
                    .first { $0["id"] as? String == propertyID }
                let recorded = try #require((measured?["measures"] as? [[String: Any]])?.first)
                #expect(
                    recorded["kind"] as? String == (try MeasureKind.parse(fits)).rawValue
                        && recorded["documentNumber"] as? String == "（2022）赣0732执3301号之三")
                let caseMeasures = try await client.execute(uri: "/api/v1/cases/\(case3301)/measures", method: .get, headers: bearer(f.li))
                    .json
                #expect((caseMeasures["items"] as? [[String: Any]])?.contains { $0["findingId"] as? String == propertyID } == true)
                let login = try await world.accounts.login(username: "lim", password: "password-lim", kind: .web, by: .commandLine).token
                let page = try await client.execute(
                    uri: "/lookups/\(id)", method: .get, headers: [.cookie: "\(AuthenticationMiddleware.cookieName)=\(login)"])
                #expect(page.text.contains("（2022）赣0732执3301号之三") && page.text.contains("/findings/\(propertyID)/measures"))
                // the form on the page: a bad one shows the rule, the look-up unchanged
                let cookie = "\(AuthenticationMiddleware.cookieName)=\(login)"
                let csrf = PageTests.csrf(for: cookie)
                let badForm = try await client.execute(
                    uri: "/lookups/\(id)/findings/\(propertyID)/measures", method: .post,
                    headers: [.contentType: "application/x-www-form-urlencoded", .cookie: cookie],
                    body: PageTests.form(["_csrf": csrf, "kind": misfit, "on": "2026-03-02", "documentNumber": "x"]))
                #expect(badForm.status == .unprocessableContent && badForm.text.contains("不能"))
                let goodForm = try await client.execute(
                    uri: "/lookups/\(id)/findings/\(propertyID)/measures", method: .post,
                    headers: [.contentType: "application/x-www-form-urlencoded", .cookie: cookie],
                    body: PageTests.form([
                        "_csrf": csrf, "kind": (try MeasureKind.parse(fits)).rawValue, "on": "2026-03-02",
                        "documentNumber": "（2022）赣0732执3301号之四", "amount": "",
                    ]))
                #expect(goodForm.status == .seeOther)
            }
        }
    }

    @Test(arguments: TestEngine.available)
    func theApplicantIsToldTheResultByANoticeThatLeaksNoDetail(engine: TestEngine) async throws {
        try await withExchangeSim({ $0.failureRate = ["tax": 1] }) { exchange in
            try await withApp(engine, configure: { $0.exchange = ExchangeConfiguration(defaultURL: exchange) }) { client, world in
                let f = try await NetworkFixture.make(client, world)
                let case3301 = try await NetworkFixture.caseID(world, "（2022）赣0732执3301号")
                let created = try await Self.start(client, f.li, ["caseId": case3301, "debtorId": f.zhong, "legalBasis": "财产调查规定第十二条"])
                let id = try #require(created.json["id"] as? String)
                let early = try await client.execute(uri: "/api/v1/asset-lookups/\(id)/notice", method: .get, headers: bearer(f.li))
                #expect(early.status == .conflict || early.status == .ok)  // it may already have completed
                let lookup = try await completedLookup(client, f.li, id)
                let notice = try await client.execute(uri: "/api/v1/asset-lookups/\(id)/notice", method: .get, headers: bearer(f.li))
                #expect(notice.status == .ok && notice.headers[.contentType]?.hasPrefix("text/html") == true)
                #expect(notice.text.contains("财产查询结果告知书") && notice.text.contains("（2022）赣0732执3301号") && notice.text.contains("钟某林"))
                #expect(notice.text.contains("兴国县人民法院") && notice.text.contains("申请恢复执行"))
                #expect(notice.text.contains("未能查询，本院将另行补查"))  // tax failed
                // kinds of property and counts only: no identifier, value or information that is not property
                let findings = (lookup["categories"] as? [[String: Any]] ?? []).flatMap { $0["findings"] as? [[String: Any]] ?? [] }
                for finding in findings {
                    if let identifier = finding["identifier"] as? String {
                        #expect(!notice.text.contains(identifier), "\(identifier) leaked")
                    }
                    #expect(!notice.text.contains(finding["description"] as? String ?? "\u{0}"))
                }
                // (every category but tax answered; the kinds of property found are named with their count)
                let answered = (lookup["categories"] as? [[String: Any]] ?? []).filter { $0["status"] as? String == "answered" }
                for kind in Set(answered.flatMap { $0["findings"] as? [[String: Any]] ?? [] }.compactMap { $0["kind"] as? String }) {
                    let found = try #require(AssetFinding.Kind(rawValue: kind))
                    let named = notice.text.contains("\(found.chinese)1项") || notice.text.contains("\(found.chinese)2项")
                    #expect(named == FindingMeasures.isProperty(found), "\(kind)")
                }
                let xml = try await client.execute(
                    uri: "/api/v1/asset-lookups/\(id)/notice?format=xml", method: .get, headers: bearer(f.li))
                #expect(xml.text.contains("<lookupNotice xmlns=\"urn:chuqing:lookup-notice:1\"") && xml.text.contains("status=\"failed\""))
                let text = try await client.execute(
                    uri: "/api/v1/asset-lookups/\(id)/notice?format=text", method: .get, headers: bearer(f.li))
                #expect(text.text.hasPrefix("【兴国县人民法院】") && text.text.contains("另有1类未能查询"), "\(text.text)")
                #expect(
                    try await client.execute(uri: "/api/v1/asset-lookups/\(id)/notice?format=pdf", method: .get, headers: bearer(f.li))
                        .status == .badRequest)
                #expect(
                    try await client.execute(uri: "/api/v1/asset-lookups/\(id)/notice", method: .get, headers: bearer(f.zhang)).status
                        == .notFound)

                let login = try await world.accounts.login(username: "lim", password: "password-lim", kind: .web, by: .commandLine).token
                func caseList() async throws -> String {
                    try await client.execute(
                        uri: "/cases/\(case3301)/lookups", method: .get,
                        headers: [.cookie: "\(AuthenticationMiddleware.cookieName)=\(login)"]
                    ).text
                }
                #expect(try await caseList().contains("尚未告知申请执行人"))
                // recording that the applicant was told: once, on a real day after the result
                func told(_ body: [String: Any], _ token: String? = nil) async throws -> TestResponse {
                    try await client.execute(
                        uri: "/api/v1/asset-lookups/\(id)/applicant-told", method: .post, headers: bearer(token ?? f.li),
                        body: jsonBody(body))
                }
                #expect(try await told(["on": "2026-03-03", "how": "短信"]).errorCode == "date_in_future")
                #expect(try await told(["on": "2026-03-01", "how": "短信"]).errorCode == "date_before_result")
                #expect(try await told(["on": "2026-03-02", "how": ""]).errorCode == "told_how_required")
                #expect(try await told(["on": "2026-03-02", "how": "短信"], try await world.token(.auditor)).status == .forbidden)
                let ok = try await told(["on": "2026-03-02", "how": "短信"])
                #expect(ok.status == .ok && (ok.json["applicantTold"] as? [String: Any])?["how"] as? String == "短信", "\(ok.text)")
                #expect(try await told(["on": "2026-03-02", "how": "电话"]).errorCode == "applicant_already_told")
                // the case's list of look-ups says which applicant was told
                #expect(try await caseList().contains("2026-03-02 已告知申请执行人"))
            }
        }
    }

    @Test(arguments: TestEngine.available)
    func auditorsAndTheDirectorSearchTheLog(engine: TestEngine) async throws {
        try await withApp(engine) { client, world in
            let f = try await NetworkFixture.make(client, world)
            let case3301 = try await NetworkFixture.caseID(world, "（2022）赣0732执3301号")
            let case1022 = try await NetworkFixture.caseID(world, "（2023）赣0732执1022号")
            _ = try await Self.start(
                client, f.li, ["caseId": case3301, "debtorId": f.zhong, "legalBasis": "财产调查规定第十二条", "categories": ["tax"]])
            _ = try await Self.start(
                client, f.zhang, ["caseId": case1022, "debtorId": f.chen, "legalBasis": "法〔2016〕373号第九条", "categories": ["tax"]])
            _ = try await Self.start(
                client, f.director, ["caseId": case1022, "debtorId": f.chen, "legalBasis": "法〔2016〕373号第九条", "categories": ["tax"]])
            let auditor = try await world.token(.auditor)
            func search(_ query: String, _ token: String? = nil) async throws -> TestResponse {
                try await client.execute(uri: "/api/v1/asset-lookups\(query)", method: .get, headers: bearer(token ?? auditor))
            }
            func items(_ query: String) async throws -> [[String: Any]] {
                try #require(try await search(query).json["items"] as? [[String: Any]])
            }
            #expect(try await items("").count == 3)
            #expect(try await search("", f.li).status == .forbidden)
            #expect(try await search("", f.director).status == .ok)
            let byCase = try await items("?caseNumber=\("（2023）赣0732执1022号".addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)")
            #expect(byCase.count == 2 && byCase.allSatisfy { $0["debtorName"] as? String == "陈某生" })
            #expect(byCase.first?["debtorIdNumber"] as? String == "3607321978****131X")  // masked
            let byOperator = try await items("?operator=lim")
            #expect(
                byOperator.count == 1 && byOperator.first?["legalBasis"] as? String == "财产调查规定第十二条"
                    && byOperator.first?["requestedBy"] as? String == "李某")
            #expect(try await items("?idNumber=\(Self.zhongID)").count == 1)
            #expect(try await items("?from=2026-03-03").isEmpty)
            #expect(try await items("?from=2026-03-02&to=2026-03-02").count == 3)
            #expect(try await items("?status=refused").isEmpty)
            let approved = try await items("?operator=u-director")
            #expect(approved.first?["approvedBy"] as? String == "测试执行局长")
            #expect(try await search("?status=lost").errorCode == "unknown_status")
            #expect(try await search("?from=2026-03-05&to=2026-03-01").errorCode == "invalid_range")
            // pages of one: every look-up once
            var seen: [String] = []
            var cursor: String?
            repeat {
                let page = try await search("?limit=1" + (cursor.map { "&cursor=\($0)" } ?? "")).json
                seen += (page["items"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
                cursor = page["nextCursor"] as? String
            } while cursor != nil
            #expect(seen.count == 3 && Set(seen).count == 3)
            // the page
            let page = try await client.execute(
                uri: "/lookups?operator=lim", method: .get, headers: [.cookie: try await world.cookie(.auditor)])
            #expect(
                page.status == .ok && page.text.contains("id=\"lookup-log\"") && page.text.contains("财产调查规定第十二条")
                    && !page.text.contains("法〔2016〕373号第九条</td>"))
            let badPage = try await client.execute(
                uri: "/lookups?status=lost", method: .get, headers: [.cookie: try await world.cookie(.director)])
            #expect(badPage.status == .ok && badPage.text.contains("status 只能是"))
            #expect(
                try await client.execute(uri: "/lookups", method: .get, headers: [.cookie: try await world.cookie(.judge)]).status
                    == .forbidden)
        }
    }

    @Test(arguments: TestEngine.available)
    func aLookUpAStoppedServerLeftPendingIsAskedAgainAtStart(engine: TestEngine) async throws {
        try await withExchangeSim { exchange in
            try await engine.withDatabase { database in
                var configuration = ServerConfiguration()
                configuration.home = TestSupport.repositoryRoot
                configuration.bcryptCost = 4
                configuration.logLevel = .critical
                configuration.exchange = ExchangeConfiguration(defaultURL: exchange)
                // a look-up stored as started, its categories never asked (the server stopped)
                let accounts = AccountService(
                    database: database, hasher: PasswordHasher(cost: 4), sessionLifetime: .seconds(3600), now: { TestSupport.fixedNow })
                let world = TestWorld(database: database, accounts: accounts, routes: [])
                try await world.addUsers()
                let first = try await buildApplication(
                    AppArguments(configuration: configuration, database: database, now: { TestSupport.fixedNow }, runScheduler: false))
                let (caseID, debtorID): (String, String) = try await first.application.test(.router) { client in
                    try await CaseAPITests.importSample(client, world)
                    let director = try await world.token(.director)
                    let zhong = try await VillageAndPhotoTests.debtorID(client, director, idNumber: Self.zhongID)
                    return (try await NetworkFixture.caseID(world, "（2022）赣0732执3301号"), zhong)
                }
                let repository = AssetLookupRepository(database: database)
                let request = try AssetLookup.Request(
                    categories: ["realEstate", "vehicles"], legalBasis: "财产调查规定第十二条", catalogue: try await repository.catalogue())
                let stored = try await repository.create(
                    caseID: caseID, debtorID: debtorID, request: request, purpose: .manual, requestedBy: nil,
                    audit: AuditEntry(
                        occurredAt: TestSupport.fixedNow, actorID: nil, actorUsername: "test", action: "lookup.start", entity: "case",
                        entityID: caseID, detail: ""),
                    now: TestSupport.fixedNow)
                // the next start asks them
                var restarted = configuration
                restarted.port = 0
                let second = try await buildApplication(
                    AppArguments(configuration: restarted, database: database, now: { TestSupport.fixedNow }, runScheduler: false))
                try await second.application.test(.live) { _ in
                    let deadline = Date().addingTimeInterval(45)  // the whole suite runs alongside on 2 cores
                    var lookup = try await repository.lookup(id: stored.id.databaseText)
                    while lookup?.status.rawValue != "completed", Date() < deadline {
                        try await Task.sleep(for: .milliseconds(50))
                        lookup = try await repository.lookup(id: stored.id.databaseText)
                    }
                    #expect(lookup?.status.rawValue == "completed")
                    #expect(lookup?.categories.allSatisfy { $0.status.rawValue == "answered" && $0.attempts == 1 } == true)
                }
            }
        }
    }

    @Test(arguments: TestEngine.available)
    func theAdminKeepsTheCatalogueAndLoadsExtractsOnAScreen(engine: TestEngine) async throws {
        try await withApp(engine) { client, world in
            let cookie = try await world.cookie(.admin)
            let csrf = PageTests.csrf(for: cookie)
            let page = try await client.execute(uri: "/admin/data-categories", method: .get, headers: [.cookie: cookie])
            #expect(page.status == .ok && page.text.components(separatedBy: "class=\"stack category-form\"").count == 14)
            #expect(page.text.contains("href=\"/admin/data-categories\""))  // in the admin's navigation
            #expect(
                try await client.execute(uri: "/admin/data-categories", method: .get, headers: [.cookie: try await world.cookie(.director)])
                    .status == .forbidden)
            func post(_ path: String, _ fields: [String: String]) async throws -> TestResponse {
                try await client.execute(
                    uri: path, method: .post, headers: [.contentType: "application/x-www-form-urlencoded", .cookie: cookie],
                    body: PageTests.form(fields.merging(["_csrf": csrf]) { a, _ in a }))
            }
            let fields = [
                "name": "证券", "department": "中国证券登记结算有限责任公司", "channel": "national", "connector": "exchange",
                "timeoutMilliseconds": "8000", "retries": "2", "position": "12",
            ]
            // a bad value: the rule, and nothing saved
            let bad = try await post(
                "/admin/data-categories/securities", fields.merging(["timeoutMilliseconds": "50", "enabled": "on"]) { $1 })
            #expect(bad.status == .unprocessableContent && bad.text.contains("超时须为 100–600000 毫秒"))
            let admin = try await world.token(.admin)
            func category(_ code: String) async throws -> [String: Any]? {
                (try await client.execute(uri: "/api/v1/data-categories", method: .get, headers: bearer(admin)).json["items"]
                    as? [[String: Any]])?
                    .first { $0["code"] as? String == code }
            }
            #expect(try await category("securities")?["timeoutMilliseconds"] as? Int == 5_000)
            // renamed, re-timed and disabled (the box unticked)
            let saved = try await post("/admin/data-categories/securities", fields)
            #expect(saved.status == .ok && saved.text.contains("已保存数据类别「证券」"))
            let securities = try #require(try await category("securities"))
            #expect(
                securities["department"] as? String == "中国证券登记结算有限责任公司" && securities["timeoutMilliseconds"] as? Int == 8_000
                    && securities["retries"] as? Int == 2 && securities["enabled"] as? Bool == false)
            let added = try await post(
                "/admin/data-categories",
                [
                    "code": "fishingBoats", "name": "渔船登记", "department": "县农业农村局",
                    "channel": "manual", "connector": "snapshot",
                ])
            #expect(added.status == .ok && added.text.contains("已新增数据类别「渔船登记」"))
            #expect(
                try await post(
                    "/admin/data-categories",
                    [
                        "code": "fishingBoats", "name": "x", "department": "y", "channel": "manual",
                        "connector": "snapshot",
                    ]
                ).status == .conflict)
            // an extract through the form: a bad file names its rows; a good one is loaded
            func upload(_ csv: String) async throws -> TestResponse {
                try await client.execute(
                    uri: "/admin/data-categories/fishingBoats/snapshot", method: .post,
                    headers: [.contentType: "multipart/form-data; boundary=chuqing-test-boundary", .cookie: cookie],
                    body: ImportPageTests.multipart(["_csrf": csrf, "extractedOn": "2026-03-01"], file: Data(csv.utf8), filename: "渔船.csv"))
            }
            let refused = try await upload("证件号码,姓名或名称,财产种类,描述\n\(Self.zhongID),钟某林,渔船,赣兴渔01\n")
            #expect(refused.status == .unprocessableContent && refused.text.contains("第 2 行"))
            let loaded = try await upload("证件号码,姓名或名称,财产种类,描述,标识\n\(Self.zhongID),钟某林,其他,渔船一艘,赣兴渔01\n")
            #expect(loaded.status == .ok && loaded.text.contains("已导入数据提取文件：1 行，提取日期 2026-03-01"), "\(loaded.text)")
            #expect(loaded.text.contains("渔船.csv：1 行"))
        }
    }
}
