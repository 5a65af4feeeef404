import ChuqingDomain
import ChuqingServices
import ChuqingTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Synchronization
import Testing

@testable import ChuqingServer

@Suite("Dishonest-debtor entries over the API")
struct BlacklistAPITests {
    /// Issue 16 item 3: with a 宽限期 nothing about the entry leaves the court before it ends; the
    /// notifications are produced then, dated the day it ended.
    @Test(arguments: TestEngine.available)
    func aGracePeriodHoldsTheNotificationsUntilItEnds(engine: TestEngine) async throws {
        let clock = Mutex(TestSupport.fixedNow)  // 2026-03-02
        try await withApp(engine, now: { clock.withLock { $0 } }) { client, world in
            let (chen, _, zhong) = try await NoticeTests.listThree(client, world)  // 钟某林: grace until 2026-04-05
            func notifications(_ entry: String) async throws -> [[String: Any]] {
                let response = try await client.execute(
                    uri: "/api/v1/blacklist-notifications?entryId=\(entry)", method: .get, headers: bearer(try await world.token(.director))
                )
                return response.json["items"] as? [[String: Any]] ?? []
            }
            func entry(_ id: String) async throws -> [String: Any] {
                try await client.execute(
                    uri: "/api/v1/blacklist-entries/\(id)", method: .get, headers: bearer(try await world.token(.director))
                )
                .json
            }
            #expect(try await notifications(chen).count >= 1)  // no grace period: notified on the decision day
            #expect(try await notifications(zhong).isEmpty)
            #expect(try await entry(zhong)["notificationsHeldUntil"] as? String == "2026-04-05")
            #expect(try await entry(chen)["notificationsHeldUntil"] == nil)
            // the grace period ends: reading alone sends nothing; the scheduler's daily job produces
            // the notifications, dated the period's last day
            clock.withLock { $0 = TestSupport.fixedNow.addingTimeInterval(40 * 86_400) }  // 2026-04-11
            #expect(try await notifications(zhong).isEmpty)
            #expect(try await world.runScheduler() >= 1)
            let released = try await notifications(zhong)
            #expect(released.count >= 1)
            #expect(released.allSatisfy { $0["event"] as? String == "listed" })
            #expect(try await entry(zhong)["notificationsHeldUntil"] == nil)
            let id = try #require(released.first?["id"] as? String)
            let xml = try await client.execute(
                uri: "/api/v1/blacklist-notifications/\(id)", method: .get, headers: bearer(try await world.token(.director))
            ).text
            #expect(xml.contains("2026-04-05"), "\(xml.prefix(400))")
            #expect(try await notifications(zhong).count == released.count)  // produced once
            // the next day's run finds nothing more to release
            clock.withLock { $0 = TestSupport.fixedNow.addingTimeInterval(41 * 86_400) }
            try await world.runScheduler()
            #expect(try await notifications(zhong).count == released.count)
        }
    }

    /// Issue 16 item 10: trigger 3 records the applicant's written request; after the deletion the
    /// same applicant cannot have the debtor listed again for six months.
    @Test(arguments: TestEngine.available)
    func aDeletionAtTheApplicantsRequestBarsTheirNewApplicationForSixMonths(engine: TestEngine) async throws {
        try await withApp(engine) { client, world in
            let (chen, _, _) = try await NoticeTests.listThree(client, world)
            let director = try await world.token(.director)
            func trigger(_ body: [String: Any]) async throws -> TestResponse {
                try await NoticeTests.post(client, "/api/v1/blacklist-entries/\(chen)/deletion-triggers", director, body)
            }
            let bare = try await trigger(["trigger": "applicantRequest", "on": "2026-02-10"])
            #expect(bare.errorCode == "reason_required")
            let recorded = try await trigger(["trigger": "applicantRequest", "on": "2026-02-10", "reason": "钟某华删除失信信息申请书（2026-02-10）"])
            #expect(recorded.json["deletionTrigger"] as? String == "applicantRequest")
            #expect(recorded.json["triggerReason"] as? String == "钟某华删除失信信息申请书（2026-02-10）")
            let deleted = try await NoticeTests.post(client, "/api/v1/blacklist-entries/\(chen)/deletion", director, ["on": "2026-02-12"])
            #expect(deleted.status == .ok, "\(deleted.text)")
            // 1022's applicant is 钟某华, who asked for the deletion
            let again = try await client.execute(
                uri: "/api/v1/blacklist-entries", method: .post, headers: bearer(director),
                body: jsonBody([
                    "caseId": try await CaseAPITests.caseID(client, director, "（2023）赣0732执1022号"),
                    "debtorId": try await VillageAndPhotoTests.debtorID(client, director, idNumber: "36073219780312131X"),
                    "circumstances": [1], "decidedOn": "2026-03-02", "decisionNumber": "（2026）赣0732执1022号之二",
                ]))
            #expect(again.status == .conflict)
            #expect(again.errorCode == "reapplication_barred")
            #expect(((again.json["error"] as? [String: Any])?["message"] as? String)?.contains("2026-08-12 届满") == true)
        }
    }

