import Foundation

/// 居民身份证号码, GB 11643-1999: 6-digit address code, 8-digit birth date, 3-digit sequence
/// (odd for men, even for women), and a check character.
///
/// Parsed once at the edge and trusted afterwards. The address code is not checked against today's
/// division codes: an ID keeps the code it was issued with after a county is renamed or merged
/// (rules.md §7.2, e.g. 赣县 360721 → 赣县区 360704).
public struct CitizenID: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The 18 characters, check character upper-case.
    public let value: String
    /// True when this was given as a pre-1999 15-digit number and upgraded.
    public let wasUpgraded: Bool

    /// Sex as the 17th digit says.
    public enum Sex: String, Sendable, Codable {
        case male, female

        /// As published: 男性 / 女性 (zxgk's `sexy` field).
        public var chinese: String { self == .male ? "男性" : "女性" }
    }

    /// GB 11643 weights W_i = 2^(18−i) mod 11 for positions 1–17.
    static let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    /// S mod 11 → check character.
    static let checkCharacters = Array("10X98765432")

    /// The check character for the first 17 digits (S mod 11 through `10X98765432`).
    public static func checkCharacter(for digits: some Collection<Character>) -> Character {
        let sum = zip(digits, weights).reduce(0) { $0 + Int(String($1.0))! * $1.1 }
        return checkCharacters[sum % 11]
    }

    /// Validates an 18-character ID or upgrades a 15-digit one. `today` bounds the birth date:
    /// nobody is born in the future.
    public init(_ text: String, today: CalendarDate, field: String = "idNumber") throws(DomainError) {
        let raw = text.trimmed.uppercased()
        func reject(_ code: String, _ why: String) -> DomainError {
            DomainError(code: code, message: "身份证号码「\(text)」\(why)", field: field)
        }
        var digits17: [Character]
        var upgraded = false
        switch raw.count {
        case 18:
            let chars = Array(raw)
            guard chars.prefix(17).allSatisfy(\.isASCIIDigit) else {
                throw reject("invalid_citizen_id", "的前 17 位须全为数字")
            }
            guard chars[17].isASCIIDigit || chars[17] == "X" else {
                throw reject("invalid_citizen_id", "的第 18 位（校验码）须为数字或 X")
            }
            digits17 = Array(chars.prefix(17))
            let expected = Self.checkCharacter(for: digits17)
            guard chars[17] == expected else {
                throw reject("citizen_id_check_failed", "校验码错误：按 GB 11643 应为 \(expected)")
            }
        case 15:
            guard raw.allSatisfy(\.isASCIIDigit) else { throw reject("invalid_citizen_id", "须为 15 位数字（旧号码）或 18 位") }
            // Pre-1999 IDs have a 2-digit year (all 19xx) and no check character.
            digits17 = Array(raw.prefix(6)) + ["1", "9"] + Array(raw.dropFirst(6))
            upgraded = true
        default:
            throw reject("invalid_citizen_id", "长度为 \(raw.count) 位：须为 18 位（或 15 位旧号码）")
        }
        guard digits17.first != "0" else { throw reject("invalid_citizen_id", "的地址码不能以 0 开头") }
        let birth = String(digits17[6..<14])
        guard let date = CalendarDate(year: Int(birth.prefix(4))!, month: Int(birth.dropFirst(4).prefix(2))!, day: Int(birth.suffix(2))!)
        else {
            throw reject("citizen_id_bad_birth_date", "中的出生日期 \(birth) 不存在")
        }
        guard date <= today else {
            throw reject("citizen_id_bad_birth_date", "中的出生日期 \(date) 晚于今天（\(today)）")
        }
        self.value = String(digits17) + String(Self.checkCharacter(for: digits17))
        self.wasUpgraded = upgraded
    }

    /// The 6-digit address code at issue (may no longer exist).
    public var regionCode: String { String(value.prefix(6)) }

    /// Date of birth.
    public var birthDate: CalendarDate {
        let chars = Array(value)
        return CalendarDate(year: Int(String(chars[6..<10]))!, month: Int(String(chars[10..<12]))!, day: Int(String(chars[12..<14]))!)!
    }

    /// Sex from the 17th digit: odd male, even female.
    public var sex: Sex {
        Int(String(Array(value)[16]))! % 2 == 1 ? .male : .female
    }

    /// Full years of age on `date` (rules.md §7.5: evaluate on the listing date, not today).
    public func age(on date: CalendarDate) -> Int {
        birthDate.fullYears(until: date)
    }

    /// Whether the person is of full age (成年) on `date`: from the day after the 18th birthday,
    /// since the day an age is reached is not counted (民法典 art. 201: a period counted in years
    /// starts on the next day; 法释〔2006〕1号 art. 2 reads age the same way). Someone born on
    /// 29 February reaches the period's end on 28 February of a common year.
    public func isAdult(on date: CalendarDate) -> Bool {
        date > birthDate.adding(months: 12 * 18)
    }

    /// As the national list publishes it: birth month and day hidden, `3607321980****1236`.
    public var masked: String {
        String(value.prefix(10)) + "****" + String(value.suffix(4))
    }

    public var description: String { value }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(value)
    }

    /// Decodes a stored value (already validated when it was stored; no "today" check).
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do {
            self = try CitizenID(text, today: CalendarDate(year: 9999, month: 12, day: 31)!)
        } catch {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: error.message, underlyingError: error))
        }
    }
}
