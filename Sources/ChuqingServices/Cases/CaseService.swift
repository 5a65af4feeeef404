import ChuqingDomain
import ChuqingPersistence
import Foundation
import Logging

/// Enforcement cases: search, reading one, registering one by hand, changing it, payments,
/// transitions and resumption. The API, the case pages and the command line call these methods
/// and nothing else writes a case.
///
/// A judge sees and changes only the cases assigned to them (a case of another judge is "not
/// found", so existence does not leak); the director, clerks, auditors and the admin read all.
public struct CaseService: Sendable {
    let database: Database
    let calendar: WorkingDayCalendar
    let now: @Sendable () -> Date
    let logger: Logger

    public init(
        database: Database, calendar: WorkingDayCalendar, now: @escaping @Sendable () -> Date = Date.init,
        logger: Logger = Logger(label: "chuqing.cases")
    ) {
        self.database = database
        self.calendar = calendar
        self.now = now
        self.logger = logger
    }

    var repository: CaseRepository { CaseRepository(database: database) }

    /// Today in China, where the courts are.
    var today: CalendarDate { ShanghaiClock.today(now()) }

    // MARK: Reading

    /// The cases matching `filter` that the caller may see, newest filing first.
    public func search(_ filter: CaseFilter, limit: Int, after cursor: String?, offset: Int = 0, by actor: ActingUser) async throws
        -> (items: [CaseSummary], nextCursor: String?)
    {
        try actor.require(.readCases)
        var filter = filter
        filter.visibleToJudge = actor.judgeScope
        return try await repository.search(filter, limit: limit, after: cursor, offset: offset)
    }

    /// How many cases the caller may see match `filter` (共 N 件).
    public func count(_ filter: CaseFilter, by actor: ActingUser) async throws -> Int {
        try actor.require(.readCases)
        var filter = filter
        filter.visibleToJudge = actor.judgeScope
        return try await repository.count(filter)
    }

    /// The case `id` if the caller may see it; `Refusal.notFound` otherwise.
    public func visibleCase(id: UUID, by actor: ActingUser) async throws -> CaseDetail {
        try await Self.visibleCase(id: id, by: actor, database: database)
    }

    /// The case `id` if the caller may see it, for the features whose records hang off a case
    /// (look-ups, the list) and that need no more of this service.
    static func visibleCase(id: UUID, by actor: ActingUser, database: Database) async throws -> CaseDetail {
        try actor.require(.readCases)
        guard let detail = try await CaseRepository(database: database).detail(id: id.databaseText) else {
            throw Refusal.notFound
        }
        if let judge = actor.judgeScope, detail.judgeID != judge { throw Refusal.notFound }
        return detail
    }

    /// The case `id` if the caller may see it and change it.
    func changeableCase(id: UUID, by actor: ActingUser) async throws -> CaseDetail {
        try actor.require(.changeCases)
        return try await visibleCase(id: id, by: actor)
    }

    // MARK: Registering and changing

    /// A case a person registers by hand, with the judgment it enforces and its debtors.
    public struct NewCaseInput: Sendable {
        public var caseNumber: CaseNumber
        public var courtCode: String
        public var filedOn: CalendarDate
        public var documentNumber: String
        public var issuedBy: String
        public var duty: String?
        public var applicants: [String]
        public var debtors: [NewCaseRules.DebtorInput]
        public var target: Money
        /// The judge assigned; a judge registering a case is assigned when none is named.
        public var judgeID: UUID?

        public init(
            caseNumber: CaseNumber, courtCode: String, filedOn: CalendarDate, documentNumber: String, issuedBy: String,
            duty: String?, applicants: [String], debtors: [NewCaseRules.DebtorInput], target: Money, judgeID: UUID?
        ) {
            self.caseNumber = caseNumber
            self.courtCode = courtCode
            self.filedOn = filedOn
            self.documentNumber = documentNumber
            self.issuedBy = issuedBy
            self.duty = duty
            self.applicants = applicants
            self.debtors = debtors
            self.target = target
            self.judgeID = judgeID
        }
    }

