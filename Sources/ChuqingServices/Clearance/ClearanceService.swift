import ChuqingDomain
import ChuqingPersistence
import Foundation

/// Final-clearance batches (出清批次) with their targets and cases, their progress as of any date,
/// and the enforcement measures recorded on cases. The director runs the campaign: creates,
/// fills and closes batches; the case's judge and the director record measures.
public struct ClearanceService: Sendable {
    let database: Database
    /// Whose rules say which case the caller may see and change.
    let cases: CaseService
    let now: @Sendable () -> Date

    public init(database: Database, cases: CaseService, now: @escaping @Sendable () -> Date = Date.init) {
        self.database = database
        self.cases = cases
        self.now = now
    }

    var repository: ClearanceRepository { ClearanceRepository(database: database) }

    /// A batch as the director sets it up.
    public struct NewBatch: Sendable {
        public var name: String
        public var courtCode: String
        public var startsOn: CalendarDate
        public var deadline: CalendarDate
        public var targetCases: Int
        public var targetRecovered: Money?

        public init(
            name: String, courtCode: String, startsOn: CalendarDate, deadline: CalendarDate, targetCases: Int, targetRecovered: Money?
        ) {
            self.name = name
            self.courtCode = courtCode
            self.startsOn = startsOn
            self.deadline = deadline
            self.targetCases = targetCases
            self.targetRecovered = targetRecovered
        }
    }

    /// Creates a batch (the rules: `ClearanceBatch.validate`, a known court).
    public func create(_ input: NewBatch, by actor: ActingUser) async throws -> ClearanceBatch {
        try actor.require(.manageBatches)
        let user = try actor.requireUser()
        let instant = now()
        return try await repository.create(
            name: input.name, courtCode: input.courtCode, startsOn: input.startsOn, deadline: input.deadline,
            targetCases: input.targetCases, targetRecoveredFen: input.targetRecovered?.fen, createdBy: user.id,
            audit: actor.audit("batch.create", entity: "batch", id: nil, detail: input.name, at: instant), now: instant)
    }

    /// The courts a batch may belong to (court master data), by code.
    public func courts(by actor: ActingUser) async throws -> [Court] {
        try actor.require(.readCases)
        return try await CourtRepository(database: database).all()
    }

    /// Every batch, newest first.
    public func batches(by actor: ActingUser) async throws -> [ClearanceBatch] {
        try actor.require(.readCases)
        return try await repository.batches()
    }

    /// The batch `id`; `Refusal.notFound` when there is none.
    public func batch(id: UUID, by actor: ActingUser) async throws -> ClearanceBatch {
        try actor.require(.readCases)
        guard let batch = try await repository.batch(id: id.databaseText) else { throw Refusal.notFound }
        return batch
    }

    /// Which cases to add: exactly one of their ids, their numbers (any bracket form) or a filter.
    public enum CaseChoice: Sendable {
        case ids([String])
        case numbers([String])
        case filter(BatchCaseFilter)

        /// The one choice a request made; `one_selection` when it made none or several.
        public static func one(ids: [String]?, numbers: [String]?, filter: BatchCaseFilter?) throws(DomainError) -> CaseChoice {
            let given = [ids != nil, numbers != nil, filter != nil].filter { $0 }.count
            guard given == 1 else {
                throw DomainError(
                    code: "one_selection", message: "请只给出 caseIds、caseNumbers 或 filter 中的一项（收到 \(given) 项）", field: "caseIds")
            }
            if let ids { return .ids(ids) }
            if let numbers { return .numbers(numbers) }
            return .filter(filter!)
        }
    }

    /// Adds cases to an open batch, for `team` if one is named; a case in another open batch is
    /// skipped and counted.
    public func addCases(batchID: UUID, _ choice: CaseChoice, team: Team?, by actor: ActingUser) async throws -> BatchAddResult {
        try actor.require(.manageBatches)
        let user = try actor.requireUser()
        let batch = try await batch(id: batchID, by: actor)
        let selection = try await selection(choice)
        let instant = now()
        return try await repository.addCases(
            batchID: batch.id.databaseText, selection, team: team, addedBy: user.id,
            audit: actor.audit("batch.add_cases", entity: "batch", id: batch.id.databaseText, detail: batch.name, at: instant), now: instant
        )
    }

