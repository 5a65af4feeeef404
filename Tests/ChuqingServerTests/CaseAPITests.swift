import ChuqingDomain
import ChuqingPersistence
import ChuqingServices
import ChuqingTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@testable import ChuqingServer

@Suite("Cases over the API")
struct CaseAPITests {
    /// Adds judge 张某 (the sample's 承办人 of three cases) and imports the sample file.
    static func importSample(_ client: some TestClientProtocol, _ world: TestWorld) async throws {
        try await world.accounts.createUser(
            NewUser(
                username: "zhang", displayName: "张某", role: "judge", township: nil,
                password: "password-zhang"), by: .commandLine)
        let response = try await client.execute(
            uri: "/api/v1/imports/cases", method: .post,
            headers: [.authorization: "Bearer \(try await world.token(.director))", .contentType: "text/csv"],
            body: ByteBuffer(string: try ImportAPITests.sample))
        #expect(response.json["casesCreated"] as? Int == 7)
    }

    static func items(_ response: TestResponse) -> [[String: Any]] { response.json["items"] as? [[String: Any]] ?? [] }

    static func search(_ client: some TestClientProtocol, _ token: String, _ query: String) async throws -> TestResponse {
        try await client.execute(uri: "/api/v1/cases?\(query)", method: .get, headers: bearer(token))
    }

    static func caseID(_ client: some TestClientProtocol, _ token: String, _ number: String) async throws -> String {
        let encoded = number.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
        let response = try await search(client, token, "caseNumber=\(encoded)")
        return try #require(items(response).first?["id"] as? String)
    }

    @Test(arguments: TestEngine.available)
    func casesAreFoundByEveryFilter(engine: TestEngine) async throws {
        try await withApp(engine) { client, world in
            try await Self.importSample(client, world)
            let token = try await world.token(.director)
            func numbers(_ query: String) async throws -> [String] {
                Self.items(try await Self.search(client, token, query)).compactMap { $0["caseNumber"] as? String }.sorted()
            }
            func q(_ text: String) -> String { text.addingPercentEncoding(withAllowedCharacters: .alphanumerics)! }
            // any bracket form
            #expect(try await numbers("caseNumber=\(q("(2023)赣0732执1022号"))") == ["（2023）赣0732执1022号"])
            #expect(try await numbers("caseNumber=\(q("【2004】兴法执字第00123号"))") == ["（2004）兴法执字第00123号"])
            #expect(try await numbers("debtorName=\(q("黄某强"))") == ["（2023）赣0732执1023号"])
            #expect(try await numbers("idNumber=36073219830415009x") == ["（2022）赣0732执3301号"])
            #expect(try await numbers("status=fullyEnforced") == ["（2023）赣0732执2050号"])
            #expect(try await numbers("status=\(q("执行中"))") == ["（2024）赣0732执恢88号"])
            #expect(try await numbers("township=360732-07").isEmpty)  // 龙口镇's case was the rejected row
            #expect(try await numbers("township=360732-03") == ["（2023）赣0732执1022号"])
            #expect(try await numbers("filedFrom=2023-03-15&filedTo=2023-04-30") == ["（2023）赣0732执1023号", "（2023）赣0733执510号"])
            #expect(try await numbers("minTargetFen=30000000") == ["（2023）赣0732执1023号", "（2024）赣0732执恢88号"])
            #expect(try await numbers("maxTargetFen=700000") == ["（2023）赣0732执2050号"])
            // the fields other programs depend on
            let one = try #require(Self.items(try await Self.search(client, token, "caseNumber=\(q("（2023）赣0732执1023号"))")).first)
            #expect((one["court"] as? [String: Any])?["code"] as? String == "赣0732")
            #expect(one["filedOn"] as? String == "2023-03-15")
            #expect(one["targetFen"] as? Int == 30_000_000)
            #expect(one["performedFen"] as? Int == 5_000_050)
            #expect(one["unperformedFen"] as? Int == 24_999_950)
            let debtors = try #require(one["debtors"] as? [[String: Any]])
            #expect(debtors.map { $0["kind"] as? String } == ["organization", "person"])
            #expect(debtors.first?["idNumber"] as? String == "91360732MA35C2Q11A")
        }
    }

