import ChuqingDomain
import ChuqingTestSupport
import Crypto
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import ChuqingServer

@Suite("Notice issues, public notice pages and the removal of entries")
struct NoticeTests {
    /// Lists 陈某生 (1022, circumstance 1), 江西某置业 (1023, circumstance 4) and 钟某林 (3301, with a
    /// grace period of 3 months) on 2026-01-05; the app's today is 2026-03-02.
    static func listThree(_ client: some TestClientProtocol, _ world: TestWorld) async throws -> (
        chen: String, company: String, liao: String
    ) {
        try await CaseAPITests.importSample(client, world)
        let director = try await world.token(.director)
        func list(_ caseNumber: String, _ idNumber: String, _ circumstances: [Int], grace: Int? = nil) async throws -> String {
            var body: [String: Any] = [
                "caseId": try await CaseAPITests.caseID(client, director, caseNumber),
                "debtorId": try await VillageAndPhotoTests.debtorID(client, director, idNumber: idNumber),
                "circumstances": circumstances, "decidedOn": "2026-01-05",
                "decisionNumber": "（2026）赣0732执\(caseNumber.hashValue % 1000)号之一",
            ]
            if let grace { body["gracePeriodMonths"] = grace }
            let response = try await client.execute(
                uri: "/api/v1/blacklist-entries", method: .post, headers: bearer(director), body: jsonBody(body))
            #expect(response.status == .created, "\(response.text)")
            return try #require(response.json["id"] as? String)
        }
        return (
            try await list("（2023）赣0732执1022号", "36073219780312131X", [1]),
            try await list("（2023）赣0732执1023号", "91360732MA35C2Q11A", [4]),
            try await list("（2022）赣0732执3301号", "36073219830415009X", [1], grace: 3)
        )
    }

    static func post(_ client: some TestClientProtocol, _ uri: String, _ token: String, _ body: [String: Any] = [:]) async throws
        -> TestResponse
    {
        try await client.execute(uri: uri, method: .post, headers: bearer(token), body: jsonBody(body))
    }

