import ChuqingDomain
import ChuqingServices
import ChuqingTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@testable import ChuqingServer

/// Issue 14, item 1: a judge reaches only their own cases on every write path, not just the import.
/// The walk takes every state-changing route a judge may call, API and page, points it at another
/// judge's records with a request that would otherwise succeed, and expects 404 (what a case that
/// is not yours looks like); then checks that none of those records changed. A new route that
/// a judge may call fails this test until it is given a request here, or a reason to be left out.
@Suite("A judge's writes stay within their own cases")
struct ScopeWalkTests {
    /// Routes a judge may call that reach no other judge's record, and where each is tested.
    static let outOfScope: [String: String] = [
        "POST /api/v1/sessions": "logging in",
        "DELETE /api/v1/sessions/current": "one's own session",
        "POST /login": "logging in",
        "POST /logout": "one's own session",
        "POST /account/password": "one's own password",
        "POST /api/v1/tips": "the public's form",
        "POST /tips": "the public's form",
        "POST /api/v1/cases": "creates the judge's own case; another judge's is judge_assigns_self (CaseAPITests)",
        "POST /api/v1/imports/cases": "ImportScopeTests",
        "POST /imports/cases": "ImportScopeTests",
        "POST /api/v1/imports/cases/checked/:id": "a file is its checker's own (ImportAPITests, CasePageTests)",
        "POST /imports/cases/checked/:id": "a file is its checker's own (ImportAPITests, CasePageTests)",
        "POST /api/v1/inbox/:id/read": "one's own reminder; another's is 404 (DeadlineAPITests)",
        "POST /inbox/:id/read": "one's own reminder; another's is 404 (DeadlineAPITests)",
    ]

