import ChuqingDomain
import ChuqingTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import ChuqingServer

@Suite("Township liaisons: what they see, and the leads they send")
struct LeadTests {
    @Test func anOpenLeadIsOverdueAfterItsDays() throws {
        #expect(LeadStatus.new.isOverdue(verifyBy: d("2026-03-05"), today: d("2026-03-06")))
        #expect(!LeadStatus.new.isOverdue(verifyBy: d("2026-03-05"), today: d("2026-03-05")))  // the last day itself is in time
        #expect(!LeadStatus.verified.isOverdue(verifyBy: d("2026-03-05"), today: d("2026-03-09")))
        #expect(LeadStatus.verifying.isOverdue(verifyBy: d("2026-03-05"), today: d("2026-03-09")))
    }

    func d(_ text: String) -> CalendarDate { try! CalendarDate.parse(text) }

    @Test(arguments: TestEngine.available)
    func aLiaisonSeesTheirTownshipsDebtorsAndSendsEachLeadOnce(engine: TestEngine) async throws {
        try await withApp(engine) { client, world in
            try await CaseAPITests.importSample(client, world)
            let director = try await world.token(.director)
            let batch = try await ClearanceAPITests.createBatch(client, director)
            // 钟某林 (3301) lives in 高兴镇, the test liaison's township; 陈某生 (1022) does not
            _ = try await client.execute(
                uri: "/api/v1/clearance-batches/\(batch)/cases", method: .post, headers: bearer(director),
                body: jsonBody(["caseNumbers": ["（2022）赣0732执3301号", "（2023）赣0732执1022号"]]))
            let zhong = try await VillageAndPhotoTests.debtorID(client, director, idNumber: "36073219830415009X")
            let chen = try await VillageAndPhotoTests.debtorID(client, director, idNumber: "36073219780312131X")
            let liaison = try await world.token(.liaison)

            let list = try await client.execute(uri: "/api/v1/liaison/debtors", method: .get, headers: bearer(liaison))
            #expect(list.status == .ok, "\(list.text)")
            let items = try #require(list.json["items"] as? [[String: Any]])
            #expect(items.map { $0["name"] as? String } == ["钟某林"])
            #expect(items.first?["idNumber"] == nil)  // never the ID number
            #expect((items.first?["cases"] as? [[String: Any]])?.first?["caseNumber"] as? String == "（2022）赣0732执3301号")
            let own = try await client.execute(uri: "/api/v1/debtors/\(zhong)", method: .get, headers: bearer(liaison))
            #expect(own.status == .ok)
            #expect(own.json["idNumber"] == nil && own.json["phone"] == nil && own.json["history"] == nil)
            let other = try await client.execute(uri: "/api/v1/debtors/\(chen)", method: .get, headers: bearer(liaison))
            #expect(other.status == .notFound)  // not 403: existence does not leak
            #expect(
                try await client.execute(uri: "/api/v1/debtors/\(UUID().uuidString)", method: .get, headers: bearer(liaison)).status
                    == .notFound)

            func lead(_ body: [String: Any], key: String?) async throws -> TestResponse {
                var headers = bearer(liaison)
                if let key { headers[.init("Idempotency-Key")!] = key }
                return try await client.execute(uri: "/api/v1/leads", method: .post, headers: headers, body: jsonBody(body))
            }
            let body: [String: Any] = [
                "debtorId": zhong, "kind": "vehicle", "text": "他家门口停着一辆白色货车，车牌赣B开头", "place": "高兴镇圩上",
                "seenOn": "2026-03-01", "urgent": true,
            ]
            let first = try await lead(body, key: "k-1")
            #expect(first.status == .created)
            #expect(first.json["status"] as? String == "new")
            #expect(first.json["verifyBy"] as? String == "2026-03-05")  // urgent: 3 days
            let id = try #require(first.json["id"] as? String)
            let retry = try await lead(body, key: "k-1")
            #expect(retry.status == .ok)
            #expect(retry.json["id"] as? String == id)
            var changed = body
            changed["text"] = "另一条线索"
            let reused = try await lead(changed, key: "k-1")
            #expect(reused.status == .conflict)
            #expect(reused.errorCode == "idempotency_key_reused")
            let normal = try await lead(["debtorId": zhong, "kind": "whereabouts", "text": "最近在县城打零工"], key: "k-2")
            #expect(normal.json["verifyBy"] as? String == "2026-03-09")  // 7 days
            #expect(first.json["position"] as? Int == 1)
            #expect(normal.json["position"] as? Int == 2)  // arrival order per debtor (悬赏 art. 23)
            #expect(normal.json["seenOn"] as? String == "2026-03-02")  // today unless given

            // refused with the rule, nothing stored
            #expect(try await lead(["debtorId": chen, "kind": "vehicle", "text": "x"], key: "k-3").status == .notFound)
            #expect(try await lead(["debtorId": zhong, "kind": "vehicle", "text": "  "], key: "k-4").errorCode == "lead_empty")
            #expect(try await lead(["debtorId": zhong, "kind": "car", "text": "x"], key: "k-5").errorCode == "unknown_lead_kind")
            #expect(
                try await lead(["debtorId": zhong, "kind": "vehicle", "text": "x", "seenOn": "2026-03-03"], key: "k-6").errorCode
                    == "date_in_future")
            #expect(try await lead(["debtorId": zhong, "kind": "vehicle", "text": "x"], key: "").errorCode == "invalid_idempotency_key")

