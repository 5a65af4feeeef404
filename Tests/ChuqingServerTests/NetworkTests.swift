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

/// The sample's 钟某林 (case 3301 of 李某, `li`; 高兴镇) in an open batch; 陈某生 (case 1022 of 张某,
/// `zhang`; 古龙岗镇) not.
struct NetworkFixture {
    let director: String
    let liaison: String
    let zhang: String
    let li: String
    let batch: String
    let zhong: String
    let chen: String

    static func make(_ client: some TestClientProtocol, _ world: TestWorld) async throws -> NetworkFixture {
        try await world.accounts.createUser(
            NewUser(username: "lim", displayName: "李某", role: "judge", township: nil, password: "password-lim"),
            by: .commandLine)
        try await CaseAPITests.importSample(client, world)
        let director = try await world.token(.director)
        let batch = try await ClearanceAPITests.createBatch(client, director)
        _ = try await client.execute(
            uri: "/api/v1/clearance-batches/\(batch)/cases", method: .post, headers: bearer(director),
            body: jsonBody(["caseNumbers": ["（2022）赣0732执3301号"]]))
        return NetworkFixture(
            director: director, liaison: try await world.token(.liaison),
            zhang: try await world.accounts.login(username: "zhang", password: "password-zhang", kind: .api, by: .commandLine).token,
            li: try await world.accounts.login(username: "lim", password: "password-lim", kind: .api, by: .commandLine).token,
            batch: batch,
            zhong: try await VillageAndPhotoTests.debtorID(client, director, idNumber: "36073219830415009X"),
            chen: try await VillageAndPhotoTests.debtorID(client, director, idNumber: "36073219780312131X"))
    }

    /// The id of the case numbered `number`.
    static func caseID(_ world: TestWorld, _ number: String) async throws -> String {
        struct Row: Decodable { let id: String }
        return try #require(
            try await world.database.sql.raw("SELECT id FROM enforcement_cases WHERE case_number = \(bind: number)").first(
                decoding: Row.self)
        ).id
    }

    /// Adds a village to 高兴镇 and a user of `kind` in it; returns (village id, token).
    static func villageLiaison(
        _ client: some TestClientProtocol, _ world: TestWorld, kind: String = "villageLiaison",
        username: String = "zeng", village name: String = "上村"
    ) async throws -> (village: String, token: String) {
        let admin = try await world.token(.admin)
        var village = try await client.execute(
            uri: "/api/v1/townships/360732-05/villages", method: .post, headers: bearer(admin),
            body: jsonBody(["name": name]))
        if village.status == .conflict {
            let list = try await client.execute(uri: "/api/v1/townships/360732-05/villages", method: .get, headers: bearer(admin))
            village = list
            let id = try #require((list.json["items"] as? [[String: Any]])?.first { $0["name"] as? String == name }?["id"] as? String)
            return (id, try await create(client, admin, world, kind: kind, username: username, village: id))
        }
        let id = try #require(village.json["id"] as? String)
        return (id, try await create(client, admin, world, kind: kind, username: username, village: id))
    }

    private static func create(
        _ client: some TestClientProtocol, _ admin: String, _ world: TestWorld, kind: String, username: String,
        village: String
    ) async throws -> String {
        let created = try await client.execute(
            uri: "/api/v1/users", method: .post, headers: bearer(admin),
            body: jsonBody([
                "username": username, "displayName": "曾联络员", "role": "liaison", "township": "360732-05", "liaisonKind": kind,
                "village": village, "password": "password-\(username)",
            ]))
        #expect(created.status == .created, "\(created.text)")
        #expect(created.json["liaisonKind"] as? String == kind && created.json["village"] as? String == village)
        return try await world.accounts.login(username: username, password: "password-\(username)", kind: .api, by: .commandLine).token
    }
}

func lead(_ client: some TestClientProtocol, _ token: String, _ body: [String: Any], key: String? = UUID().uuidString) async throws
    -> TestResponse
{
    var headers = bearer(token)
    if let key { headers[.init("Idempotency-Key")!] = key }
    return try await client.execute(uri: "/api/v1/leads", method: .post, headers: headers, body: jsonBody(body))
}

