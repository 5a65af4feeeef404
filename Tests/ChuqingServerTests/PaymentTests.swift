import ChuqingDomain
import ChuqingTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import ChuqingServer

/// Issue 16 items 4 and 13: payments that can be wrong, and one unexecuted amount.
@Suite("Payments: overpayment, reversal, and the amount a notice publishes")
struct PaymentTests {
    static func pay(
        _ client: some TestClientProtocol, _ token: String, _ caseID: String, fen: Int64, on: String = "2026-02-10",
        excessReason: String? = nil
    ) async throws -> TestResponse {
        var body: [String: Any] = ["amountFen": fen, "receivedOn": on, "method": "voluntary"]
        if let excessReason { body["excessReason"] = excessReason }
        return try await client.execute(
            uri: "/api/v1/cases/\(caseID)/payments", method: .post, headers: bearer(token), body: jsonBody(body))
    }

    @Test(arguments: TestEngine.available)
    func aPaymentAboveWhatIsLeftIsRefusedUnlessItSaysWhatTheExcessIs(engine: TestEngine) async throws {
        try await withApp(engine) { client, world in
            try await CaseAPITests.importSample(client, world)
            let token = try await world.token(.director)
            let caseID = try await CaseAPITests.caseID(client, token, "（2023）赣0732执1022号")  // ¥120,000.00 unpaid
            let over = try await Self.pay(client, token, caseID, fen: 20_000_000)
            #expect(over.status == .unprocessableContent)
            #expect(over.errorCode == "payment_exceeds_unperformed")
            let error = over.json["error"] as? [String: Any]
            #expect(error?["field"] as? String == "amountFen")
            #expect((error?["message"] as? String)?.contains("¥120,000.00") == true)
            #expect((error?["message"] as? String)?.contains("excessReason") == true)
            let blank = try await Self.pay(client, token, caseID, fen: 20_000_000, excessReason: "  ")
            #expect(blank.errorCode == "payment_exceeds_unperformed")
            let interest = try await Self.pay(client, token, caseID, fen: 12_150_000, excessReason: "迟延履行利息")
            #expect(interest.status == .created)
            #expect(interest.json["unperformedFen"] as? Int == 0)
            let payment = (interest.json["payments"] as? [[String: Any]])?.last
            #expect(payment?["excessReason"] as? String == "迟延履行利息")
            // with nothing left, even a small payment needs its reason
            #expect(try await Self.pay(client, token, caseID, fen: 100).errorCode == "payment_exceeds_unperformed")
        }
    }

