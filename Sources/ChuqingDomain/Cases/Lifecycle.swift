import Foundation

/// The five conditions of 法〔2016〕373号 art. 1 that must all hold before a case is terminated
/// for this round (终本). Condition 4 (more than 3 months since filing) is computed from the
/// dates, not declared.
public struct TerminationConditions: Sendable, Equatable, Codable {
    /// (1) 执行通知 sent and the debtor ordered to report property.
    public var noticeServedAndReportOrdered: Bool
    /// (2) 限制消费令 issued, and the debtor 失信-listed where that applies.
    public var consumptionRestrictedAndListed: Bool
    /// (3) Property investigation exhausted (art. 3): nothing found, or nothing that can be disposed of.
    public var propertyInvestigationExhausted: Bool
    /// (5) A missing debtor searched for; obstruction met with 罚款/拘留 and, where a crime, prosecution.
    public var debtorSoughtAndObstructionPunished: Bool

    public init(
        noticeServedAndReportOrdered: Bool, consumptionRestrictedAndListed: Bool,
        propertyInvestigationExhausted: Bool, debtorSoughtAndObstructionPunished: Bool
    ) {
        self.noticeServedAndReportOrdered = noticeServedAndReportOrdered
        self.consumptionRestrictedAndListed = consumptionRestrictedAndListed
        self.propertyInvestigationExhausted = propertyInvestigationExhausted
        self.debtorSoughtAndObstructionPunished = debtorSoughtAndObstructionPunished
    }
}

/// The case lifecycle: which transitions Chuqing allows and why others are refused.
/// Imported cases keep the status their export gives; these rules govern changes made in Chuqing.
public enum Lifecycle {
    /// The statuses a case in `status` may move to with a transition (resuming a 终本 case is its
    /// own operation, `resume`, and opens a linked 执恢 case).
    public static func allowedTransitions(from status: CaseStatus) -> [CaseStatus] {
        switch status {
        case .inEnforcement: [.terminatedThisRound, .fullyEnforced, .terminated, .refused, .rejected, .withdrawn]
        default: []
        }
    }

    /// The statuses a transition may name at all: the closings of a case in enforcement.
    public static let transitionTargets: [CaseStatus] = [
        .fullyEnforced, .terminatedThisRound, .terminated, .refused, .rejected, .withdrawn,
    ]

    /// Reads a transition's target (`to`): one of `transitionTargets`, by its API name.
    public static func transitionTarget(_ text: String, field: String = "to") throws(DomainError) -> CaseStatus {
        guard let status = CaseStatus(rawValue: text.trimmed), transitionTargets.contains(status) else {
            throw DomainError(
                code: "unknown_status",
                message: "to 只能是 \(transitionTargets.map { "\($0.rawValue)（\($0.chinese)）" }.joined(separator: "、"))（收到「\(text)」）",
                field: field)
        }
        return status
    }

    /// Checks a transition to `target` on `date` for a case filed on `filedOn` in `status`.
    /// Refusals are conflicts (409) naming the current status and what is allowed.
    public static func checkTransition(
        from status: CaseStatus, to target: CaseStatus, on date: CalendarDate,
        filedOn: CalendarDate, conditions: TerminationConditions?
    ) throws(DomainError) {
        let allowed = allowedTransitions(from: status)
        guard allowed.contains(target) else {
            let options =
                allowed.isEmpty
                ? (status == .terminatedThisRound ? "终本案件只能恢复执行（立执恢案件）" : "已结案件不能再变更状态")
                : "可变更为：\(allowed.map(\.chinese).joined(separator: "、"))"
            throw DomainError(
                code: "illegal_transition",
                message: "案件当前状态为「\(status.chinese)」，不能变更为「\(target.chinese)」。\(options)",
                field: "to", kind: .conflict)
        }
        guard date >= filedOn else {
            throw DomainError(code: "date_before_filing", message: "日期 \(date) 早于立案日期 \(filedOn)", field: "on")
        }
        guard target == .terminatedThisRound else { return }
        // 法〔2016〕373号 art. 1(4): more than three months since filing.
        let earliest = filedOn.adding(months: 3).adding(days: 1)
        guard date >= earliest else {
            throw DomainError(
                code: "too_early_to_terminate",
                message: "终结本次执行程序须自立案之日起超过三个月（法〔2016〕373号第一条第四项）：立案 \(filedOn)，最早 \(earliest)",
                field: "on", kind: .conflict)
        }
        guard let conditions else {
            throw DomainError(
                code: "termination_conditions_missing",
                message: "终结本次执行程序须记录法〔2016〕373号第一条的各项条件（conditions）", field: "conditions")
        }
        var missing: [String] = []
        if !conditions.noticeServedAndReportOrdered { missing.append("（一）已发出执行通知、责令报告财产") }
        if !conditions.consumptionRestrictedAndListed { missing.append("（二）已发出限制消费令，并依法纳入失信名单") }
        if !conditions.propertyInvestigationExhausted { missing.append("（三）已穷尽财产调查措施") }
        if !conditions.debtorSoughtAndObstructionPunished { missing.append("（五）已查找下落不明的被执行人、依法惩戒妨害执行行为") }
        if !missing.isEmpty {
            throw DomainError(
                code: "termination_conditions_unmet",
                message: "终结本次执行程序的条件尚未满足：\(missing.joined(separator: "；"))", field: "conditions", kind: .conflict)
        }
    }

    /// Checks that a case may be resumed: only a 终本 case that has not been resumed already,
    /// with a 执恢 number of the same court.
    public static func checkResume(
        status: CaseStatus, alreadyResumedAs: String?, original: CaseNumber,
        newNumber: CaseNumber
    ) throws(DomainError) {
        guard status == .terminatedThisRound else {
            throw DomainError(
                code: "illegal_transition",
                message: "案件当前状态为「\(status.chinese)」，只有终本案件可以恢复执行", field: "caseNumber", kind: .conflict)
        }
        if let alreadyResumedAs {
            throw DomainError(code: "already_resumed", message: "该案件已恢复执行为 \(alreadyResumedAs)", field: "caseNumber", kind: .conflict)
        }
        guard newNumber.typeCode == "执恢" else {
            throw DomainError(code: "resume_needs_zhihui", message: "恢复执行案件的案号须为执恢字号，如（2025）赣0732执恢12号", field: "caseNumber")
        }
        if let court = original.courtCode, court != newNumber.courtCode {
            throw DomainError(code: "resume_other_court", message: "恢复执行案件须由原执行法院（\(court)）立案", field: "caseNumber")
        }
    }
}
