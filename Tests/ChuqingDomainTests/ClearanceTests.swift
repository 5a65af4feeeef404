import ChuqingDomain
import Foundation
import Testing

@Suite("What counts as cleared (rules.md §2)")
struct ClearanceTests {
    static func d(_ text: String) -> CalendarDate { try! CalendarDate.parse(text) }
    static let original = Clearance.ChainCase(status: .terminatedThisRound, filedOn: d("2019-03-01"), closedOn: d("2019-09-01"))
    static func successor(_ status: CaseStatus, filed: String = "2026-05-10", closed: String?) -> Clearance.ChainCase {
        .init(status: status, filedOn: d(filed), closedOn: closed.map(d))
    }
    static let asOf = d("2026-09-13")

    @Test func aTerminatedCaseNotResumedIsStock() {
        #expect(Clearance.state(of: [Self.original], asOf: Self.asOf) == .stock)
    }

    @Test(arguments: [CaseStatus.fullyEnforced, .terminated, .refused])
    func aSuccessorClosedForGoodClearsTheCase(status: CaseStatus) {
        let chain = [Self.original, Self.successor(status, closed: "2026-08-20")]
        #expect(Clearance.state(of: chain, asOf: Self.asOf) == .cleared(on: Self.d("2026-08-20")))
    }

    @Test func anOriginalClosedForGoodByALaterExportIsCleared() {
        let chain = [Clearance.ChainCase(status: .fullyEnforced, filedOn: Self.d("2019-03-01"), closedOn: Self.d("2026-07-01"))]
        #expect(Clearance.state(of: chain, asOf: Self.asOf) == .cleared(on: Self.d("2026-07-01")))
    }

    @Test func resumedButOpenIsInProgressNotCleared() {
        let chain = [Self.original, Self.successor(.inEnforcement, closed: nil)]
        #expect(Clearance.state(of: chain, asOf: Self.asOf) == .inProgress)
    }

    @Test func aSecondTerminationPutsItBackInTheStock() {
        let chain = [Self.original, Self.successor(.terminatedThisRound, closed: "2026-08-30")]
        #expect(Clearance.state(of: chain, asOf: Self.asOf) == .stock)
    }

    @Test(arguments: [CaseStatus.rejected, .withdrawn])
    func aSuccessorRejectedOrWithdrawnLeavesTheTerminationStanding(status: CaseStatus) {
        let chain = [Self.original, Self.successor(status, closed: "2026-08-30")]
        #expect(Clearance.state(of: chain, asOf: Self.asOf) == .stock)
    }

    @Test func theNewestResumptionDecides() {
        let chain = [
            Self.original, Self.successor(.terminatedThisRound, filed: "2024-01-05", closed: "2024-06-30"),
            Self.successor(.fullyEnforced, filed: "2026-04-01", closed: "2026-09-01"),
        ]
        #expect(Clearance.state(of: chain, asOf: Self.asOf) == .cleared(on: Self.d("2026-09-01")))
    }

    @Test func asOfAnEarlierDateLaterEventsHaveNotHappened() {
        let chain = [Self.original, Self.successor(.fullyEnforced, filed: "2026-05-10", closed: "2026-08-20")]
        #expect(Clearance.state(of: chain, asOf: Self.d("2026-05-01")) == .stock)  // not resumed yet
        #expect(Clearance.state(of: chain, asOf: Self.d("2026-06-01")) == .inProgress)  // resumed, open
        #expect(Clearance.state(of: chain, asOf: Self.d("2026-08-20")) == .cleared(on: Self.d("2026-08-20")))
    }
}

@Suite("Enforcement measures")
struct MeasureTests {
    static let filed = try! CalendarDate.parse("2020-01-01")
    static let today = try! CalendarDate.parse("2026-11-29")

    static func measure(
        _ kind: MeasureKind, on: String = "2026-09-01", persons: Int? = nil, count: Int? = nil, amountFen: Int64? = nil,
        document: String? = "（2026）赣0732执保1号", sanction: Measure.SanctionPart? = nil
    ) throws(DomainError) -> Measure {
        try Measure(
            kind: kind, on: try CalendarDate.parse(on), persons: persons, count: count, amountFen: amountFen,
            documentNumber: document,
            sanction: sanction ?? (kind == .fine || kind == .detention ? Self.person(days: kind == .detention ? 5 : nil) : .empty),
            filedOn: filed, today: today)
    }