    @Test(arguments: TestEngine.available)
    func anIssueIsComposedApprovedPublishedAndNeverChanged(engine: TestEngine) async throws {
        try await withApp(engine) { client, world in
            let (chen, company, liao) = try await Self.listThree(client, world)
            let clerk = try await world.token(.clerk)
            let director = try await world.token(.director)

            // 钟某林 is in his grace period until 2026-04-05: not eligible, and the refusal says why
            let candidates = try await client.execute(uri: "/api/v1/notice-candidates?kind=blacklist", method: .get, headers: bearer(clerk))
            let refusals = Dictionary(
                uniqueKeysWithValues: (candidates.json["items"] as? [[String: Any]] ?? []).map {
                    ($0["entryId"] as? String ?? "", $0["refusal"] as? String)
                })
            #expect(refusals[chen] == .some(nil))
            #expect(refusals[liao]??.contains("宽限期至 2026-04-05") == true)
            let withGrace = try await Self.post(client, "/api/v1/notice-issues", clerk, ["kind": "blacklist", "entryIds": [chen, liao]])
            #expect(withGrace.status == .unprocessableContent)
            #expect(withGrace.errorCode == "entry_not_eligible")
            #expect(
                try await Self.post(client, "/api/v1/notice-issues", clerk, ["kind": "blacklist", "entryIds": []]).errorCode == "no_entries"
            )
            #expect(
                try await Self.post(client, "/api/v1/notice-issues", clerk, ["kind": "notice", "entryIds": [chen]]).errorCode
                    == "unknown_notice_kind")
            // a credit-repair issue takes only deleted entries
            #expect(
                try await Self.post(client, "/api/v1/notice-issues", clerk, ["kind": "creditRepair", "entryIds": [chen]]).errorCode
                    == "entry_not_eligible")

            // a draft can be discarded, which frees its entries for another issue
            let draft = try await Self.post(client, "/api/v1/notice-issues", clerk, ["kind": "blacklist", "entryIds": [chen]])
            #expect(
                try await Self.post(client, "/api/v1/notice-issues", clerk, ["kind": "blacklist", "entryIds": [chen]]).errorCode
                    == "entry_not_eligible")
            let discarded = try await client.execute(
                uri: "/api/v1/notice-issues/\(try #require(draft.json["id"] as? String))", method: .delete,
                headers: bearer(clerk))
            #expect(discarded.status == .noContent)

            // four eyes: the director may compose, but not approve what they composed
            let own = try #require(
                try await Self.post(client, "/api/v1/notice-issues", director, ["kind": "blacklist", "entryIds": [chen]]).json["id"]
                    as? String)
            let selfApproved = try await Self.post(client, "/api/v1/notice-issues/\(own)/approve", director)
            #expect(selfApproved.status == .conflict)
            #expect(selfApproved.errorCode == "approver_is_composer")
            let ownDraft = try await client.execute(uri: "/api/v1/notice-issues/\(own)", method: .get, headers: bearer(director))
            #expect(ownDraft.json["state"] as? String == "composed")
            _ = try await client.execute(uri: "/api/v1/notice-issues/\(own)", method: .delete, headers: bearer(director))

            // 陈某生 has a photo: publication keeps its own copy
            let chenDebtor = try await VillageAndPhotoTests.debtorID(client, director, idNumber: "36073219780312131X")
            let photo = try await client.execute(
                uri: "/api/v1/debtors/\(chenDebtor)/photo", method: .put,
                headers: [.authorization: "Bearer \(director)", .contentType: "image/png"],
                body: ByteBuffer(bytes: VillageAndPhotoTests.png))
            #expect(photo.status == .noContent)
            let composed = try await Self.post(client, "/api/v1/notice-issues", clerk, ["kind": "blacklist", "entryIds": [company, chen]])
            #expect(composed.status == .created)
            #expect(composed.json["state"] as? String == "composed")
            let issue = try #require(composed.json["id"] as? String)
            #expect(try await Self.post(client, "/api/v1/notice-issues/\(issue)/publish", director).errorCode == "not_approved")
            #expect(try await Self.post(client, "/api/v1/notice-issues/\(issue)/approve", clerk).status == .forbidden)
            #expect(try await Self.post(client, "/api/v1/notice-issues/\(issue)/approve", director).json["state"] as? String == "approved")
            #expect(try await Self.post(client, "/api/v1/notice-issues/\(issue)/approve", director).errorCode == "already_approved")
            let published = try await Self.post(client, "/api/v1/notice-issues/\(issue)/publish", clerk)
            #expect(published.json["state"] as? String == "published")
            #expect(published.json["number"] as? Int == 1)
            #expect(published.json["year"] as? Int == 2026)
            #expect(published.json["title"] as? String == "兴国县人民法院失信被执行人曝光公告（2026年第1期）")
            #expect(published.json["publishedOn"] as? String == "2026-03-02")
            let twice = try await Self.post(client, "/api/v1/notice-issues/\(issue)/publish", clerk)
            #expect(twice.status == .conflict)
            #expect(twice.errorCode == "already_published")
            let edit = try await client.execute(
                uri: "/api/v1/notice-issues/\(issue)", method: .put, headers: bearer(clerk), body: jsonBody(["entryIds": [chen]]))
            #expect(edit.status == .conflict)
            #expect(edit.errorCode == "issue_published")
            let delete = try await client.execute(uri: "/api/v1/notice-issues/\(issue)", method: .delete, headers: bearer(clerk))
            #expect(delete.status == .conflict)
            #expect(delete.errorCode == "issue_published")

            // the stored XML is the record: its SHA-256 is the one published, and xmllint agrees it is valid
            let stored = try await client.execute(uri: "/api/v1/notice-issues/\(issue)/xml", method: .get, headers: bearer(clerk)).text
            let digest = SHA256.hash(data: Data(stored.utf8)).map { String(format: "%02x", $0) }.joined()
            #expect(published.json["sha256"] as? String == digest)
            try ExternalCheckers.validateWithXmllint(stored, schema: "notice.xsd")
            #expect(stored.contains("3607321978****131X"))
            #expect(!stored.contains("36073219780312131X"))
            #expect(stored.contains("<age>47</age>"))  // born 1978-03-12, on 2026-03-02

            // the public pages: no login, masked ID only, the tip-off phone, and valid HTML
            let page = try await client.execute(uri: "/notices/\(issue)", method: .get)
            #expect(page.status == .ok)
            #expect(page.text.contains("src=\"/notices/\(issue)/photos/\(chen)\""))
            let shown = try await client.execute(uri: "/notices/\(issue)/photos/\(chen)", method: .get)
            #expect(shown.status == .ok)
            #expect(Data(buffer: shown.body) == VillageAndPhotoTests.png)
            #expect(try await client.execute(uri: "/notices/\(issue)/photos/\(company)", method: .get).status == .notFound)
            #expect(page.text.contains("陈某生"))
            #expect(page.text.contains("3607321978****131X"))
            #expect(!page.text.contains("36073219780312131X"))
            #expect(page.text.contains("举报电话"))
            #expect(page.text.contains("12368"))
            #expect(page.text.contains("违反财产报告制度的"))
            try ExternalCheckers.parseHTML(page.text)
            let print = try await client.execute(uri: "/notices/\(issue)/print", method: .get)
            #expect(print.text.contains("size: A4"))
            try ExternalCheckers.parseHTML(print.text)
            let script = try await client.execute(uri: "/notices/\(issue).txt", method: .get)
            #expect(script.headers[.contentType]?.hasPrefix("text/plain") == true)
            #expect(script.text.contains("1. 江西某置业有限公司"))
            #expect(!script.text.contains("3607321978"))  // no ID numbers on the radio
            let publicXML = try await client.execute(uri: "/notices/\(issue).xml", method: .get)
            #expect(publicXML.text == stored)
            let list = try await client.execute(uri: "/notices", method: .get)
            #expect(list.text.contains("/notices/\(issue)"))
            let feed = try await client.execute(uri: "/notices/feed.atom", method: .get)
            #expect(feed.headers[.contentType]?.hasPrefix("application/atom+xml") == true)
            #expect(feed.text.contains("兴国县人民法院失信被执行人曝光公告（2026年第1期）"))
            #expect(try await client.execute(uri: "/notices/\(UUID().uuidString)", method: .get).status == .notFound)

            // an entry already exposed is not exposed again, except in a correction issue
            #expect(
                try await Self.post(client, "/api/v1/notice-issues", clerk, ["kind": "blacklist", "entryIds": [chen]]).errorCode
                    == "entry_not_eligible")
            let correction = try await Self.post(
                client, "/api/v1/notice-issues", clerk, ["kind": "blacklist", "entryIds": [chen], "corrects": issue])
            #expect(correction.status == .created)
            let second = try #require(correction.json["id"] as? String)
            _ = try await Self.post(client, "/api/v1/notice-issues/\(second)/approve", director)
            let secondPublished = try await Self.post(client, "/api/v1/notice-issues/\(second)/publish", director)
            #expect(secondPublished.json["number"] as? Int == 2)
            #expect(try await client.execute(uri: "/notices/\(second)", method: .get).text.contains("本期更正兴国县人民法院失信被执行人曝光公告（2026年第1期）"))

            // 陈某生 pays the rest: the trigger follows, the deletion is marked, the public page of
            // issue 1 withdraws him while the stored XML keeps him
            _ = try await Self.post(
                client, "/api/v1/cases/\(try await CaseAPITests.caseID(client, director, "（2023）赣0732执1022号"))/payments",
                director, ["amountFen": 12_000_000, "receivedOn": "2026-02-27", "method": "deduction"])
            let early = try await Self.post(client, "/api/v1/blacklist-entries/\(company)/deletion", director, ["on": "2026-02-27"])
            #expect(early.errorCode == "no_deletion_trigger")
            let deleted = try await Self.post(client, "/api/v1/blacklist-entries/\(chen)/deletion", director, ["on": "2026-03-02"])
            #expect(deleted.json["removal"] as? String == "deleted")
            #expect(deleted.json["deletedOn"] as? String == "2026-03-02")
            #expect(
                try await Self.post(client, "/api/v1/blacklist-entries/\(chen)/deletion", director, ["on": "2026-03-02"]).errorCode
                    == "already_deleted")
            let after = try await client.execute(uri: "/notices/\(issue)", method: .get)
            #expect(after.text.contains("该信息已依法删除"))
            #expect(try await client.execute(uri: "/notices/\(issue)/photos/\(chen)", method: .get).status == .notFound)
            #expect(!after.text.contains("陈某生"))
            #expect(after.text.contains("江西某置业有限公司"))
            try ExternalCheckers.parseHTML(after.text)
            let afterXML = try await client.execute(uri: "/notices/\(issue).xml", method: .get).text
            #expect(!afterXML.contains("陈某生"))
            try ExternalCheckers.validateWithXmllint(afterXML, schema: "notice.xsd")
            #expect(try await client.execute(uri: "/notices/\(issue).txt", method: .get).text.contains("1. 江西某置业有限公司"))
            #expect(
                try await client.execute(uri: "/api/v1/notice-issues/\(issue)/xml", method: .get, headers: bearer(clerk)).text == stored)

            // ... and he is eligible for the next credit-repair issue, numbered 1 of its own kind
            let repair = try await Self.post(client, "/api/v1/notice-issues", clerk, ["kind": "creditRepair", "entryIds": [chen]])
            #expect(repair.status == .created)
            let repairID = try #require(repair.json["id"] as? String)
            _ = try await Self.post(client, "/api/v1/notice-issues/\(repairID)/approve", director)
            let repairPublished = try await Self.post(client, "/api/v1/notice-issues/\(repairID)/publish", clerk)
            #expect(repairPublished.json["title"] as? String == "兴国县人民法院信用修复公告（2026年第1期）")
            let repairPage = try await client.execute(uri: "/notices/\(repairID)", method: .get).text
            #expect(repairPage.contains("陈某生"))
            #expect(repairPage.contains("删除日期"))

            // notifications: the credit platforms on each listing, and on the deletion
            let notifications = try await client.execute(
                uri: "/api/v1/blacklist-notifications?entryId=\(chen)", method: .get, headers: bearer(director))
            let events = (notifications.json["items"] as? [[String: Any]] ?? []).map { "\($0["event"] ?? "")→\($0["recipientKind"] ?? "")" }
            #expect(
                events.sorted() == ["deleted→creditPlatform", "deleted→creditPlatform", "listed→creditPlatform", "listed→creditPlatform"])
            let firstID = try #require(
                (notifications.json["items"] as? [[String: Any]])?.first { $0["event"] as? String == "deleted" }?["id"] as? String)
            let one = try await client.execute(uri: "/api/v1/blacklist-notifications/\(firstID)", method: .get, headers: bearer(director))
            let notificationXML = try #require(one.json["xml"] as? String)
            try ExternalCheckers.validateWithXmllint(notificationXML, schema: "notification.xsd")
            #expect((one.json["text"] as? String)?.contains("删除失信信息") == true)
        }
    }

    @Test(arguments: TestEngine.available)
    func revocationCorrectionAndRequestsHaveTheirDeadlines(engine: TestEngine) async throws {
        try await withApp(engine) { client, world in
            let (chen, company, _) = try await Self.listThree(client, world)
            let director = try await world.token(.director)
            // found wrongly listed on Friday 2026-02-13: 3 working days skip 春节 (02-15 … 02-23) → 02-25
            let revocation = try await Self.post(
                client, "/api/v1/blacklist-entries/\(chen)/procedures", director,
                ["kind": "revocation", "on": "2026-02-13", "reason": "案件已于纳入前履行完毕"])
            #expect(revocation.status == .created)
            #expect(revocation.json["dueOn"] as? String == "2026-02-25")
            let open = try await client.execute(uri: "/api/v1/blacklist-procedures", method: .get, headers: bearer(director))
            #expect((open.json["items"] as? [[String: Any]])?.count == 1)
            let revocationID = try #require(revocation.json["id"] as? String)
            let decided = try await Self.post(
                client, "/api/v1/blacklist-procedures/\(revocationID)/decision", director,
                ["outcome": "upheld", "on": "2026-02-24"])
            #expect(decided.json["outcome"] as? String == "upheld")
            let entry = try await client.execute(uri: "/api/v1/blacklist-entries/\(chen)", method: .get, headers: bearer(director))
            #expect(entry.json["removal"] as? String == "revoked")
            #expect(
                try await Self.post(
                    client, "/api/v1/blacklist-procedures/\(revocationID)/decision", director,
                    ["outcome": "rejected", "on": "2026-02-24"]
                ).errorCode == "already_decided")
            let notifications = try await client.execute(
                uri: "/api/v1/blacklist-notifications?entryId=\(chen)", method: .get, headers: bearer(director))
            #expect((notifications.json["items"] as? [[String: Any]] ?? []).contains { $0["event"] as? String == "revoked" })

            // the revoked entry stays on record; when a circumstance recurs the court may list the
            // debtor in the case again (法释〔2017〕7号 art. 10 ¶3), and that is the one current entry
            let relist: [String: Any] = [
                "caseId": try #require(entry.json["caseId"] as? String), "debtorId": try #require(entry.json["debtorId"] as? String),
                "circumstances": [1], "decidedOn": "2026-02-27", "decisionNumber": "（2026）赣0732执1022号之二",
            ]
            let relisted = try await Self.post(client, "/api/v1/blacklist-entries", director, relist)
            #expect(relisted.status == .created)
            #expect(relisted.json["id"] as? String != chen)
            let twice = try await Self.post(client, "/api/v1/blacklist-entries", director, relist)
            #expect(twice.errorCode == "already_listed")
            let revokedStill = try await client.execute(uri: "/api/v1/blacklist-entries/\(chen)", method: .get, headers: bearer(director))
            #expect(revokedStill.json["removal"] as? String == "revoked")

            // a correction request is reviewed within 15 calendar days; upheld on wrong data, a
            // correction follows within 3 working days of the decision
            let objection = try await Self.post(
                client, "/api/v1/blacklist-entries/\(company)/procedures", director,
                ["kind": "objection", "ground": "wrongData", "on": "2026-02-02", "reason": "法定代表人姓名有误"])
            // 02-02 + 15 days = 02-17, inside 春节: the period ends on the next working day (民诉法 art. 85)
            #expect(objection.json["dueOn"] as? String == "2026-02-24")
            #expect(
                try await Self.post(
                    client, "/api/v1/blacklist-entries/\(company)/procedures", director,
                    ["kind": "objection", "on": "2026-02-02", "reason": "x"]
                ).errorCode == "unknown_ground")
            #expect(
                try await Self.post(
                    client, "/api/v1/blacklist-entries/\(company)/procedures", director,
                    ["kind": "objection", "ground": "wrongData", "on": "2026-02-02", "reason": "  "]
                ).errorCode == "reason_required")
            let objectionID = try #require(objection.json["id"] as? String)
            _ = try await Self.post(
                client, "/api/v1/blacklist-procedures/\(objectionID)/decision", director, ["outcome": "upheld", "on": "2026-02-26"])
            let procedures = try await client.execute(
                uri: "/api/v1/blacklist-entries/\(company)/procedures", method: .get, headers: bearer(director))
            let followUp = try #require((procedures.json["items"] as? [[String: Any]])?.first { $0["kind"] as? String == "correction" })
            #expect(followUp["dueOn"] as? String == "2026-03-02")  // Fri 02-27, make-up Sat 02-28, Mon 03-02
            #expect(followUp["aroseOn"] as? String == "2026-02-26")
            // an upheld correction says what was corrected
            let correctionID = try #require(followUp["id"] as? String)
            #expect(
                try await Self.post(
                    client, "/api/v1/blacklist-procedures/\(correctionID)/decision", director,
                    ["outcome": "upheld", "on": "2026-03-02"]
                ).errorCode == "correction_note_required")

            // upheld because the entry should have been deleted: the trigger is recorded with the
            // decision, or — on a fixed-term entry, where it does not apply — the decision is refused whole
            let zhong = try #require(
                (try await client.execute(uri: "/api/v1/blacklist-entries", method: .get, headers: bearer(director))
                    .json["items"] as? [[String: Any]])?.first { $0["debtorName"] as? String == "钟某林" }?["id"] as? String)
            for (entry, expected) in [(company, "fixed_term_entry"), (zhong, nil)] {
                let request = try await Self.post(
                    client, "/api/v1/blacklist-entries/\(entry)/procedures", director,
                    ["kind": "objection", "ground": "shouldBeDeleted", "on": "2026-02-26", "reason": "申请执行人书面申请删除"])
                let id = try #require(request.json["id"] as? String)
                #expect(
                    try await Self.post(
                        client, "/api/v1/blacklist-procedures/\(id)/decision", director,
                        ["outcome": "upheld", "on": "2026-02-27"]
                    ).errorCode == "trigger_required")
                let decision = try await Self.post(
                    client, "/api/v1/blacklist-procedures/\(id)/decision", director,
                    ["outcome": "upheld", "on": "2026-02-27", "trigger": "applicantRequest"])
                #expect(decision.errorCode == expected)
                let after = try await client.execute(uri: "/api/v1/blacklist-entries/\(entry)", method: .get, headers: bearer(director))
                if expected == nil {
                    #expect(decision.json["outcome"] as? String == "upheld")
                    #expect(after.json["deletionTrigger"] as? String == "applicantRequest")
                    #expect(after.json["deletionDueOn"] as? String == "2026-03-03")  // Fri 02-27 → make-up Sat 02-28, Mon 03-02, Tue 03-03
                } else {
                    #expect(after.json["deletionTrigger"] == nil || after.json["deletionTrigger"] is NSNull)
                    let open = try await client.execute(
                        uri: "/api/v1/blacklist-entries/\(entry)/procedures", method: .get, headers: bearer(director))
                    let undecided = try #require((open.json["items"] as? [[String: Any]])?.first { $0["id"] as? String == id })
                    #expect(undecided["outcome"] == nil || undecided["outcome"] is NSNull)
                }
            }
        }
    }

    /// Issue 16 item 11: a rejected correction request goes to 复议 at the court one level up within
    /// 10 days of service, decided within 15 (法释〔2017〕7号 art. 12); upheld, it opens the remedy.
    @Test(arguments: TestEngine.available)
    func aRejectedRequestGoesToReconsiderationAndAnUpheldOneOpensTheRemedy(engine: TestEngine) async throws {
        try await withApp(engine) { client, world in
            let (chen, _, _) = try await Self.listThree(client, world)
            let director = try await world.token(.director)
            let request = try await Self.post(
                client, "/api/v1/blacklist-entries/\(chen)/procedures", director,
                ["kind": "objection", "ground": "notListable", "on": "2026-02-02", "reason": "已提供足额担保"])
            let requestID = try #require(request.json["id"] as? String)
            let reconsider = "/api/v1/blacklist-procedures/\(requestID)/reconsideration"
            let application: [String: Any] = ["servedOn": "2026-02-11", "on": "2026-02-24", "reason": "担保足以清偿"]
            // not before the request is rejected
            #expect(try await Self.post(client, reconsider, director, application).errorCode == "request_not_rejected")
            _ = try await Self.post(
                client, "/api/v1/blacklist-procedures/\(requestID)/decision", director, ["outcome": "rejected", "on": "2026-02-10"])
            // only through a request, never opened on an entry directly
            #expect(
                try await Self.post(
                    client, "/api/v1/blacklist-entries/\(chen)/procedures", director,
                    ["kind": "reconsideration", "on": "2026-02-24", "reason": "x"]
                ).errorCode == "reconsideration_needs_request")
            // served 02-11: the tenth day, 02-21, is in 春节, so the last day is 02-24
            let late = try await Self.post(client, reconsider, director, ["servedOn": "2026-02-11", "on": "2026-02-25", "reason": "x"])
            #expect(late.errorCode == "reconsideration_late")
            #expect(((late.json["error"] as? [String: Any])?["message"] as? String)?.contains("2026-02-24") == true)
            #expect(
                try await Self.post(client, reconsider, director, ["servedOn": "2026-02-09", "on": "2026-02-24", "reason": "x"]).errorCode
                    == "date_too_early")
            #expect(
                try await Self.post(client, reconsider, director, ["servedOn": "2026-02-11", "on": "2026-02-24", "reason": " "]).errorCode
                    == "reason_required")
            // a correction is no request
            let correction = try await Self.post(
                client, "/api/v1/blacklist-entries/\(chen)/procedures", director,
                ["kind": "correction", "on": "2026-02-20", "reason": "身份证号码录入有误"])
            #expect(
                try await Self.post(
                    client, "/api/v1/blacklist-procedures/\(try #require(correction.json["id"] as? String))/reconsideration", director,
                    application
                ).errorCode == "not_a_correction_request")

            let recorded = try await Self.post(client, reconsider, director, application)
            #expect(recorded.status == .created)
            #expect(recorded.json["kind"] as? String == "reconsideration")
            #expect(recorded.json["kindLabel"] as? String == "复议")
            #expect(recorded.json["ground"] as? String == "notListable")
            #expect(recorded.json["reviewsProcedureId"] as? String == requestID)
            #expect(recorded.json["servedOn"] as? String == "2026-02-11")
            #expect(recorded.json["dueOn"] as? String == "2026-03-11")
            #expect(try await Self.post(client, reconsider, director, application).errorCode == "already_reconsidered")
            // it is among the open procedures until decided
            let open = try await client.execute(uri: "/api/v1/blacklist-procedures", method: .get, headers: bearer(director))
            let id = try #require(recorded.json["id"] as? String)
            #expect((open.json["items"] as? [[String: Any]] ?? []).contains { $0["id"] as? String == id })

            // upheld by the court one level up: the revocation opens, due 3 working days on
            let decided = try await Self.post(
                client, "/api/v1/blacklist-procedures/\(id)/decision", director, ["outcome": "upheld", "on": "2026-03-02"])
            #expect(decided.json["outcome"] as? String == "upheld")
            let procedures = try await client.execute(
                uri: "/api/v1/blacklist-entries/\(chen)/procedures", method: .get, headers: bearer(director))
            let revocation = try #require((procedures.json["items"] as? [[String: Any]])?.first { $0["kind"] as? String == "revocation" })
            #expect(revocation["aroseOn"] as? String == "2026-03-02")
            #expect(revocation["dueOn"] as? String == "2026-03-05")
            #expect((revocation["reason"] as? String)?.hasPrefix("复议成立") == true)
        }
    }

    @Test(arguments: TestEngine.available)
    func payingTheResumedCaseInFullTriggersTheOriginalsDeletion(engine: TestEngine) async throws {
        try await withApp(engine) { client, world in
            let (chen, _, _) = try await Self.listThree(client, world)
            let director = try await world.token(.director)
            let original = try await CaseAPITests.caseID(client, director, "（2023）赣0732执1022号")
            let resumed = try await Self.post(
                client, "/api/v1/cases/\(original)/resume", director,
                ["caseNumber": "（2026）赣0732执恢15号", "on": "2026-02-02"])
            #expect(resumed.status == .created, "\(resumed.text)")
            let successor = try #require(resumed.json["id"] as? String)
            _ = try await Self.post(
                client, "/api/v1/cases/\(successor)/payments", director,
                ["amountFen": 12_000_000, "receivedOn": "2026-02-10", "method": "voluntary"])
            let entry = try await client.execute(uri: "/api/v1/blacklist-entries/\(chen)", method: .get, headers: bearer(director))
            #expect(entry.json["deletionTrigger"] as? String == "performedInFull")
            #expect(entry.json["deletionDueOn"] as? String == "2026-02-13")
        }
    }

    @Test(arguments: TestEngine.available)
    func aClerkComposesAndTheDirectorApprovesOnTheListPage(engine: TestEngine) async throws {
        try await withApp(engine) { client, world in
            let (chen, company, grace) = try await Self.listThree(client, world)
            let clerk = try await world.cookie(.clerk)
            let director = try await world.cookie(.director)
            func post(_ uri: String, _ cookie: String, _ fields: [String: String]) async throws -> TestResponse {
                try await client.execute(
                    uri: uri, method: .post, headers: [.cookie: cookie, .contentType: "application/x-www-form-urlencoded"],
                    body: PageTests.form(fields.merging(["_csrf": PageTests.csrf(for: cookie)]) { a, _ in a }))
            }
            let page = try await client.execute(uri: "/blacklist", method: .get, headers: [.cookie: clerk])
            #expect(page.text.contains("name=\"entry-\(chen)\" checked"))
            #expect(!page.text.contains("name=\"entry-\(grace)\""))  // in its grace period: shown disabled, with the reason
            #expect(page.text.contains("宽限期至 2026-04-05"))
            let composed = try await post(
                "/blacklist/notice-issues", clerk, ["kind": "blacklist", "entry-\(chen)": "on", "entry-\(company)": "on"])
            #expect(composed.status == .seeOther)
            #expect(composed.headers[.location] == "/blacklist?saved=composed")
            let queue = try await client.execute(uri: "/blacklist", method: .get, headers: [.cookie: director])
            let approveURL = try #require(queue.text.firstMatch(of: /action="(\/blacklist\/notice-issues\/[0-9a-f-]+\/approve)"/)?.1)
            #expect(try await post(String(approveURL), clerk, [:]).status == .forbidden)
            // approving and publishing cannot be undone: each asks for its box (issue 16 item 14)
            let unticked = try await post(String(approveURL), director, [:])
            #expect(unticked.status == .unprocessableContent && unticked.text.contains("「审批」提交后不能撤回"))
            #expect(try await post(String(approveURL), director, ["confirmed": "on"]).headers[.location] == "/blacklist?saved=approved")
            let publishURL = approveURL.replacingOccurrences(of: "/approve", with: "/publish")
            #expect(try await post(publishURL, clerk, [:]).status == .unprocessableContent)
            #expect(try await post(publishURL, clerk, ["confirmed": "on"]).headers[.location] == "/blacklist?saved=published")
            let done = try await client.execute(uri: "/blacklist?saved=published", method: .get, headers: [.cookie: director])
            #expect(done.text.contains("兴国县人民法院失信被执行人曝光公告（2026年第1期）"))
            #expect(done.text.contains("已发布"))
            // deleting without a recorded trigger is refused on the page, with the rule
            let refused = try await post("/blacklist/entries/\(company)/deletion", director, ["on": "2026-03-02"])
            #expect(refused.status == .conflict)
            #expect(refused.text.contains("尚未记录删除事由"))
        }
    }

    @Test(arguments: TestEngine.available)
    func aCourtReplacesItsHeaderLogoAndStylesheetsWithoutARebuild(engine: TestEngine) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("chuqing-court-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try "兴国县人民法院执行局\n".write(to: folder.appendingPathComponent("court-header.txt"), atomically: true, encoding: .utf8)
        try #"<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>"#.write(
            to: folder.appendingPathComponent("court-logo.svg"), atomically: true, encoding: .utf8)
        try """
        <xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform" xmlns:n="urn:chuqing:notice:1">
          <xsl:output method="text" encoding="UTF-8"/>
          <xsl:param name="header" select="''"/>
          <xsl:template match="/n:notice">本院自定广播稿：<xsl:value-of select="$header"/>，共<xsl:value-of select="count(n:entry)"/>人</xsl:template>
        </xsl:stylesheet>
        """.write(to: folder.appendingPathComponent("notice-text.xsl"), atomically: true, encoding: .utf8)
        try await withApp(engine, configure: { $0.documentTemplates = folder }) { client, world in
            let (chen, company, _) = try await Self.listThree(client, world)
            let clerk = try await world.token(.clerk)
            let director = try await world.token(.director)
            let issue = try #require(
                try await Self.post(client, "/api/v1/notice-issues", clerk, ["kind": "blacklist", "entryIds": [chen, company]])
                    .json["id"] as? String)
            _ = try await Self.post(client, "/api/v1/notice-issues/\(issue)/approve", director)
            _ = try await Self.post(client, "/api/v1/notice-issues/\(issue)/publish", clerk)
            let page = try await client.execute(uri: "/notices/\(issue)", method: .get).text
            #expect(page.contains("兴国县人民法院执行局"))
            #expect(page.contains(#"src="/notices/court-logo""#))
            let logo = try await client.execute(uri: "/notices/court-logo", method: .get)
            #expect(logo.headers[.contentType] == "image/svg+xml")
            #expect(try await client.execute(uri: "/notices/\(issue).txt", method: .get).text == "本院自定广播稿：兴国县人民法院执行局，共2人")
        }
    }

    @Test func aBrokenStylesheetStopsStartUpNamingTheFileAndLine() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("chuqing-court-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try """
        <xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
          <xsl:template match="/">
            <xsl:if>条件缺失</xsl:if>
          </xsl:template>
        </xsl:stylesheet>
        """.write(to: folder.appendingPathComponent("notice-print.xsl"), atomically: true, encoding: .utf8)
        await #expect { try await withApp(.sqlite, configure: { $0.documentTemplates = folder }) { _, _ in } } throws: { error in
            let text = "\(error)"
            return text.contains(folder.appendingPathComponent("notice-print.xsl").path) && text.contains("line 3")
        }
    }

    @Test(arguments: TestEngine.available)
    func anIssueThatFailsItsSchemaIsNotApproved(engine: TestEngine) async throws {
        // A court whose schema requires a photo of everyone shown: the test data has none.
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("chuqing-court-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let schema = try String(
            contentsOf: TestSupport.repositoryRoot.appendingPathComponent("Templates/documents/notice.xsd"), encoding: .utf8)
        #expect(schema.contains(#"<xs:element name="photo" minOccurs="0">"#))
        try schema.replacingOccurrences(of: #"<xs:element name="photo" minOccurs="0">"#, with: #"<xs:element name="photo">"#)
            .write(to: folder.appendingPathComponent("notice.xsd"), atomically: true, encoding: .utf8)
        try await withApp(engine, configure: { $0.documentTemplates = folder }) { client, world in
            let (chen, _, _) = try await Self.listThree(client, world)
            let clerk = try await world.token(.clerk)
            let director = try await world.token(.director)
            let issue = try #require(
                try await Self.post(client, "/api/v1/notice-issues", clerk, ["kind": "blacklist", "entryIds": [chen]])
                    .json["id"] as? String)
            let refused = try await Self.post(client, "/api/v1/notice-issues/\(issue)/approve", director)
            #expect(refused.status == .unprocessableContent)
            #expect(refused.errorCode == "notice_invalid")
            #expect(refused.text.contains("photo"))
            let still = try await client.execute(uri: "/api/v1/notice-issues/\(issue)", method: .get, headers: bearer(clerk))
            #expect(still.json["state"] as? String == "composed")
        }
    }

}
