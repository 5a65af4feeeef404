import ChuqingDomain
import ChuqingTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Synchronization
import Testing

@testable import ChuqingServer

/// Issue 18 item 1: a public official's employer is pushed with a deadline; past it, the scheduler
/// puts the case on the team's list and the 移送函 go to the bodies the court names.
@Suite("Public-official debtors: push and escalation")
struct OfficialPushTests {
    /// Imports the sample, makes 陈某生 (执1022) a county deputy and civil servant, and returns the
    /// director's token, the case and the debtor.
    static func official(_ client: some TestClientProtocol, _ world: TestWorld) async throws -> (
        token: String, caseID: String, chen: String
    ) {
        let s = try await SanctionTests.sample(client, world)
        let patched = try await client.execute(
            uri: "/api/v1/debtors/\(s.chen)", method: .patch, headers: bearer(s.token),
            body: jsonBody(["standings": ["stateFunctionary", "deputy"], "deputyLevel": "county", "employer": "兴国县农业农村局"]))
        #expect(patched.status == .ok)
        return (s.token, s.case1022, s.chen)
    }

    static func push(_ client: some TestClientProtocol, _ token: String, caseID: String, debtorID: String, sentOn: String = "2026-03-02")
        async throws -> TestResponse
    {
        try await client.execute(
            uri: "/api/v1/official-pushes", method: .post, headers: bearer(token),
            body: jsonBody(["caseId": caseID, "debtorId": debtorID, "sentOn": sentOn]))
    }

    @Test(arguments: TestEngine.available)
    func aPushLetterIsOnlyForAPublicOfficial(engine: TestEngine) async throws {
        try await withApp(engine) { client, world in
            let s = try await SanctionTests.sample(client, world)
            let refused = try await Self.push(client, s.token, caseID: s.case1022, debtorID: s.chen)
            #expect(refused.status == .unprocessableContent)
            #expect(refused.errorCode == "not_a_public_official")
            #expect(refused.errorMessage?.contains("国家工作人员、人大代表、政协委员") == true)
            let stranger = try await Self.push(client, s.token, caseID: s.case1022, debtorID: s.huang)
            #expect(stranger.errorCode == "unknown_debtor")
            let badID = try await client.execute(
                uri: "/api/v1/official-pushes", method: .post, headers: bearer(s.token),
                body: jsonBody(["caseId": "not-an-id", "debtorId": s.chen, "sentOn": "2026-03-02"]))
            #expect(badID.status == .badRequest)
            #expect(badID.errorCode == "invalid_value")
        }
    }

    @Test(arguments: TestEngine.available)
    func aPushGivesThirtyDaysAndItsLetterIsStoredAsSent(engine: TestEngine) async throws {
        try await withApp(engine) { client, world in
            let o = try await Self.official(client, world)
            let pushed = try await Self.push(client, o.token, caseID: o.caseID, debtorID: o.chen)
            #expect(pushed.status == .created)
            #expect(pushed.json["recipient"] as? String == "兴国县农业农村局")  // the employer when none is named
            #expect(pushed.json["dueOn"] as? String == "2026-04-01")  // 30 days after 03-02 (民诉法 art. 85)
            #expect(pushed.json["stage"] as? String == "pushed")
            let id = try #require(pushed.json["id"] as? String)
            let xml = try await client.execute(
                uri: "/api/v1/official-pushes/\(id)/letter?format=xml", method: .get, headers: bearer(o.token))
            try ExternalCheckers.validateWithXmllint(xml.text, schema: "official-letter.xsd")
            #expect(xml.text.contains("<standings>国家工作人员、人大代表（县级）</standings>"))
            let print = try await client.execute(
                uri: "/api/v1/official-pushes/\(id)/letter?format=print", method: .get, headers: bearer(o.token))
            #expect(print.headers[.contentType] == "text/html; charset=utf-8")
            #expect(print.text.contains("请贵单位督促其于2026年4月1日前履行上述义务"))
            let badFormat = try await client.execute(
                uri: "/api/v1/official-pushes/\(id)/letter?format=pdf", method: .get, headers: bearer(o.token))
            #expect(badFormat.errorCode == "unknown_format")
            // once per debtor and case
            let twice = try await Self.push(client, o.token, caseID: o.caseID, debtorID: o.chen)
            #expect(twice.status == .conflict)
            #expect(twice.errorCode == "already_pushed")
            // the reply and the acknowledgement are recorded
            let ack = try await client.execute(
                uri: "/api/v1/official-pushes/\(id)/replies", method: .post, headers: bearer(o.token),
                body: jsonBody(["kind": "acknowledged", "on": "2026-03-02"]))
            #expect(ack.json["acknowledgedOn"] as? String == "2026-03-02")
            let empty = try await client.execute(
                uri: "/api/v1/official-pushes/\(id)/replies", method: .post, headers: bearer(o.token),
                body: jsonBody(["kind": "replied", "on": "2026-03-02", "text": " "]))
            #expect(empty.errorCode == "reply_required")
            let early = try await client.execute(
                uri: "/api/v1/official-pushes/\(id)/replies", method: .post, headers: bearer(o.token),
                body: jsonBody(["kind": "replied", "on": "2026-03-01", "text": "已约谈"]))
            #expect(early.errorCode == "reply_before_push")
            // a judge of another case does not see it
            let other = try await world.token(.judge)
            let hidden = try await client.execute(uri: "/api/v1/official-pushes/\(id)", method: .get, headers: bearer(other))
            #expect(hidden.status == .notFound)
        }
    }