    @Test(arguments: TestEngine.available)
    func pagesCoverEveryCaseOnce(engine: TestEngine) async throws {
        try await withApp(engine) { client, world in
            try await Self.importSample(client, world)
            let token = try await world.token(.director)
            var seen: [String] = []
            var cursor: String?
            var pages = 0
            repeat {
                let query = "limit=3" + (cursor.map { "&cursor=\($0.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)" } ?? "")
                let response = try await Self.search(client, token, query)
                seen += Self.items(response).compactMap { $0["id"] as? String }
                cursor = response.json["nextCursor"] as? String
                pages += 1
            } while cursor != nil && pages < 10
            #expect(seen.count == 7)
            #expect(Set(seen).count == 7)
            #expect(pages == 3)
        }
    }

    @Test(arguments: TestEngine.available)
    func aJudgeSeesOnlyTheirOwnCases(engine: TestEngine) async throws {
        try await withApp(engine) { client, world in
            try await Self.importSample(client, world)
            let zhang = try await world.accounts.login(username: "zhang", password: "password-zhang", kind: .api, by: .commandLine).token
            let own = Self.items(try await Self.search(client, zhang, "")).compactMap { $0["caseNumber"] as? String }.sorted()
            #expect(own == ["（2023）赣0732执1022号", "（2023）赣0732执1023号", "（2023）赣0732执2050号"])
            let other = try await world.token(.judge)
            #expect(Self.items(try await Self.search(client, other, "")).isEmpty)
            let id = try await Self.caseID(client, zhang, "（2023）赣0732执1022号")
            #expect(try await client.execute(uri: "/api/v1/cases/\(id)", method: .get, headers: bearer(other)).status == .notFound)
            #expect(try await client.execute(uri: "/api/v1/cases/\(id)", method: .get, headers: bearer(zhang)).status == .ok)
            #expect(
                try await client.execute(uri: "/api/v1/cases", method: .get, headers: bearer(try await world.token(.liaison))).status
                    == .forbidden)
        }
    }

    @Test(arguments: TestEngine.available)
    func aPaymentAddsToWhatWasPerformed(engine: TestEngine) async throws {
        try await withApp(engine) { client, world in
            try await Self.importSample(client, world)
            let token = try await world.token(.director)
            let id = try await Self.caseID(client, token, "（2023）赣0732执1022号")
            let response = try await client.execute(
                uri: "/api/v1/cases/\(id)/payments", method: .post, headers: bearer(token),
                body: jsonBody(["amountFen": 2_000_000, "receivedOn": "2024-03-01", "method": "deduction"]))
            #expect(response.status == .created)
            #expect(response.json["performedFen"] as? Int == 2_000_000)
            #expect(response.json["unperformedFen"] as? Int == 10_000_000)
            #expect(response.json["performance"] as? String == "partial")
            let history = try #require(response.json["history"] as? [[String: Any]])
            #expect(history.contains { $0["event"] as? String == "payment" })
            // bad input: each its 4xx, nothing stored
            let negative = try await client.execute(
                uri: "/api/v1/cases/\(id)/payments", method: .post, headers: bearer(token),
                body: jsonBody(["amountFen": -1, "receivedOn": "2024-03-01", "method": "deduction"]))
            #expect(negative.status == .unprocessableContent)
            let impossible = try await client.execute(
                uri: "/api/v1/cases/\(id)/payments", method: .post, headers: bearer(token),
                body: jsonBody(["amountFen": 100, "receivedOn": "2023-02-30", "method": "deduction"]))
            #expect(impossible.status == .badRequest)
            #expect(impossible.errorCode == "invalid_value")
            #expect((impossible.json["error"] as? [String: Any])?["field"] as? String == "receivedOn")
            let method = try await client.execute(
                uri: "/api/v1/cases/\(id)/payments", method: .post, headers: bearer(token),
                body: jsonBody(["amountFen": 100, "receivedOn": "2024-03-01", "method": "cash"]))
            #expect(method.status == .unprocessableContent)
            #expect(method.errorCode == "unknown_payment_method")
            let tomorrow = ShanghaiClock.today(TestSupport.fixedNow).adding(days: 1).description
            let future = try await client.execute(
                uri: "/api/v1/cases/\(id)/payments", method: .post, headers: bearer(token),
                body: jsonBody(["amountFen": 100, "receivedOn": tomorrow, "method": "deduction"]))
            #expect(future.status == .unprocessableContent)
            #expect(future.errorCode == "date_in_future")
            #expect((future.json["error"] as? [String: Any])?["field"] as? String == "receivedOn")
            let after = try await client.execute(uri: "/api/v1/cases/\(id)", method: .get, headers: bearer(token))
            #expect((after.json["payments"] as? [Any])?.count == 1)
        }
    }

    @Test(arguments: TestEngine.available)
    func transitionsFollowTheLifecycle(engine: TestEngine) async throws {
        try await withApp(engine) { client, world in
            try await Self.importSample(client, world)
            let token = try await world.token(.director)
            let closed = try await Self.caseID(client, token, "（2023）赣0732执2050号")
            let refused = try await client.execute(
                uri: "/api/v1/cases/\(closed)/transitions", method: .post, headers: bearer(token),
                body: jsonBody(["to": "terminated", "on": "2024-01-10"]))
            #expect(refused.status == .conflict)
            #expect(refused.errorCode == "illegal_transition")
            #expect(((refused.json["error"] as? [String: Any])?["message"] as? String)?.contains("执行完毕") == true)

            let open = try await Self.caseID(client, token, "（2024）赣0732执恢88号")  // filed 2024-05-20
            let conditions = [
                "noticeServedAndReportOrdered": true, "consumptionRestrictedAndListed": true,
                "propertyInvestigationExhausted": true, "debtorSoughtAndObstructionPunished": true,
            ]
            let early = try await client.execute(
                uri: "/api/v1/cases/\(open)/transitions", method: .post, headers: bearer(token),
                body: jsonBody(["to": "terminatedThisRound", "on": "2024-08-20", "conditions": conditions]))
            #expect(early.status == .conflict)
            #expect(early.errorCode == "too_early_to_terminate")
            let done = try await client.execute(
                uri: "/api/v1/cases/\(open)/transitions", method: .post, headers: bearer(token),
                body: jsonBody(["to": "terminatedThisRound", "on": "2024-09-01", "reason": "财产调查无果", "conditions": conditions]))
            #expect(done.status == .ok)
            #expect(done.json["status"] as? String == "terminatedThisRound")
            #expect(done.json["closedOn"] as? String == "2024-09-01")
            let history = try #require(done.json["history"] as? [[String: Any]])
            #expect(
                history.contains {
                    $0["event"] as? String == "transition" && $0["from"] as? String == "inEnforcement"
                        && $0["reason"] as? String == "财产调查无果"
                })
            let unknown = try await client.execute(
                uri: "/api/v1/cases/\(open)/transitions", method: .post, headers: bearer(token),
                body: jsonBody(["to": "finished", "on": "2024-09-01"]))
            #expect(unknown.status == .unprocessableContent)
        }
    }

    @Test(arguments: TestEngine.available)
    func resumingOpensALinkedZhiHuiCase(engine: TestEngine) async throws {
        try await withApp(engine) { client, world in
            try await Self.importSample(client, world)
            let token = try await world.token(.director)
            let original = try await Self.caseID(client, token, "（2023）赣0732执1022号")
            let resumed = try await client.execute(
                uri: "/api/v1/cases/\(original)/resume", method: .post, headers: bearer(token),
                body: jsonBody(["on": "2026-01-05", "caseNumber": "(2026)赣0732执恢1号"]))
            #expect(resumed.status == .created)
            #expect(resumed.json["caseNumber"] as? String == "（2026）赣0732执恢1号")
            #expect(resumed.json["status"] as? String == "inEnforcement")
            #expect((resumed.json["resumedFrom"] as? [String: Any])?["id"] as? String == original)
            #expect((resumed.json["debtors"] as? [Any])?.count == 1)
            let originalAfter = try await client.execute(uri: "/api/v1/cases/\(original)", method: .get, headers: bearer(token))
            #expect((originalAfter.json["resumedAs"] as? [String: Any])?["caseNumber"] as? String == "（2026）赣0732执恢1号")
            let again = try await client.execute(
                uri: "/api/v1/cases/\(original)/resume", method: .post, headers: bearer(token),
                body: jsonBody(["on": "2026-01-06", "caseNumber": "(2026)赣0732执恢2号"]))
            #expect(again.status == .conflict)
            #expect(again.errorCode == "already_resumed")
        }
    }
}

