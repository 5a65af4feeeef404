import ChuqingDomain
import ChuqingPersistence
import ChuqingServices
import ChuqingTestSupport
import Foundation
import SQLKit
import Testing

@testable import ChuqingServer

@Suite("Demo campaign")
struct DemoDataTests {
    @Test
    func theSameSeedGivesTheSameFile() {
        #expect(DemoCases.records(count: 50, seed: 1) == DemoCases.records(count: 50, seed: 1))
        #expect(DemoCases.records(count: 50, seed: 1) != DemoCases.records(count: 50, seed: 2))
    }

    @Test(arguments: TestEngine.available)
    func theDemoCampaignIsValidAndRealistic(engine: TestEngine) async throws {
        try await engine.withDatabase { database in
            // act
            let accounts = AccountService(database: database, hasher: PasswordHasher(cost: 4), sessionLifetime: .seconds(60))
            #expect(try await DemoData.load(into: accounts, database: database, now: TestSupport.fixedNow))
            let again = try await DemoData.load(into: accounts, database: database, now: TestSupport.fixedNow)
            #expect(!again)  // once only
            // check
            struct N: Decodable { let n: Int }
            func count(_ sql: String) async throws -> Int {
                try await database.sql.raw(SQLQueryString(sql)).first(decoding: N.self)!.n
            }
            #expect(try await count("SELECT COUNT(*) AS n FROM enforcement_cases WHERE resumed_from_id IS NULL") == 400)
            #expect(try await count("SELECT COUNT(*) AS n FROM enforcement_cases WHERE status = 'terminatedThisRound'") >= 300)
            #expect(try await count("SELECT COUNT(DISTINCT township_code) AS n FROM enforcement_cases") == 25)
            #expect(try await count("SELECT COUNT(*) AS n FROM debtors WHERE is_public_official = TRUE") > 0)
            #expect(try await count("SELECT COUNT(*) AS n FROM debtors WHERE kind = 'organization'") > 0)
            #expect(try await count("SELECT COUNT(*) AS n FROM payments") > 0)
            // the public-officials team at each stage: pushed, due for escalation, escalated, performed
            #expect(try await count("SELECT COUNT(*) AS n FROM official_pushes") == 4)
            #expect(try await count("SELECT COUNT(*) AS n FROM official_pushes WHERE performed_on IS NOT NULL") == 1)
            // the settlement team: five settlements, one in breach, one performed and its case closed
            let settlements = try await SettlementRepository(database: database).settlements(visibleToJudge: nil)
            let calendar = try TestSupport.calendar()
            let stages = settlements.map { $0.stage(on: ShanghaiClock.today(TestSupport.fixedNow), calendar: calendar) }
            #expect(stages.count == 5)
            #expect(stages.filter { $0 == .breached }.count == 1)
            #expect(stages.filter { $0 == .performed }.count == 1)
            #expect(stages.filter { $0 == .running }.count == 3)
            #expect(
                try await count(
                    "SELECT COUNT(*) AS n FROM settlements s JOIN enforcement_cases c ON c.id = s.case_id WHERE c.status = 'fullyEnforced'")
                    == 1)
            #expect(
                try await count("SELECT COUNT(*) AS n FROM official_pushes WHERE escalation_due_on IS NOT NULL AND escalated_on IS NULL")
                    == 1)
            #expect(try await count("SELECT COUNT(*) AS n FROM official_escalations") == 2)
            #expect(try await count("SELECT COUNT(*) AS n FROM measures WHERE kind = 'detention' AND person_name IS NULL") == 0)
            // one category answered from an extract the department handed over
            #expect(try await count("SELECT COUNT(*) AS n FROM asset_snapshot_rows") == 10)
            #expect(try await count("SELECT COUNT(*) AS n FROM data_categories WHERE connector = 'snapshot'") == 1)
            // 第一批任务 midway: cases in it, some resumed and cleared, measures taken
            let batch = try #require(try await ClearanceRepository(database: database).batches().first)
            #expect(batch.name == "第一批任务")
            let progress = try #require(
                try await ClearanceRepository(database: database).progress(
                    batchID: batch.id.databaseText, asOf: ShanghaiClock.today(TestSupport.fixedNow)))
            #expect(progress.totalCases > 150)
            #expect(progress.clearedCases > 0 && progress.clearedCases < progress.targetCases)
            #expect(progress.inProgressCases > 0)
            #expect(progress.recoveredFen > 0)
            #expect((progress.measures["search"] ?? 0) > 0)
            #expect(progress.byTownship.count > 10)
            #expect(
                try await count("SELECT COUNT(*) AS n FROM (SELECT debtor_id FROM case_debtors GROUP BY debtor_id HAVING COUNT(*) > 1) x")
                    > 0)
            #expect(try await count("SELECT COUNT(*) AS n FROM enforcement_cases WHERE filed_on < '2008-01-01'") > 0)  // ~20 years old
            #expect(try await count("SELECT COUNT(*) AS n FROM enforcement_cases WHERE filed_on > '2026-01-01'") > 0)  // a few months
            // the demo judge has cases of their own
            #expect(
                try await count(
                    "SELECT COUNT(*) AS n FROM enforcement_cases c JOIN users u ON u.id = c.judge_id WHERE u.username = 'judge' AND c.resumed_from_id IS NULL"
                ) == 80)
            // the list: a dozen entries, 第1期 published, one entry since deleted and waiting for the
            // credit-repair issue the director has to approve
            #expect(try await count("SELECT COUNT(*) AS n FROM blacklist_entries") == 12)
            let notices = NoticeRepository(database: database)
            let published = try #require(try await notices.published().first)
            #expect(published.number == 1)
            #expect(try await notices.withdrawnEntries(issueID: published.id.databaseText).count == 1)
            #expect(try await notices.unpublished().map(\.kind.rawValue) == ["creditRepair"])
            #expect(try await count("SELECT COUNT(*) AS n FROM blacklist_notifications WHERE event = 'deleted'") == 2)
        }
    }
}
