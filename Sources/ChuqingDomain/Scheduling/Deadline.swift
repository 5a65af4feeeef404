import Foundation

/// A date by which someone must act (issue 17): each comes from a rule elsewhere in the domain,
/// and this names it for a person's list of deadlines and their reminders.
public struct Deadline: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        /// a lead to verify: 7 days, 3 if urgent (local practice, `Lead.verifyBy`)
        case leadVerification
        /// a list entry to delete: 3 working days after its trigger (法释〔2017〕7号 art. 10)
        case deletion
        /// a revocation, correction, request or 复议 to decide (arts. 11–12; 民诉法 art. 85)
        case procedure
        /// the six-monthly look-up after 终本 (法〔2016〕373号 art. 9)
        case periodicLookup
        /// the last day the working-day calendar covers
        case calendarEnd

        public var chinese: String {
            switch self {
            case .leadVerification: "线索核实"
            case .deletion: "失信名单删除"
            case .procedure: "失信名单撤销、更正或复议"
            case .periodicLookup: "终本定期查询"
            case .calendarEnd: "工作日日历到期"
            }
        }
    }

    /// What the deadline is about, for its link.
    public enum Target: Sendable, Equatable {
        case lead(UUID)
        case blacklistEntry(UUID)
        case procedure(entry: UUID)
        case caseFile(UUID)
        case calendar
        /// the look-ups waiting for the director's approval
        case lookupApprovals
    }

    public let kind: Kind
    /// the case number and the debtor, as a person recognises the matter
    public let subject: String
    public let dueOn: CalendarDate
    public let target: Target

    public init(kind: Kind, subject: String, dueOn: CalendarDate, target: Target) {
        self.kind = kind
        self.subject = subject
        self.dueOn = dueOn
        self.target = target
    }

    /// Past its day: the act was due by the end of `dueOn`.
    public func isOverdue(today: CalendarDate) -> Bool { dueOn < today }

    /// Where a deadline stands on `today`, as a home page groups them.
    public enum Urgency: String, Sendable, CaseIterable {
        case overdue, today, soon, later
    }

    /// 已逾期 before today, 今日到期 today, 即将到期 within the next 7 days, later after that.
    public func urgency(today: CalendarDate) -> Urgency {
        if dueOn < today { return .overdue }
        if dueOn == today { return .today }
        return dueOn <= today.adding(days: 7) ? .soon : .later
    }
}
