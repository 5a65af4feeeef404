import ChuqingDomain
import Testing

@Suite("Case lifecycle (法〔2016〕373号)")
struct LifecycleTests {
    static let filed = CalendarDate(year: 2025, month: 1, day: 15)!
    static let allMet = TerminationConditions(
        noticeServedAndReportOrdered: true, consumptionRestrictedAndListed: true,
        propertyInvestigationExhausted: true, debtorSoughtAndObstructionPunished: true)

    @Test
    func terminatingThisRoundNeedsMoreThanThreeMonthsSinceFiling() throws {
        // exactly three months is not "more than" three months
        #expect(throws: DomainError.self) {
            try Lifecycle.checkTransition(
                from: .inEnforcement, to: .terminatedThisRound, on: CalendarDate(year: 2025, month: 4, day: 15)!,
                filedOn: Self.filed, conditions: Self.allMet)
        }
        try Lifecycle.checkTransition(
            from: .inEnforcement, to: .terminatedThisRound, on: CalendarDate(year: 2025, month: 4, day: 16)!,
            filedOn: Self.filed, conditions: Self.allMet)
    }

    @Test
    func everyConditionMustBeRecorded() {
        var conditions = Self.allMet
        conditions.propertyInvestigationExhausted = false
        do {
            try Lifecycle.checkTransition(
                from: .inEnforcement, to: .terminatedThisRound, on: CalendarDate(year: 2025, month: 6, day: 1)!,
                filedOn: Self.filed, conditions: conditions)
            Issue.record("accepted with a condition unmet")
        } catch {
            #expect(error.code == "termination_conditions_unmet")
            #expect(error.message.contains("穷尽财产调查"))
            #expect(error.kind == .conflict)
        }
        #expect(throws: DomainError.self) {
            try Lifecycle.checkTransition(
                from: .inEnforcement, to: .terminatedThisRound, on: CalendarDate(year: 2025, month: 6, day: 1)!,
                filedOn: Self.filed, conditions: nil)
        }
    }

    @Test
    func closedCasesCannotMoveAndTheMessageNamesTheStatus() {
        do {
            try Lifecycle.checkTransition(
                from: .fullyEnforced, to: .terminated, on: CalendarDate(year: 2025, month: 6, day: 1)!,
                filedOn: Self.filed, conditions: nil)
            Issue.record("a closed case moved")
        } catch {
            #expect(error.code == "illegal_transition")
            #expect(error.kind == .conflict)
            #expect(error.message.contains("执行完毕"))
        }
    }

    @Test
    func aTerminatedThisRoundCaseCanOnlyBeResumed() throws {
        #expect(Lifecycle.allowedTransitions(from: .terminatedThisRound).isEmpty)
        do {
            try Lifecycle.checkTransition(
                from: .terminatedThisRound, to: .fullyEnforced, on: CalendarDate(year: 2025, month: 6, day: 1)!,
                filedOn: Self.filed, conditions: nil)
            Issue.record("moved a 终本 case without resuming")
        } catch {
            #expect(error.message.contains("恢复执行"))
        }
        let original = try CaseNumber("（2025）赣0732执100号")
        try Lifecycle.checkResume(
            status: .terminatedThisRound, alreadyResumedAs: nil, original: original, newNumber: try CaseNumber("（2026）赣0732执恢5号"))
        #expect(throws: DomainError.self) {
            try Lifecycle.checkResume(
                status: .terminatedThisRound, alreadyResumedAs: nil, original: original, newNumber: try CaseNumber("（2026）赣0732执5号"))
        }
        #expect(throws: DomainError.self) {
            try Lifecycle.checkResume(
                status: .terminatedThisRound, alreadyResumedAs: "（2026）赣0732执恢5号", original: original,
                newNumber: try CaseNumber("（2026）赣0732执恢6号"))
        }
        #expect(throws: DomainError.self) {
            try Lifecycle.checkResume(
                status: .inEnforcement, alreadyResumedAs: nil, original: original, newNumber: try CaseNumber("（2026）赣0732执恢6号"))
        }
        #expect(throws: DomainError.self) {
            try Lifecycle.checkResume(
                status: .terminatedThisRound, alreadyResumedAs: nil, original: original, newNumber: try CaseNumber("（2026）赣0733执恢6号"))
        }
    }

    @Test
    func closingOutcomesAreAllowedFromEnforcement() throws {
        for target in [CaseStatus.fullyEnforced, .terminated, .refused, .rejected, .withdrawn] {
            try Lifecycle.checkTransition(from: .inEnforcement, to: target, on: Self.filed, filedOn: Self.filed, conditions: nil)
        }
        #expect(throws: DomainError.self) {
            try Lifecycle.checkTransition(
                from: .inEnforcement, to: .fullyEnforced, on: CalendarDate(year: 2025, month: 1, day: 14)!,
                filedOn: Self.filed, conditions: nil)
        }
    }

    @Test
    func performanceStatusIsDerived() {
        #expect(PerformanceStatus(target: Money(fen: 100), performed: .zero) == .none)
        #expect(PerformanceStatus(target: Money(fen: 100), performed: Money(fen: 1)) == .partial)
        #expect(PerformanceStatus(target: Money(fen: 100), performed: Money(fen: 100)) == .full)
        #expect(PerformanceStatus.partial.chinese == "部分履行")
    }

    @Test(arguments: [
        ("执行中", CaseStatus.inEnforcement), ("终结本次执行程序", .terminatedThisRound), ("终本", .terminatedThisRound),
        ("执行完毕", .fullyEnforced), ("和解履行完毕", .fullyEnforced), ("终结执行", .terminated), ("不予执行", .refused),
        ("驳回申请", .rejected), ("销案", .withdrawn), ("fullyEnforced", .fullyEnforced),
    ])
    func statusNamesParse(text: String, status: CaseStatus) throws {
        #expect(try CaseStatus.parse(text) == status)
    }
}
