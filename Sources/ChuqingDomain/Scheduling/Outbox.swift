import Foundation

/// A way a reminder leaves Chuqing (issue 17 item 4): the court's SMS gateway or its WeChat
/// (政务微信) gateway. Both address a person by their mobile number.
public enum MessageChannel: String, Sendable, CaseIterable, Codable {
    case sms
    case wechat

    public var chinese: String {
        switch self {
        case .sms: "短信"
        case .wechat: "政务微信"
        }
    }
}

/// Where an outbox message stands.
public enum OutboxState: String, Sendable, CaseIterable {
    /// waiting for the gateway to take it (its delivery job retries with backoff)
    case pending
    /// the gateway took it
    case sent
    /// the gateway refused it for good (a number it does not serve, a text it will not carry)
    case rejected

    public var chinese: String {
        switch self {
        case .pending: "待发送"
        case .sent: "已发送"
        case .rejected: "被拒收"
        }
    }
}

/// The text a reminder is sent as: the court's name in 【】 as an SMS signature, then the title and
/// the body, cut to `maxLength` characters (what one long SMS carries).
public enum OutboxText {
    public static let maxLength = 300

    public static func text(court: String, title: String, body: String) -> String {
        let full = "【\(court)】\(title)：\(body)"
        guard full.count > maxLength else { return full }
        return String(full.prefix(maxLength - 1)) + "…"
    }
}

/// A mainland mobile number (11 digits from 1, the second 3–9), as SMS and WeChat gateways take it.
public enum MobileNumber {
    public static func check(_ raw: String, field: String) throws(DomainError) -> String {
        let text = raw.trimmed.filter { $0 != " " && $0 != "-" }
        let digits = Array(text)
        guard digits.count == 11, digits.allSatisfy({ $0.isASCII && $0.isNumber }), digits[0] == "1", ("3"..."9").contains(digits[1])
        else {
            throw DomainError(
                code: "invalid_mobile", message: "手机号码「\(raw)」不合规：须为 11 位数字，以 13–19 开头（如 13807970001）", field: field)
        }
        return text
    }
}
