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
        guard let progress = try await repository.progress(batchID: batch.id.databaseText, asOf: asOf) else { throw Refusal.notFound }
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

        public init(kind: MeasureKind, on: CalendarDate, persons: Int?, count: Int?, amount: Money?, documentNumber: String?) {
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
        let measure = try Measure(
            kind: input.kind, on: input.on, persons: input.persons, count: input.count, amountFen: input.amount?.fen,
            documentNumber: input.documentNumber, filedOn: current.summary.filedOn,
            today: ShanghaiClock.today(instant))
        let judgeID = actor.judgeScope ?? current.judgeID
        return try await repository.recordMeasure(
            caseID: current.summary.id.databaseText, measure, findingID: findingID?.databaseText, judgeID: judgeID, author: actor.author,
            audit: actor.audit(
                "case.measure", entity: "case", id: current.summary.id.databaseText,
                detail: "\(current.summary.caseNumber.canonical) \(measure.kind.chinese)", at: instant),
            now: instant)
    }

    /// The measures recorded on a case the caller may see.
    public func measures(caseID: UUID, by actor: ActingUser) async throws -> [MeasureRecord] {
        let current = try await cases.visibleCase(id: caseID, by: actor)
        return try await repository.measures(caseID: current.summary.id.databaseText)
    }
}
