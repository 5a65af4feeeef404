import ChuqingDomain
import ChuqingTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import ChuqingServer

/// Issue 18 item 3: fines and detentions within 民事诉讼法 arts. 114–119, and item 1's 代表法
/// art. 39 rule on detaining a deputy.
@Suite("Fines and detention within the law")
struct SanctionTests {
    static let today = ShanghaiClock.today(TestSupport.fixedNow)

    /// The debtors of a case by name → id.
    static func debtors(_ client: some TestClientProtocol, _ token: String, caseID: String) async throws -> [String: String] {
        let response = try await client.execute(uri: "/api/v1/cases/\(caseID)", method: .get, headers: bearer(token))
        let debtors = try #require(response.json["debtors"] as? [[String: Any]])
        return Dictionary(uniqueKeysWithValues: debtors.map { ($0["name"] as! String, $0["id"] as! String) })
    }

    static func measure(_ client: some TestClientProtocol, _ token: String, caseID: String, _ body: [String: Any]) async throws
        -> TestResponse
    {
        var body = body
        body["on"] = body["on"] ?? today.description
        body["documentNumber"] = body["documentNumber"] ?? "（2026）赣0732司惩\(Int.random(in: 1...99999))号"
        return try await client.execute(
            uri: "/api/v1/cases/\(caseID)/measures", method: .post, headers: bearer(token), body: jsonBody(body))
    }

