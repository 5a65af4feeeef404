import Foundation

/// A calendar date with no time zone: a filing date, a birth date, a decision date.
///
/// Events are instants (`Date`); legal dates are calendar days, and mixing the two shifts dates by
/// a day around midnight in Asia/Shanghai. Stored as ISO text `YYYY-MM-DD` on both engines.
public struct CalendarDate: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    /// A date that exists in the proleptic Gregorian calendar; nil otherwise (2023-02-30).
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month),
            (1...CalendarDate.daysIn(month: month, year: year)).contains(day)
        else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Whether `year` has a 29 February: every 4th year, except centuries not divisible by 400.
    public static func isLeap(_ year: Int) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    /// Days in `month` of `year`.
    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Parses the forms court exports use: `2023-03-14`, `2023/3/14`, `2023年3月14日`, `20230314`
    /// (also `2023.3.14`). The error names the field and the accepted forms.
    public static func parse(_ text: String, field: String = "date") throws(DomainError) -> CalendarDate {
        let accepted = "可用格式：2023-03-14、2023/3/14、2023年3月14日、20230314"
        let value = text.trimmed
        var parts: [Substring] = []
        if value.count == 8, value.allSatisfy(\.isASCIIDigit) {
            parts = [value.prefix(4), value.dropFirst(4).prefix(2), value.suffix(2)]
        } else {
            var normalised = value
            if normalised.hasSuffix("日") { normalised.removeLast() }
            parts = normalised.split(omittingEmptySubsequences: false) { "-/.年月".contains($0) }
        }
        guard parts.count == 3, parts.allSatisfy({ !$0.isEmpty && $0.count <= 4 && $0.allSatisfy(\.isASCIIDigit) }),
            parts[0].count == 4, let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2])
        else {
            throw DomainError(code: "invalid_date", message: "日期「\(text)」无法识别。\(accepted)", field: field)
        }
        guard let date = CalendarDate(year: year, month: month, day: day) else {
            throw DomainError(code: "impossible_date", message: "日期「\(text)」不存在（\(year)年\(month)月没有\(day)日）", field: field)
        }
        return date
    }

    /// ISO 8601, `2023-03-14`.
    public var description: String {
        String(year).leftPadded(4) + "-" + String(month).leftPadded(2) + "-" + String(day).leftPadded(2)
    }

    /// Chinese long form, `2023年3月14日`.
    public var chinese: String { "\(year)年\(month)月\(day)日" }

    public static func < (lhs: CalendarDate, rhs: CalendarDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    /// The same day `months` later (or earlier), clamped to the month's last day (31 Jan + 1 month
    /// is 28/29 Feb), as 民诉法 reckons periods counted in months.
    public func adding(months: Int) -> CalendarDate {
        let total = year * 12 + (month - 1) + months
        let newYear = total / 12
        let newMonth = total % 12 + 1
        return CalendarDate(year: newYear, month: newMonth, day: min(day, Self.daysIn(month: newMonth, year: newYear)))!
    }

    /// Days since 1970-01-01 (negative before), for day arithmetic.
    public var dayNumber: Int {
        // Howard Hinnant's days_from_civil.
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }

    /// The date `dayNumber` days after 1970-01-01.
    public init(dayNumber: Int) {
        let z = dayNumber + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        self.year = yoe + era * 400 + (m <= 2 ? 1 : 0)
        self.month = m
        self.day = d
    }

    /// The date `days` calendar days later.
    public func adding(days: Int) -> CalendarDate { CalendarDate(dayNumber: dayNumber + days) }

    /// Full years from `self` to `date` (an age: the birthday itself counts; someone born on
    /// 29 February turns a year older on 1 March in common years).
    public func fullYears(until date: CalendarDate) -> Int {
        var years = date.year - year
        if (date.month, date.day) < (month, day) { years -= 1 }
        return years
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do {
            self = try CalendarDate.parse(text)
        } catch {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: error.message, underlyingError: error))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

extension String {
    /// Zero-padded on the left to `width` characters.
    public func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}

extension Character {
    /// 0–9 only (not full-width or other scripts' digits).
    var isASCIIDigit: Bool { isASCII && isNumber }
}

extension CalendarDate {
    /// The court's calendar: China Standard Time (UTC+8, no daylight saving), where a legal day
    /// begins and ends.
    static var chinaCalendar: Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Asia/Shanghai")!
        return calendar
    }

    /// The day `instant` falls on in China Standard Time.
    public init(dayOf instant: Date) {
        let c = Self.chinaCalendar.dateComponents([.year, .month, .day], from: instant)
        self.init(year: c.year!, month: c.month!, day: c.day!)!
    }

    /// The instant this day begins in China Standard Time.
    public var start: Date {
        Self.chinaCalendar.date(from: DateComponents(year: year, month: month, day: day))!
    }
}

extension CalendarDate {
    /// Refuses a date after `today` for something that has already happened (a filing, a closing,
    /// a payment, a measure, a visit, a decision): Chuqing records facts, and a fact cannot be dated
    /// in the future. The one rule behind every `date_in_future`, in the import, the API and pages.
    public func mustHaveHappened(by today: CalendarDate, _ what: String, field: String) throws(DomainError) {
        guard self > today else { return }
        throw DomainError(
            code: "date_in_future",
            message: "\(what) \(self) 晚于今天（\(today)）：只能记录已经发生的事项，请填今天或以前的日期", field: field)
    }
}