    /// Case numbers become ids; every unknown number is named and nothing is added.
    private func selection(_ choice: CaseChoice) async throws -> BatchCaseSelection {
        switch choice {
        case .ids(let ids):
            return .ids(ids)
        case .filter(let filter):
            return .filter(filter)
        case .numbers(let texts):
            var ids: [String] = []
            var unknown: [String] = []
            for text in texts {
                let number = try CaseNumber(text, field: "caseNumbers")
                var filter = CaseFilter()
                filter.caseNumber = number
                if let found = try await CaseRepository(database: database).search(filter, limit: 1, after: nil).items.first {
                    ids.append(found.id.databaseText)
                } else {
                    unknown.append(number.canonical)
                }
            }
            guard unknown.isEmpty else {
                throw DomainError(
                    code: "unknown_case", message: "未加入任何案件：没有这些案号的案件：\(unknown.joined(separator: "、"))", field: "caseNumbers")
            }
            return .ids(ids)
        }
    }

    /// Closes a batch on `date`.
    public func close(batchID: UUID, on date: CalendarDate, by actor: ActingUser) async throws -> ClearanceBatch {
        try actor.require(.manageBatches)
        let batch = try await batch(id: batchID, by: actor)
        return try await repository.close(
            batchID: batch.id.databaseText, on: date,
            audit: actor.audit("batch.close", entity: "batch", id: batch.id.databaseText, detail: batch.name, at: now()))
    }

    /// The work list: cases in open batches with no payment, measure, transition or resumption
    /// since `since` (a judge: their own), oldest first.
    public func idleCases(since: Date, by actor: ActingUser) async throws -> [WorkItem] {
        try actor.require(.readCases)
        return try await repository.idleCases(judgeID: actor.judgeScope, since: since)
    }

    /// Payments and measures recorded since `start` (a judge: on their own cases), newest first.
    public func recordedSince(_ start: Date, by actor: ActingUser) async throws -> [TodayItem] {
        try actor.require(.readCases)
        return try await repository.recordedSince(start, judgeID: actor.judgeScope)
    }

    /// A batch's progress against its targets as of `asOf`.
    public func progress(batchID: UUID, asOf: CalendarDate, by actor: ActingUser) async throws -> BatchProgress {
        let batch = try await batch(id: batchID, by: actor)
        guard var progress = try await repository.progress(batchID: batch.id.databaseText, asOf: asOf) else { throw Refusal.notFound }
        let settled = SettlementService.batchWork(
            try await SettlementRepository(database: database).settlements(batchID: batch.id.databaseText), asOf: asOf,
            calendar: cases.calendar)
        progress.teams.settlementsMade = settled.made
        progress.teams.settlementsRunning = settled.running
        return progress
    }

    /// The open cases behind one row of the batch's breakdown by team, township or judge, as of
    /// `asOf` (issue 16 item 19). A judge sees their own cases among them only, as in the case list.
    public func openCases(
        batchID: UUID, group: BatchGroup, key: String, asOf: CalendarDate, by actor: ActingUser
    ) async throws -> [BatchOpenCase] {
        let batch = try await batch(id: batchID, by: actor)
        guard
            let cases = try await repository.openCases(
                batchID: batch.id.databaseText, group: group, key: key, asOf: asOf, visibleToJudge: actor.judgeScope)
        else { throw Refusal.notFound }
        return cases
    }

    // MARK: Measures

    /// A measure as a person gives it, before the rules of `Measure`.
    public struct MeasureInput: Sendable {
        public var kind: MeasureKind
        public var on: CalendarDate
        public var persons: Int?
        public var count: Int?
        public var amount: Money?
        public var documentNumber: String?
        /// A fine's, detention's or summons's person: one of the case's debtors…
        public var debtorID: UUID?
        /// …or another person (民事诉讼法 arts. 114–117), individual or unit.
        public var personName: String?
        public var personKind: SanctionSubject.Kind?
        public var act: String?
        public var days: Int?
        public var deputyPermission: String?

