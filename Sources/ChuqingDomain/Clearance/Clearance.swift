/// What "出清" (clearance) means, per shared/domain/rules.md §2 — a campaign metric, one
/// function so that the progress API, the pages and the bulletin cannot disagree.
///
/// A 终本 case is *cleared* when it, or the 执恢 case it was resumed as (following resumptions to
/// the newest), closes substantively: 执行完毕 (including a performed settlement, 执行和解规定
/// art. 8), 终结执行 (including transfer to bankruptcy) or 不予执行. Resumed but still open is *in
/// progress*. A second 终本 puts it back in the *stock*; so does a 执恢 case that ends 驳回申请 or
/// 销案, because the original 终本 then stands. Leaving dynamic management after some years (the
/// Jiangsu rule) is not clearance.
public enum Clearance {
    /// A case's standing in a campaign.
    public enum State: Sendable, Equatable {
        /// Still in the 终本 stock.
        case stock
        /// Resumed as 执恢 and not yet closed.
        case inProgress
        /// Closed for good, on this date.
        case cleared(on: CalendarDate)

        public var isCleared: Bool { if case .cleared = self { true } else { false } }
    }

    /// One case of a resumption chain: the original first, each 执恢 successor after it.
    public struct ChainCase: Sendable, Equatable {
        public let status: CaseStatus
        public let filedOn: CalendarDate
        public let closedOn: CalendarDate?

        public init(status: CaseStatus, filedOn: CalendarDate, closedOn: CalendarDate?) {
            self.status = status
            self.filedOn = filedOn
            self.closedOn = closedOn
        }
    }

    /// The closing statuses that clear a case.
    public static let clearingStatuses: Set<CaseStatus> = [.fullyEnforced, .terminated, .refused]

    /// The state of a case whose resumption chain is `chain` (original first), as it stood at the
    /// end of `asOf`: successors filed later do not exist yet, and a closure dated later has not
    /// happened yet.
    public static func state(of chain: [ChainCase], asOf: CalendarDate) -> State {
        guard let original = chain.first else { return .stock }
        let known = chain.prefix { $0.filedOn <= asOf }
        let newest = known.last ?? original
        let isSuccessor = known.count > 1
        guard let closedOn = newest.closedOn, closedOn <= asOf, newest.status != .inEnforcement else {
            // Open as of that date: a 执恢 case being worked on, or (before its 终本 date) the original.
            return isSuccessor ? .inProgress : .stock
        }
        if clearingStatuses.contains(newest.status) { return .cleared(on: closedOn) }
        return .stock  // 终本 again, or a 执恢 case rejected or withdrawn: the 终本 stands
    }
}