    static func person(
        _ kind: SanctionSubject.Kind = .individual, deputy: DeputyLevel? = nil, act: String? = "拒不报告财产", days: Int? = nil,
        permission: String? = nil
    ) -> Measure.SanctionPart {
        .init(
            subject: SanctionSubject(debtorID: UUID(), name: "陈某生", kind: kind, deputyLevel: deputy), act: act, days: days,
            deputyPermission: permission)
    }

    static func code(_ body: () throws -> Measure) -> String? {
        do {
            _ = try body()
            return nil
        } catch { return (error as? DomainError)?.code ?? "\(error)" }
    }

    @Test func aFineKeepsTheBoundsOfArticle118() {
        #expect(Self.code { try Self.measure(.fine, amountFen: 10_000_000) } == nil)
        #expect(Self.code { try Self.measure(.fine, amountFen: 10_000_001) } == "fine_above_limit")
        #expect(Self.code { try Self.measure(.fine, amountFen: 4_999_999, sanction: Self.person(.unit)) } == "fine_below_minimum")
        #expect(Self.code { try Self.measure(.fine, amountFen: 5_000_000, sanction: Self.person(.unit)) } == nil)
        #expect(Self.code { try Self.measure(.fine, amountFen: 100_000_000, sanction: Self.person(.unit)) } == nil)
        #expect(Self.code { try Self.measure(.fine, amountFen: 100_000_001, sanction: Self.person(.unit)) } == "fine_above_limit")
        #expect(Self.code { try Self.measure(.fine, amountFen: 100, sanction: .empty) } == "sanction_subject_required")
        #expect(Self.code { try Self.measure(.fine, amountFen: 100, sanction: Self.person(act: " ")) } == "act_required")
    }

    @Test func aDetentionIsOneToFifteenDaysOfAPerson() throws {
        #expect(Self.code { try Self.measure(.detention, sanction: Self.person(days: 15)) } == nil)
        #expect(Self.code { try Self.measure(.detention, sanction: Self.person(days: 16)) } == "detention_above_limit")
        #expect(Self.code { try Self.measure(.detention, sanction: Self.person(days: 0)) } == "invalid_days")
        #expect(Self.code { try Self.measure(.detention, sanction: Self.person(days: nil)) } == "days_required")
        #expect(Self.code { try Self.measure(.detention, sanction: Self.person(.unit, days: 5)) } == "unit_cannot_be_detained")
        #expect(
            Self.code { try Self.measure(.search, persons: 1, sanction: .init(subject: nil, act: nil, days: 3, deputyPermission: nil)) }
                == "days_not_applicable")
        #expect(try Self.measure(.detention, sanction: Self.person(days: 15)).persons == 1)
    }

    @Test(arguments: DeputyLevel.allCases)
    func aDeputyAboveTownshipLevelIsDetainedOnlyWithPermission(level: DeputyLevel) {
        let without = Self.code { try Self.measure(.detention, sanction: Self.person(deputy: level, days: 5)) }
        let summons = Self.code { try Self.measure(.summons, sanction: Self.person(deputy: level, act: nil)) }
        let with = Self.code { try Self.measure(.detention, sanction: Self.person(deputy: level, days: 5, permission: "县人大常委会许可")) }
        let fine = Self.code { try Self.measure(.fine, amountFen: 100, sanction: Self.person(deputy: level)) }
        #expect(without == (level == .township ? nil : "deputy_permission_required"))
        #expect(summons == (level == .township ? nil : "deputy_permission_required"))
        #expect(with == nil && fine == nil)
    }

    @Test func eachKindCountsInItsOwnUnit() throws {
        #expect(try Self.measure(.search, persons: 3).quantity == 3)
        #expect(try Self.measure(.fine, amountFen: 500_000).quantity == 500_000)
        #expect(try Self.measure(.vehicleSeizure).quantity == 1)
        #expect(try Self.measure(.sealing, count: 2).quantity == 2)
    }

    @Test func badMeasuresAreRefusedWithTheRule() {
        #expect(throws: DomainError.self) { try Self.measure(.summons) }  // no persons
        #expect(throws: DomainError.self) { try Self.measure(.fine, amountFen: -100) }  // negative fine
        #expect(throws: DomainError.self) { try Self.measure(.fine) }  // fine without amount
        #expect(throws: DomainError.self) { try Self.measure(.summons, persons: 1, document: " ") }  // no document
        #expect(throws: DomainError.self) { try Self.measure(.search, on: "2026-11-30", persons: 1) }  // future
        #expect(throws: DomainError.self) { try Self.measure(.search, on: "2019-12-31", persons: 1) }  // before filing
        do {
            _ = try Self.measure(.fine, amountFen: -1)
        } catch {
            #expect(error.code == "invalid_amount")
            #expect(error.message.contains("-¥0.01"))  // 元 where a person reads it (issue 16 item 17)
        }
    }

    @Test func kindsParseFromEitherName() throws {
        #expect(try MeasureKind.parse("扣押车辆") == .vehicleSeizure)
        #expect(try MeasureKind.parse("consumptionRestriction") == .consumptionRestriction)
        #expect(throws: DomainError.self) { try MeasureKind.parse("arrest") }
    }
}

