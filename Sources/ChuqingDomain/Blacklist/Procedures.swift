/// The procedures that can follow a listing besides deletion (rules.md §1):
/// - revocation (撤销) of a wrongly made entry, within 3 working days (法释〔2017〕7号 art. 9);
/// - correction (更正) of inaccurate data, within 3 working days (art. 9);
/// - a correction request (纠正申请, the "objection" of arts. 11–12), reviewed within 15 days —
///   calendar days, not working days (rules.md §7.8, "two clocks").
public enum BlacklistProcedureKind: String, CaseIterable, Codable, Sendable {
    case revocation, correction, objection

    public var chinese: String {
        switch self {
        case .revocation: "撤销"
        case .correction: "更正"
        case .objection: "纠正申请"
        }
    }

    public static func parse(_ text: String) throws(DomainError) -> BlacklistProcedureKind {
        guard let kind = BlacklistProcedureKind(rawValue: text) else {
            throw DomainError(
                code: "unknown_procedure",
                message: "kind「\(text)」无法识别；可用：revocation（撤销）、correction（更正）、objection（纠正申请）", field: "kind")
        }
        return kind
    }

    /// The day the procedure must be finished, counted from the day it arose: 3 working days for
    /// revocation and correction (art. 9), 15 calendar days for reviewing a request (art. 12).
    public func dueOn(aroseOn date: CalendarDate, calendar: WorkingDayCalendar) throws(DomainError) -> CalendarDate {
        switch self {
        case .revocation, .correction: try calendar.adding(workingDays: 3, to: date)
        case .objection: try calendar.adding(calendarDays: 15, to: date)
        }
    }
}

/// The grounds of a correction request (art. 11), each leading to its own remedy when upheld.
public enum ObjectionGround: String, CaseIterable, Codable, Sendable {
    /// Should not have been listed → revocation.
    case notListable
    /// The published data is wrong → correction.
    case wrongData
    /// Should have been deleted → deletion.
    case shouldBeDeleted

    public var chinese: String {
        switch self {
        case .notListable: "不应纳入失信名单"
        case .wrongData: "记载和公布的失信信息不准确"
        case .shouldBeDeleted: "失信信息应予删除"
        }
    }

    /// The procedure an upheld request starts (within 3 working days of the decision, art. 12);
    /// nil for `shouldBeDeleted`, which records a deletion trigger instead.
    public var remedy: BlacklistProcedureKind? {
        switch self {
        case .notListable: .revocation
        case .wrongData: .correction
        case .shouldBeDeleted: nil
        }
    }

    public static func parse(_ text: String?) throws(DomainError) -> ObjectionGround {
        guard let text, let ground = ObjectionGround(rawValue: text) else {
            throw DomainError(
                code: "unknown_ground",
                message: "纠正申请须写明理由 ground：notListable（不应纳入）、wrongData（信息不准确）或 shouldBeDeleted（应予删除），收到「\(text ?? "")」",
                field: "ground")
        }
        return ground
    }
}

/// The decision on a procedure.
public enum ProcedureOutcome: String, Codable, Sendable {
    case upheld, rejected

    public static func parse(_ text: String) throws(DomainError) -> ProcedureOutcome {
        guard let outcome = ProcedureOutcome(rawValue: text) else {
            throw DomainError(code: "unknown_outcome", message: "outcome 只能是 upheld（成立）或 rejected（驳回），收到「\(text)」", field: "outcome")
        }
        return outcome
    }
}