@Suite("Registering cases and editing debtors")
struct CaseCreateTests {
    static func body(_ overrides: [String: Any] = [:]) -> [String: Any] {
        var body: [String: Any] = [
            "caseNumber": "(2026)赣0732执501号", "courtCode": "赣0732", "filedOn": "2026-02-03",
            "judgment": ["documentNumber": "(2025)赣0732民初88号", "issuedBy": "兴国县人民法院", "duty": "偿还借款"],
            "applicants": ["钟某华"], "targetFen": 5_000_000,
            "debtors": [["kind": "person", "name": "陈某生", "idNumber": "36073219780312131x", "township": "高兴镇"]],
        ]
        body.merge(overrides) { $1 }
        return body
    }

    @Test(arguments: TestEngine.available)
    func aJudgeRegistersACaseOfTheirOwn(engine: TestEngine) async throws {
        try await withApp(engine) { client, world in
            let token = try await world.token(.judge)
            let response = try await client.execute(
                uri: "/api/v1/cases", method: .post, headers: bearer(token), body: jsonBody(Self.body()))
            #expect(response.status == .created)
            #expect(response.json["caseNumber"] as? String == "（2026）赣0732执501号")
            #expect(response.json["status"] as? String == "inEnforcement")
            #expect(response.json["judgeName"] as? String == "测试承办法官")
            #expect(response.json["township"] as? String == "高兴镇")
            #expect(((response.json["debtors"] as? [[String: Any]])?.first)?["idNumber"] as? String == "36073219780312131X")
            let again = try await client.execute(uri: "/api/v1/cases", method: .post, headers: bearer(token), body: jsonBody(Self.body()))
            #expect(again.status == .conflict)
            #expect(again.errorCode == "case_number_taken")
            // the judge can see it
            #expect(CaseAPITests.items(try await CaseAPITests.search(client, token, "")).count == 1)
        }
    }

