import ChuqingDomain
import ChuqingPersistence
import Foundation

/// The 和解推进组's work (issue 18 item 4; 执行和解规定, rules-next §2): a settlement with its
/// instalments suspends (中止) the case; payments are matched to the instalments; an instalment
/// unpaid past its day puts the settlement on the team's list as in breach; the applicant may
/// then apply to resume within 2 years of the last agreed day; a schedule paid in full closes the
/// case as 执行完毕. The case's judge and the director act; everyone who reads cases reads.
public struct SettlementService: Sendable {
    var database: Database
    let cases: CaseService
    let now: @Sendable () -> Date

    public init(database: Database, cases: CaseService, now: @escaping @Sendable () -> Date = Date.init) {
        self.database = database
        self.cases = cases
        self.now = now
    }

    /// The same service inside a job's transaction.
    public func within(_ database: Database) -> SettlementService {
        var joined = self
        joined.database = database
        return joined
    }

    var repository: SettlementRepository { SettlementRepository(database: database) }

    /// The working-day calendar the instalments' days and the resumption period are read on.
    public var calendar: WorkingDayCalendar { cases.calendar }

    /// Today in China.
    public var today: CalendarDate { ShanghaiClock.today(now()) }

    /// A settlement as a person records it.
    public struct NewSettlementInput: Sendable {
        public var caseID: UUID
        public var agreedOn: CalendarDate
        public var filing: SettlementFiling
        /// The parties' terms as agreed (the subject, the manner, who pays).
        public var terms: String
        /// The day of the 中止 ruling; nil: the day of the agreement.
        public var suspendedOn: CalendarDate?
        public var instalments: [Instalment]
        public var excessReason: String?
        public var guarantor: String?
        public var guarantorPromise: Bool
        public var acceleration: Bool

        public init(
            caseID: UUID, agreedOn: CalendarDate, filing: SettlementFiling, terms: String, suspendedOn: CalendarDate? = nil,
            instalments: [Instalment], excessReason: String? = nil, guarantor: String? = nil, guarantorPromise: Bool = false,
            acceleration: Bool = false
        ) {
            self.caseID = caseID
            self.agreedOn = agreedOn
            self.filing = filing
            self.terms = terms
            self.suspendedOn = suspendedOn
            self.instalments = instalments
            self.excessReason = excessReason
            self.guarantor = guarantor
            self.guarantorPromise = guarantorPromise
            self.acceleration = acceleration
        }
    }

    /// Records a settlement on a case in enforcement and suspends the case (执行和解规定 art. 2).
    public func create(_ input: NewSettlementInput, by actor: ActingUser) async throws -> SettlementRecord {
        let current = try await cases.changeableCase(id: input.caseID, by: actor)
        let instant = now()
        let today = ShanghaiClock.today(instant)
        try input.agreedOn.mustHaveHappened(by: today, "和解日期", field: "agreedOn")
        guard input.agreedOn >= current.summary.filedOn else {
            throw DomainError(
                code: "date_before_filing", message: "和解日期 \(input.agreedOn) 早于立案日期 \(current.summary.filedOn)", field: "agreedOn")
        }
        let suspendedOn = input.suspendedOn ?? input.agreedOn
        try suspendedOn.mustHaveHappened(by: today, "中止裁定日期", field: "suspendedOn")
        guard suspendedOn >= input.agreedOn else {
            throw DomainError(
                code: "date_before_agreement", message: "中止裁定日期 \(suspendedOn) 早于和解日期 \(input.agreedOn)", field: "suspendedOn")
        }
        let terms = input.terms.trimmed
        guard !terms.isEmpty, terms.count <= 2000 else {
            throw DomainError(code: "terms_required", message: "请写明和解协议的内容（履行主体、标的、方式等，1 至 2000 字）", field: "terms")
        }
        let guarantor = input.guarantor?.trimmed.nilIfEmpty
        if input.guarantorPromise && guarantor == nil {
            throw DomainError(
                code: "guarantor_required", message: "担保人承诺直接接受强制执行的，须写明担保人（执行和解规定第十八条）", field: "guarantor")
        }
        if let guarantor, guarantor.count > 200 {
            throw DomainError(code: "guarantor_too_long", message: "担保人最多 200 字", field: "guarantor")
        }
        let excessReason = input.excessReason?.trimmed.nilIfEmpty
        if let excessReason, excessReason.count > 500 {
            throw DomainError(code: "reason_too_long", message: "超出部分说明最多 500 字，现有 \(excessReason.count) 字", field: "excessReason")
        }
        guard current.summary.unperformed.fen > 0 else {
            throw DomainError(code: "case_performed", message: "本案已全部履行，无需和解", field: "caseId", kind: .conflict)
        }
        let schedule = try SettlementRules.schedule(input.instalments, agreedOn: input.agreedOn)
        let total = schedule.reduce(Money.zero) { $0 + $1.amount }
        let id = try await repository.insert(
            NewSettlement(
                caseID: current.summary.id.databaseText, agreedOn: input.agreedOn, filing: input.filing, terms: terms,
                suspendedOn: suspendedOn,
                schedule: schedule, excessReason: excessReason, guarantor: guarantor, guarantorPromise: input.guarantorPromise,
                acceleration: input.acceleration),
            author: actor.author,
            audit: actor.audit(
                "settlement.create", entity: "case", id: current.summary.id.databaseText,
                detail: "\(current.summary.caseNumber.canonical) 和解 \(schedule.count) 期共 \(total.formatted)", at: instant),
            now: instant)
        return try await repository.settlement(id: id)!
    }