            // the liaison sees their own leads in arrival order; the director sees all; others may not send
            let mine = try await client.execute(uri: "/api/v1/leads", method: .get, headers: bearer(liaison))
            #expect((mine.json["items"] as? [[String: Any]])?.map { $0["kind"] as? String } == ["vehicle", "whereabouts"])
            let all = try await client.execute(uri: "/api/v1/leads", method: .get, headers: bearer(director))
            #expect((all.json["items"] as? [[String: Any]])?.count == 2)
            #expect(
                try await client.execute(uri: "/api/v1/leads", method: .post, headers: bearer(director), body: jsonBody(body)).status
                    == .forbidden)

            // triage: the responsible judge or the director answers; the liaison reads the answer
            func status(_ id: String, _ body: [String: Any], token: String) async throws -> TestResponse {
                try await client.execute(uri: "/api/v1/leads/\(id)/status", method: .post, headers: bearer(token), body: jsonBody(body))
            }
            let otherJudge = try await world.token(.judge)  // judges no case of 钟某林's
            #expect(try await status(id, ["status": "verifying"], token: otherJudge).status == .notFound)
            #expect(try await status(id, ["status": "verifying"], token: liaison).status == .forbidden)
            #expect(try await status(id, ["status": "verifying"], token: director).json["status"] as? String == "verifying")
            #expect(try await status(id, ["status": "verified"], token: director).errorCode == "reply_required")
            let verified = try await status(id, ["status": "verified", "reply": "已查封该货车（2026）赣0732执3301号之二"], token: director)
            #expect(verified.json["status"] as? String == "verified")
            #expect(try await status(id, ["status": "rejected", "reply": "x"], token: director).errorCode == "lead_closed")
            let normalID = try #require(normal.json["id"] as? String)
            #expect(try await status(normalID, ["status": "new"], token: director).errorCode == "invalid_transition")
            #expect(try await status(normalID, ["status": "rejected", "reply": "经核实，此人已外出务工"], token: director).status == .ok)
            let answered = try #require(
                try await client.execute(uri: "/api/v1/leads", method: .get, headers: bearer(liaison)).json["items"] as? [[String: Any]])
            #expect(answered.map { $0["reply"] as? String } == ["已查封该货车（2026）赣0732执3301号之二", "经核实，此人已外出务工"])
            #expect(answered.allSatisfy { $0["overdue"] as? Bool == false })
        }
    }
}
