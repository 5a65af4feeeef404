import ChuqingDomain
import ChuqingTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import SQLKit
import Testing

@testable import ChuqingServer

@Suite("Clearance batches over the API")
struct ClearanceAPITests {
    /// The app's today (tests run with a fixed clock).
    static let today = ShanghaiClock.today(TestSupport.fixedNow)

    static func createBatch(_ client: some TestClientProtocol, _ token: String, name: String = "第一批任务", target: Int = 2) async throws
        -> String
    {
        let response = try await client.execute(
            uri: "/api/v1/clearance-batches", method: .post, headers: bearer(token),
            body: jsonBody([
                "name": name, "courtCode": "赣0732", "startsOn": today.adding(days: -30).description,
                "deadline": today.adding(days: 60).description, "targetCases": target, "targetRecoveredFen": 10_000_000,
            ]))
        #expect(response.status == .created)
        return try #require(response.json["id"] as? String)
    }

    static func progress(_ client: some TestClientProtocol, _ token: String, _ batch: String, asOf: CalendarDate? = nil) async throws
        -> [String: Any]
    {
        let query = asOf.map { "?asOf=\($0)" } ?? ""
        let response = try await client.execute(
            uri: "/api/v1/clearance-batches/\(batch)/progress\(query)", method: .get, headers: bearer(token))
        #expect(response.status == .ok)
        return response.json
    }