    @Test(arguments: TestEngine.available)
    func aPushPastItsDeadlineUnperformedIsDueForEscalationAndItsLettersAreProducedOnce(engine: TestEngine) async throws {
        let clock = Mutex(TestSupport.fixedNow)  // 2026-03-02 08:00
        try await withApp(engine, now: { clock.withLock { $0 } }) { client, world in
            let o = try await Self.official(client, world)
            let id = try #require(try await Self.push(client, o.token, caseID: o.caseID, debtorID: o.chen).json["id"] as? String)
            func escalate(on: String, token: String) async throws -> TestResponse {
                try await client.execute(
                    uri: "/api/v1/official-pushes/\(id)/escalation", method: .post, headers: bearer(token), body: jsonBody(["on": on]))
            }
            let early = try await escalate(on: "2026-03-02", token: o.token)
            #expect(early.status == .conflict)
            #expect(early.errorCode == "not_yet_due")
            #expect(early.errorMessage?.contains("2026-04-02") == true)
            // the judge's deadline list carries the employer's deadline
            let zhang = try await world.accounts.login(username: "zhang", password: "password-zhang", kind: .api, by: .commandLine).token
            let deadlines = try await client.execute(uri: "/api/v1/deadlines", method: .get, headers: bearer(zhang))
            let items = try #require(deadlines.json["items"] as? [[String: Any]])
            #expect(items.contains { $0["kind"] as? String == "officialPush" && $0["dueOn"] as? String == "2026-04-01" })

            // the day after the deadline: the scheduler puts it on the list and tells the judge
            clock.withLock { $0 = $0.addingTimeInterval(31 * 86_400) }  // 2026-04-02 08:00
            _ = try await world.runScheduler()
            let director = try await world.token(.director)
            let zhangNow = try await world.accounts.login(username: "zhang", password: "password-zhang", kind: .api, by: .commandLine).token
            let due = try await client.execute(
                uri: "/api/v1/official-pushes?stage=dueForEscalation", method: .get, headers: bearer(director))
            #expect((due.json["items"] as? [[String: Any]])?.map { $0["id"] as? String } == [id])
            #expect((due.json["items"] as? [[String: Any]])?.first?["escalationDueOn"] as? String == "2026-04-02")
            let inbox = try await client.execute(uri: "/api/v1/inbox", method: .get, headers: bearer(zhangNow))
            #expect((inbox.json["items"] as? [[String: Any]])?.contains { ($0["title"] as? String) == "涉公职人员逾期未履行" } == true)
            // manual by default: nothing produced yet; a member's click produces both letters
            #expect(((due.json["items"] as? [[String: Any]])?.first?["escalations"] as? [[String: Any]])?.isEmpty == true)
            let escalated = try await escalate(on: "2026-04-02", token: director)
            #expect(escalated.status == .ok)
            #expect(escalated.json["stage"] as? String == "escalated")
            let letters = try #require(escalated.json["escalations"] as? [[String: Any]])
            #expect(letters.map { $0["body"] as? String } == ["县纪委监委", "县委组织部"])
            let letterID = try #require(letters.first?["id"] as? String)
            let letter = try await client.execute(
                uri: "/api/v1/official-pushes/\(id)/escalations/\(letterID)/letter?format=xml", method: .get, headers: bearer(director))
            try ExternalCheckers.validateWithXmllint(letter.text, schema: "official-letter.xsd")
            #expect(letter.text.contains(#"kind="escalation""#))
            let again = try await escalate(on: "2026-04-02", token: director)
            #expect(again.errorCode == "already_escalated")
            // the scheduler run again changes nothing, and the deadline leaves the list
            _ = try await world.runScheduler()
            let after = try await client.execute(uri: "/api/v1/deadlines", method: .get, headers: bearer(zhangNow))
            #expect((after.json["items"] as? [[String: Any]])?.contains { $0["kind"] as? String == "officialPush" } == false)
        }
    }

