import ChuqingDomain
import ChuqingTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Synchronization
import Testing

@testable import ChuqingServer

/// Issue 18 item 4: 执行和解 with instalments (执行和解规定, rules-next §2).
@Suite("Settlements: instalments, breach, resumption and performance")
struct SettlementTests {
    /// A case in enforcement of ¥50,000 filed `filedOn`, registered by the director.
    static func openCase(_ client: some TestClientProtocol, _ world: TestWorld, filedOn: String = "2026-02-03", number: Int = 501)
        async throws -> (token: String, caseID: String)
    {
        let token = try await world.token(.director)
        let created = try await client.execute(
            uri: "/api/v1/cases", method: .post, headers: bearer(token),
            body: jsonBody(
                CaseCreateTests.body([
                    "filedOn": filedOn, "caseNumber": "(\(filedOn.prefix(4)))赣0732执\(number)号",
                ])))
        #expect(created.status == .created, "\(created.text)")
        return (token, try #require(created.json["id"] as? String))
    }

    static func settle(
        _ client: some TestClientProtocol, _ token: String, caseID: String, agreedOn: String = "2026-03-01",
        instalments: [(String, Int)] = [("2026-03-10", 1_000_000), ("2026-04-10", 1_000_000), ("2026-05-11", 1_000_000)],
        _ extra: [String: Any] = [:]
    ) async throws -> TestResponse {
        var body: [String: Any] = [
            "caseId": caseID, "agreedOn": agreedOn, "terms": "被执行人分三期支付人民币三万元，申请执行人放弃其余请求",
            "instalments": instalments.map { ["dueOn": $0.0, "amountFen": $0.1] },
        ]
        body.merge(extra) { $1 }
        return try await client.execute(uri: "/api/v1/settlements", method: .post, headers: bearer(token), body: jsonBody(body))
    }

    static func pay(_ client: some TestClientProtocol, _ token: String, caseID: String, fen: Int, on day: String) async throws
        -> TestResponse
    {
        try await client.execute(
            uri: "/api/v1/cases/\(caseID)/payments", method: .post, headers: bearer(token),
            body: jsonBody(["amountFen": fen, "receivedOn": day, "method": "settlementInstalment"]))
    }

    static func resume(_ client: some TestClientProtocol, _ token: String, caseID: String, _ body: [String: Any]) async throws
        -> TestResponse
    {
        try await client.execute(uri: "/api/v1/cases/\(caseID)/resume", method: .post, headers: bearer(token), body: jsonBody(body))
    }

    @Test(arguments: TestEngine.available)
    func aSettlementSuspendsTheCaseWhichThenCannotBeTerminatedThisRound(engine: TestEngine) async throws {
        try await withApp(engine) { client, world in
            let c = try await Self.openCase(client, world)
            let made = try await Self.settle(client, c.token, caseID: c.caseID, ["guarantor": "兴国县某担保公司", "guarantorPromise": true])
            #expect(made.status == .created, "\(made.text)")
            #expect(made.json["stage"] as? String == "running")
            #expect(made.json["totalFen"] as? Int == 3_000_000)
            #expect(made.json["unperformedAtAgreementFen"] as? Int == 5_000_000)
            #expect(made.json["suspendedOn"] as? String == "2026-03-01")  // the day of the agreement unless given
            #expect(made.json["filing"] as? String == "bothFiled")
            #expect(made.json["lastAgreedDay"] as? String == "2026-05-11")
            #expect(made.json["guarantorPromise"] as? Bool == true)
            #expect((made.json["instalments"] as? [[String: Any]])?.count == 3)
            // 终结本次 is not a settlement outcome (执行和解规定 art. 2)
            let terminate = try await client.execute(
                uri: "/api/v1/cases/\(c.caseID)/transitions", method: .post, headers: bearer(c.token),
                body: jsonBody(["to": "terminatedThisRound", "on": "2026-03-02", "reason": "无财产"]))
            #expect(terminate.status == .conflict)
            #expect(terminate.errorCode == "too_early_to_terminate")  // the settlement's own check: the older case below
            // one running settlement a case
            let second = try await Self.settle(client, c.token, caseID: c.caseID)
            #expect(second.status == .conflict)
            #expect(second.errorCode == "settlement_running")
            // the case's settlements and the team's list
            let ofCase = try await client.execute(uri: "/api/v1/cases/\(c.caseID)/settlements", method: .get, headers: bearer(c.token))
            #expect((ofCase.json["items"] as? [[String: Any]])?.count == 1)
            let running = try await client.execute(uri: "/api/v1/settlements?stage=running", method: .get, headers: bearer(c.token))
            #expect((running.json["items"] as? [[String: Any]])?.count == 1)
            let badStage = try await client.execute(uri: "/api/v1/settlements?stage=late", method: .get, headers: bearer(c.token))
            #expect(badStage.errorCode == "unknown_stage")
        }
    }

    @Test(arguments: TestEngine.available)
    func aSettlementOfACaseTerminatedThisRoundNeedsItsResumptionFirst(engine: TestEngine) async throws {
        try await withApp(engine) { client, world in
            let s = try await SanctionTests.sample(client, world)  // 执1022 is 终本
            let refused = try await Self.settle(client, s.token, caseID: s.case1022, agreedOn: "2026-03-01")
            #expect(refused.status == .conflict)
            #expect(refused.errorCode == "case_not_in_enforcement")
            #expect(refused.errorMessage?.contains("请先恢复执行") == true)
        }
    }

    @Test(arguments: TestEngine.available)
    func aScheduleAboveWhatIsUnperformedNeedsAReason(engine: TestEngine) async throws {
        try await withApp(engine) { client, world in
            let c = try await Self.openCase(client, world)
            let over = [("2026-03-10", 3_000_000), ("2026-04-10", 2_500_000)]
            let refused = try await Self.settle(client, c.token, caseID: c.caseID, instalments: over)
            #expect(refused.status == .unprocessableContent)
            #expect(refused.errorCode == "schedule_exceeds_unperformed")
            #expect(refused.errorMessage?.contains("超过未履行金额 ¥50,000.00（超出 ¥5,000.00）") == true, "\(refused.text)")
            let explained = try await Self.settle(client, c.token, caseID: c.caseID, instalments: over, ["excessReason": "含迟延履行利息"])
            #expect(explained.status == .created)
            // a payment up to the schedule needs no reason of its own: the settlement gave it
            #expect(try await Self.pay(client, c.token, caseID: c.caseID, fen: 5_500_000, on: "2026-03-02").status == .created)
        }
    }

    @Test(arguments: TestEngine.available)
    func aBadScheduleIsRefusedWithWhatIsAccepted(engine: TestEngine) async throws {
        try await withApp(engine) { client, world in
            let c = try await Self.openCase(client, world)
            let cases: [([(String, Int)], [String: Any], String)] = [
                ([], [:], "instalments_required"),
                ([("2026-03-10", 0)], [:], "invalid_amount"),
                ([("2026-03-10", 1_000_000_000_001)], [:], "amount_too_large"),
                ([("2026-02-20", 1_000)], [:], "due_before_agreement"),
                ([("2026-03-10", 1_000), ("2026-03-10", 2_000)], [:], "duplicate_due_date"),
                ([("2026-03-10", 1_000)], ["terms": "  "], "terms_required"),
                ([("2026-03-10", 1_000)], ["guarantorPromise": true], "guarantor_required"),
                ([("2026-03-10", 1_000)], ["filing": "handshake"], "unknown_filing"),
                ([("2026-03-10", 1_000)], ["agreedOn": "2026-03-05"], "date_in_future"),
                ([("2026-03-10", 1_000)], ["agreedOn": "2026-01-05"], "date_before_filing"),
                ([("2026-03-10", 1_000)], ["suspendedOn": "2026-02-27"], "date_before_agreement"),
            ]
            for (instalments, extra, code) in cases {
                let refused = try await Self.settle(client, c.token, caseID: c.caseID, instalments: instalments, extra)
                #expect(refused.status == .unprocessableContent, "\(code): \(refused.text)")
                #expect(refused.errorCode == code, "\(refused.text)")
                #expect(refused.errorMessage?.isEmpty == false)
            }
            let badDate = try await Self.settle(client, c.token, caseID: c.caseID, instalments: [("2026-02-30", 1_000)])
            #expect(badDate.status == .badRequest)
            // nothing was saved by any of them
            let ofCase = try await client.execute(uri: "/api/v1/cases/\(c.caseID)/settlements", method: .get, headers: bearer(c.token))
            #expect((ofCase.json["items"] as? [[String: Any]])?.isEmpty == true)
        }
    }

    /// Breach without an acceleration clause concerns the instalment missed; with one, all that is
    /// left. A late payment that catches up ends the breach; the judge's deadlines show it.
    @Test(arguments: TestEngine.available)
    func anInstalmentUnpaidPastItsDayIsABreachOfThatInstalmentUnlessAccelerated(engine: TestEngine) async throws {
        let clock = Mutex(TestSupport.fixedNow)  // 2026-03-02
        try await withApp(engine, now: { clock.withLock { $0 } }) { client, world in
            let plain = try await Self.openCase(client, world, number: 501)
            let fast = try await Self.openCase(client, world, number: 502)
            let a = try #require(try await Self.settle(client, plain.token, caseID: plain.caseID).json["id"] as? String)
            let b = try #require(
                try await Self.settle(client, fast.token, caseID: fast.caseID, ["acceleration": true]).json["id"] as? String)
            clock.withLock { $0 = TestSupport.fixedNow.addingTimeInterval(9 * 86_400) }  // 2026-03-11
            let token = try await world.token(.director)
            func settlement(_ id: String) async throws -> [String: Any] {
                try await client.execute(uri: "/api/v1/settlements/\(id)", method: .get, headers: bearer(token)).json
            }
            #expect(try await settlement(a)["stage"] as? String == "breached")
            #expect(try await settlement(a)["inBreachFen"] as? Int == 1_000_000)
            #expect(try await settlement(b)["inBreachFen"] as? Int == 3_000_000)
            let deadlines = try await client.execute(uri: "/api/v1/deadlines", method: .get, headers: bearer(token))
            let mine = (deadlines.json["items"] as? [[String: Any]] ?? []).filter { $0["kind"] as? String == "settlementInstalment" }
            #expect(mine.count == 2)
            #expect(mine.allSatisfy { ($0["subject"] as? String)?.contains("逾期未付") == true })
            // paid late but paid: the debtor is performing again (art. 11(3))
            #expect(try await Self.pay(client, token, caseID: plain.caseID, fen: 1_000_000, on: "2026-03-11").status == .created)
            #expect(try await settlement(a)["stage"] as? String == "running")
            #expect(try await settlement(a)["paidFen"] as? Int == 1_000_000)
        }
    }