    /// Registers a case with the same rules as an export row (`NewCaseRules`); a judge registers
    /// only cases assigned to themselves.
    public func create(_ input: NewCaseInput, by actor: ActingUser) async throws -> CaseDetail {
        try actor.require(.changeCases)
        let instant = now()
        let today = ShanghaiClock.today(instant)
        try NewCaseRules.enforcementNumber(input.caseNumber, field: "caseNumber")
        let court = try await CourtRepository(database: database).all().resolve(code: input.courtCode, field: "courtCode")
        try NewCaseRules.courtMatches(input.caseNumber, court: court, field: "courtCode")
        try input.filedOn.mustHaveHappened(by: today, "立案日期", field: "filedOn")
        try NewCaseRules.target(input.target, field: "targetFen")
        let applicants = try NewCaseRules.applicants(input.applicants, field: "applicants")
        guard !input.debtors.isEmpty else {
            throw DomainError(code: "debtor_required", message: "至少一名被执行人", field: "debtors")
        }
        let townships = TownshipDirectory(try await TownshipRepository().all(on: database.sql))
        var debtors: [ImportedDebtor] = []
        for (index, debtor) in input.debtors.enumerated() {
            debtors.append(try NewCaseRules.debtor(debtor, townships: townships, today: today, field: "debtors[\(index)]"))
        }
        let judgeID = input.judgeID ?? actor.judgeScope
        var judgeName: String?
        if let judgeID {
            let judge = try await activeJudge(judgeID)
            if let own = actor.judgeScope, own != judgeID {
                throw DomainError(
                    code: "judge_assigns_self", message: "承办法官只能登记由自己承办的案件；指派他人请由执行局长操作", field: "judgeID")
            }
            judgeName = judge.displayName
        }
        let basis = try NewCaseRules.basis(documentNumber: input.documentNumber, issuedBy: input.issuedBy, field: "judgment")
        let fields = ImportedCase(
            caseNumber: input.caseNumber, courtCode: court.code, filedOn: input.filedOn, judgeName: judgeName,
            status: .inEnforcement, closedOn: nil, basisNumber: basis.number, basisIssuer: basis.issuer,
            duty: input.duty, applicants: applicants, target: input.target, performed: .zero)
        return try await repository.create(
            NewCase(fields: fields, debtors: debtors, judgeID: judgeID), author: actor.author,
            audit: actor.audit("case.create", entity: "case", id: nil, detail: input.caseNumber.canonical, at: instant), now: instant)
    }

    /// The active judge account `id`; `unknown_judge` otherwise.
    private func activeJudge(_ id: UUID) async throws -> User {
        guard let judge = try await UserRepository().find(id: id, on: database.sql)?.user, judge.role == .judge, !judge.isDisabled
        else {
            throw DomainError(code: "unknown_judge", message: "judgeID 不是在用的承办法官账号", field: "judgeID")
        }
        return judge
    }

    /// Changes a case's judge, township, target or applicants; only the director reassigns a case
    /// to another judge.
    public func update(caseID: UUID, _ changes: CaseChanges, by actor: ActingUser) async throws -> CaseDetail {
        let current = try await changeableCase(id: caseID, by: actor)
        if let own = actor.judgeScope, let judge = changes.judgeID, judge != own {
            throw Refusal(.forbidden, code: "forbidden", message: "改派承办法官须由执行局长操作")
        }
        let instant = now()
        return try await repository.update(
            caseID: current.summary.id.databaseText, changes, author: actor.author,
            audit: actor.audit(
                "case.update", entity: "case", id: current.summary.id.databaseText, detail: current.summary.caseNumber.canonical,
                at: instant),
            now: instant)
    }

    /// Records a payment. `amountField` names the amount as the caller took it (`amountFen` in the
    /// API, `amount` in 元 on the page), so the error points at the field the person typed in.
    public func recordPayment(
        caseID: UUID, amount: Money, receivedOn: CalendarDate, method: PaymentMethod, excessReason: String? = nil,
        amountField: String = "amountFen", by actor: ActingUser
    ) async throws -> CaseDetail {
        let current = try await changeableCase(id: caseID, by: actor)
        let instant = now()
        let payment = try Payment(
            amount: amount, receivedOn: receivedOn, method: method, filedOn: current.summary.filedOn,
            today: ShanghaiClock.today(instant), amountField: amountField, excessReason: excessReason)
        let detail = try await repository.addPayment(
            caseID: current.summary.id.databaseText, payment, amountField: amountField, author: actor.author,
            audit: actor.audit(
                "case.payment", entity: "case", id: current.summary.id.databaseText,
                detail: "\(current.summary.caseNumber.canonical) \(payment.amount.formatted)", at: instant),
            now: instant)
        await recordBlacklistTriggers(caseID: current.summary.id, on: receivedOn, by: actor)
        return detail
    }

