import Foundation

/// Where an enforcement case stands (法发〔2014〕26号 closure types, plus 执行中).
public enum CaseStatus: String, CaseIterable, Codable, Sendable {
    /// 执行中
    case inEnforcement
    /// 终结本次执行程序 (终本): no assets found; may be resumed as a 执恢 case.
    case terminatedThisRound
    /// 执行完毕, including a settlement performed in full (执行和解规定 art. 8).
    case fullyEnforced
    /// 终结执行 (民诉法 art. 268), including transfer to bankruptcy.
    case terminated
    /// 不予执行
    case refused
    /// 驳回申请
    case rejected
    /// 销案
    case withdrawn

    /// As the case-flow system and the screens say it.
    public var chinese: String {
        switch self {
        case .inEnforcement: "执行中"
        case .terminatedThisRound: "终结本次执行程序"
        case .fullyEnforced: "执行完毕"
        case .terminated: "终结执行"
        case .refused: "不予执行"
        case .rejected: "驳回申请"
        case .withdrawn: "销案"
        }
    }

    /// Whether the case is closed (every status but 执行中). 终本 is a closure too, one that may
    /// be resumed.
    public var isClosed: Bool { self != .inEnforcement }

    /// Parses the Chinese name an export uses (also the short 终本 and 和解履行完毕, which
    /// counts as 执行完毕), or the API's English name.
    public static func parse(_ text: String, field: String = "status") throws(DomainError) -> CaseStatus {
        let value = text.trimmed
        if let status = CaseStatus(rawValue: value) { return status }
        switch value {
        case "终本", "终结本次执行", "终结本次执行程序": return .terminatedThisRound
        case "和解履行完毕", "执行和解履行完毕": return .fullyEnforced
        default: break
        }
        if let status = allCases.first(where: { $0.chinese == value }) { return status }
        throw DomainError(
            code: "unknown_status",
            message: "案件状态「\(text)」无法识别；可用：\(allCases.map(\.chinese).joined(separator: "、"))", field: field)
    }
}

/// 履行情况, derived from the target and what was performed; never stored.
public enum PerformanceStatus: String, Codable, Sendable {
    /// 全部未履行
    case none
    /// 部分履行
    case partial
    /// 全部履行
    case full

    public init(target: Money, performed: Money) {
        if performed.fen <= 0 {
            self = .none
        } else if performed >= target {
            self = .full
        } else {
            self = .partial
        }
    }

    public var chinese: String {
        switch self {
        case .none: "全部未履行"
        case .partial: "部分履行"
        case .full: "全部履行"
        }
    }
}