    /// Resumption on breach within 2 years of the last agreed day (执行和解规定 art. 10; 民诉法 art.
    /// 250): the last day 2024-01-10 gives 2026-01-10, a Saturday, so 2026-01-12; the day after is
    /// time-barred. What was paid stays counted.
    @Test(arguments: TestEngine.available)
    func resumptionAfterABreachIsWithinTwoYearsOfTheLastAgreedDay(engine: TestEngine) async throws {
        try await withApp(engine) { client, world in
            let c = try await Self.openCase(client, world, filedOn: "2023-05-04")
            let made = try await Self.settle(
                client, c.token, caseID: c.caseID, agreedOn: "2023-06-01",
                instalments: [("2023-07-10", 1_000_000), ("2024-01-10", 2_000_000)])
            #expect(made.status == .created, "\(made.text)")
            #expect(made.json["resumptionLastDay"] as? String == "2026-01-12")
            #expect(try await Self.pay(client, c.token, caseID: c.caseID, fen: 1_000_000, on: "2023-07-08").status == .created)
            // while it runs the case is 中止: 终结本次 is not a settlement outcome (执行和解规定 art. 2)
            let conditions = [
                "noticeServedAndReportOrdered": true, "consumptionRestrictedAndListed": true, "propertyInvestigationExhausted": true,
                "debtorSoughtAndObstructionPunished": true,
            ]
            let terminate = try await client.execute(
                uri: "/api/v1/cases/\(c.caseID)/transitions", method: .post, headers: bearer(c.token),
                body: jsonBody(["to": "terminatedThisRound", "on": "2026-01-05", "reason": "无财产", "conditions": conditions]))
            #expect(terminate.status == .conflict)
            #expect(terminate.errorCode == "settlement_running")
            let late = try await Self.resume(client, c.token, caseID: c.caseID, ["ground": "settlementBreach", "appliedOn": "2026-01-13"])
            #expect(late.status == .unprocessableContent)
            #expect(late.errorCode == "resumption_time_barred")
            #expect(late.errorMessage?.contains("2026-01-12") == true, "\(late.text)")
            // before the breach the debtor was performing: nothing to resume (art. 11)
            let early = try await Self.resume(client, c.token, caseID: c.caseID, ["ground": "settlementBreach", "appliedOn": "2023-08-01"])
            #expect(early.status == .conflict)
            #expect(early.errorCode == "no_breach")
            let noDate = try await Self.resume(client, c.token, caseID: c.caseID, ["ground": "settlementBreach"])
            #expect(noDate.errorCode == "missing_field")
            let unknown = try await Self.resume(client, c.token, caseID: c.caseID, ["ground": "fraud", "appliedOn": "2026-01-12"])
            #expect(unknown.errorCode == "unknown_ground")
            let resumed = try await Self.resume(
                client, c.token, caseID: c.caseID, ["ground": "settlementBreach", "appliedOn": "2026-01-12", "on": "2026-01-20"])
            #expect(resumed.status == .ok, "\(resumed.text)")
            #expect(resumed.json["status"] as? String == "inEnforcement")
            #expect(resumed.json["performedFen"] as? Int == 1_000_000)  // paid under the settlement, deducted (art. 12)
            let settlement = try await client.execute(
                uri: "/api/v1/cases/\(c.caseID)/settlements", method: .get, headers: bearer(c.token))
            let record = try #require((settlement.json["items"] as? [[String: Any]])?.first)
            #expect(record["stage"] as? String == "resumed")
            #expect(record["resumedOn"] as? String == "2026-01-20")
            #expect(record["resumptionAppliedOn"] as? String == "2026-01-12")
            let twice = try await Self.resume(client, c.token, caseID: c.caseID, ["ground": "settlementBreach", "appliedOn": "2026-01-12"])
            #expect(twice.errorCode == "already_resumed")
            // the settlement no longer runs: the case may be settled again
            #expect(
                try await Self.settle(client, c.token, caseID: c.caseID, agreedOn: "2026-02-01", instalments: [("2026-06-01", 500_000)])
                    .status == .created)
        }
    }

    /// Full performance closes the case as 执行完毕 and records the `settlementPerformed` trigger
    /// of the debtor's list entry (法释〔2017〕7号 art. 10(2)); reversing the payment that completed
    /// it reopens the settlement and withdraws the trigger.
    @Test(arguments: TestEngine.available)
    func fullPerformanceClosesTheCaseAndRecordsTheSettlementPerformedTrigger(engine: TestEngine) async throws {
        try await withApp(engine) { client, world in
            try await CaseAPITests.importSample(client, world)
            let token = try await world.token(.director)
            let caseID = try await CaseAPITests.caseID(client, token, "（2024）赣0732执恢88号")  // in enforcement, ¥335,000 unperformed
            let wen = try await VillageAndPhotoTests.debtorID(client, token, idNumber: "360732197109090883")
            let listed = try await client.execute(
                uri: "/api/v1/blacklist-entries", method: .post, headers: bearer(token),
                body: jsonBody([
                    "caseId": caseID, "debtorId": wen, "circumstances": [1], "decidedOn": "2026-01-05",
                    "decisionNumber": "（2024）赣0732执恢88号之一",
                ]))
            #expect(listed.status == .created, "\(listed.text)")
            let entry = try #require(listed.json["id"] as? String)
            let made = try await Self.settle(
                client, token, caseID: caseID, agreedOn: "2026-02-01",
                instalments: [("2026-02-10", 10_000_000), ("2026-03-10", 10_000_000)])
            #expect(made.status == .created, "\(made.text)")
            #expect(try await Self.pay(client, token, caseID: caseID, fen: 10_000_000, on: "2026-02-09").status == .created)
            let last = try await Self.pay(client, token, caseID: caseID, fen: 10_000_000, on: "2026-03-02")
            #expect(last.status == .created)
            #expect(last.json["status"] as? String == "fullyEnforced")
            #expect(last.json["closedOn"] as? String == "2026-03-02")
            let settlement = try #require(
                (try await client.execute(uri: "/api/v1/cases/\(caseID)/settlements", method: .get, headers: bearer(token)).json["items"]
                    as? [[String: Any]])?.first)
            #expect(settlement["stage"] as? String == "performed")
            #expect(settlement["performedOn"] as? String == "2026-03-02")
            let listing = try await client.execute(uri: "/api/v1/blacklist-entries/\(entry)", method: .get, headers: bearer(token))
            #expect(listing.json["deletionTrigger"] as? String == "settlementPerformed")
            // a performed settlement is not resumed (art. 11(1))
            let resume = try await Self.resume(client, token, caseID: caseID, ["ground": "settlementBreach", "appliedOn": "2026-03-02"])
            #expect(resume.errorCode == "settlement_performed")
            // the completing payment was an error: the settlement runs again and the trigger goes
            let payments = try #require(last.json["payments"] as? [[String: Any]])
            let paymentID = try #require(payments.first { $0["receivedOn"] as? String == "2026-03-02" }?["id"] as? String)
            let reversed = try await client.execute(
                uri: "/api/v1/payments/\(paymentID)/reversal", method: .post, headers: bearer(token), body: jsonBody(["reason": "款项退回"]))
            #expect(reversed.status == .ok, "\(reversed.text)")
            #expect(reversed.json["status"] as? String == "inEnforcement")
            let after = try await client.execute(uri: "/api/v1/blacklist-entries/\(entry)", method: .get, headers: bearer(token))
            #expect(after.json["deletionTrigger"] == nil)
        }
    }
}
