import Foundation

/// A clearance batch (批次, e.g. 第一批任务) as stored.
public struct ClearanceBatch: Sendable, Equatable {
    public let id: UUID
    public let name: String
    public let courtCode: String
    public let startsOn: CalendarDate
    public let deadline: CalendarDate
    public let targetCases: Int
    public let targetRecoveredFen: Int64?
    public let closedOn: CalendarDate?

    public init(
        id: UUID, name: String, courtCode: String, startsOn: CalendarDate, deadline: CalendarDate, targetCases: Int,
        targetRecoveredFen: Int64?, closedOn: CalendarDate?
    ) {
        self.id = id
        self.name = name
        self.courtCode = courtCode
        self.startsOn = startsOn
        self.deadline = deadline
        self.targetCases = targetCases
        self.targetRecoveredFen = targetRecoveredFen
        self.closedOn = closedOn
    }

    public var isOpen: Bool { closedOn == nil }

    /// Checks a new batch: a name, a deadline not before the start, a positive case target and a
    /// non-negative amount target.
    public static func validate(
        name: String, startsOn: CalendarDate, deadline: CalendarDate, targetCases: Int,
        targetRecoveredFen: Int64?
    ) throws(DomainError) -> String {
        let name = name.trimmed
        guard !name.isEmpty, name.count <= 60 else {
            throw DomainError(code: "invalid_batch_name", message: "批次名称须为 1–60 个字，如「第一批任务」", field: "name")
        }
        guard deadline >= startsOn else {
            throw DomainError(code: "deadline_before_start", message: "截止日期 \(deadline) 早于开始日期 \(startsOn)", field: "deadline")
        }
        guard targetCases > 0 else {
            throw DomainError(code: "invalid_target", message: "出清目标案件数须大于 0（收到 \(targetCases)）", field: "targetCases")
        }
        if let targetRecoveredFen, targetRecoveredFen < 0 {
            throw DomainError(
                code: "invalid_target", message: "到位金额目标不能为负数（收到 \(Money(fen: targetRecoveredFen).formatted)）", field: "targetRecoveredFen")
        }
        return name
    }
}

/// What the progress computation needs of one case in a batch.
public struct BatchCaseFigures: Sendable, Equatable {
    public let caseID: String
    public let team: Team
    public let townshipCode: String?
    public let townshipName: String?
    public let judgeID: String?
    public let judgeName: String?
    /// The case first, then its 执恢 successors.
    public let chain: [Clearance.ChainCase]
    /// Payments on the case and its successors, received from the batch's start to the as-of date.
    public let recoveredFen: Int64
    /// Measures on the case and its successors in that period: kind → persons, items or 分.
    public let measures: [MeasureKind: Int64]

    public init(
        caseID: String, team: Team, townshipCode: String?, townshipName: String?, judgeID: String?, judgeName: String?,
        chain: [Clearance.ChainCase], recoveredFen: Int64, measures: [MeasureKind: Int64]
    ) {
        self.caseID = caseID
        self.team = team
        self.townshipCode = townshipCode
        self.townshipName = townshipName
        self.judgeID = judgeID
        self.judgeName = judgeName
        self.chain = chain
        self.recoveredFen = recoveredFen
        self.measures = measures
    }
}

/// A batch's progress as of a date: the one set of figures behind the progress API, the batch
/// page, its charts and exports, and the campaign bulletin.
public struct BatchProgress: Sendable, Equatable {
    /// The figures of one team, township or judge.
    public struct Breakdown: Sendable, Codable, Equatable {
        public let key: String
        public let name: String
        public var cases = 0
        public var clearedCases = 0
        public var inProgressCases = 0
        public var recoveredFen: Int64 = 0
        public var measures: [String: Int64] = [:]
    }

    /// Cleared cases up to and including a day (the burn-up chart).
    public struct Day: Sendable, Codable, Equatable {
        public let date: CalendarDate
        public let clearedCases: Int

        public init(date: CalendarDate, clearedCases: Int) {
            self.date = date
            self.clearedCases = clearedCases
        }
    }

    public let batchID: UUID
    public let batchName: String
    public let asOf: CalendarDate
    public let startsOn: CalendarDate
    public let deadline: CalendarDate
    public let daysLeft: Int
    public let targetCases: Int
    public let totalCases: Int
    public let clearedCases: Int
    public let inProgressCases: Int
    public let stockCases: Int
    public let targetRecoveredFen: Int64?
    public let recoveredFen: Int64
    /// Kind (API name) → total: persons for search, summons and detention; items for seizures,
    /// seals, freezes, deductions and orders; 分 for fines.
    public let measures: [String: Int64]
    public let byTeam: [Breakdown]
    public let byTownship: [Breakdown]
    public let byJudge: [Breakdown]
    public let burnUp: [Day]
    /// The township network's work on the batch's debtors, per township (issue 6 item 7): leads
    /// received and visits made up to `asOf`. Empty when no liaison has done anything yet.
    public var network: [NetworkBreakdown] = []
    /// The teams' own work on the batch's cases up to `asOf` (issue 18 item 6).
    public var teams = TeamWork()

    /// What the teams did: for the 涉公职人员案件组, the officials whose employers were sent a
    /// 通报函 and those escalated to 纪委监委 and 组织部 after the deadline; for the 和解推进组, the
    /// settlements made and those still performing (履行中: neither in breach, performed nor resumed).
    public struct TeamWork: Sendable, Codable, Equatable {
        public var officialsPushed = 0
        public var officialsEscalated = 0
        public var settlementsMade = 0
        public var settlementsRunning = 0

        public init(officialsPushed: Int = 0, officialsEscalated: Int = 0, settlementsMade: Int = 0, settlementsRunning: Int = 0) {
            self.officialsPushed = officialsPushed
            self.officialsEscalated = officialsEscalated
            self.settlementsMade = settlementsMade
            self.settlementsRunning = settlementsRunning
        }
    }