    @Test(arguments: TestEngine.available)
    func aReversedPaymentStaysOnRecordAndItsDeletionTriggerIsWithdrawn(engine: TestEngine) async throws {
        try await withApp(engine) { client, world in
            let (chen, _, _) = try await NoticeTests.listThree(client, world)
            let director = try await world.token(.director)
            let caseID = try await CaseAPITests.caseID(client, director, "（2023）赣0732执1022号")
            let paid = try await Self.pay(client, director, caseID, fen: 12_000_000)
            #expect(paid.status == .created)
            let paymentID = try #require((paid.json["payments"] as? [[String: Any]])?.last?["id"] as? String)
            let triggered = try await client.execute(uri: "/api/v1/blacklist-entries/\(chen)", method: .get, headers: bearer(director))
            #expect(triggered.json["deletionTrigger"] as? String == "performedInFull")

            func reverse(_ id: String, _ body: [String: Any], _ token: String) async throws -> TestResponse {
                try await client.execute(
                    uri: "/api/v1/payments/\(id)/reversal", method: .post, headers: bearer(token), body: jsonBody(body))
            }
            #expect(try await reverse(paymentID, ["reason": " "], director).errorCode == "reason_required")
            #expect(try await reverse(UUID().uuidString, ["reason": "录错"], director).status == .notFound)
            #expect(try await reverse("not-an-id", ["reason": "录错"], director).status == .notFound)
            // a judge who does not handle the case does not learn that the payment exists
            #expect(try await reverse(paymentID, ["reason": "录错"], try await world.token(.judge)).status == .notFound)
            let reversed = try await reverse(paymentID, ["reason": "金额录错，款项实为另案"], director)
            #expect(reversed.status == .ok, "\(reversed.text)")
            #expect(reversed.json["unperformedFen"] as? Int == 12_000_000)
            let payment = (reversed.json["payments"] as? [[String: Any]])?.first { $0["id"] as? String == paymentID }
            #expect(payment != nil, "a reversed payment is never deleted")
            #expect((payment?["reversal"] as? [String: Any])?["reason"] as? String == "金额录错，款项实为另案")
            #expect((reversed.json["history"] as? [[String: Any]])?.contains { $0["event"] as? String == "payment_reversed" } == true)
            let again = try await reverse(paymentID, ["reason": "再撤一次"], director)
            #expect(again.status == .conflict)
            #expect(again.errorCode == "payment_already_reversed")
            let withdrawn = try await client.execute(uri: "/api/v1/blacklist-entries/\(chen)", method: .get, headers: bearer(director))
            #expect(withdrawn.json["deletionTrigger"] == nil || withdrawn.json["deletionTrigger"] is NSNull)
            #expect(withdrawn.json["deletionDueOn"] == nil || withdrawn.json["deletionDueOn"] is NSNull)
            // the full payment, made again, records the trigger again
            #expect(try await Self.pay(client, director, caseID, fen: 12_000_000).status == .created)
            let again2 = try await client.execute(uri: "/api/v1/blacklist-entries/\(chen)", method: .get, headers: bearer(director))
            #expect(again2.json["deletionTrigger"] as? String == "performedInFull")
        }
    }

    @Test(arguments: TestEngine.available)
    func whatIsPaidOnTheZhiHuiCaseCountsOnTheOriginalAndItsNotice(engine: TestEngine) async throws {
        try await withApp(engine) { client, world in
            let (chen, _, _) = try await NoticeTests.listThree(client, world)
            let director = try await world.token(.director)
            let clerk = try await world.token(.clerk)
            let original = try await CaseAPITests.caseID(client, director, "（2023）赣0732执1022号")
            #expect(try await Self.pay(client, director, original, fen: 1_000_000, on: "2026-01-10").status == .created)
            let resumed = try await client.execute(
                uri: "/api/v1/cases/\(original)/resume", method: .post, headers: bearer(director),
                body: jsonBody(["on": "2026-01-20", "caseNumber": "(2026)赣0732执恢1号"]))
            let successor = try #require(resumed.json["id"] as? String)
            #expect(resumed.json["unperformedFen"] as? Int == 11_000_000)
            #expect(try await Self.pay(client, director, successor, fen: 4_000_000, on: "2026-02-01").status == .created)
            // one figure on both cases of the chain
            let originalAfter = try await client.execute(uri: "/api/v1/cases/\(original)", method: .get, headers: bearer(director))
            #expect(originalAfter.json["unperformedFen"] as? Int == 7_000_000)
            let successorAfter = try await client.execute(uri: "/api/v1/cases/\(successor)", method: .get, headers: bearer(director))
            #expect(successorAfter.json["unperformedFen"] as? Int == 7_000_000)
            // the notice of the original's entry publishes what is left: ¥70,000.00, not ¥110,000.00
            let composed = try await NoticeTests.post(client, "/api/v1/notice-issues", clerk, ["kind": "blacklist", "entryIds": [chen]])
            let issue = try #require(composed.json["id"] as? String)
            let xml = try await client.execute(uri: "/api/v1/notice-issues/\(issue)/xml", method: .get, headers: bearer(clerk)).text
            #expect(xml.contains(#"<unexecuted fen="7000000""#), "\(xml)")
        }
    }
}