    /// The settlement `id`, if the caller may see its case.
    public func settlement(id: UUID, by actor: ActingUser) async throws -> SettlementRecord {
        guard let settlement = try await repository.settlement(id: id.databaseText) else { throw Refusal.notFound }
        _ = try await cases.visibleCase(id: settlement.caseID, by: actor)
        return settlement
    }

    /// The team's list: every settlement the caller may see, optionally of one stage today.
    public func settlements(stage: SettlementStage? = nil, by actor: ActingUser) async throws -> [SettlementRecord] {
        try actor.require(.readCases)
        let all = try await repository.settlements(visibleToJudge: actor.judgeScope)
        guard let stage else { return all }
        let today = today
        return all.filter { $0.stage(on: today, calendar: calendar) == stage }
    }

    /// The settlements of a case the caller may see.
    public func settlements(caseID: UUID, by actor: ActingUser) async throws -> [SettlementRecord] {
        let current = try await cases.visibleCase(id: caseID, by: actor)
        return try await repository.settlements(caseID: current.summary.id.databaseText)
    }

    /// Resumes enforcement of the original judgment after a breach, on the applicant's application
    /// of `appliedOn`, by the ruling of `on` (nil: today). Refused when the settlement was
    /// performed, when nothing is unpaid past its day on `appliedOn` (执行和解规定 art. 11), and
    /// after the 2 years of art. 10 (`resumption_time_barred`, naming the last day).
    public func resume(caseID: UUID, appliedOn: CalendarDate, on date: CalendarDate?, by actor: ActingUser) async throws -> CaseDetail {
        let current = try await cases.changeableCase(id: caseID, by: actor)
        let instant = now()
        let today = ShanghaiClock.today(instant)
        guard let settlement = try await repository.settlements(caseID: current.summary.id.databaseText).last else {
            throw DomainError(
                code: "no_settlement", message: "本案没有执行和解协议；终本案件恢复执行请提供执恢案号（caseNumber）而不是 ground", field: "ground",
                kind: .conflict)
        }
        try appliedOn.mustHaveHappened(by: today, "申请日期", field: "appliedOn")
        let ruledOn = date ?? today
        try ruledOn.mustHaveHappened(by: today, "恢复执行裁定日期", field: "on")
        guard ruledOn >= appliedOn else {
            throw DomainError(code: "date_before_application", message: "恢复执行裁定日期 \(ruledOn) 早于申请日期 \(appliedOn)", field: "on")
        }
        let standing = settlement.standing(on: appliedOn, calendar: calendar)
        try SettlementRules.checkResumption(
            stage: settlement.stage(on: today, calendar: calendar), standing: standing, lastAgreedDay: settlement.lastAgreedDay,
            appliedOn: appliedOn, agreedOn: settlement.agreedOn, calendar: calendar)
        try await repository.resume(
            settlementID: settlement.id.databaseText, caseID: current.summary.id.databaseText, appliedOn: appliedOn, on: ruledOn,
            inBreach: standing.inBreach, author: actor.author,
            audit: actor.audit(
                "settlement.resume", entity: "case", id: current.summary.id.databaseText,
                detail: "\(current.summary.caseNumber.canonical) 和解违约，恢复执行", at: instant),
            now: instant)
        return try await cases.visibleCase(id: caseID, by: actor)
    }

    /// The settlements in breach today, for the scheduler's reminders.
    public func breaches(by actor: ActingUser) async throws -> [SettlementRecord] {
        let today = today
        return try await repository.settlements(visibleToJudge: nil).filter { $0.stage(on: today, calendar: calendar) == .breached }
    }

    /// The team's figures for a batch on `asOf`: settlements made by then, and those still
    /// performing (neither in breach, nor performed, nor resumed).
    public static func batchWork(_ settlements: [SettlementRecord], asOf: CalendarDate, calendar: WorkingDayCalendar) -> (
        made: Int, running: Int
    ) {
        let made = settlements.filter { $0.agreedOn <= asOf }
        return (made.count, made.filter { $0.stage(on: asOf, calendar: calendar) == .running }.count)
    }
}