    @Test(arguments: TestEngine.available)
    func listingAndDeletionFollowTheJudicialInterpretation(engine: TestEngine) async throws {
        try await withApp(engine) { client, world in  // the app's today is 2026-03-02
            try await CaseAPITests.importSample(client, world)
            let director = try await world.token(.director)
            let case1022 = try await CaseAPITests.caseID(client, director, "（2023）赣0732执1022号")
            let case1023 = try await CaseAPITests.caseID(client, director, "（2023）赣0732执1023号")
            let chen = try await VillageAndPhotoTests.debtorID(client, director, idNumber: "36073219780312131X")
            let company = try await VillageAndPhotoTests.debtorID(client, director, idNumber: "91360732MA35C2Q11A")
            func list(_ body: [String: Any]) async throws -> TestResponse {
                try await client.execute(uri: "/api/v1/blacklist-entries", method: .post, headers: bearer(director), body: jsonBody(body))
            }

            // circumstance 1: no fixed term
            let listed = try await list([
                "caseId": case1022, "debtorId": chen, "circumstances": [1], "decidedOn": "2026-01-05",
                "decisionNumber": "（2026）赣0732执1022号之一",
            ])
            #expect(listed.status == .created)
            #expect(listed.json["expiresOn"] == nil || listed.json["expiresOn"] is NSNull)
            let entry = try #require(listed.json["id"] as? String)
            let again = try await list([
                "caseId": case1022, "debtorId": chen, "circumstances": [2], "decidedOn": "2026-01-06",
                "decisionNumber": "（2026）赣0732执1022号之二",
            ])
            #expect(again.status == .conflict)
            #expect(again.errorCode == "already_listed")
            let seventh = try await list([
                "caseId": case1023, "debtorId": company, "circumstances": [7], "decidedOn": "2026-01-05",
                "decisionNumber": "x",
            ])
            #expect(seventh.errorCode == "invalid_circumstance")
            let elsewhere = try await list([
                "caseId": case1023, "debtorId": chen, "circumstances": [1], "decidedOn": "2026-01-05",
                "decisionNumber": "x",
            ])
            #expect(elsewhere.errorCode == "not_a_debtor_of_case")
            // nothing to enforce, nothing to list: a case 执行完毕 (issue 16 item 6)
            let case2050 = try await CaseAPITests.caseID(client, director, "（2023）赣0732执2050号")
            let factory = try await VillageAndPhotoTests.debtorID(client, director, idNumber: "92360732L00428712J")
            let closed = try await list([
                "caseId": case2050, "debtorId": factory, "circumstances": [1], "decidedOn": "2026-01-05", "decisionNumber": "x",
            ])
            #expect(closed.status == .conflict)
            #expect(closed.errorCode == "case_not_in_enforcement")

            // performed in full is a trigger only when the case shows it
            func trigger(_ id: String, _ name: String, on: String) async throws -> TestResponse {
                try await client.execute(
                    uri: "/api/v1/blacklist-entries/\(id)/deletion-triggers", method: .post, headers: bearer(director),
                    body: jsonBody(["trigger": name, "on": on]))
            }
            let early = try await trigger(entry, "performedInFull", on: "2026-02-12")
            #expect(early.status == .unprocessableContent)
            #expect(early.errorCode == "trigger_not_shown")
            // paying the rest triggers the deletion by itself, dated the day the money arrived:
            // 2026-02-10 (Tue) + 3 working days = 02-13 (Fri), before 春节
            _ = try await client.execute(
                uri: "/api/v1/cases/\(case1022)/payments", method: .post, headers: bearer(director),
                body: jsonBody(["amountFen": 12_000_000, "receivedOn": "2026-02-10", "method": "deduction"]))
            let after = try await client.execute(uri: "/api/v1/blacklist-entries/\(entry)", method: .get, headers: bearer(director))
            #expect(after.json["deletionTrigger"] as? String == "performedInFull")
            #expect(after.json["triggeredOn"] as? String == "2026-02-10")
            #expect(after.json["deletionDueOn"] as? String == "2026-02-13")
            let twice = try await trigger(entry, "performedInFull", on: "2026-02-12")
            #expect(twice.status == .conflict)
            #expect(twice.errorCode == "trigger_recorded")
            let due = try await client.execute(uri: "/api/v1/blacklist-entries?deletionDue=true", method: .get, headers: bearer(director))
            #expect((due.json["items"] as? [[String: Any]])?.map { $0["id"] as? String } == [entry])
            // paid in full: nothing unperformed, so no new listing on the case
            let paidUp = try await list([
                "caseId": case1022, "debtorId": chen, "circumstances": [1], "decidedOn": "2026-02-11", "decisionNumber": "x",
            ])
            #expect(paidUp.errorCode == "nothing_unperformed")

            // circumstances 2–6: a fixed term; paying does not end it early
            let fixed = try await list([
                "caseId": case1023, "debtorId": company, "circumstances": [4], "decidedOn": "2026-01-05",
                "decisionNumber": "（2026）赣0732执1023号之一",
            ])
            #expect(fixed.json["expiresOn"] as? String == "2028-01-05")
            let fixedID = try #require(fixed.json["id"] as? String)
            let refused = try await trigger(fixedID, "applicantRequest", on: "2026-02-12")
            #expect(refused.errorCode == "fixed_term_entry")
            let unknown = try await trigger(fixedID, "forgiven", on: "2026-02-12")
            #expect(unknown.status == .unprocessableContent)
            // art. 2 ¶2: the court may delete a fixed-term entry early, with its reason, due 3
            // working days after the decision (Fri 02-13 → 春节 → Wed 02-25)
            let noReason = try await trigger(fixedID, "earlyDeletion", on: "2026-02-13")
            #expect(noReason.errorCode == "reason_required")
            let earlyDeleted = try await client.execute(
                uri: "/api/v1/blacklist-entries/\(fixedID)/deletion-triggers", method: .post, headers: bearer(director),
                body: jsonBody(["trigger": "earlyDeletion", "on": "2026-02-13", "reason": "被执行人已积极履行全部义务"]))
            #expect(earlyDeleted.status == .ok)
            #expect(earlyDeleted.json["deletionTrigger"] as? String == "earlyDeletion")
            #expect(earlyDeleted.json["deletionDueOn"] as? String == "2026-02-25")
            #expect(earlyDeleted.json["triggerReason"] as? String == "被执行人已积极履行全部义务")

            // the director's page: the due deletion, overdue by the app's today (2026-03-02)
            let page = try await client.execute(uri: "/blacklist", method: .get, headers: [.cookie: try await world.cookie(.director)])
            let dueSection = try #require(page.text.components(separatedBy: "id=\"due\"").last?.components(separatedBy: "</section>").first)
            #expect(dueSection.contains("应于 2026-02-13 前删除"))
            #expect(dueSection.contains("已逾期"))
            #expect(page.text.contains("违反财产报告制度的"))
            let zhang = try await world.accounts.login(username: "zhang", password: "password-zhang", kind: .api, by: .commandLine).token
            let own = try await client.execute(uri: "/api/v1/blacklist-entries", method: .get, headers: bearer(zhang))
            #expect((own.json["items"] as? [Any])?.count == 2)  // before 黄某强's entry below
            let others = try await client.execute(
                uri: "/api/v1/blacklist-entries", method: .get, headers: bearer(try await world.token(.judge)))
            #expect((others.json["items"] as? [Any])?.isEmpty == true)

            // a payment dated in a year the working-day calendar does not cover is still recorded;
            // the automatic trigger waits for a person, who is told why
            let huang = try await VillageAndPhotoTests.debtorID(client, director, idNumber: "360732198506302426")
            let old = try await list([
                "caseId": case1023, "debtorId": huang, "circumstances": [1], "decidedOn": "2023-05-01",
                "decisionNumber": "（2023）赣0732执1023号之二",
            ])
            let oldID = try #require(old.json["id"] as? String)
            let late = try await client.execute(
                uri: "/api/v1/cases/\(case1023)/payments", method: .post, headers: bearer(director),
                body: jsonBody(["amountFen": 24_999_950, "receivedOn": "2023-06-01", "method": "voluntary"]))
            #expect(late.status == .created)
            let untouched = try await client.execute(uri: "/api/v1/blacklist-entries/\(oldID)", method: .get, headers: bearer(director))
            #expect(untouched.json["deletionTrigger"] == nil || untouched.json["deletionTrigger"] is NSNull)
            let byHand = try await trigger(oldID, "performedInFull", on: "2023-06-01")
            #expect(byHand.errorCode == "calendar_not_covered")

            // other judges do not see the entry; liaisons cannot ask
            let judge = try await client.execute(
                uri: "/api/v1/blacklist-entries/\(entry)", method: .get, headers: bearer(try await world.token(.judge)))
            #expect(judge.status == .notFound)
            let liaison = try await client.execute(
                uri: "/api/v1/blacklist-entries", method: .get, headers: bearer(try await world.token(.liaison)))
            #expect(liaison.status == .forbidden)
        }
    }