    @Test(arguments: TestEngine.available)
    func badCasesAreRefusedNamingTheField(engine: TestEngine) async throws {
        try await withApp(engine) { client, world in
            let token = try await world.token(.director)
            let cases: [([String: Any], String, String)] = [
                (["caseNumber": "(2026)赣0732民初5号"], "not_enforcement_case", "caseNumber"),
                (["caseNumber": "(2026)赣0732执abc号"], "invalid_value", "caseNumber"),
                (["courtCode": "赣9999"], "unknown_court", "courtCode"),
                (["filedOn": "2023-02-30"], "invalid_value", "filedOn"),
                (["targetFen": 0], "invalid_amount", "targetFen"),
                (["applicants": []], "applicant_required", "applicants"),
                (
                    ["debtors": [["kind": "person", "name": "廖某英", "idNumber": "360732198506302420"]]], "citizen_id_check_failed",
                    "debtors[0].idNumber"
                ),
                (
                    ["debtors": [["kind": "organization", "name": "某公司", "idNumber": "91360732MA35C2Q11A"]]],
                    "legal_representative_required", "debtors[0].legalRepresentative"
                ),
                (
                    ["debtors": [["kind": "person", "name": "温某平", "idNumber": "360732197109090883", "isPublicOfficial": true]]],
                    "employer_required", "debtors[0].employer"
                ),
            ]
            for (override, code, field) in cases {
                let response = try await client.execute(
                    uri: "/api/v1/cases", method: .post, headers: bearer(token), body: jsonBody(Self.body(override)))
                #expect((400..<500).contains(Int(response.status.code)), "\(override)")
                #expect(response.errorCode == code, "\(override): \(response.text)")
                #expect((response.json["error"] as? [String: Any])?["field"] as? String == field, "\(override)")
            }
            #expect(CaseAPITests.items(try await CaseAPITests.search(client, token, "")).isEmpty)
        }
    }