    /// 执1022 (陈某生, a person) and 执1023 (江西某置业有限公司 and 黄某强).
    static func sample(_ client: some TestClientProtocol, _ world: TestWorld) async throws -> (
        token: String, case1022: String, case1023: String, chen: String, company: String, huang: String
    ) {
        try await CaseAPITests.importSample(client, world)
        let token = try await world.token(.director)
        let case1022 = try await CaseAPITests.caseID(client, token, "（2023）赣0732执1022号")
        let case1023 = try await CaseAPITests.caseID(client, token, "（2023）赣0732执1023号")
        let chen = try #require(try await debtors(client, token, caseID: case1022)["陈某生"])
        let others = try await debtors(client, token, caseID: case1023)
        return (token, case1022, case1023, chen, try #require(others["江西某置业有限公司"]), try #require(others["黄某强"]))
    }

    @Test(arguments: TestEngine.available)
    func aFineOnAnIndividualIsAtMostOneHundredThousandYuan(engine: TestEngine) async throws {
        try await withApp(engine) { client, world in
            let s = try await Self.sample(client, world)
            let above = try await Self.measure(
                client, s.token, caseID: s.case1022, ["kind": "fine", "amountFen": 10_000_001, "debtorId": s.chen, "act": "拒不报告财产"])
            #expect(above.status == .unprocessableContent)
            #expect(above.errorCode == "fine_above_limit")
            #expect(above.errorMessage?.contains("十万元以下") == true)
            let atLimit = try await Self.measure(
                client, s.token, caseID: s.case1022, ["kind": "fine", "amountFen": 10_000_000, "debtorId": s.chen, "act": "拒不报告财产"])
            #expect(atLimit.status == .created)
            #expect(atLimit.json["debtorId"] as? String == s.chen)
            #expect(atLimit.json["personName"] as? String == "陈某生")
            #expect(atLimit.json["personKind"] as? String == "individual")
            #expect(atLimit.json["act"] as? String == "拒不报告财产")
            // another person, an individual, named by name
            let witness = try await Self.measure(
                client, s.token, caseID: s.case1022,
                ["kind": "fine", "amountFen": 20_000_000, "personName": "刘某", "personKind": "individual", "act": "作虚假证明"])
            #expect(witness.errorCode == "fine_above_limit")
        }
    }

    @Test(arguments: TestEngine.available)
    func aFineOnAUnitIsFromFiftyThousandToOneMillionYuan(engine: TestEngine) async throws {
        try await withApp(engine) { client, world in
            let s = try await Self.sample(client, world)
            let below = try await Self.measure(
                client, s.token, caseID: s.case1023, ["kind": "fine", "amountFen": 4_999_999, "debtorId": s.company, "act": "拒不协助查询"])
            #expect(below.status == .unprocessableContent)
            #expect(below.errorCode == "fine_below_minimum")
            #expect(below.errorMessage?.contains("五万元以上一百万元以下") == true)
            let above = try await Self.measure(
                client, s.token, caseID: s.case1023, ["kind": "fine", "amountFen": 100_000_001, "debtorId": s.company, "act": "拒不协助查询"])
            #expect(above.errorCode == "fine_above_limit")
            let bank = try await Self.measure(
                client, s.token, caseID: s.case1023,
                ["kind": "fine", "amountFen": 4_000_000, "personName": "某银行兴国支行", "personKind": "unit", "act": "拒不协助冻结"])
            #expect(bank.errorCode == "fine_below_minimum")
            let ok = try await Self.measure(
                client, s.token, caseID: s.case1023, ["kind": "fine", "amountFen": 5_000_000, "debtorId": s.company, "act": "拒不协助查询"])
            #expect(ok.status == .created)
            #expect(ok.json["personKind"] as? String == "unit")
        }
    }

    @Test(arguments: TestEngine.available)
    func aDetentionIsAtMostFifteenDaysOfAPersonNotAUnit(engine: TestEngine) async throws {
        try await withApp(engine) { client, world in
            let s = try await Self.sample(client, world)
            let sixteen = try await Self.measure(
                client, s.token, caseID: s.case1022, ["kind": "detention", "days": 16, "debtorId": s.chen, "act": "拒不报告财产"])
            #expect(sixteen.status == .unprocessableContent)
            #expect(sixteen.errorCode == "detention_above_limit")
            #expect(sixteen.errorMessage?.contains("十五日以下") == true)
            let noDays = try await Self.measure(
                client, s.token, caseID: s.case1022, ["kind": "detention", "debtorId": s.chen, "act": "拒不报告财产"])
            #expect(noDays.errorCode == "days_required")
            let unit = try await Self.measure(
                client, s.token, caseID: s.case1023, ["kind": "detention", "days": 5, "debtorId": s.company, "act": "拒不报告财产"])
            #expect(unit.errorCode == "unit_cannot_be_detained")
            let nobody = try await Self.measure(client, s.token, caseID: s.case1022, ["kind": "detention", "days": 5, "act": "拒不报告财产"])
            #expect(nobody.errorCode == "sanction_subject_required")
            let noAct = try await Self.measure(client, s.token, caseID: s.case1022, ["kind": "detention", "days": 5, "debtorId": s.chen])
            #expect(noAct.errorCode == "act_required")
            let stranger = try await Self.measure(
                client, s.token, caseID: s.case1022, ["kind": "detention", "days": 5, "debtorId": s.huang, "act": "拒不报告财产"])
            #expect(stranger.errorCode == "unknown_debtor")
            let fifteen = try await Self.measure(
                client, s.token, caseID: s.case1022, ["kind": "detention", "days": 15, "debtorId": s.chen, "act": "拒不报告财产"])
            #expect(fifteen.status == .created)
            #expect(fifteen.json["days"] as? Int == 15)
            #expect(fifteen.json["persons"] as? Int == 1)
            // counted by the batch page's measure totals as one person
            let listed = try await client.execute(uri: "/api/v1/cases/\(s.case1022)/measures", method: .get, headers: bearer(s.token))
            #expect((listed.json["items"] as? [[String: Any]])?.count == 1)
        }
    }

    @Test(arguments: TestEngine.available)
    func theSameActIsNotFinedOrDetainedTwice(engine: TestEngine) async throws {
        try await withApp(engine) { client, world in
            let s = try await Self.sample(client, world)
            let first = try await Self.measure(
                client, s.token, caseID: s.case1022, ["kind": "fine", "amountFen": 500_000, "debtorId": s.chen, "act": "拒不报告财产"])
            #expect(first.status == .created)
            // the same act written with a space: the same act
            let again = try await Self.measure(
                client, s.token, caseID: s.case1022, ["kind": "fine", "amountFen": 300_000, "debtorId": s.chen, "act": "拒不 报告财产"])
            #expect(again.status == .conflict)
            #expect(again.errorCode == "same_act_sanctioned")
            #expect(again.errorMessage?.contains("第一百八十四条") == true)
            // a fine and a detention together for one act are allowed (民诉法解释 art. 183)
            let detained = try await Self.measure(
                client, s.token, caseID: s.case1022, ["kind": "detention", "days": 10, "debtorId": s.chen, "act": "拒不报告财产"])
            #expect(detained.status == .created)
            // a new act may be punished again
            let newAct = try await Self.measure(
                client, s.token, caseID: s.case1022, ["kind": "fine", "amountFen": 300_000, "debtorId": s.chen, "act": "转移被查封车辆"])
            #expect(newAct.status == .created)
        }
    }

    @Test(arguments: TestEngine.available)
    func aCountyDeputyIsNotDetainedWithoutPermission(engine: TestEngine) async throws {
        try await withApp(engine) { client, world in
            let s = try await Self.sample(client, world)
            let patched = try await client.execute(
                uri: "/api/v1/debtors/\(s.chen)", method: .patch, headers: bearer(s.token),
                body: jsonBody(["standings": ["deputy", "stateFunctionary"], "deputyLevel": "county", "employer": "兴国县农业农村局"]))
            #expect(patched.status == .ok)
            #expect(patched.json["standings"] as? [String] == ["stateFunctionary", "deputy"])
            #expect(patched.json["isPublicOfficial"] as? Bool == true)
            for kind in ["detention", "summons"] {
                var body: [String: Any] = ["kind": kind, "debtorId": s.chen, "act": "拒不到庭"]
                if kind == "detention" { body["days"] = 5 }
                let refused = try await Self.measure(client, s.token, caseID: s.case1022, body)
                #expect(refused.status == .unprocessableContent)
                #expect(refused.errorCode == "deputy_permission_required")
                #expect(refused.errorMessage?.contains("县级人民代表大会主席团或者常务委员会") == true)
            }
            // a fine needs no permission
            let fine = try await Self.measure(
                client, s.token, caseID: s.case1022, ["kind": "fine", "amountFen": 100_000, "debtorId": s.chen, "act": "拒不到庭"])
            #expect(fine.status == .created)
            let permitted = try await Self.measure(
                client, s.token, caseID: s.case1022,
                ["kind": "detention", "days": 5, "debtorId": s.chen, "act": "拒不到庭", "deputyPermission": "兴国县人大常委会许可〔2026〕3号"])
            #expect(permitted.status == .created)
            #expect(permitted.json["deputyPermission"] as? String == "兴国县人大常委会许可〔2026〕3号")
            // a 乡级 deputy: no permission needed (代表法 art. 39 ¶3: reported afterwards)
            _ = try await client.execute(
                uri: "/api/v1/debtors/\(s.huang)", method: .patch, headers: bearer(s.token),
                body: jsonBody(["standings": ["人大代表"], "deputyLevel": "乡级", "employer": "潋江镇人大"]))
            let township = try await Self.measure(
                client, s.token, caseID: s.case1023, ["kind": "detention", "days": 3, "debtorId": s.huang, "act": "拒不报告财产"])
            #expect(township.status == .created)
        }
    }

    @Test(arguments: TestEngine.available)
    func aStandingIsCheckedWhereItIsEdited(engine: TestEngine) async throws {
        try await withApp(engine) { client, world in
            let s = try await Self.sample(client, world)
            func patch(_ body: [String: Any]) async throws -> TestResponse {
                try await client.execute(uri: "/api/v1/debtors/\(s.chen)", method: .patch, headers: bearer(s.token), body: jsonBody(body))
            }
            #expect(try await patch(["standings": ["deputy"], "employer": "某局"]).errorCode == "deputy_level_required")
            #expect(
                try await patch(["standings": ["partyMember"], "deputyLevel": "county", "employer": "某局"]).errorCode
                    == "deputy_level_without_deputy")
            #expect(try await patch(["standings": ["mayor"], "employer": "某局"]).errorCode == "unknown_standing")
            #expect(try await patch(["standings": ["cppccMember"]]).errorCode == "employer_required")
            let ok = try await patch(["standings": ["政协委员", "中共党员"], "employer": "兴国县政协", "employerSuperior": "赣州市政协"])
            #expect(ok.status == .ok)
            #expect(ok.json["standings"] as? [String] == ["cppccMember", "partyMember"])
            #expect(ok.json["employerSuperior"] as? String == "赣州市政协")
            let cleared = try await patch(["standings": []])
            #expect(cleared.json["standings"] as? [String] == [])
            #expect(cleared.json["isPublicOfficial"] as? Bool == false)
        }
    }