    /// Issue 16 item 8, issue 17: a fixed term that has ended is put on the due list by the
    /// scheduler, not by a person.
    @Test(arguments: TestEngine.available)
    func aTermThatEndsIsDueWithoutAnyoneRecordingIt(engine: TestEngine) async throws {
        try await withApp(engine) { client, world in  // the app's today is 2026-03-02
            try await CaseAPITests.importSample(client, world)
            let director = try await world.token(.director)
            let case3301 = try await CaseAPITests.caseID(client, director, "（2022）赣0732执3301号")
            let zhong = try await VillageAndPhotoTests.debtorID(client, director, idNumber: "36073219830415009X")
            // circumstance 4 on 2024-01-05: two years, the last day 2026-01-05 (a Monday)
            let listed = try await client.execute(
                uri: "/api/v1/blacklist-entries", method: .post, headers: bearer(director),
                body: jsonBody([
                    "caseId": case3301, "debtorId": zhong, "circumstances": [4], "decidedOn": "2024-01-05",
                    "decisionNumber": "（2024）赣0732执3301号之一",
                ]))
            #expect(listed.status == .created)
            #expect(listed.json["expiresOn"] as? String == "2026-01-05")
            let entry = try #require(listed.json["id"] as? String)
            // the scheduler's daily job records the trigger; nobody has to
            try await world.runScheduler()
            let due = try await client.execute(uri: "/api/v1/blacklist-entries?deletionDue=true", method: .get, headers: bearer(director))
            let item = try #require((due.json["items"] as? [[String: Any]])?.first { $0["id"] as? String == entry })
            #expect(item["deletionTrigger"] as? String == "termExpired")
            #expect(item["triggeredOn"] as? String == "2026-01-05")
            #expect(item["deletionDueOn"] as? String == "2026-01-08")  // 3 working days after the last day
            // recorded once: reading again changes nothing
            let again = try await client.execute(uri: "/api/v1/blacklist-entries/\(entry)", method: .get, headers: bearer(director))
            #expect(again.json["deletionDueOn"] as? String == "2026-01-08")
            let deleted = try await client.execute(
                uri: "/api/v1/blacklist-entries/\(entry)/deletion", method: .post, headers: bearer(director),
                body: jsonBody(["on": "2026-03-02"]))
            #expect(deleted.status == .ok)
        }
    }
}