    /// Reverses a payment recorded in error (issue 16 item 13): never deleted, shown in the case's
    /// history; the figures stop counting it and a deletion trigger it caused is withdrawn.
    public func reversePayment(paymentID: UUID, reason: String, by actor: ActingUser) async throws -> CaseDetail {
        guard let caseText = try await repository.caseOfPayment(paymentID.databaseText), let caseID = UUID(uuidString: caseText) else {
            throw Refusal(.notFound, code: "not_found", message: "没有这笔履行记录")
        }
        let current = try await changeableCase(id: caseID, by: actor)
        let reason = try Payment.reversalReason(reason)
        let instant = now()
        let number = current.summary.caseNumber.canonical
        let amount = current.payments.first { $0.id == paymentID }?.amount.formatted ?? ""
        return try await repository.reversePayment(
            paymentID.databaseText, reason: reason, author: actor.author,
            audit: actor.audit(
                "case.payment_reversal", entity: "case", id: caseText, detail: "\(number) 撤销履行 \(amount)：\(reason)", at: instant),
            triggerAudit: { entry in
                actor.audit(
                    "blacklist.trigger_withdrawn", entity: "blacklist_entry", id: entry.id.databaseText,
                    detail: "\(number) 履行记录撤销，「\(DeletionTrigger.performedInFull.chinese)」不再成立", at: instant)
            },
            now: instant)
    }

    /// Moves a case to `target` on `date` (法〔2016〕373号 for 终本: the conditions and three
    /// months since filing, checked by `Lifecycle`).
    public func transition(
        caseID: UUID, to target: CaseStatus, on date: CalendarDate, reason: String, conditions: TerminationConditions?,
        by actor: ActingUser
    ) async throws -> CaseDetail {
        let current = try await changeableCase(id: caseID, by: actor)
        let instant = now()
        try date.mustHaveHappened(by: ShanghaiClock.today(instant), "日期", field: "on")
        let detail = try await repository.transition(
            caseID: current.summary.id.databaseText, to: target, on: date, reason: reason.trimmed, conditions: conditions,
            author: actor.author,
            audit: actor.audit(
                "case.transition", entity: "case", id: current.summary.id.databaseText,
                detail: "\(current.summary.caseNumber.canonical) → \(target.chinese)", at: instant),
            now: instant)
        await recordBlacklistTriggers(caseID: current.summary.id, on: date, by: actor)
        return detail
    }

    /// Resumes a 终本 case (恢复执行) as the new 执恢 case `number`; returns the new case.
    public func resume(caseID: UUID, as number: CaseNumber, on date: CalendarDate, by actor: ActingUser) async throws -> CaseDetail {
        let current = try await changeableCase(id: caseID, by: actor)
        let instant = now()
        try date.mustHaveHappened(by: ShanghaiClock.today(instant), "日期", field: "on")
        return try await repository.resume(
            caseID: current.summary.id.databaseText, as: number, on: date, author: actor.author,
            audit: actor.audit(
                "case.resume", entity: "case", id: current.summary.id.databaseText,
                detail: "\(current.summary.caseNumber.canonical) → \(number.canonical)", at: instant),
            now: instant)
    }

    /// After a payment or a status change: the dishonest-debtor entries of the case whose deletion
    /// the case's record now triggers get their trigger and due date (法释〔2017〕7号 art. 10).
    /// The payment or change is saved already; if a trigger cannot be recorded (a payment dated in a
    /// year the working-day calendar does not cover), the request still succeeds, the failure is
    /// logged, and the entry waits for the trigger to be recorded by hand, which names the problem.
    func recordBlacklistTriggers(caseID: UUID, on date: CalendarDate, by actor: ActingUser) async {
        let instant = now()
        do {
            _ = try await BlacklistRepository(database: database).recordTriggersShownByCase(
                caseID: caseID.databaseText, on: date, calendar: calendar,
                audit: { entry, trigger in
                    actor.audit(
                        "blacklist.trigger", entity: "blacklist_entry", id: entry.id.databaseText, detail: "\(trigger.chinese)（自动）",
                        at: instant)
                })
        } catch {
            logger.warning(
                "deletion trigger not recorded automatically",
                metadata: ["case": "\(caseID)", "error": "\(error)", "request": "\(actor.requestID ?? "-")"])
        }
    }
}