@Suite("Batch progress")
struct BatchProgressTests {
    @Test func figuresAddUpByTeamTownshipAndJudge() throws {
        let d = ClearanceTests.d
        let batch = ClearanceBatch(
            id: UUID(), name: "第一批任务", courtCode: "赣0732", startsOn: d("2026-06-01"), deadline: d("2026-09-30"),
            targetCases: 3, targetRecoveredFen: 10_000_00, closedOn: nil)
        func figures(_ id: String, _ team: Team, _ township: String, chain: [Clearance.ChainCase], paid: Int64, searches: Int64)
            -> BatchCaseFigures
        {
            BatchCaseFigures(
                caseID: id, team: team, townshipCode: township, townshipName: township == "01" ? "潋江镇" : "古龙岗镇",
                judgeID: "j", judgeName: "李法官", chain: chain, recoveredFen: paid, measures: [.search: searches])
        }
        let progress = BatchProgress.compute(
            batch: batch,
            cases: [
                figures(
                    "a", .general, "01", chain: [ClearanceTests.original, ClearanceTests.successor(.fullyEnforced, closed: "2026-08-20")],
                    paid: 500_00, searches: 2),
                figures(
                    "b", .settlement, "01", chain: [ClearanceTests.original, ClearanceTests.successor(.inEnforcement, closed: nil)],
                    paid: 100_00, searches: 0),
                figures("c", .general, "13", chain: [ClearanceTests.original], paid: 0, searches: 1),
            ], asOf: d("2026-09-13"))
        #expect(progress.clearedCases == 1)
        #expect(progress.inProgressCases == 1)
        #expect(progress.stockCases == 1)
        #expect(progress.recoveredFen == 600_00)
        #expect(progress.measures["search"] == 3)
        #expect(progress.measures["detention"] == 0)
        #expect(progress.daysLeft == 17)
        #expect(progress.byTeam.map(\.key) == ["settlement", "general"])
        #expect(progress.byTeam.first { $0.key == "general" }?.clearedCases == 1)
        #expect(progress.byTownship.map(\.name) == ["潋江镇", "古龙岗镇"])
        #expect(progress.byTownship[0].recoveredFen == 600_00)
        #expect(progress.burnUp == [.init(date: d("2026-08-20"), clearedCases: 1)])
    }

    @Test func aDeadlineBeforeTheStartIsRefused() {
        let d = ClearanceTests.d
        #expect(throws: DomainError.self) {
            try ClearanceBatch.validate(
                name: "第二批", startsOn: d("2026-10-01"), deadline: d("2026-09-30"), targetCases: 10, targetRecoveredFen: nil)
        }
        #expect(throws: DomainError.self) {
            try ClearanceBatch.validate(
                name: "第二批", startsOn: d("2026-10-01"), deadline: d("2026-12-31"), targetCases: 0, targetRecoveredFen: nil)
        }
    }
}