    @Test(arguments: TestEngine.available)
    func reconsiderationIsAppliedForWithinThreeDaysAndDecidedWithinFive(engine: TestEngine) async throws {
        try await withApp(engine) { client, world in
            let s = try await Self.sample(client, world)
            // served 2026-02-26 (Thu): 3 days → Sunday 03-01 → ends Monday 2026-03-02 (民诉法 art. 85)
            let decided = try CalendarDate.parse("2026-02-26")
            let fine = try await Self.measure(
                client, s.token, caseID: s.case1022,
                ["kind": "fine", "amountFen": 500_000, "debtorId": s.chen, "act": "拒不报告财产", "on": decided.description])
            let id = try #require(fine.json["id"] as? String)
            let search = try await Self.measure(client, s.token, caseID: s.case1022, ["kind": "search", "persons": 2])
            let notReconsiderable = try await client.execute(
                uri: "/api/v1/measures/\(search.json["id"] as! String)/reconsideration", method: .post, headers: bearer(s.token),
                body: jsonBody(["appliedOn": "2026-02-26"]))
            #expect(notReconsiderable.errorCode == "not_reconsiderable")
            let applied = try await client.execute(
                uri: "/api/v1/measures/\(id)/reconsideration", method: .post, headers: bearer(s.token),
                body: jsonBody(["appliedOn": "2026-03-02"]))
            #expect(applied.status == .ok)
            let reconsideration = try #require(applied.json["reconsideration"] as? [String: Any])
            #expect(reconsideration["dueOn"] as? String == "2026-03-09")  // 5 days from 03-02 is Sat 03-07 → Mon 03-09
            let twice = try await client.execute(
                uri: "/api/v1/measures/\(id)/reconsideration", method: .post, headers: bearer(s.token),
                body: jsonBody(["appliedOn": "2026-03-02"]))
            #expect(twice.errorCode == "already_applied")
            let outcome = try await client.execute(
                uri: "/api/v1/measures/\(id)/reconsideration/decision", method: .post, headers: bearer(s.token),
                body: jsonBody(["decidedOn": "2026-03-02", "outcome": "upheld"]))
            #expect(outcome.status == .ok)
            #expect((outcome.json["reconsideration"] as? [String: Any])?["outcome"] as? String == "upheld")

            // served 2026-02-25 (Wed): 3 days → Saturday 02-28, a make-up working day, so the period
            // ends that day; the following Sunday is too late
            let late = try await Self.measure(
                client, s.token, caseID: s.case1022,
                ["kind": "detention", "days": 3, "debtorId": s.chen, "act": "转移财产", "on": "2026-02-25"])
            let barred = try await client.execute(
                uri: "/api/v1/measures/\(late.json["id"] as! String)/reconsideration", method: .post, headers: bearer(s.token),
                body: jsonBody(["appliedOn": "2026-03-01"]))
            #expect(barred.status == .unprocessableContent)
            #expect(barred.errorCode == "reconsideration_time_barred")
            #expect(barred.errorMessage?.contains("2026-02-28") == true)
        }
    }
}