        public init(
            kind: MeasureKind, on: CalendarDate, persons: Int?, count: Int?, amount: Money?, documentNumber: String?, debtorID: UUID? = nil,
            personName: String? = nil, personKind: SanctionSubject.Kind? = nil, act: String? = nil, days: Int? = nil,
            deputyPermission: String? = nil
        ) {
            self.debtorID = debtorID
            self.personName = personName
            self.personKind = personKind
            self.act = act
            self.days = days
            self.deputyPermission = deputyPermission
            self.kind = kind
            self.on = on
            self.persons = persons
            self.count = count
            self.amount = amount
            self.documentNumber = documentNumber
        }

        /// A form's one quantity field: persons or a count, whichever the kind measures.
        public init(kind: MeasureKind, on: CalendarDate, quantity: Int?, amount: Money?, documentNumber: String?) {
            self.init(
                kind: kind, on: on, persons: kind.quantity == .persons ? quantity : nil, count: kind.quantity == .count ? quantity : nil,
                amount: amount, documentNumber: documentNumber)
        }
    }

    /// Records a measure on case `caseID`, taken on look-up finding `findingID` when one is
    /// named. The judge recorded is the one recording when a judge records it, else the case's.
    public func recordMeasure(
        _ input: MeasureInput, caseID: UUID, findingID: UUID? = nil, by actor: ActingUser
    ) async throws -> MeasureRecord {
        let current = try await cases.changeableCase(id: caseID, by: actor)
        let instant = now()
        let subject = try await sanctionSubject(input, of: current)
        let measure = try Measure(
            kind: input.kind, on: input.on, persons: input.persons, count: input.count, amountFen: input.amount?.fen,
            documentNumber: input.documentNumber,
            sanction: .init(subject: subject, act: input.act, days: input.days, deputyPermission: input.deputyPermission),
            filedOn: current.summary.filedOn, today: ShanghaiClock.today(instant))
        let judgeID = actor.judgeScope ?? current.judgeID
        return try await repository.recordMeasure(
            caseID: current.summary.id.databaseText, measure, findingID: findingID?.databaseText, judgeID: judgeID, author: actor.author,
            audit: actor.audit(
                "case.measure", entity: "case", id: current.summary.id.databaseText,
                detail: "\(current.summary.caseNumber.canonical) \(measure.kind.chinese)", at: instant),
            now: instant)
    }

    /// The person a measure names: a debtor of the case (their kind, and their level when a
    /// deputy, from the record) or another person as given.
    func sanctionSubject(_ input: MeasureInput, of current: CaseDetail) async throws -> SanctionSubject? {
        if let debtorID = input.debtorID {
            guard input.personName?.trimmed.nilIfEmpty == nil else {
                throw DomainError(code: "two_subjects", message: "被处罚人只填一项：本案被执行人（debtorId）或其他人（personName）", field: "personName")
            }
            let debtor = try current.summary.debtor(debtorID)
            let profile = try await OfficialRepository(database: database).profile(debtorID: debtorID.databaseText)
            return SanctionSubject(
                debtorID: debtorID, name: debtor.name, kind: debtor.kind.isOrganization ? .unit : .individual,
                deputyLevel: profile.standings.contains(.deputy) ? profile.deputyLevel : nil)
        }
        guard let name = input.personName?.trimmed.nilIfEmpty else {
            if input.personKind != nil {
                throw DomainError(code: "person_name_required", message: "填写了被处罚人类型，请同时填写其姓名或名称（personName）", field: "personName")
            }
            return nil
        }
        guard name.count <= 100 else {
            throw DomainError(code: "person_name_too_long", message: "被处罚人姓名或名称不超过 100 字（收到 \(name.count) 字）", field: "personName")
        }
        guard let kind = input.personKind else {
            throw DomainError(code: "person_kind_required", message: "请选择被处罚人类型（personKind）：individual（个人）或 unit（单位）", field: "personKind")
        }
        return SanctionSubject(debtorID: nil, name: name, kind: kind, deputyLevel: nil)
    }

