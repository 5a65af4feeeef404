/// A tip-off from the public (举报): invited by every published notice, under the court's duty to
/// keep a 举报电话 or 邮箱 (限制消费规定 art. 10). Given through the public form without login, or
/// phoned in and entered by a clerk. The tipster's name and phone are optional and shown only to
/// the judge and the director (rules.md §3: reward-notice tips are kept confidential).
public struct Tip: Sendable, Equatable {
    public enum Source: String, Sendable, Codable {
        /// The public form or API, without login.
        case publicForm
        /// Phoned in to the court and entered by a clerk.
        case phone
    }

    public static let maxText = 2_000

    public let text: String
    public let place: String?
    public let tipsterName: String?
    public let tipsterPhone: String?

    /// Checks a tip as given: what was seen is required; the rest is optional and bounded.
    public init(text: String, place: String?, tipsterName: String?, tipsterPhone: String?) throws(DomainError) {
        let text = text.trimmed
        guard !text.isEmpty else {
            throw DomainError(code: "tip_empty", message: "请写明您知道的情况：被执行人的下落、财产（房屋、车辆、经营、收入等）或联系方式", field: "text")
        }
        guard text.count <= Self.maxText else {
            throw DomainError(code: "tip_too_long", message: "举报内容最多 \(Self.maxText) 字（收到 \(text.count) 字）", field: "text")
        }
        func optional(_ value: String?, field: String, limit: Int, what: String) throws(DomainError) -> String? {
            guard let value = value?.trimmed, !value.isEmpty else { return nil }
            guard value.count <= limit else {
                throw DomainError(code: "field_too_long", message: "\(what)最多 \(limit) 字（收到 \(value.count) 字）", field: field)
            }
            return value
        }
        let phone = try optional(tipsterPhone, field: "phone", limit: 30, what: "联系电话")
        if let phone, !phone.allSatisfy({ $0.isASCII && ($0.isNumber || "+-() ".contains($0)) }) || (phone.filter(\.isNumber).count < 5) {
            throw DomainError(code: "invalid_phone", message: "联系电话「\(phone)」无法识别：请填写手机或座机号码（数字，可含 - 和空格），或留空", field: "phone")
        }
        self.text = text
        self.place = try optional(place, field: "place", limit: 200, what: "地点")
        self.tipsterName = try optional(tipsterName, field: "name", limit: 50, what: "姓名")
        self.tipsterPhone = phone
    }
}