    @Test(arguments: TestEngine.available)
    func aBatchIsFilledWorkedAndCleared(engine: TestEngine) async throws {
        try await withApp(engine) { client, world in
            try await CaseAPITests.importSample(client, world)
            let director = try await world.token(.director)
            let batch = try await Self.createBatch(client, director)

            // by case number, any bracket form; the team follows the debtor unless given
            let added = try await client.execute(
                uri: "/api/v1/clearance-batches/\(batch)/cases", method: .post, headers: bearer(director),
                body: jsonBody(["caseNumbers": ["(2023)赣0732执1022号", "【2023】赣0732执1023号"]]))
            #expect(added.status == .ok)
            #expect(added.json["added"] as? Int == 2)

            // not 终本, another court: refused whole, nothing added
            let closed = try await client.execute(
                uri: "/api/v1/clearance-batches/\(batch)/cases", method: .post, headers: bearer(director),
                body: jsonBody(["caseNumbers": ["（2023）赣0732执2050号", "（2023）赣0733执510号", "（2022）赣0732执3301号"]]))
            #expect(closed.status == .unprocessableContent)
            #expect(closed.errorCode == "case_not_eligible")
            let message = try #require((closed.json["error"] as? [String: Any])?["message"] as? String)
            #expect(message.contains("执行完毕"))
            #expect(message.contains("赣0733"))

            // a case in an open batch cannot join a second one
            let second = try await Self.createBatch(client, director, name: "第二批任务")
            let twice = try await client.execute(
                uri: "/api/v1/clearance-batches/\(second)/cases", method: .post, headers: bearer(director),
                body: jsonBody(["caseNumbers": ["（2023）赣0732执1022号"]]))
            #expect(twice.status == .conflict)
            #expect(twice.errorCode == "case_in_open_batch")
            #expect(((twice.json["error"] as? [String: Any])?["message"] as? String)?.contains("第一批任务") == true)

            // the filter adds what is left and skips what is taken
            let byFilter = try await client.execute(
                uri: "/api/v1/clearance-batches/\(second)/cases", method: .post, headers: bearer(director),
                body: jsonBody(["filter": ["filedBefore": "2024-01-01"], "team": "refusalToExecute"]))
            #expect(byFilter.status == .ok)
            #expect(byFilter.json["skipped"] as? Int == 2)  // 执1022, 执1023
            #expect(byFilter.json["added"] as? Int == 2)  // 执字00123, 执3301 (执2051's row is rejected)

            // measures: a search, a fine; a negative fine and a measure on a closed case are refused
            let id1022 = try await CaseAPITests.caseID(client, director, "（2023）赣0732执1022号")
            let search = try await client.execute(
                uri: "/api/v1/cases/\(id1022)/measures", method: .post, headers: bearer(director),
                body: jsonBody([
                    "kind": "search", "on": Self.today.description, "persons": 3, "documentNumber": "（2026）赣0732执搜1号",
                ]))
            #expect(search.status == .created)
            _ = try await client.execute(
                uri: "/api/v1/cases/\(id1022)/measures", method: .post, headers: bearer(director),
                body: jsonBody([
                    "kind": "fine", "on": Self.today.description, "amountFen": 500_000, "documentNumber": "（2026）赣0732司惩1号",
                    "personName": "刘某", "personKind": "individual", "act": "作虚假证明",
                ]))
            let negative = try await client.execute(
                uri: "/api/v1/cases/\(id1022)/measures", method: .post, headers: bearer(director),
                body: jsonBody([
                    "kind": "fine", "on": Self.today.description, "amountFen": -100, "documentNumber": "（2026）赣0732司惩2号",
                ]))
            #expect(negative.status == .unprocessableContent)
            let id2050 = try await CaseAPITests.caseID(client, director, "（2023）赣0732执2050号")
            let onClosed = try await client.execute(
                uri: "/api/v1/cases/\(id2050)/measures", method: .post, headers: bearer(director),
                body: jsonBody([
                    "kind": "search", "on": Self.today.description, "persons": 1, "documentNumber": "（2026）赣0732执搜2号",
                ]))
            #expect(onClosed.status == .conflict)
            #expect(onClosed.errorCode == "case_closed")

            // resumed and paid on the 执恢 case: in progress, the payment counts for the original's batch
            let resumed = try await client.execute(
                uri: "/api/v1/cases/\(id1022)/resume", method: .post, headers: bearer(director),
                body: jsonBody(["on": Self.today.description, "caseNumber": "（2026）赣0732执恢501号"]))
            let successor = try #require(resumed.json["id"] as? String)
            _ = try await client.execute(
                uri: "/api/v1/cases/\(successor)/payments", method: .post, headers: bearer(director),
                body: jsonBody(["amountFen": 12_000_000, "receivedOn": Self.today.description, "method": "settlementInstalment"]))
            var progress = try await Self.progress(client, director, batch)
            #expect(progress["clearedCases"] as? Int == 0)
            #expect(progress["inProgressCases"] as? Int == 1)
            #expect(progress["recoveredFen"] as? Int == 12_000_000)
            let measures = try #require(progress["measures"] as? [String: Int])
            #expect(measures["search"] == 3)
            #expect(measures["fine"] == 500_000)
            #expect(measures["detention"] == 0)

            // the 执恢 case closes as fully enforced: cleared; as of yesterday it was not
            let done = try await client.execute(
                uri: "/api/v1/cases/\(successor)/transitions", method: .post, headers: bearer(director),
                body: jsonBody(["to": "fullyEnforced", "on": Self.today.description, "reason": "和解履行完毕"]))
            #expect(done.status == .ok)
            progress = try await Self.progress(client, director, batch)
            #expect(progress["clearedCases"] as? Int == 1)
            #expect(progress["targetCases"] as? Int == 2)
            let byTeam = try #require(progress["byTeam"] as? [[String: Any]])
            #expect(byTeam.first { $0["key"] as? String == "general" }?["clearedCases"] as? Int == 1)
            #expect((progress["byTownship"] as? [[String: Any]])?.isEmpty == false)
            #expect((progress["byJudge"] as? [[String: Any]])?.isEmpty == false)
            let yesterday = try await Self.progress(client, director, batch, asOf: Self.today.adding(days: -1))
            #expect(yesterday["clearedCases"] as? Int == 0)
            #expect(yesterday["recoveredFen"] as? Int == 0)

            // a judge reads progress; a liaison does not; a bad date is a 400 naming the field
            let judge = try await client.execute(
                uri: "/api/v1/clearance-batches/\(batch)/progress", method: .get, headers: bearer(try await world.token(.judge)))
            #expect(judge.status == .ok)
            let liaison = try await client.execute(
                uri: "/api/v1/clearance-batches/\(batch)/progress", method: .get, headers: bearer(try await world.token(.liaison)))
            #expect(liaison.status == .forbidden)
            let badDate = try await client.execute(
                uri: "/api/v1/clearance-batches/\(batch)/progress?asOf=2026-02-30", method: .get, headers: bearer(director))
            #expect(badDate.status == .badRequest)

            // closing the first batch frees its cases for another
            let close = try await client.execute(
                uri: "/api/v1/clearance-batches/\(batch)/close", method: .post, headers: bearer(director),
                body: jsonBody(["on": Self.today.description]))
            #expect(close.status == .ok)
            let freed = try await client.execute(
                uri: "/api/v1/clearance-batches/\(second)/cases", method: .post, headers: bearer(director),
                body: jsonBody(["caseNumbers": ["（2023）赣0732执1023号"]]))
            #expect(freed.json["added"] as? Int == 1)
        }
    }

