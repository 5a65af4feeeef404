import ChuqingDomain
import ChuqingPersistence
import ChuqingServices
import ChuqingTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import SQLKit
import Testing

@testable import ChuqingServer

/// Runs `body` with `chuqing exchange-sim`'s server live on a loopback port.
func withExchangeSim<R: Sendable>(
    _ configure: (inout ExchangeSimulator) -> Void = { _ in },
    _ body: @escaping @Sendable (URL) async throws -> R
) async throws -> R {
    var simulator = ExchangeSimulator()
    simulator.defaultLatency = .milliseconds(5)
    configure(&simulator)
    var logger = Logger(label: "exchange-sim.tests")
    logger.logLevel = .critical
    let app = Application(router: simulator.router(), configuration: .init(address: .hostname("127.0.0.1", port: 0)), logger: logger)
    return try await app.test(.live) { client in
        try await body(URL(string: "http://127.0.0.1:\(client.port!)")!)
    }
}

/// Polls the look-up until every category has ended.
func completedLookup(_ client: some TestClientProtocol, _ token: String, _ id: String, within seconds: Double = 60) async throws -> [String:
    Any]
{
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        let lookup = try await client.execute(uri: "/api/v1/asset-lookups/\(id)", method: .get, headers: bearer(token)).json
        if lookup["status"] as? String == "completed" { return lookup }
        try await Task.sleep(for: .milliseconds(50))
    }
    Issue.record("look-up \(id) did not complete within \(seconds) s")
    return [:]
}