    @Test(arguments: TestEngine.available)
    func aCourtThatChoseAutomaticEscalationGetsTheLettersFromTheScheduler(engine: TestEngine) async throws {
        let clock = Mutex(TestSupport.fixedNow)
        try await withApp(
            engine, now: { clock.withLock { $0 } },
            configure: {
                $0.pushes.escalation = .automatic
                $0.pushes.days = 10
                $0.pushes.bodies = ["县纪委监委"]
            }
        ) { client, world in
            let o = try await Self.official(client, world)
            let pushed = try await Self.push(client, o.token, caseID: o.caseID, debtorID: o.chen)
            #expect(pushed.json["dueOn"] as? String == "2026-03-12")
            let id = try #require(pushed.json["id"] as? String)
            clock.withLock { $0 = $0.addingTimeInterval(11 * 86_400) }  // 2026-03-13
            _ = try await world.runScheduler()
            let token = try await world.token(.director)
            let push = try await client.execute(uri: "/api/v1/official-pushes/\(id)", method: .get, headers: bearer(token))
            #expect(push.json["stage"] as? String == "escalated")
            #expect(push.json["escalatedOn"] as? String == "2026-03-13")
            let letters = try #require(push.json["escalations"] as? [[String: Any]])
            #expect(letters.count == 1)
            #expect(letters.first?["producedBy"] == nil || letters.first?["producedBy"] is NSNull)
        }
    }

    @Test(arguments: TestEngine.available)
    func aCasePerformedBeforeTheDeadlineIsNotEscalated(engine: TestEngine) async throws {
        let clock = Mutex(TestSupport.fixedNow)
        try await withApp(engine, now: { clock.withLock { $0 } }) { client, world in
            let o = try await Self.official(client, world)
            let id = try #require(try await Self.push(client, o.token, caseID: o.caseID, debtorID: o.chen).json["id"] as? String)
            // resumed as 执恢 and paid in full there: the original counts as performed
            let resumed = try await client.execute(
                uri: "/api/v1/cases/\(o.caseID)/resume", method: .post, headers: bearer(o.token),
                body: jsonBody(["caseNumber": "（2026）赣0732执恢1号", "on": "2026-03-02"]))
            let successor = try #require(resumed.json["id"] as? String)
            let paid = try await client.execute(
                uri: "/api/v1/cases/\(successor)/payments", method: .post, headers: bearer(o.token),
                body: jsonBody(["amountFen": 12_000_000, "receivedOn": "2026-03-02", "method": "voluntary"]))
            #expect(paid.status == .created)
            clock.withLock { $0 = $0.addingTimeInterval(31 * 86_400) }
            _ = try await world.runScheduler()
            let token = try await world.token(.director)
            let push = try await client.execute(uri: "/api/v1/official-pushes/\(id)", method: .get, headers: bearer(token))
            // performed on the 执恢 case: the debtor performed, so the push's case is not escalated
            #expect(push.json["stage"] as? String == "performed")
            #expect(push.json["performedOn"] as? String == "2026-04-02")
            let escalate = try await client.execute(
                uri: "/api/v1/official-pushes/\(id)/escalation", method: .post, headers: bearer(token), body: jsonBody(["on": "2026-04-02"])
            )
            #expect(escalate.status == .conflict)
        }
    }
}