    /// The measures recorded on a case the caller may see.
    public func measures(caseID: UUID, by actor: ActingUser) async throws -> [MeasureRecord] {
        let current = try await cases.visibleCase(id: caseID, by: actor)
        return try await repository.measures(caseID: current.summary.id.databaseText)
    }

    // MARK: 复议 on a fine or detention

    /// The fine or detention `measureID` on a case the caller may change.
    func sanction(_ measureID: UUID, by actor: ActingUser) async throws -> (MeasureRecord, CaseDetail) {
        guard let measure = try await repository.measure(id: measureID.databaseText) else { throw Refusal.notFound }
        let current = try await cases.changeableCase(id: measure.caseID, by: actor)
        guard measure.kind == .fine || measure.kind == .detention else {
            throw DomainError(
                code: "not_reconsiderable", message: "只有罚款、拘留决定可以申请复议（民事诉讼法第一百一十九条），本措施为\(measure.kind.chinese)",
                kind: .conflict)
        }
        return (measure, current)
    }

    /// Records that the person applied for 复议 on `appliedOn`: within 3 days of being served the
    /// decision (`servedOn`, the decision's date when not given), else 422
    /// `reconsideration_time_barred`; the higher court then has 5 days (民诉法解释 art. 185).
    public func applyForReconsideration(measureID: UUID, appliedOn: CalendarDate, servedOn: CalendarDate?, by actor: ActingUser)
        async throws -> MeasureRecord
    {
        let (measure, current) = try await sanction(measureID, by: actor)
        let instant = now()
        let served = servedOn ?? measure.on
        guard served >= measure.on else {
            throw DomainError(code: "served_before_decision", message: "送达日期 \(served) 早于决定日期 \(measure.on)", field: "servedOn")
        }
        guard appliedOn >= served else {
            throw DomainError(code: "applied_before_service", message: "申请日期 \(appliedOn) 早于送达日期 \(served)", field: "appliedOn")
        }
        try appliedOn.mustHaveHappened(by: ShanghaiClock.today(instant), "申请日期", field: "appliedOn")
        let last = try SanctionRules.reconsiderationApplyBy(servedOn: served, calendar: cases.calendar)
        guard appliedOn <= last else {
            throw DomainError(
                code: "reconsideration_time_barred",
                message: "复议申请应当自收到决定书之日起三日内提出（民诉法解释第一百八十五条）：送达 \(served)，最后一日 \(last)，收到 \(appliedOn)",
                field: "appliedOn")
        }
        let due = try SanctionRules.reconsiderationDecideBy(appliedOn: appliedOn, calendar: cases.calendar)
        try await repository.applyForReconsideration(
            measureID: measure.id.databaseText, appliedOn: appliedOn, dueOn: due,
            audit: actor.audit(
                "measure.reconsideration", entity: "case", id: current.summary.id.databaseText,
                detail: "\(current.summary.caseNumber.canonical) \(measure.kind.chinese) \(measure.documentNumber) 申请复议 \(appliedOn)",
                at: instant))
        return try await repository.measure(id: measure.id.databaseText)!
    }

    /// Records the higher court's decision on the 复议.
    public func decideReconsideration(measureID: UUID, decidedOn: CalendarDate, outcome: ReconsiderationOutcome, by actor: ActingUser)
        async throws -> MeasureRecord
    {
        let (measure, current) = try await sanction(measureID, by: actor)
        let instant = now()
        if let applied = measure.reconsideration?.appliedOn, decidedOn < applied {
            throw DomainError(code: "decided_before_application", message: "决定日期 \(decidedOn) 早于申请日期 \(applied)", field: "decidedOn")
        }
        try decidedOn.mustHaveHappened(by: ShanghaiClock.today(instant), "决定日期", field: "decidedOn")
        try await repository.decideReconsideration(
            measureID: measure.id.databaseText, decidedOn: decidedOn, outcome: outcome,
            audit: actor.audit(
                "measure.reconsideration.decided", entity: "case", id: current.summary.id.databaseText,
                detail: "\(current.summary.caseNumber.canonical) \(measure.documentNumber) 复议\(outcome.chinese)", at: instant))
        return try await repository.measure(id: measure.id.databaseText)!
    }
}