@Suite("Township network: the network, assignments, photos, triage, visits and figures")
struct NetworkTests {
    @Test(arguments: TestEngine.available)
    func theNetworkIsTownshipsVillagesAndLiaisonsWithWhatTheyDid(engine: TestEngine) async throws {
        try await withApp(engine) { client, world in
            let f = try await NetworkFixture.make(client, world)
            let admin = try await world.token(.admin)
            let (village, zeng) = try await NetworkFixture.villageLiaison(client, world)
            // a village of another township, or none, is refused with the rule
            let wrong = try await client.execute(
                uri: "/api/v1/users", method: .post, headers: bearer(admin),
                body: jsonBody([
                    "username": "huang", "displayName": "黄", "role": "liaison", "township": "360732-01", "liaisonKind": "assistant",
                    "village": village, "password": "password-huang",
                ]))
            #expect(wrong.errorCode == "unknown_village")
            let none = try await client.execute(
                uri: "/api/v1/users", method: .post, headers: bearer(admin),
                body: jsonBody([
                    "username": "huang", "displayName": "黄", "role": "liaison", "township": "360732-05", "liaisonKind": "assistant",
                    "password": "password-huang",
                ]))
            #expect(none.errorCode == "village_required")

            // leads from both liaisons; 李某 verifies one as leading to a payment; one household visit
            let first = try await lead(client, f.liaison, ["debtorId": f.zhong, "kind": "vehicle", "text": "门口停着货车"])
            let second = try await lead(client, zeng, ["debtorId": f.zhong, "kind": "income", "text": "在镇上开早餐店"])
            #expect(first.status == .created && second.status == .created)
            let case3301 = try await NetworkFixture.caseID(world, "（2022）赣0732执3301号")
            _ = try await client.execute(
                uri: "/api/v1/cases/\(case3301)/payments", method: .post, headers: bearer(f.li),
                body: jsonBody(["amountFen": 500_000, "receivedOn": "2026-03-02", "method": "voluntary"]))
            struct P: Decodable { let id: String }
            let payment = try #require(
                try await world.database.sql.raw("SELECT id FROM payments WHERE case_id = \(bind: case3301)").first(decoding: P.self)
            ).id
            let secondID = try #require(second.json["id"] as? String)
            let verified = try await client.execute(
                uri: "/api/v1/leads/\(secondID)/status", method: .post, headers: bearer(f.li),
                body: jsonBody([
                    "status": "verified", "reply": "已约谈，当场履行 5000 元", "outcome": ["kind": "payment", "id": payment],
                ]))
            #expect(verified.status == .ok, "\(verified.text)")
            #expect((verified.json["outcome"] as? [String: Any])?["kind"] as? String == "payment")
            let visit = try await client.execute(
                uri: "/api/v1/debtors/\(f.zhong)/visits", method: .post, headers: bearer(zeng),
                body: jsonBody(["visitors": "曾联络员", "foundAtHome": false, "whereabouts": "外出"]))
            #expect(visit.status == .created, "\(visit.text)")

            // the commissioner sees their township: villages, liaisons, figures per township and per liaison
            let mine = try await client.execute(uri: "/api/v1/network", method: .get, headers: bearer(f.liaison))
            let townships = try #require(mine.json["items"] as? [[String: Any]])
            #expect(townships.map { $0["name"] as? String } == ["高兴镇"])
            let township = townships[0]
            #expect((township["villages"] as? [[String: Any]])?.map { $0["name"] as? String } == ["上村"])
            let figures = try #require(township["figures"] as? [String: Int])
            #expect(figures == ["leadsSubmitted": 2, "leadsVerified": 1, "leadsLeadingToRecovery": 1, "visits": 1])
            let members = try #require(township["members"] as? [[String: Any]])
            let byName = Dictionary(uniqueKeysWithValues: members.map { ($0["displayName"] as! String, $0) })
            #expect(byName["曾联络员"]?["kind"] as? String == "villageLiaison" && byName["曾联络员"]?["village"] as? String == "上村")
            #expect(
                (byName["曾联络员"]?["figures"] as? [String: Int]) == [
                    "leadsSubmitted": 1, "leadsVerified": 1, "leadsLeadingToRecovery": 1, "visits": 1,
                ])
            #expect(
                (byName["测试乡镇联络员"]?["figures"] as? [String: Int]) == [
                    "leadsSubmitted": 1, "leadsVerified": 0, "leadsLeadingToRecovery": 0, "visits": 0,
                ])
            #expect(
                try await client.execute(uri: "/api/v1/network?township=360732-01", method: .get, headers: bearer(f.liaison)).status
                    == .notFound)
            // a village liaison coordinates nothing: 403; the court sees all 25 townships
            #expect(try await client.execute(uri: "/api/v1/network", method: .get, headers: bearer(zeng)).status == .forbidden)
            let all = try await client.execute(uri: "/api/v1/network", method: .get, headers: bearer(f.director))
            #expect((all.json["items"] as? [[String: Any]])?.count == 25)

            // …and in the batch's progress
            let progress = try await ClearanceAPITests.progress(client, f.director, f.batch)
            let network = try #require(progress["network"] as? [[String: Any]])
            #expect(network.count == 1 && network[0]["township"] as? String == "高兴镇")
            #expect(
                network[0]["leadsSubmitted"] as? Int == 2 && network[0]["leadsLeadingToRecovery"] as? Int == 1
                    && network[0]["visits"] as? Int == 1)
            // as of a day before anything happened, nothing
            let before = try await ClearanceAPITests.progress(client, f.director, f.batch, asOf: ClearanceAPITests.today.adding(days: -1))
            #expect((before["network"] as? [Any])?.isEmpty == true)
        }
    }

    @Test(arguments: TestEngine.available)
    func aJudgeAsksATownshipToLookForADebtorOutsideItsBatches(engine: TestEngine) async throws {
        try await withApp(engine) { client, world in
            let f = try await NetworkFixture.make(client, world)
            let admin = try await world.token(.admin)
            struct U: Decodable { let id: String }
            let zhangID = try #require(
                try await world.database.sql.raw("SELECT id FROM users WHERE username = 'zhang'").first(decoding: U.self)
            ).id
            let phone = try await client.execute(
                uri: "/api/v1/users/\(zhangID)", method: .patch, headers: bearer(admin),
                body: jsonBody(["officePhone": "0797-5321001"]))
            #expect(phone.json["officePhone"] as? String == "0797-5321001")
            #expect(
                try await client.execute(
                    uri: "/api/v1/users/\(zhangID)", method: .patch, headers: bearer(admin),
                    body: jsonBody(["officePhone": "call me"])
                ).errorCode == "invalid_phone")
            // 陈某生 lives in 古龙岗镇 and is in no open batch: not the 高兴镇 liaison's business
            #expect(
                try await client.execute(uri: "/api/v1/debtors/\(f.chen)", method: .get, headers: bearer(f.liaison)).status == .notFound)
            func assign(_ token: String, _ body: [String: Any]) async throws -> TestResponse {
                try await client.execute(
                    uri: "/api/v1/debtors/\(f.chen)/assignments", method: .post, headers: bearer(token), body: jsonBody(body))
            }
            #expect(try await assign(try await world.token(.judge), ["township": "360732-05"]).status == .notFound)  // not their case
            #expect(try await assign(f.zhang, ["township": "360732-99"]).errorCode == "unknown_township")
            let assigned = try await assign(f.zhang, ["township": "360732-05", "note": "据反映在高兴镇务工"])
            #expect(assigned.status == .created)
            #expect(try await assign(f.zhang, ["township": "360732-05"]).json["id"] as? String == assigned.json["id"] as? String)  // once
            let seen = try await client.execute(uri: "/api/v1/debtors/\(f.chen)", method: .get, headers: bearer(f.liaison))
            #expect(seen.status == .ok)
            #expect(seen.json["assignment"] as? String == "据反映在高兴镇务工" && seen.json["idNumber"] == nil)
            let cases = try #require(seen.json["cases"] as? [[String: Any]])
            #expect(cases.first?["caseNumber"] as? String == "（2023）赣0732执1022号")
            #expect(cases.first?["judgeName"] as? String == "张某" && cases.first?["judgePhone"] as? String == "0797-5321001")
            #expect(try await lead(client, f.liaison, ["debtorId": f.chen, "kind": "whereabouts", "text": "在镇上工地"]).status == .created)
            // ended: out of scope again; the lead already sent stays
            #expect(
                try await client.execute(uri: "/api/v1/debtors/\(f.chen)/assignments/360732-05", method: .delete, headers: bearer(f.zhang))
                    .status == .noContent)
            #expect(
                try await client.execute(uri: "/api/v1/debtors/\(f.chen)", method: .get, headers: bearer(f.liaison)).status == .notFound)
            #expect(
                try await client.execute(uri: "/api/v1/debtors/\(f.chen)/assignments/360732-05", method: .delete, headers: bearer(f.zhang))
                    .status == .notFound)
            let leads = try await client.execute(uri: "/api/v1/leads", method: .get, headers: bearer(f.liaison))
            #expect((leads.json["items"] as? [[String: Any]])?.count == 1)
        }
    }

    @Test(arguments: TestEngine.available)
    func photosAreCheckedByContentAndStoredWithoutLocation(engine: TestEngine) async throws {
        try await withApp(engine) { client, world in
            let f = try await NetworkFixture.make(client, world)
            let jpeg = Data(TestImagesForServer.phoneJPEG).base64EncodedString()
            let body: [String: Any] = [
                "debtorId": f.zhong, "kind": "vehicle", "text": "门口停着货车", "photos": ["data:image/jpeg;base64," + jpeg],
            ]
            let sent = try await lead(client, f.liaison, body, key: "photo-1")
            #expect(sent.status == .created, "\(sent.text)")
            #expect(sent.json["photoCount"] as? Int == 1)
            let id = try #require(sent.json["id"] as? String)
            #expect(try await lead(client, f.liaison, body, key: "photo-1").json["id"] as? String == id)  // a retry, photos and all
            let photo = try await client.execute(uri: "/api/v1/leads/\(id)/photos/1", method: .get, headers: bearer(f.li))
            #expect(photo.status == .ok)
            #expect(photo.headers[.contentType] == "image/jpeg")
            let stored = Data(buffer: photo.body)
            #expect(stored.range(of: Data("GPS".utf8)) == nil && stored.range(of: Data("SEFT".utf8)) == nil)
            #expect(stored.range(of: Data(TestImagesForServer.scan)) != nil)
            #expect(try await client.execute(uri: "/api/v1/leads/\(id)/photos/2", method: .get, headers: bearer(f.li)).status == .notFound)
            // another judge does not see it
            #expect(
                try await client.execute(uri: "/api/v1/leads/\(id)/photos/1", method: .get, headers: bearer(f.zhang)).status == .notFound)

            // refused, each with its rule, and nothing stored
            let pdf = Data("%PDF-1.7".utf8).base64EncodedString()
            let notImage = try await lead(client, f.liaison, ["debtorId": f.zhong, "kind": "vehicle", "text": "x", "photos": [jpeg, pdf]])
            #expect(notImage.errorCode == "unsupported_photo")
            #expect((notImage.json["error"] as? [String: Any])?["message"] as? String == "第 2 张照片：照片须为 JPEG 或 PNG 图片（此文件不是，无论其文件名如何）")
            #expect(
                try await lead(
                    client, f.liaison, ["debtorId": f.zhong, "kind": "vehicle", "text": "x", "photos": [jpeg, jpeg, jpeg, jpeg]]
                ).errorCode
                    == "too_many_photos")
            #expect(
                try await lead(client, f.liaison, ["debtorId": f.zhong, "kind": "vehicle", "text": "x", "photos": ["not base64!"]])
                    .errorCode
                    == "invalid_photo_encoding")
            let huge = Data([0xFF, 0xD8, 0xFF] + [UInt8](repeating: 0, count: LeadPhoto.maxBytes)).base64EncodedString()
            #expect(
                try await lead(client, f.liaison, ["debtorId": f.zhong, "kind": "vehicle", "text": "x", "photos": [huge]]).errorCode
                    == "photo_too_large")
            let leads = try await client.execute(uri: "/api/v1/leads", method: .get, headers: bearer(f.liaison))
            #expect((leads.json["items"] as? [[String: Any]])?.count == 1)
        }
    }

    @Test(arguments: TestEngine.available)
    func whatALeadLedToMustConcernItsDebtor(engine: TestEngine) async throws {
        try await withApp(engine) { client, world in
            let f = try await NetworkFixture.make(client, world)
            let id = try #require(
                try await lead(client, f.liaison, ["debtorId": f.zhong, "kind": "vehicle", "text": "货车"]).json["id"] as? String)
            let case1022 = try await NetworkFixture.caseID(world, "（2023）赣0732执1022号")
            _ = try await client.execute(
                uri: "/api/v1/cases/\(case1022)/payments", method: .post, headers: bearer(f.zhang),
                body: jsonBody(["amountFen": 100_000, "receivedOn": "2026-03-01", "method": "voluntary"]))
            struct P: Decodable { let id: String }
            let other = try #require(
                try await world.database.sql.raw("SELECT id FROM payments WHERE case_id = \(bind: case1022)").first(decoding: P.self)
            ).id
            func answer(_ body: [String: Any]) async throws -> TestResponse {
                try await client.execute(uri: "/api/v1/leads/\(id)/status", method: .post, headers: bearer(f.li), body: jsonBody(body))
            }
            #expect(
                try await answer(["status": "verified", "reply": "x", "outcome": ["kind": "payment", "id": other]]).errorCode
                    == "unknown_outcome")
            #expect(
                try await answer(["status": "verified", "reply": "x", "outcome": ["kind": "lookup", "id": "x"]]).errorCode
                    == "unknown_outcome")
            #expect(
                try await answer(["status": "rejected", "reply": "x", "outcome": ["kind": "payment", "id": other]]).errorCode
                    == "outcome_not_allowed")
            let lead = try await client.execute(uri: "/api/v1/leads/\(id)", method: .get, headers: bearer(f.liaison))
            #expect(lead.json["status"] as? String == "new")  // every refusal left it as it was
        }
    }

    @Test(arguments: TestEngine.available)
    func tipsAndLeadsShareOneTriageQueue(engine: TestEngine) async throws {
        try await withApp(engine) { client, world in
            let f = try await NetworkFixture.make(client, world)
            _ = try await lead(client, f.liaison, ["debtorId": f.zhong, "kind": "vehicle", "text": "货车", "urgent": true])
            let tip = try await client.execute(
                uri: "/api/v1/tips", method: .post, headers: [.contentType: "application/json"],
                body: jsonBody(["text": "有人在县城见过陈某生开店", "name": "李某", "phone": "13800000000"]))
            let tipID = try #require(tip.json["id"] as? String)
            let queue = try await client.execute(uri: "/api/v1/triage?open=true", method: .get, headers: bearer(f.director))
            let items = try #require(queue.json["items"] as? [[String: Any]])
            #expect(Set(items.map { $0["source"] as? String }) == ["lead", "tip"])
            #expect(queue.json["open"] as? Int == 2 && queue.json["overdue"] as? Int == 0)
            // the urgent lead is due first (3 days), the tip in 7
            #expect(items.map { $0["verifyBy"] as? String } == ["2026-03-05", "2026-03-09"])
            #expect(items.last?["from"] as? String == "公众 李某 13800000000")  // the director sees who tipped
            let clerkQueue = try await client.execute(uri: "/api/v1/triage", method: .get, headers: bearer(try await world.token(.clerk)))
            #expect((clerkQueue.json["items"] as? [[String: Any]])?.last?["from"] as? String == "公众")  // a clerk does not
            // a tip moves like a lead
            func tipStatus(_ token: String, _ body: [String: Any]) async throws -> TestResponse {
                try await client.execute(uri: "/api/v1/tips/\(tipID)/status", method: .post, headers: bearer(token), body: jsonBody(body))
            }
            #expect(try await tipStatus(f.liaison, ["status": "verifying"]).status == .forbidden)
            // a tip about nobody: any judge
            #expect(try await tipStatus(f.zhang, ["status": "verifying"]).json["status"] as? String == "verifying")
            #expect(try await tipStatus(f.zhang, ["status": "rejected"]).errorCode == "reply_required")
            #expect(try await tipStatus(f.director, ["status": "rejected", "reply": "查无此事"]).json["reply"] as? String == "查无此事")
            #expect(try await tipStatus(f.director, ["status": "verified", "reply": "x"]).errorCode == "lead_closed")
            let open = try await client.execute(uri: "/api/v1/triage?open=true", method: .get, headers: bearer(f.director))
            #expect(open.json["open"] as? Int == 1)
        }
    }

    @Test(arguments: TestEngine.available)
    func overdueItemsAreFlaggedForTheJudgeAndTheDirector(engine: TestEngine) async throws {
        // Sent on 2026-03-02 (urgent: due 03-05); read on 03-06.
        let clock = TestClock(TestSupport.fixedNow)
        try await withApp(engine, now: { clock.now }) { client, world in
            let f = try await NetworkFixture.make(client, world)
            _ = try await lead(client, f.liaison, ["debtorId": f.zhong, "kind": "vehicle", "text": "货车", "urgent": true])
            clock.advance(days: 4)
            // (sessions last an hour in tests: log in again on the later day)
            let li = try await world.accounts.login(username: "lim", password: "password-lim", kind: .api, by: .commandLine).token
            for token in [try await world.token(.director), li] {
                let queue = try await client.execute(uri: "/api/v1/triage", method: .get, headers: bearer(token))
                #expect(queue.json["overdue"] as? Int == 1)
                #expect((queue.json["items"] as? [[String: Any]])?.first?["overdue"] as? Bool == true)
            }
            let page = try await client.execute(uri: "/leads", method: .get, headers: [.cookie: try await world.cookie(.director)])
            #expect(page.text.contains("class=\"card lead overdue\"") && page.text.contains("已超期"))
            let home = try await client.execute(uri: "/", method: .get, headers: [.cookie: try await world.cookie(.director)])
            #expect(home.text.contains("线索待核实 1 条") && home.text.contains("其中超期 1 条") && home.text.contains("钟某林：财产：车辆，核实期限 2026-03-05"))
        }
    }

    @Test(arguments: TestEngine.available)
    func visitsBuildThePortraitAndNothingIsOverwritten(engine: TestEngine) async throws {
        try await withApp(engine) { client, world in
            let f = try await NetworkFixture.make(client, world)
            func visit(_ token: String, _ debtor: String, _ body: [String: Any]) async throws -> TestResponse {
                try await client.execute(
                    uri: "/api/v1/debtors/\(debtor)/visits", method: .post, headers: bearer(token), body: jsonBody(body))
            }
            #expect(
                try await visit(
                    f.liaison, f.zhong,
                    [
                        "visitedOn": "2026-02-20", "visitors": "钟专员", "foundAtHome": false,
                        "whereabouts": "家人称在广东", "family": "妻子在家",
                    ]
                ).status == .created)
            #expect(
                try await visit(
                    f.li, f.zhong,
                    [
                        "visitedOn": "2026-03-01", "visitors": "李某、书记员", "foundAtHome": true,
                        "whereabouts": "已回村", "attitude": "愿分期履行", "phone": "13912345678",
                    ]
                ).status == .created)
            // refused with the rule; out of scope is 404
            #expect(try await visit(f.liaison, f.zhong, ["visitors": "钟专员", "foundAtHome": true]).errorCode == "visit_empty")
            #expect(
                try await visit(f.liaison, f.zhong, ["visitedOn": "2026-03-03", "visitors": "x", "foundAtHome": false]).errorCode
                    == "date_in_future")
            #expect(try await visit(f.liaison, f.chen, ["visitors": "x", "foundAtHome": false]).status == .notFound)

            let portrait = try await client.execute(uri: "/api/v1/debtors/\(f.zhong)/portrait", method: .get, headers: bearer(f.li))
            let fields = try #require(portrait.json["fields"] as? [[String: Any]])
            let whereabouts = try #require(fields.first { $0["fact"] as? String == "whereabouts" }?["values"] as? [[String: Any]])
            #expect(whereabouts.map { $0["value"] as? String } == ["已回村", "家人称在广东"])
            #expect(whereabouts.first?["observedOn"] as? String == "2026-03-01" && whereabouts.first?["visitors"] as? String == "李某、书记员")
            #expect(fields.first { $0["fact"] as? String == "family" } != nil)  // reported once, still there
            #expect(portrait.json["visitCount"] as? Int == 2 && portrait.json["lastFoundOn"] as? String == "2026-03-01")
            // a liaison reads the visits they made, never the portrait
            #expect(
                try await client.execute(uri: "/api/v1/debtors/\(f.zhong)/portrait", method: .get, headers: bearer(f.liaison)).status
                    == .forbidden)
            let own = try await client.execute(uri: "/api/v1/debtors/\(f.zhong)/visits", method: .get, headers: bearer(f.liaison))
            #expect((own.json["items"] as? [[String: Any]])?.map { $0["visitors"] as? String } == ["钟专员"])
            let page = try await client.execute(
                uri: "/debtors/\(f.zhong)", method: .get, headers: [.cookie: try await world.cookie(.director)])
            #expect(page.text.contains("人物画像") && page.text.contains("已回村") && page.text.contains("家人称在广东"))
        }
    }

    @Test(arguments: TestEngine.available)
    func leadsArrivingAtOnceTakeTheirOwnPlacesAndARetryIsStoredOnce(engine: TestEngine) async throws {
        try await withApp(engine) { client, world in
            let f = try await NetworkFixture.make(client, world)
            let distinct = try await withThrowingTaskGroup(of: Int?.self) { group in
                for n in 0..<20 {
                    group.addTask {
                        try await lead(client, f.liaison, ["debtorId": f.zhong, "kind": "other", "text": "第 \(n) 条"]).json["position"]
                            as? Int
                    }
                }
                return try await group.reduce(into: [Int?]()) { $0.append($1) }
            }
            #expect(Set(distinct.compactMap { $0 }) == Set(1...20))
            let retried = try await withThrowingTaskGroup(of: String?.self) { group in
                for _ in 0..<10 {
                    group.addTask {
                        try await lead(client, f.liaison, ["debtorId": f.zhong, "kind": "other", "text": "同一条"], key: "same").json["id"]
                            as? String
                    }
                }
                return try await group.reduce(into: [String?]()) { $0.append($1) }
            }
            #expect(Set(retried).count == 1 && retried.first! != nil)
            struct N: Decodable { let n: Int }
            #expect(try await world.database.sql.raw("SELECT COUNT(*) AS n FROM leads").first(decoding: N.self)?.n == 21)
        }
    }

    @Test(arguments: TestEngine.available)
    func theLiaisonsPhonePagesWorkWithoutJavaScript(engine: TestEngine) async throws {
        try await withApp(engine) { client, world in
            let f = try await NetworkFixture.make(client, world)
            let cookie = try await world.cookie(.liaison)
            let csrf = PageTests.csrf(for: cookie)
            let list = try await client.execute(uri: "/liaison", method: .get, headers: [.cookie: cookie])
            #expect(list.status == .ok && list.text.contains("钟某林") && !list.text.contains("陈某生"))
            #expect(!list.text.contains("36073219830415009X"))  // never the ID number
            let page = try await client.execute(uri: "/liaison/debtors/\(f.zhong)", method: .get, headers: [.cookie: cookie])
            #expect(page.status == .ok && page.text.contains("id=\"lead-form\"") && page.text.contains("/static/liaison.js"))
            let key = try #require(page.text.firstMatch(of: /name="idempotencyKey" value="([0-9a-f-]+)"/)?.1)
            #expect(
                try await client.execute(uri: "/liaison/debtors/\(f.chen)", method: .get, headers: [.cookie: cookie]).status == .notFound)

            // the form, sent twice (a double tap, or a resend after a lost answer): one lead
            let boundary = "lead-boundary"
            func form(_ fields: [String: String], photo: [UInt8]?) -> ByteBuffer {
                var body = Data()
                for (name, value) in fields {
                    body.append(Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8))
                }
                if let photo {
                    body.append(
                        Data(
                            "--\(boundary)\r\nContent-Disposition: form-data; name=\"photo1\"; filename=\"IMG_0001.JPG\"\r\nContent-Type: image/jpeg\r\n\r\n"
                                .utf8))
                    body.append(Data(photo))
                    body.append(Data("\r\n".utf8))
                }
                body.append(Data("--\(boundary)--\r\n".utf8))
                return ByteBuffer(bytes: body)
            }
            let headers: HTTPFields = [.contentType: "multipart/form-data; boundary=\(boundary)", .cookie: cookie]
            let fields = [
                "_csrf": csrf, "idempotencyKey": String(key), "kind": "realEstate", "text": "新起了楼房", "place": "上村三组",
                "seenOn": "2026-03-01",
            ]
            for _ in 0..<2 {
                let sent = try await client.execute(
                    uri: "/liaison/debtors/\(f.zhong)/leads", method: .post, headers: headers,
                    body: form(fields, photo: TestImagesForServer.phoneJPEG))
                #expect(sent.status == .seeOther)
                #expect(sent.headers[.location] == "/liaison/debtors/\(f.zhong)?saved=lead")
            }
            // refused: the page again, with the message and what was typed
            var empty = fields
            empty["text"] = " "
            empty["place"] = "村口"
            let refused = try await client.execute(
                uri: "/liaison/debtors/\(f.zhong)/leads", method: .post, headers: headers, body: form(empty, photo: nil))
            #expect(
                refused.status == .unprocessableContent && refused.text.contains("请写明看到或知道的情况") && refused.text.contains("value=\"村口\""))
            var asScript = headers
            asScript[.accept] = "application/json"
            let notPhoto = try await client.execute(
                uri: "/liaison/debtors/\(f.zhong)/leads", method: .post, headers: asScript,
                body: form(fields.merging(["idempotencyKey": "other"]) { $1 }, photo: Array("%PDF".utf8)))
            #expect(notPhoto.status == .unprocessableContent && notPhoto.errorCode == "unsupported_photo")  // liaison.js reads JSON
            let mine = try await client.execute(uri: "/liaison/leads", method: .get, headers: [.cookie: cookie])
            #expect(mine.text.components(separatedBy: "新起了楼房").count == 2 && mine.text.contains("照片 1 张"))

            // the visit form
            let visited = try await client.execute(
                uri: "/liaison/debtors/\(f.zhong)/visits", method: .post,
                headers: [.contentType: "application/x-www-form-urlencoded", .cookie: cookie],
                body: PageTests.form([
                    "_csrf": csrf, "visitedOn": "2026-03-01", "visitors": "钟专员", "foundAtHome": "yes",
                    "work": "在镇上开早餐店",
                ]))
            #expect(visited.status == .seeOther)
            let noAnswer = try await client.execute(
                uri: "/liaison/debtors/\(f.zhong)/visits", method: .post,
                headers: [.contentType: "application/x-www-form-urlencoded", .cookie: cookie],
                body: PageTests.form(["_csrf": csrf, "visitors": "钟专员"]))
            #expect(noAnswer.status == .unprocessableContent && noAnswer.text.contains("请选择是否见到被执行人本人"))
            #expect(
                try await client.execute(uri: "/liaison/debtors/\(f.zhong)", method: .get, headers: [.cookie: cookie]).text.contains(
                    "在镇上开早餐店"))

            // the director's queue, answered with the page's form; the liaison reads the answer
            let director = try await world.cookie(.director)
            let queue = try await client.execute(uri: "/leads", method: .get, headers: [.cookie: director])
            #expect(queue.text.contains("新起了楼房") && queue.text.contains("/leads/lead/"))
            let leadID = try #require(queue.text.firstMatch(of: /data-source="lead" data-id="([0-9a-f-]+)"/)?.1)
            #expect(queue.text.contains("<img class=\"lead-photo\" src=\"/leads/lead/\(leadID)/photos/1\""))
            let answered = try await client.execute(
                uri: "/leads/lead/\(leadID)/status", method: .post,
                headers: [.contentType: "application/x-www-form-urlencoded", .cookie: director],
                body: PageTests.form(["_csrf": PageTests.csrf(for: director), "status": "rejected", "reply": "该楼房系其兄所有"]))
            #expect(answered.status == .seeOther)
            #expect(try await client.execute(uri: "/liaison/leads", method: .get, headers: [.cookie: cookie]).text.contains("该楼房系其兄所有"))
            let network = try await client.execute(uri: "/network", method: .get, headers: [.cookie: director])
            #expect(network.status == .ok && network.text.contains("高兴镇"))
        }
    }

    @Test(arguments: TestEngine.available)
    func theAdminCreatesAVillageLiaisonWithTheUsersPage(engine: TestEngine) async throws {
        try await withApp(engine) { client, world in
            let admin = try await world.token(.admin)
            let village = try #require(
                try await client.execute(
                    uri: "/api/v1/townships/360732-05/villages", method: .post, headers: bearer(admin),
                    body: jsonBody(["name": "上村"])
                ).json["id"] as? String)
            let cookie = try await world.cookie(.admin)
            let csrf = PageTests.csrf(for: cookie)
            let page = try await client.execute(uri: "/admin/users", method: .get, headers: [.cookie: cookie])
            #expect(page.text.contains("<option value=\"\(village)\">高兴镇 · 上村</option>"))
            func create(_ fields: [String: String]) async throws -> TestResponse {
                try await client.execute(
                    uri: "/admin/users", method: .post, headers: [.contentType: "application/x-www-form-urlencoded", .cookie: cookie],
                    body: PageTests.form(fields.merging(["_csrf": csrf, "password": "a-long-password"]) { a, _ in a }))
            }
            let missing = try await create([
                "username": "zeng", "displayName": "曾联络员", "role": "liaison", "township": "360732-05",
                "liaisonKind": "assistant", "village": "",
            ])
            #expect(missing.status == .unprocessableContent && missing.text.contains("协助执行员须绑定所属乡镇的一个村（社区）"))
            let created = try await create([
                "username": "zeng", "displayName": "曾联络员", "role": "liaison", "township": "360732-05",
                "liaisonKind": "assistant", "village": village,
            ])
            #expect(created.status == .ok && created.text.contains("协助执行员 · 上村"))
            // a judge's form ignores the liaison fields and keeps the phone
            let judge = try await create([
                "username": "wang", "displayName": "王法官", "role": "judge", "liaisonKind": "commissioner",
                "village": village, "officePhone": "0797-5321009",
            ])
            #expect(judge.status == .ok && judge.text.contains("0797-5321009"))
        }
    }

    @Test(arguments: TestEngine.available)
    func aVillageLiaisonHasNoNetworkPage(engine: TestEngine) async throws {
        try await withApp(engine) { client, world in
            _ = try await NetworkFixture.villageLiaison(client, world)
            let login = try await world.accounts.login(username: "zeng", password: "password-zeng", kind: .web, by: .commandLine).token
            let cookie = "\(AuthenticationMiddleware.cookieName)=\(login)"
            let home = try await client.execute(uri: "/liaison", method: .get, headers: [.cookie: cookie])
            #expect(home.text.contains("查找名单") && !home.text.contains("乡镇网络"))
            #expect(try await client.execute(uri: "/network", method: .get, headers: [.cookie: cookie]).status == .forbidden)
            let commissioner = try await client.execute(uri: "/network", method: .get, headers: [.cookie: try await world.cookie(.liaison)])
            #expect(commissioner.status == .ok && commissioner.text.contains("曾联络员") && commissioner.text.contains("上村"))
        }
    }
}

/// The phone JPEG of the domain tests, for the server's.
enum TestImagesForServer {
    static let scan: [UInt8] = [0x12, 0x34, 0xFF, 0x00, 0x56, 0xFF, 0xD0, 0x78]
    static var phoneJPEG: [UInt8] {
        func segment(_ marker: UInt8, _ payload: [UInt8]) -> [UInt8] {
            [0xFF, marker, UInt8((payload.count + 2) >> 8), UInt8((payload.count + 2) & 0xFF)] + payload
        }
        var bytes: [UInt8] = [0xFF, 0xD8]
        bytes += segment(0xE0, Array("JFIF".utf8) + [0, 1, 1, 0, 0, 1, 0, 1, 0, 0])
        bytes += segment(
            0xE1, Array("Exif".utf8) + [0, 0] + [0x49, 0x49, 0x2A, 0x00, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00] + Array("GPS 26.3371N".utf8))
        bytes += segment(0xC0, [8, 0, 16, 0, 16, 1, 1, 0x11, 0])
        bytes += segment(0xDA, [0x01, 0x01, 0x00, 0x00, 0x3F, 0x00])
        bytes += scan + [0xFF, 0xD9] + Array("SEFT location".utf8)
        return bytes
    }
}