    @Test(arguments: TestEngine.available)
    func everyStateChangingRouteAnswers404ForAnotherJudgesRecords(engine: TestEngine) async throws {
        try await withExchangeSim({ $0.failureRate = ["tax": 1] }) { exchange in
            try await withApp(engine, configure: { $0.exchange = ExchangeConfiguration(defaultURL: exchange) }) { client, world in
                // setup: 李某's case 3301 of 钟某林, and everything that hangs off it
                let f = try await NetworkFixture.make(client, world)
                let clerk = try await world.token(.clerk)
                let caseID = try await NetworkFixture.caseID(world, "（2022）赣0732执3301号")
                let debtor = f.zhong
                let listed = try await client.execute(
                    uri: "/api/v1/blacklist-entries", method: .post, headers: bearer(f.li),
                    body: jsonBody([
                        "caseId": caseID, "debtorId": debtor, "circumstances": [1], "decidedOn": "2026-01-05",
                        "decisionNumber": "（2026）赣0732执3301号之一",
                    ]))
                #expect(listed.status == .created, "\(listed.text)")
                let entry = try #require(listed.json["id"] as? String)
                let procedure = try #require(
                    try await NoticeTests.post(
                        client, "/api/v1/blacklist-entries/\(entry)/procedures", f.li,
                        ["kind": "correction", "on": "2026-02-13", "reason": "身份信息有误"]
                    ).json["id"] as? String)
                let issue = try #require(
                    try await NoticeTests.post(client, "/api/v1/notice-issues", clerk, ["kind": "blacklist", "entryIds": [entry]])
                        .json["id"] as? String)
                #expect(try await NoticeTests.post(client, "/api/v1/notice-issues/\(issue)/approve", f.director).status == .ok)
                #expect(try await NoticeTests.post(client, "/api/v1/notice-issues/\(issue)/publish", clerk).status == .ok)
                let tip = try #require(
                    try await TipTests.tip(client, ["text": "钟某林在县城开店", "issueId": issue, "entryId": entry]).json["id"] as? String)
                let leadID = try #require(
                    try await lead(client, f.liaison, ["debtorId": debtor, "kind": "realEstate", "text": "新房"]).json["id"] as? String)
                let started = try await client.execute(
                    uri: "/api/v1/asset-lookups", method: .post, headers: bearer(f.li),
                    body: jsonBody([
                        "caseId": caseID, "debtorId": debtor, "legalBasis": "财产调查规定第十二条",
                    ]))
                let lookup = try #require(started.json["id"] as? String)
                let answered = try await completedLookup(client, f.li, lookup)
                let realEstate = try #require((answered["categories"] as? [[String: Any]])?.first { $0["code"] as? String == "realEstate" })
                let finding = try #require((realEstate["findings"] as? [[String: Any]])?.first?["id"] as? String)
                #expect(
                    try await client.execute(
                        uri: "/api/v1/debtors/\(debtor)/assignments", method: .post, headers: bearer(f.li),
                        body: jsonBody(["township": "360732-05"])
                    ).status != .notFound)
                let paymentID = try #require(
                    (try await client.execute(
                        uri: "/api/v1/cases/\(caseID)/payments", method: .post, headers: bearer(f.li),
                        body: jsonBody(["amountFen": 100, "receivedOn": "2026-03-01", "method": "voluntary"])
                    ).json["payments"] as? [[String: Any]])?.first?["id"] as? String)
                // issue 18: a fine on 钟某林, and a push to his employer
                let fine = try #require(
                    try await NoticeTests.post(
                        client, "/api/v1/cases/\(caseID)/measures", f.li,
                        [
                            "kind": "fine", "on": "2026-03-01", "amountFen": 100_000, "debtorId": debtor, "act": "拒不报告财产",
                            "documentNumber": "（2026）赣0732司惩9号",
                        ]
                    ).json["id"] as? String)
                _ = try await client.execute(
                    uri: "/api/v1/debtors/\(debtor)", method: .patch, headers: bearer(f.li),
                    body: jsonBody(["standings": ["stateFunctionary"], "employer": "兴国县某局"]))
                let push = try #require(
                    try await NoticeTests.post(
                        client, "/api/v1/official-pushes", f.li, ["caseId": caseID, "debtorId": debtor, "sentOn": "2026-03-01"]
                    ).json["id"] as? String)
                let before = try await Self.snapshot(
                    client, f.li, caseID: caseID, debtor: debtor, entry: entry, lead: leadID, lookup: lookup, tip: tip, director: f.director
                )

                // the other judge, 张某, by API and by page
                let cookie =
                    "\(AuthenticationMiddleware.cookieName)=\(try await world.accounts.login(username: "zhang", password: "password-zhang", kind: .web, by: .commandLine).token)"
                let today = "2026-03-02"
                let api: [String: (uri: String, body: [String: Any])] = [
                    "PATCH /api/v1/cases/:id": ("/api/v1/cases/\(caseID)", ["targetFen": 1]),
                    "POST /api/v1/cases/:id/payments": (
                        "/api/v1/cases/\(caseID)/payments", ["amountFen": 100, "receivedOn": today, "method": "voluntary"]
                    ),
                    "POST /api/v1/cases/:id/transitions": (
                        "/api/v1/cases/\(caseID)/transitions", ["to": "concluded", "on": today, "reason": "x"]
                    ),
                    "POST /api/v1/cases/:id/resume": ("/api/v1/cases/\(caseID)/resume", ["on": today, "reason": "发现财产"]),
                    "POST /api/v1/payments/:id/reversal": ("/api/v1/payments/\(paymentID)/reversal", ["reason": "录错"]),
                    "POST /api/v1/measures/:id/reconsideration": ("/api/v1/measures/\(fine)/reconsideration", ["appliedOn": today]),
                    "POST /api/v1/measures/:id/reconsideration/decision": (
                        "/api/v1/measures/\(fine)/reconsideration/decision", ["decidedOn": today, "outcome": "upheld"]
                    ),
                    "POST /api/v1/settlements": (
                        "/api/v1/settlements",
                        ["caseId": caseID, "agreedOn": today, "terms": "分期", "instalments": [["dueOn": today, "amountFen": 100]]]
                    ),
                    "POST /api/v1/official-pushes": ("/api/v1/official-pushes", ["caseId": caseID, "debtorId": debtor, "sentOn": today]),
                    "POST /api/v1/official-pushes/:id/replies": (
                        "/api/v1/official-pushes/\(push)/replies", ["kind": "acknowledged", "on": today]
                    ),
                    "POST /api/v1/official-pushes/:id/escalation": ("/api/v1/official-pushes/\(push)/escalation", ["on": today]),
                    "POST /api/v1/cases/:id/measures": (
                        "/api/v1/cases/\(caseID)/measures",
                        ["kind": "summons", "on": today, "persons": 1, "documentNumber": "（2026）赣0732执拘9号"]
                    ),
                    "PATCH /api/v1/debtors/:id": ("/api/v1/debtors/\(debtor)", ["phone": "13900000000"]),
                    "PUT /api/v1/debtors/:id/photo": ("/api/v1/debtors/\(debtor)/photo", [:]),
                    "POST /api/v1/debtors/:id/assignments": ("/api/v1/debtors/\(debtor)/assignments", ["township": "360732-06"]),
                    "DELETE /api/v1/debtors/:id/assignments/:township": ("/api/v1/debtors/\(debtor)/assignments/360732-05", [:]),
                    "POST /api/v1/debtors/:id/visits": (
                        "/api/v1/debtors/\(debtor)/visits", ["visitors": "张某", "foundAtHome": false, "whereabouts": "外出"]
                    ),
                    "POST /api/v1/blacklist-entries": (
                        "/api/v1/blacklist-entries",
                        [
                            "caseId": caseID, "debtorId": debtor, "circumstances": [2],
                            "decidedOn": today, "decisionNumber": "（2026）赣0732执3301号之二",
                        ]
                    ),
                    "POST /api/v1/blacklist-entries/:id/deletion-triggers": (
                        "/api/v1/blacklist-entries/\(entry)/deletion-triggers",
                        ["trigger": "performedInFull", "on": today]
                    ),
                    "POST /api/v1/blacklist-entries/:id/deletion": ("/api/v1/blacklist-entries/\(entry)/deletion", ["on": today]),
                    "POST /api/v1/blacklist-entries/:id/procedures": (
                        "/api/v1/blacklist-entries/\(entry)/procedures",
                        ["kind": "revocation", "on": today, "reason": "x"]
                    ),
                    "POST /api/v1/blacklist-procedures/:id/reconsideration": (
                        "/api/v1/blacklist-procedures/\(procedure)/reconsideration", ["servedOn": today, "on": today, "reason": "x"]
                    ),
                    "POST /api/v1/blacklist-procedures/:id/decision": (
                        "/api/v1/blacklist-procedures/\(procedure)/decision", ["outcome": "upheld", "on": today]
                    ),
                    "POST /api/v1/leads/:id/status": ("/api/v1/leads/\(leadID)/status", ["status": "verifying"]),
                    "POST /api/v1/tips/:id/status": ("/api/v1/tips/\(tip)/status", ["status": "verifying"]),
                    "POST /api/v1/asset-lookups": (
                        "/api/v1/asset-lookups", ["caseId": caseID, "debtorId": debtor, "legalBasis": "财产调查规定第十二条"]
                    ),
                    "POST /api/v1/asset-lookups/:id/categories/:code/retry": ("/api/v1/asset-lookups/\(lookup)/categories/tax/retry", [:]),
                    "POST /api/v1/asset-lookups/:id/applicant-told": (
                        "/api/v1/asset-lookups/\(lookup)/applicant-told", ["on": today, "how": "phone"]
                    ),
                    "POST /api/v1/asset-findings/:id/measures": (
                        "/api/v1/asset-findings/\(finding)/measures",
                        ["kind": "seizure", "on": today, "documentNumber": "（2022）赣0732执3301号之三"]
                    ),
                ]
                let pages: [String: (uri: String, form: [String: String])] = [
                    "POST /cases/:id/payments": (
                        "/cases/\(caseID)/payments", ["amountYuan": "1.00", "receivedOn": today, "method": "voluntary"]
                    ),
                    "POST /cases/:id/measures": (
                        "/cases/\(caseID)/measures", ["kind": "summons", "on": today, "persons": "1", "documentNumber": "（2026）赣0732执拘9号"]
                    ),
                    "POST /cases/:id/transitions": ("/cases/\(caseID)/transitions", ["to": "concluded", "on": today, "reason": "x"]),
                    "POST /cases/:id/resume": ("/cases/\(caseID)/resume", ["on": today, "reason": "发现财产"]),
                    "POST /cases/:id/settlements": (
                        "/cases/\(caseID)/settlements", ["agreedOn": today, "terms": "分期", "instalments": "\(today) 100"]
                    ),
                    "POST /cases/:id/settlement-resumption": ("/cases/\(caseID)/settlement-resumption", ["appliedOn": today]),
                    "POST /cases/:id/payments/:payment/reversal": (
                        "/cases/\(caseID)/payments/\(paymentID)/reversal", ["reason": "录错", "confirmed": "on"]
                    ),
                    "POST /cases/:id/lookups": ("/cases/\(caseID)/lookups", ["debtorId": debtor, "legalBasis": "财产调查规定第十二条"]),
                    "POST /debtors/:id/photo": ("/debtors/\(debtor)/photo", [:]),
                    "POST /debtors/:id/standing": ("/debtors/\(debtor)/standing", ["standing-partyMember": "on", "employer": "某局"]),
                    "POST /officials/pushes": ("/officials/pushes", ["candidate": "\(caseID):\(debtor)", "sentOn": today]),
                    "POST /officials/pushes/:id/replies": ("/officials/pushes/\(push)/replies", ["kind": "acknowledged", "on": today]),
                    "POST /officials/pushes/:id/escalation": ("/officials/pushes/\(push)/escalation", ["on": today]),
                    "POST /debtors/:id/assignments": ("/debtors/\(debtor)/assignments", ["township": "360732-06"]),
                    // 良村镇: the API walk before it assigned it (and ended 高兴镇)
                    "POST /debtors/:id/assignments/:township/end": ("/debtors/\(debtor)/assignments/360732-06/end", [:]),
                    "POST /debtors/:id/visits": (
                        "/debtors/\(debtor)/visits", ["visitors": "张某", "foundAtHome": "false", "whereabouts": "外出"]
                    ),
                    "POST /leads/:source/:id/status": ("/leads/lead/\(leadID)/status", ["status": "verifying"]),
                    "POST /lookups/:id/categories/:code/retry": ("/lookups/\(lookup)/categories/tax/retry", [:]),
                    "POST /lookups/:id/applicant-told": ("/lookups/\(lookup)/applicant-told", ["on": today, "how": "phone"]),
                    "POST /lookups/:id/findings/:finding/measures": (
                        "/lookups/\(lookup)/findings/\(finding)/measures",
                        ["kind": "seizure", "on": today, "documentNumber": "（2022）赣0732执3301号之三"]
                    ),
                    "POST /blacklist/entries/:id/deletion": ("/blacklist/entries/\(entry)/deletion", ["on": today]),
                ]
                // the tip page route takes its source from the path, so walk it for tips as well
                let extraPages: [(uri: String, form: [String: String])] = [("/leads/tip/\(tip)/status", ["status": "verifying"])]

                // act and check
                let judgeRoutes = world.routes.filter { route in
                    guard route.method != .get, route.method != .head else { return false }
                    switch route.access {
                    case .anyone, .anyRole: return true
                    case .roles(let roles): return roles.contains(.judge)
                    default: return false
                    }
                }
                #expect(judgeRoutes.count > 30)
                let ownerCookie =
                    "\(AuthenticationMiddleware.cookieName)=\(try await world.accounts.login(username: "lim", password: "password-lim", kind: .web, by: .commandLine).token)"
                /// Sends every request as `token` (API) and `cookie` (pages); returns (what, status).
                func walk(token: String, cookie: String) async throws -> [(String, HTTPResponse.Status)] {
                    var answers: [(String, HTTPResponse.Status)] = []
                    for route in judgeRoutes {
                        let key = "\(route.method) \(route.path)"
                        if Self.outOfScope[key] != nil { continue }
                        if let request = api[key] {
                            let photo = key.hasSuffix("/photo")
                            let response = try await client.execute(
                                uri: request.uri, method: route.method,
                                headers: photo ? [.authorization: "Bearer \(token)", .contentType: "image/png"] : bearer(token),
                                body: photo ? ByteBuffer(bytes: VillageAndPhotoTests.png) : jsonBody(request.body))
                            answers.append(("\(key): \(response.text.prefix(200))", response.status))
                        } else if let request = pages[key] {
                            answers.append((key, try await page(request.uri, request.form, cookie)))
                        } else {
                            Issue.record("\(key) is open to judges: give it a request in ScopeWalkTests, or a reason in outOfScope")
                        }
                    }
                    for request in extraPages {
                        answers.append(("POST \(request.uri)", try await page(request.uri, request.form, cookie)))
                    }
                    return answers
                }
                func page(_ uri: String, _ fields: [String: String], _ cookie: String) async throws -> HTTPResponse.Status {
                    var form = fields
                    form[CSRFMiddleware.fieldName] = PageTests.csrf(for: cookie)
                    return try await client.execute(
                        uri: uri, method: .post, headers: [.cookie: cookie, .contentType: "application/x-www-form-urlencoded"],
                        body: PageTests.form(form)
                    ).status
                }
                for (what, status) in try await walk(token: f.zhang, cookie: cookie) {
                    #expect(status == .notFound, "\(what) as another judge: \(status)")
                }

                // nothing of 李某's changed
                let after = try await Self.snapshot(
                    client, f.li, caseID: caseID, debtor: debtor, entry: entry, lead: leadID, lookup: lookup, tip: tip, director: f.director
                )
                #expect(after == before)

                // and the requests were real: the case's own judge is not told "not found" (a
                // refusal of the rules, 409 or 422, is fine: the walk did not aim at success)
                for (what, status) in try await walk(token: f.li, cookie: ownerCookie) {
                    #expect(status != .notFound && status != .forbidden, "\(what) as the case's own judge: \(status)")
                }
            }
        }
    }

    /// What the case's own judge (and, for the tip, the director) reads of each record.
    static func snapshot(
        _ client: some TestClientProtocol, _ owner: String, caseID: String, debtor: String, entry: String, lead: String,
        lookup: String, tip: String, director: String
    ) async throws -> [String] {
        var texts: [String] = []
        for uri in [
            "/api/v1/cases/\(caseID)", "/api/v1/debtors/\(debtor)", "/api/v1/blacklist-entries/\(entry)",
            "/api/v1/blacklist-entries/\(entry)/procedures", "/api/v1/leads/\(lead)", "/api/v1/asset-lookups/\(lookup)",
            "/api/v1/cases/\(caseID)/measures", "/api/v1/asset-lookups?caseId=\(caseID)",
        ] {
            let response = try await client.execute(uri: uri, method: .get, headers: bearer(owner))
            texts.append("\(uri) \(response.status.code) \(response.text)")
        }
        let triage = try await client.execute(uri: "/api/v1/triage", method: .get, headers: bearer(director))
        texts.append(triage.text)
        return texts
    }
}