    @Test(arguments: TestEngine.available)
    func aDebtorsDetailsAreEdited(engine: TestEngine) async throws {
        try await withApp(engine) { client, world in
            let token = try await world.token(.director)
            let created = try await client.execute(uri: "/api/v1/cases", method: .post, headers: bearer(token), body: jsonBody(Self.body()))
            let debtorID = try #require(((created.json["debtors"] as? [[String: Any]])?.first)?["id"] as? String)
            let updated = try await client.execute(
                uri: "/api/v1/debtors/\(debtorID)", method: .patch, headers: bearer(token),
                body: jsonBody(["phone": "13800000000", "isPublicOfficial": true, "employer": "兴国县某局"]))
            #expect(updated.status == .ok)
            #expect(updated.json["phone"] as? String == "13800000000")
            #expect(updated.json["employer"] as? String == "兴国县某局")
            let refused = try await client.execute(
                uri: "/api/v1/debtors/\(debtorID)", method: .patch, headers: bearer(token),
                body: jsonBody(["employer": ""]))
            #expect(refused.status == .unprocessableContent)
            #expect(refused.errorCode == "employer_required")
        }
    }
}

@Suite("Updating a case")
struct CaseUpdateTests {
    @Test(arguments: TestEngine.available)
    func theDirectorReassignsAndCorrectsACaseAndHistoryKeepsIt(engine: TestEngine) async throws {
        try await withApp(engine) { client, world in
            try await CaseAPITests.importSample(client, world)
            let director = try await world.token(.director)
            let id = try await CaseAPITests.caseID(client, director, "（2023）赣0732执1023号")
            let judge = try #require(try await world.accounts.allUsers(by: .commandLine).first { $0.username.value == "u-judge" })
            let response = try await client.execute(
                uri: "/api/v1/cases/\(id)", method: .patch, headers: bearer(director),
                body: jsonBody(["judgeID": judge.id.uuidString, "township": "高兴镇", "targetFen": 31_000_000]))
            #expect(response.status == .ok)
            #expect(response.json["judgeName"] as? String == "测试承办法官")
            #expect(response.json["township"] as? String == "高兴镇")
            #expect(response.json["targetFen"] as? Int == 31_000_000)
            let history = try #require(response.json["history"] as? [[String: Any]])
            #expect(
                history.contains {
                    $0["event"] as? String == "updated" && (($0["detail"] as? String)?.contains("承办人：张某 → 测试承办法官") ?? false)
                })
            // now the other judge sees it, and may not hand it on
            let judgeToken = try await world.token(.judge)
            #expect(try await client.execute(uri: "/api/v1/cases/\(id)", method: .get, headers: bearer(judgeToken)).status == .ok)
            let handOn = try await client.execute(
                uri: "/api/v1/cases/\(id)", method: .patch, headers: bearer(judgeToken),
                body: jsonBody(["judgeID": UUID().uuidString]))
            #expect(handOn.status == .forbidden)
            let below = try await client.execute(
                uri: "/api/v1/cases/\(id)", method: .patch, headers: bearer(director),
                body: jsonBody(["targetFen": 100]))
            #expect(below.status == .unprocessableContent)
            #expect(below.errorCode == "target_below_performed")
        }
    }
}