    public struct NetworkBreakdown: Sendable, Codable, Equatable {
        public let township: String
        public let leadsSubmitted: Int
        public let leadsVerified: Int
        /// Verified leads linked to a payment.
        public let leadsLeadingToRecovery: Int
        public let visits: Int

        public init(township: String, leadsSubmitted: Int, leadsVerified: Int, leadsLeadingToRecovery: Int, visits: Int) {
            self.township = township
            self.leadsSubmitted = leadsSubmitted
            self.leadsVerified = leadsVerified
            self.leadsLeadingToRecovery = leadsLeadingToRecovery
            self.visits = visits
        }
    }

    /// Computes the progress of `batch` from its cases' figures.
    public static func compute(batch: ClearanceBatch, cases: [BatchCaseFigures], asOf: CalendarDate) -> BatchProgress {
        var cleared = 0
        var inProgress = 0
        var recovered: Int64 = 0
        var measures: [String: Int64] = [:]
        var byTeam: [String: Breakdown] = [:]
        var byTownship: [String: Breakdown] = [:]
        var byJudge: [String: Breakdown] = [:]
        var clearedOn: [CalendarDate] = []
        for figures in cases {
            let state = Clearance.state(of: figures.chain, asOf: asOf)
            if case .cleared(let day) = state {
                cleared += 1
                clearedOn.append(day)
            }
            if state == .inProgress { inProgress += 1 }
            recovered += figures.recoveredFen
            for (kind, total) in figures.measures { measures[kind.rawValue, default: 0] += total }
            func add(_ key: String, _ name: String, to table: inout [String: Breakdown]) {
                var row = table[key] ?? Breakdown(key: key, name: name)
                row.cases += 1
                if state.isCleared { row.clearedCases += 1 }
                if state == .inProgress { row.inProgressCases += 1 }
                row.recoveredFen += figures.recoveredFen
                for (kind, total) in figures.measures { row.measures[kind.rawValue, default: 0] += total }
                table[key] = row
            }
            add(figures.team.rawValue, figures.team.chinese, to: &byTeam)
            add(figures.townshipCode ?? "", figures.townshipName ?? "未定乡镇", to: &byTownship)
            add(figures.judgeID ?? "", figures.judgeName ?? "未定承办人", to: &byJudge)
        }
        // Every kind appears, zero when nothing was done, so that readers need no defaults.
        for kind in MeasureKind.allCases where measures[kind.rawValue] == nil { measures[kind.rawValue] = 0 }
        let teamOrder = Dictionary(uniqueKeysWithValues: Team.allCases.enumerated().map { ($1.rawValue, $0) })
        var burnUp: [Day] = []
        var running = 0
        for (day, count) in Dictionary(grouping: clearedOn, by: { $0 }).mapValues(\.count).sorted(by: { $0.key < $1.key }) {
            running += count
            burnUp.append(Day(date: day, clearedCases: running))
        }
        return BatchProgress(
            batchID: batch.id, batchName: batch.name, asOf: asOf, startsOn: batch.startsOn, deadline: batch.deadline,
            daysLeft: max(0, batch.deadline.dayNumber - asOf.dayNumber),
            targetCases: batch.targetCases, totalCases: cases.count, clearedCases: cleared, inProgressCases: inProgress,
            stockCases: cases.count - cleared - inProgress, targetRecoveredFen: batch.targetRecoveredFen, recoveredFen: recovered,
            measures: measures,
            byTeam: byTeam.values.sorted { (teamOrder[$0.key] ?? 99) < (teamOrder[$1.key] ?? 99) },
            byTownship: byTownship.values.sorted { ($0.key.isEmpty ? "~" : $0.key) < ($1.key.isEmpty ? "~" : $1.key) },
            byJudge: byJudge.values.sorted { $0.clearedCases != $1.clearedCases ? $0.clearedCases > $1.clearedCases : $0.name < $1.name },
            burnUp: burnUp)
    }
}

/// The three ways a batch's figures are broken down, and the key of a case in each: the batch
/// page drills down from a row to that row's open cases (issue 16 item 19).
public enum BatchGroup: String, CaseIterable, Sendable {
    case team, township, judge

    public var chinese: String {
        switch self {
        case .team: "专项组"
        case .township: "乡镇"
        case .judge: "承办人"
        }
    }

    /// The case's key in this breakdown, as `BatchProgress.compute` keys its rows ("" for a
    /// case with no township or no judge).
    public func key(of figures: BatchCaseFigures) -> String {
        switch self {
        case .team: figures.team.rawValue
        case .township: figures.townshipCode ?? ""
        case .judge: figures.judgeID ?? ""
        }
    }

    public static func parse(_ text: String?) throws(DomainError) -> BatchGroup {
        guard let text, let group = BatchGroup(rawValue: text) else {
            throw DomainError(
                code: "unknown_group", message: "by 应为 team（专项组）、township（乡镇）或 judge（承办人），收到「\(text ?? "")」", field: "by")
        }
        return group
    }
}

extension BatchProgress {
    /// The batch's cases in row `key` of breakdown `group` that are not cleared as of `asOf`
    /// (still in the stock, or resumed and in progress), with whether each is in progress.
    public static func openCases(
        _ cases: [BatchCaseFigures], group: BatchGroup, key: String, asOf: CalendarDate
    ) -> [(caseID: String, inProgress: Bool)] {
        cases.compactMap { figures in
            guard group.key(of: figures) == key else { return nil }
            let state = Clearance.state(of: figures.chain, asOf: asOf)
            return state.isCleared ? nil : (figures.caseID, state == .inProgress)
        }
    }
}