    @Test(arguments: TestEngine.available)
    func badBatchesAreRefusedWithTheRule(engine: TestEngine) async throws {
        try await withApp(engine) { client, world in
            let director = try await world.token(.director)
            func create(_ body: [String: Any]) async throws -> TestResponse {
                try await client.execute(uri: "/api/v1/clearance-batches", method: .post, headers: bearer(director), body: jsonBody(body))
            }
            let base: [String: Any] = [
                "name": "第一批任务", "courtCode": "赣0732", "startsOn": "2026-06-01", "deadline": "2026-09-30", "targetCases": 400,
            ]
            let backwards = try await create(base.merging(["deadline": "2026-05-31"]) { _, new in new })
            #expect(backwards.status == .unprocessableContent)
            #expect(backwards.errorCode == "deadline_before_start")
            let court = try await create(base.merging(["courtCode": "赣9999"]) { _, new in new })
            #expect(court.errorCode == "unknown_court")
            let zero = try await create(base.merging(["targetCases": 0]) { _, new in new })
            #expect(zero.errorCode == "invalid_target")
            #expect(try await create(base).status == .created)
            let again = try await create(base)
            #expect(again.status == .conflict)
            let judge = try await client.execute(
                uri: "/api/v1/clearance-batches", method: .post, headers: bearer(try await world.token(.judge)),
                body: jsonBody(base))
            #expect(judge.status == .forbidden)
        }
    }

    @Test(arguments: TestEngine.available)
    func aResumedCaseTerminatedAgainStaysWithItsOriginsBatch(engine: TestEngine) async throws {
        try await withApp(engine) { client, world in
            try await CaseAPITests.importSample(client, world)
            let director = try await world.token(.director)
            let first = try await Self.createBatch(client, director)
            _ = try await client.execute(
                uri: "/api/v1/clearance-batches/\(first)/cases", method: .post, headers: bearer(director),
                body: jsonBody(["caseNumbers": ["（2023）赣0732执1022号"]]))
            let id = try await CaseAPITests.caseID(client, director, "（2023）赣0732执1022号")
            _ = try await client.execute(
                uri: "/api/v1/cases/\(id)/resume", method: .post, headers: bearer(director),
                body: jsonBody(["on": Self.today.description, "caseNumber": "（2026）赣0732执恢601号"]))
            // a later export says the 执恢 case was terminated again (imports keep the export's status)
            try await world.database.sql.raw(
                """
                UPDATE enforcement_cases SET status = 'terminatedThisRound', closed_on = \(bind: Self.today.description)
                WHERE case_number = '（2026）赣0732执恢601号'
                """
            ).run()
            let second = try await Self.createBatch(client, director, name: "第二批任务")
            let listed = try await client.execute(
                uri: "/api/v1/clearance-batches/\(second)/cases", method: .post, headers: bearer(director),
                body: jsonBody(["caseNumbers": ["（2026）赣0732执恢601号"]]))
            #expect(listed.status == .conflict)
            #expect(((listed.json["error"] as? [String: Any])?["message"] as? String)?.contains("原案件已在未结束的批次「第一批任务」") == true)
            let filtered = try await client.execute(
                uri: "/api/v1/clearance-batches/\(second)/cases", method: .post, headers: bearer(director),
                body: jsonBody(["filter": ["filedBefore": Self.today.adding(days: 1).description]]))
            let progress = try await Self.progress(client, director, second)
            #expect(filtered.json["added"] as? Int == progress["totalCases"] as? Int)
            let cases = try await client.execute(
                uri: "/api/v1/clearance-batches/\(first)/progress", method: .get, headers: bearer(director))
            #expect(cases.json["stockCases"] as? Int == 1)  // 终本 again: back in the first batch's stock
            // nothing of the 执恢 case went into the second batch
            struct N: Decodable { let n: Int }
            let inSecond = try await world.database.sql.raw(
                """
                SELECT COUNT(*) AS n FROM batch_cases bc JOIN enforcement_cases c ON c.id = bc.case_id
                WHERE bc.batch_id = \(bind: second) AND c.case_number = '（2026）赣0732执恢601号'
                """
            ).first(decoding: N.self)?.n
            #expect(inSecond == 0)
        }
    }
}