@Suite("Asset look-ups across the shared data categories")
struct AssetLookupTests {
    @Test(arguments: TestEngine.available)
    func everyCategoryIsAskedAtOnceAndASlowOneDelaysNoOther(engine: TestEngine) async throws {
        try await withExchangeSim({ sim in
            sim.hanging = ["vehicles"]
            sim.hangFor = .seconds(9)
            sim.failureRate = ["tax": 1]
        }) { exchange in
            try await withApp(engine, configure: { $0.exchange = ExchangeConfiguration(defaultURL: exchange) }) { client, world in
                let f = try await NetworkFixture.make(client, world)
                let admin = try await world.token(.admin)
                // a short budget for every category, so the hanging one ends soon
                let catalogue = try #require(
                    try await client.execute(uri: "/api/v1/data-categories", method: .get, headers: bearer(admin)).json["items"]
                        as? [[String: Any]])
                #expect(catalogue.count == 13)
                // the hanging department gets a long budget, so that "the others ended while it was
                // still being asked" is an order of events, not a race against a loaded machine
                let hangingBudget = 8_000
                for category in catalogue {
                    let code = try #require(category["code"] as? String)
                    let changed = try await client.execute(
                        uri: "/api/v1/data-categories/\(code)", method: .patch, headers: bearer(admin),
                        body: jsonBody(["timeoutMilliseconds": code == "vehicles" ? hangingBudget : 1_500, "retries": 1]))
                    #expect(changed.status == .ok)
                }
                let case3301 = try await NetworkFixture.caseID(world, "（2022）赣0732执3301号")
                let started = Date()
                let created = try await client.execute(
                    uri: "/api/v1/asset-lookups", method: .post, headers: bearer(f.li),
                    body: jsonBody([
                        "caseId": case3301, "debtorId": f.zhong, "legalBasis": "财产调查规定第十二条",
                    ]))
                #expect(created.status == .created, "\(created.text)")
                let id = try #require(created.json["id"] as? String)
                #expect((created.json["categories"] as? [[String: Any]])?.count == 13)  // all enabled, by default
                // the other twelve end while the hanging one is still pending: nothing waits for it
                var othersEnded = false
                var vehiclesWhenOthersEnded: String?
                let othersDeadline = Date().addingTimeInterval(Double(hangingBudget) / 1000)
                while Date() < othersDeadline {
                    let now = try await client.execute(uri: "/api/v1/asset-lookups/\(id)", method: .get, headers: bearer(f.li)).json
                    let states = Dictionary(
                        uniqueKeysWithValues: (now["categories"] as? [[String: Any]] ?? []).map {
                            ($0["code"] as? String ?? "", $0["status"] as? String ?? "")
                        })
                    if states.filter({ $0.key != "vehicles" }).allSatisfy({ $0.value != "pending" }) {
                        othersEnded = true
                        vehiclesWhenOthersEnded = states["vehicles"]
                        break
                    }
                    try await Task.sleep(for: .milliseconds(50))
                }
                #expect(othersEnded, "the other categories did not end within the hanging one's budget")
                #expect(vehiclesWhenOthersEnded == "pending")
                let lookup = try await completedLookup(client, f.li, id)
                let elapsed = Date().timeIntervalSince(started)
                // the hanging budget plus a little, not the sum of thirteen budgets (8 + 12 × 1.5 = 26 s);
                // the ratio itself is measured by Benchmarks/lookup-bench.py, away from a loaded test run
                #expect(elapsed < Double(hangingBudget) / 1000 + 10, "a hanging department held the look-up for \(elapsed) s")
                let categories = Dictionary(
                    uniqueKeysWithValues: try #require(lookup["categories"] as? [[String: Any]]).map { ($0["code"] as! String, $0) })
                #expect(categories["vehicles"]?["status"] as? String == "timedOut")
                #expect(categories["vehicles"]?["attempts"] as? Int == 1)  // a hang uses the whole budget
                #expect(categories["tax"]?["status"] as? String == "failed" && categories["tax"]?["attempts"] as? Int == 2)
                #expect((categories["tax"]?["reason"] as? String)?.isEmpty == false)
                let answered = categories.values.filter { $0["status"] as? String == "answered" }
                #expect(answered.count == 11)
                #expect(answered.allSatisfy { ($0["digest"] as? String)?.count == 64 })
                // the findings are the simulator's, stored as given
                let expected = ExchangeSimulator.findings(category: "realEstate", idNumber: "36073219830415009X", name: "钟某林")
                let realEstate = try #require(categories["realEstate"]?["findings"] as? [[String: Any]])
                #expect(realEstate.map { $0["identifier"] as? String } == expected.map { $0["identifier"] as? String })
                #expect(
                    realEstate.map { ($0["valueFen"] as? NSNumber)?.int64Value }
                        == expected.map { ($0["valueFen"] as? NSNumber)?.int64Value })

                // a failed category is asked again alone; an answered one is not
                let retry = try await client.execute(
                    uri: "/api/v1/asset-lookups/\(id)/categories/tax/retry", method: .post, headers: bearer(f.li))
                #expect(retry.status == .accepted)
                let again = try await completedLookup(client, f.li, id)
                let tax = try #require((again["categories"] as? [[String: Any]])?.first { $0["code"] as? String == "tax" })
                #expect(tax["status"] as? String == "failed")
                #expect(
                    try await client.execute(
                        uri: "/api/v1/asset-lookups/\(id)/categories/realEstate/retry", method: .post, headers: bearer(f.li)
                    )
                    .errorCode == "category_not_failed")

                // who may see it: the case's judge, the director, auditors; not another judge, not a liaison
                #expect(
                    try await client.execute(uri: "/api/v1/asset-lookups/\(id)", method: .get, headers: bearer(f.director)).status == .ok)
                #expect(
                    try await client.execute(
                        uri: "/api/v1/asset-lookups/\(id)", method: .get, headers: bearer(try await world.token(.auditor))
                    ).status == .ok)
                #expect(
                    try await client.execute(uri: "/api/v1/asset-lookups/\(id)", method: .get, headers: bearer(f.zhang)).status == .notFound
                )
                #expect(
                    try await client.execute(uri: "/api/v1/asset-lookups/\(id)", method: .get, headers: bearer(f.liaison)).status
                        == .forbidden)

                // a verified lead may name this look-up as what it led to
                let leadID = try #require(
                    try await lead(client, f.liaison, ["debtorId": f.zhong, "kind": "realEstate", "text": "新房"]).json["id"] as? String)
                let linked = try await client.execute(
                    uri: "/api/v1/leads/\(leadID)/status", method: .post, headers: bearer(f.li),
                    body: jsonBody([
                        "status": "verified", "reply": "已查询不动产登记，查到房产一处", "outcome": ["kind": "lookup", "id": id],
                    ]))
                #expect((linked.json["outcome"] as? [String: Any])?["id"] as? String == id)
            }
        }
    }

    /// 钟某林, case 3301 terminated this round on 2023-05-12, listed; then the deletion trigger of
    /// art. 10(4) to ask for, and a network look-up of some categories to make (completed).
    static func listedZhong(_ client: some TestClientProtocol, _ world: TestWorld, _ f: NetworkFixture) async throws -> (
        trigger: () async throws -> TestResponse, lookUp: ([String]) async throws -> Void
    ) {
        let case3301 = try await NetworkFixture.caseID(world, "（2022）赣0732执3301号")
        let listed = try await client.execute(
            uri: "/api/v1/blacklist-entries", method: .post, headers: bearer(f.director),
            body: jsonBody([
                "caseId": case3301, "debtorId": f.zhong, "circumstances": [1], "decidedOn": "2026-01-05",
                "decisionNumber": "（2026）赣0732执3301号之一",
            ]))
        let entry = try #require(listed.json["id"] as? String)
        return (
            {
                try await client.execute(
                    uri: "/api/v1/blacklist-entries/\(entry)/deletion-triggers", method: .post, headers: bearer(f.director),
                    body: jsonBody(["trigger": "noAssetsAfterLookups", "on": "2026-03-02"]))
            },
            { categories in
                let created = try await client.execute(
                    uri: "/api/v1/asset-lookups", method: .post, headers: bearer(f.li),
                    body: jsonBody([
                        "caseId": case3301, "debtorId": f.zhong, "legalBasis": "法〔2016〕373号第九条", "categories": categories,
                    ]))
                _ = try await completedLookup(client, f.li, try #require(created.json["id"] as? String))
            }
        )
    }

    @Test(arguments: TestEngine.available)
    func twoLookUpsFindingNothingAfterTerminationAreADeletionTrigger(engine: TestEngine) async throws {
        try await withExchangeSim { exchange in
            try await withApp(engine, configure: { $0.exchange = ExchangeConfiguration(defaultURL: exchange) }) { client, world in
                let f = try await NetworkFixture.make(client, world)
                let (trigger, lookUp) = try await Self.listedZhong(client, world, f)
                let codes = [
                    "realEstate", "marketRegulation", "vehicles", "housingFund", "socialInsurance", "medicalInsurance", "tax", "marriage",
                    "householdRegistration", "utilities", "bankDeposits", "securities", "publicResources",
                ]
                let empty = codes.filter { ExchangeSimulator.findings(category: $0, idNumber: "36073219830415009X", name: "钟某林").isEmpty }
                let found = try #require(codes.first { !empty.contains($0) })
                try #require(!empty.isEmpty)
                #expect(try await trigger().errorCode == "trigger_not_shown")  // no look-up yet
                try await lookUp(empty)
                try await lookUp([found])  // found something: does not count
                let once = try await trigger()
                #expect(once.errorCode == "trigger_not_shown")
                #expect(
                    (once.json["error"] as? [String: Any])?["message"] as? String
                        == "案件 （2022）赣0732执3301号：终本后经网络查控（总对总、点对点）各财产类别均已答复且未发现财产的查询只有 1 次，须两次以上")
                try await lookUp(empty)
                let shown = try await trigger()
                #expect(shown.status == .ok || shown.status == .created, "\(shown.text)")
                #expect(shown.json["deletionTrigger"] as? String == "noAssetsAfterLookups")
            }
        }
    }

    /// Issue 16 item 5: 法释〔2017〕7号 art. 10(4) as the law reads — property categories, the
    /// network channels, and a verified lead about property.
    @Test(arguments: TestEngine.available)
    func articleTenFourCountsNetworkLookUpsOfPropertyAndLeadsAboutProperty(engine: TestEngine) async throws {
        try await withExchangeSim { exchange in
            try await withApp(engine, configure: { $0.exchange = ExchangeConfiguration(defaultURL: exchange) }) { client, world in
                let f = try await NetworkFixture.make(client, world)
                let (trigger, lookUp) = try await Self.listedZhong(client, world, f)
                func finds(_ code: String) -> Bool {
                    !ExchangeSimulator.findings(category: code, idNumber: "36073219830415009X", name: "钟某林").isEmpty
                }
                let information = ["marriage", "householdRegistration", "socialInsurance", "utilities"].filter(finds)
                let property = [
                    "realEstate", "marketRegulation", "vehicles", "housingFund", "medicalInsurance", "tax", "bankDeposits", "securities",
                    "publicResources",
                ].filter { !finds($0) }
                try #require(!information.isEmpty && property.count >= 2)
                // the catalogue says which categories answer with information
                let catalogue = try await client.execute(uri: "/api/v1/data-categories", method: .get, headers: bearer(f.director))
                let marks = Dictionary(
                    uniqueKeysWithValues: (catalogue.json["items"] as? [[String: Any]] ?? []).map {
                        ($0["code"] as? String ?? "", $0["isProperty"] as? Bool)
                    })
                #expect(marks["marriage"] == false && marks["utilities"] == false && marks["realEstate"] == true)

                // a manual enquiry is not a network look-up: asked twice, it does not count
                let admin = try await world.token(.admin)
                let manual = try await client.execute(
                    uri: "/api/v1/data-categories/\(property[0])", method: .patch, headers: bearer(admin),
                    body: jsonBody(["channel": "manual"]))
                #expect(manual.status == .ok, "\(manual.text)")
                try await lookUp([property[0]])
                try await lookUp([property[0]])
                #expect((((try await trigger()).json["error"] as? [String: Any])?["message"] as? String)?.contains("只有 0 次") == true)

                // a verified lead on whereabouts says nothing about property
                let whereabouts = try #require(
                    try await lead(client, f.liaison, ["debtorId": f.zhong, "kind": "whereabouts", "text": "常在县城菜市场出现"]).json["id"]
                        as? String)
                let verified = try await client.execute(
                    uri: "/api/v1/leads/\(whereabouts)/status", method: .post, headers: bearer(f.li),
                    body: jsonBody(["status": "verified", "reply": "已核实，找到本人"]))
                #expect(verified.status == .ok, "\(verified.text)")

                // network look-ups whose property categories found nothing count, whatever the
                // information categories (婚姻, 户籍, 社保, 水电气) found
                try await lookUp(Array(property.dropFirst()) + information)
                try await lookUp(Array(property.dropFirst()) + information)
                let shown = try await trigger()
                #expect(shown.status == .ok || shown.status == .created, "\(shown.text)")
                #expect(shown.json["deletionTrigger"] as? String == "noAssetsAfterLookups")
            }
        }
    }

    @Test(arguments: TestEngine.available)
    func aLookUpFallsDueEverySixMonthsAfterTermination(engine: TestEngine) async throws {
        try await withApp(engine) { client, world in
            let f = try await NetworkFixture.make(client, world)
            func due(_ token: String) async throws -> [[String: Any]] {
                try #require(
                    try await client.execute(uri: "/api/v1/asset-lookups/due", method: .get, headers: bearer(token)).json["items"]
                        as? [[String: Any]])
            }
            // 陈某生's case 1022 was terminated this round on 2023-08-30: first due 2024-02-29 (six months on, in a leap year)
            let all = try await due(f.director)
            let chen = try #require(all.first { $0["debtorId"] as? String == f.chen })
            #expect(chen["dueOn"] as? String == "2024-02-29" && chen["terminatedOn"] as? String == "2023-08-30")
            #expect(chen["lastLookupOn"] == nil || chen["lastLookupOn"] is NSNull)
            #expect(chen["lookupsFindingNothing"] as? Int == 0)
            #expect(try await due(f.zhang).allSatisfy { $0["caseNumber"] as? String != "（2022）赣0732执3301号" })  // a judge: their own cases
            #expect(try await due(f.zhang).contains { $0["debtorId"] as? String == f.chen })
            #expect(
                try await client.execute(uri: "/api/v1/asset-lookups/due", method: .get, headers: bearer(f.liaison)).status == .forbidden)
            // looked up today: not due again before 2026-09-02
            let case1022 = try await NetworkFixture.caseID(world, "（2023）赣0732执1022号")
            _ = try await client.execute(
                uri: "/api/v1/asset-lookups", method: .post, headers: bearer(f.zhang),
                body: jsonBody([
                    "caseId": case1022, "debtorId": f.chen, "legalBasis": "法〔2016〕373号第九条", "categories": ["realEstate"],
                ]))
            #expect(try await due(f.director).allSatisfy { $0["debtorId"] as? String != f.chen })
        }
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: CommandLineTests.binary.path)))
    func theCommandRunsTheLookUpsDueAndOnlyOnce() async throws {
        try await withExchangeSim { exchange in
            let database = CommandLineTests.freshDatabase()
            let sample = TestSupport.repositoryRoot.appendingPathComponent("Tests/Fixtures/sample-case-export.csv").path
            #expect(try await CommandLineTests.run(["migrate"], database: database).0 == 0)
            // (two of its rows are refused, on purpose)
            _ = try await CommandLineTests.run(["import", "cases", sample], database: database)
            let environment = ["CHUQING_EXCHANGE_URL": exchange.absoluteString]
            let (status, output) = try await CommandLineTests.run(["lookups", "run-due"], database: database, environment: environment)
            #expect(status == 0, "\(output)")
            let count = try #require(output.firstMatch(of: /定期查询 (\d+) 次/)?.1).description
            #expect(Int(count)! > 0 && output.contains("有类别失败或超时 0 次"), "\(output)")
            let (_, again) = try await CommandLineTests.run(["lookups", "run-due"], database: database, environment: environment)
            #expect(again.contains("定期查询 0 次"), "\(again)")
        }
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: CommandLineTests.binary.path)))
    func theCommandLineLoadsExtractsAndRunsDueLookUpsUnderApproval() async throws {
        let database = CommandLineTests.freshDatabase()
        let sample = TestSupport.repositoryRoot.appendingPathComponent("Tests/Fixtures/sample-case-export.csv").path
        #expect(try await CommandLineTests.run(["migrate"], database: database).0 == 0)
        _ = try await CommandLineTests.run(["import", "cases", sample], database: database)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("chuqing-extract-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let good = folder.appendingPathComponent("用电户.csv")
        let bad = folder.appendingPathComponent("bad.csv")
        try "\u{FEFF}证件号码,姓名或名称,财产种类,描述,标识\r\n36073219780312131X,陈某生,水电气户,用电户,3600009\r\n".write(
            to: good, atomically: true, encoding: .utf8)
        try "证件号码,姓名或名称,财产种类,描述\n123,陈某生,水电气户,用电户\n".write(to: bad, atomically: true, encoding: .utf8)
        let (refused, refusal) = try await CommandLineTests.run(["import", "snapshot", "utilities", bad.path], database: database)
        #expect(refused != 0 && refusal.contains("第 2 行"), "\(refusal)")
        let (loaded, output) = try await CommandLineTests.run(
            ["import", "snapshot", "utilities", good.path, "--extracted-on", "2026-02-01"], database: database)
        #expect(loaded == 0 && output.contains("1 行，提取日期 2026-02-01") && output.contains("connector"), "\(output)")
        // the court asks for approval: the periodic run names the director who approved it
        let approval = ["CHUQING_LOOKUP_APPROVAL": "director"]
        let (unapproved, message) = try await CommandLineTests.run(["lookups", "run-due"], database: database, environment: approval)
        #expect(unapproved != 0 && message.contains("--approved-by"), "\(message)")
        let (notDirector, who) = try await CommandLineTests.run(
            ["lookups", "run-due", "--approved-by", "nobody"], database: database, environment: approval)
        #expect(notDirector != 0 && who.contains("不是在用的院领导"), "\(who)")
        let (added, _) = try await CommandLineTests.run(
            [
                "users", "add", "--username", "wang", "--display-name", "王局长", "--role", "director",
                "--password-stdin",
            ], database: database, stdin: "director-password-1\n",
            environment: ["CHUQING_BCRYPT_COST": "10"])
        #expect(added == 0)
        let (ran, done) = try await CommandLineTests.run(
            ["lookups", "run-due", "--approved-by", "wang"], database: database, environment: approval)
        #expect(ran == 0 && done.contains("定期查询"), "\(done)")
    }

    @Test(arguments: TestEngine.available)
    func theJudgeStartsALookUpFromTheCasePageAndWatchesItFillIn(engine: TestEngine) async throws {
        try await withExchangeSim({ $0.defaultLatency = .milliseconds(300) }) { exchange in
            try await withApp(engine, configure: { $0.exchange = ExchangeConfiguration(defaultURL: exchange) }) { client, world in
                let f = try await NetworkFixture.make(client, world)
                let case3301 = try await NetworkFixture.caseID(world, "（2022）赣0732执3301号")
                let login = try await world.accounts.login(username: "lim", password: "password-lim", kind: .web, by: .commandLine).token
                let cookie = "\(AuthenticationMiddleware.cookieName)=\(login)"
                let csrf = PageTests.csrf(for: cookie)
                let casePage = try await client.execute(uri: "/cases/\(case3301)", method: .get, headers: [.cookie: cookie])
                #expect(casePage.text.contains("href=\"/cases/\(case3301)/lookups\""))
                let form = try await client.execute(uri: "/cases/\(case3301)/lookups", method: .get, headers: [.cookie: cookie])
                #expect(form.text.contains("id=\"lookup-form\"") && form.text.contains("name=\"category.realEstate\" checked"))
                func post(_ fields: [String: String]) async throws -> TestResponse {
                    try await client.execute(
                        uri: "/cases/\(case3301)/lookups", method: .post,
                        headers: [.contentType: "application/x-www-form-urlencoded", .cookie: cookie],
                        body: PageTests.form(fields.merging(["_csrf": csrf]) { a, _ in a }))
                }
                let none = try await post(["debtorId": f.zhong, "legalBasis": "x"])
                #expect(none.status == .unprocessableContent && none.text.contains("请至少选择一个数据类别"))
                // a look-up cannot be taken back: without the box ticked nothing is asked
                let unconfirmed = try await post([
                    "debtorId": f.zhong, "legalBasis": "财产调查规定第十二条", "category.realEstate": "on", "category.vehicles": "on",
                ])
                #expect(unconfirmed.status == .unprocessableContent && unconfirmed.text.contains("请勾选确认框"))
                let started = try await post([
                    "debtorId": f.zhong, "legalBasis": "财产调查规定第十二条", "category.realEstate": "on", "category.vehicles": "on",
                    "confirmed": "on",
                ])
                #expect(started.status == .seeOther)
                let location = try #require(started.headers[.location])
                let running = try await client.execute(uri: location, method: .get, headers: [.cookie: cookie])
                #expect(running.text.contains("<meta http-equiv=\"refresh\" content=\"2\">") && running.text.contains("查询中"))
                _ = try await completedLookup(client, f.li, String(location.dropFirst("/lookups/".count)))
                let done = try await client.execute(uri: location, method: .get, headers: [.cookie: cookie])
                #expect(!done.text.contains("http-equiv=\"refresh\"") && done.text.contains("已完成") && done.text.contains("2/2 类已结束"))
                let list = try await client.execute(uri: "/cases/\(case3301)/lookups", method: .get, headers: [.cookie: cookie])
                #expect(list.text.contains("2/2 类已答复"))
                // another judge's case: 404; a liaison: 403
                #expect(
                    try await client.execute(
                        uri: "/cases/\(case3301)/lookups", method: .get, headers: [.cookie: try await world.cookie(.judge)]
                    ).status == .notFound)
                #expect(
                    try await client.execute(uri: location, method: .get, headers: [.cookie: try await world.cookie(.liaison)]).status
                        == .forbidden)
            }
        }
    }

    @Test(arguments: TestEngine.available)
    func aLookUpIsRefusedWithTheRuleWhenItMayNotBeAsked(engine: TestEngine) async throws {
        try await withApp(engine) { client, world in
            let f = try await NetworkFixture.make(client, world)
            let case3301 = try await NetworkFixture.caseID(world, "（2022）赣0732执3301号")
            func start(_ token: String, _ body: [String: Any]) async throws -> TestResponse {
                try await client.execute(uri: "/api/v1/asset-lookups", method: .post, headers: bearer(token), body: jsonBody(body))
            }
            let base: [String: Any] = ["caseId": case3301, "debtorId": f.zhong, "legalBasis": "财产调查规定第十二条"]
            // 陈某生 is no debtor of case 3301 (法释〔2013〕20号)
            let stranger = try await start(f.li, base.merging(["debtorId": f.chen]) { $1 })
            #expect(stranger.status == .unprocessableContent && stranger.errorCode == "not_a_debtor_of_case")
            #expect(try await start(f.zhang, base).status == .notFound)  // not their case
            // case 2050 was performed in full: nothing left to enforce, nothing to look up (财产调查规定 art. 25)
            let case2050 = try await NetworkFixture.caseID(world, "（2023）赣0732执2050号")
            struct D: Decodable { let debtor_id: String }
            let factory = try #require(
                try await world.database.sql.raw("SELECT debtor_id FROM case_debtors WHERE case_id = \(bind: case2050)")
                    .first(decoding: D.self)
            ).debtor_id
            let closed = try await start(f.zhang, ["caseId": case2050, "debtorId": factory, "legalBasis": "x"])
            #expect(closed.status == .conflict && closed.errorCode == "case_not_in_enforcement")
            #expect(try await start(f.liaison, base).status == .forbidden)
            #expect(try await start(f.li, base.merging(["legalBasis": "  "]) { $1 }).errorCode == "legal_basis_required")
            #expect(try await start(f.li, base.merging(["categories": ["gold"]]) { $1 }).errorCode == "unknown_category")
            let admin = try await world.token(.admin)
            _ = try await client.execute(
                uri: "/api/v1/data-categories/securities", method: .patch, headers: bearer(admin), body: jsonBody(["enabled": false]))
            #expect(try await start(f.li, base.merging(["categories": ["securities"]]) { $1 }).errorCode == "category_disabled")
            struct N: Decodable { let n: Int }
            #expect(try await world.database.sql.raw("SELECT COUNT(*) AS n FROM asset_lookups").first(decoding: N.self)?.n == 0)
            // with no exchange configured, every category fails with that reason and the look-up still completes
            let lookup = try await start(f.li, base.merging(["categories": ["realEstate", "vehicles"]]) { $1 })
            let done = try await completedLookup(client, f.li, try #require(lookup.json["id"] as? String))
            let reasons = (done["categories"] as? [[String: Any]])?.compactMap { $0["reason"] as? String } ?? []
            #expect(reasons.count == 2 && reasons.allSatisfy { $0.contains("未配置该类别的数据交换地址") })
        }
    }

    @Test(arguments: TestEngine.available)
    func theAdminKeepsTheCatalogueWithoutABuild(engine: TestEngine) async throws {
        try await withApp(engine) { client, world in
            let admin = try await world.token(.admin)
            let added = try await client.execute(
                uri: "/api/v1/data-categories", method: .post, headers: bearer(admin),
                body: jsonBody([
                    "code": "fishingBoats", "name": "渔船登记", "department": "县农业农村局", "channel": "manual", "connector": "snapshot",
                ]))
            #expect(added.status == .created, "\(added.text)")
            #expect(
                try await client.execute(
                    uri: "/api/v1/data-categories", method: .post, headers: bearer(admin),
                    body: jsonBody([
                        "code": "fishingBoats", "name": "x", "department": "y",
                    ])
                ).status == .conflict)
            #expect(
                try await client.execute(
                    uri: "/api/v1/data-categories", method: .post, headers: bearer(admin),
                    body: jsonBody([
                        "code": "Fish boats", "name": "x", "department": "y",
                    ])
                ).errorCode == "invalid_category_code")
            let renamed = try await client.execute(
                uri: "/api/v1/data-categories/fishingBoats", method: .patch, headers: bearer(admin),
                body: jsonBody(["name": "渔船、船舶登记", "timeoutMilliseconds": 50]))
            #expect(renamed.errorCode == "invalid_timeout")
            let fixed = try await client.execute(
                uri: "/api/v1/data-categories/fishingBoats", method: .patch, headers: bearer(admin),
                body: jsonBody(["name": "渔船、船舶登记", "channel": "pointToPoint"]))
            #expect(fixed.json["name"] as? String == "渔船、船舶登记" && fixed.json["channel"] as? String == "pointToPoint")
            #expect(
                try await client.execute(
                    uri: "/api/v1/data-categories/fishingBoats", method: .patch, headers: bearer(try await world.token(.director)),
                    body: jsonBody(["enabled": false])
                ).status == .forbidden)
            let list = try await client.execute(
                uri: "/api/v1/data-categories", method: .get, headers: bearer(try await world.token(.judge)))
            #expect((list.json["items"] as? [[String: Any]])?.count == 14)
        }
    }

    @Test(arguments: TestEngine.available)
    func anEndingTheDatabaseRefusesForAMomentIsWrittenOnceItTakesItAgain(engine: TestEngine) async throws {
        try await withExchangeSim { exchange in
            try await withApp(engine, configure: { $0.exchange = ExchangeConfiguration(defaultURL: exchange) }) { client, world in
                let f = try await NetworkFixture.make(client, world)
                let case3301 = try await NetworkFixture.caseID(world, "（2022）赣0732执3301号")
                // While `record_blocked` has a row, the database refuses every category's ending,
                // as a full pool or a restarting server would.
                let sql = world.database.sql
                try await sql.raw("CREATE TABLE record_blocked (x INTEGER)").run()
                try await sql.raw("INSERT INTO record_blocked (x) VALUES (1)").run()
                switch engine {
                case .sqlite:
                    try await sql.raw(
                        """
                        CREATE TRIGGER block_answers BEFORE UPDATE ON asset_lookup_answers
                        WHEN EXISTS (SELECT 1 FROM record_blocked) BEGIN SELECT RAISE(ABORT, 'blocked'); END
                        """
                    ).run()
                case .postgres:
                    try await sql.raw(
                        """
                        CREATE FUNCTION block_answers() RETURNS trigger LANGUAGE plpgsql AS $$
                        BEGIN IF EXISTS (SELECT 1 FROM record_blocked) THEN RAISE EXCEPTION 'blocked'; END IF; RETURN NEW; END $$
                        """
                    ).run()
                    try await sql.raw(
                        "CREATE TRIGGER block_answers BEFORE UPDATE ON asset_lookup_answers FOR EACH ROW EXECUTE FUNCTION block_answers()"
                    ).run()
                }
                let created = try await client.execute(
                    uri: "/api/v1/asset-lookups", method: .post, headers: bearer(f.li),
                    body: jsonBody(["caseId": case3301, "debtorId": f.zhong, "legalBasis": "财产调查规定第十二条"]))
                let id = try #require(created.json["id"] as? String)
                struct N: Decodable { let n: Int }
                // every department answers within milliseconds; their endings wait on the database
                try await Task.sleep(for: .milliseconds(400))
                let pending = try await sql.raw(
                    "SELECT COUNT(*) AS n FROM asset_lookup_answers WHERE lookup_id = \(bind: id) AND status = 'pending'"
                ).first(decoding: N.self)?.n
                #expect(pending == 13)
                try await sql.raw("DELETE FROM record_blocked").run()
                let lookup = try await completedLookup(client, f.li, id)
                let categories = lookup["categories"] as? [[String: Any]] ?? []
                #expect(categories.count == 13 && categories.allSatisfy { $0["status"] as? String == "answered" }, "\(categories)")
            }
        }
    }
}
