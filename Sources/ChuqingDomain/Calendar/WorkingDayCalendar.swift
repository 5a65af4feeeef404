/// China's working-day calendar (工作日): Monday to Friday, except statutory holidays, plus the
/// make-up working days (调休上班) that fall on weekends — shared/domain/calendar.md.
///
/// Built from data (`Templates/calendar/working-days.csv`, which a court extends each year) and
/// refuses to answer for a year the data does not cover: a deadline is never guessed.
public struct WorkingDayCalendar: Sendable, Equatable {
    public enum Kind: String, Sendable { case off, work }

    /// The years the data covers.
    public let coveredYears: Set<Int>
    /// Days that differ from the Monday–Friday rule, with their kind and name.
    public let exceptions: [CalendarDate: (kind: Kind, name: String)]

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.coveredYears == rhs.coveredYears && lhs.exceptions.mapValues(\.kind) == rhs.exceptions.mapValues(\.kind)
    }

    /// The last day the calendar covers: a working-day deadline past it cannot be counted.
    public var lastCoveredDay: CalendarDate? {
        coveredYears.max().flatMap { CalendarDate(year: $0, month: 12, day: 31) }
    }

    public init(coveredYears: Set<Int>, exceptions: [CalendarDate: (kind: Kind, name: String)]) {
        self.coveredYears = coveredYears
        self.exceptions = exceptions
    }

    /// Parses the data file: `covers,YEAR` lines and `DATE,off|work,NAME` lines; `#` starts a
    /// comment. Every day listed must lie in a covered year. Errors name the line.
    public static func parse(_ text: String, source: String = "working-days.csv") throws(DomainError) -> WorkingDayCalendar {
        var years = Set<Int>()
        var exceptions: [CalendarDate: (kind: Kind, name: String)] = [:]
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmed
            guard !line.isEmpty, !line.hasPrefix("#") else { continue }
            func bad(_ why: String) -> DomainError {
                DomainError(code: "invalid_calendar", message: "\(source) 第 \(index + 1) 行「\(line)」：\(why)", field: "calendar")
            }
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map(\.trimmed)
            if fields.first == "covers" {
                guard fields.count == 2, let year = Int(fields[1]), (1949...2200).contains(year) else { throw bad("应为 covers,年份") }
                years.insert(year)
                continue
            }
            guard fields.count == 3 else { throw bad("应为 日期,off 或 work,名称") }
            let date: CalendarDate
            do { date = try CalendarDate.parse(fields[0]) } catch { throw bad(error.message) }
            guard let kind = Kind(rawValue: fields[1]) else { throw bad("第二列须为 off（放假）或 work（调休上班）") }
            guard years.contains(date.year) else { throw bad("\(date.year) 年前面没有 covers,\(date.year) 行") }
            guard exceptions[date] == nil else { throw bad("\(date) 重复") }
            exceptions[date] = (kind, fields[2])
        }
        guard !years.isEmpty else {
            throw DomainError(code: "invalid_calendar", message: "\(source) 没有任何 covers 行：不知道覆盖哪些年份", field: "calendar")
        }
        return WorkingDayCalendar(coveredYears: years, exceptions: exceptions)
    }

    /// Whether `date` is a working day; an error for a year the data does not cover.
    public func isWorkingDay(_ date: CalendarDate) throws(DomainError) -> Bool {
        try checkCovered(date)
        if let exception = exceptions[date] { return exception.kind == .work }
        return !date.isWeekend
    }

    /// Whether `date` is a statutory holiday (not merely a weekend).
    public func isHoliday(_ date: CalendarDate) throws(DomainError) -> Bool {
        try checkCovered(date)
        return exceptions[date]?.kind == .off
    }

    /// The day on which a period of `count` working days that starts on `date` ends: the start
    /// day is not counted (3 working days from a Tuesday are Wednesday, Thursday, Friday).
    public func adding(workingDays count: Int, to date: CalendarDate) throws(DomainError) -> CalendarDate {
        var day = date
        var counted = 0
        while counted < count {
            day = day.adding(days: 1)
            if try isWorkingDay(day) { counted += 1 }
        }
        return day
    }

    /// A period of `count` calendar days (日) from `date` under 民事诉讼法 art. 85: the start day is
    /// not counted, and a period whose last day falls on a 节假日 ends on the next working day.
    /// Decided explicitly (calendar.md, edge case 8): ordinary weekends count as 节假日, as courts
    /// apply the article; a make-up working day (调休上班) is a working day, so a period ending on a
    /// make-up Saturday ends that Saturday.
    public func adding(calendarDays count: Int, to date: CalendarDate) throws(DomainError) -> CalendarDate {
        var day = date.adding(days: count)
        while !(try isWorkingDay(day)) {
            day = day.adding(days: 1)
        }
        return day
    }

    private func checkCovered(_ date: CalendarDate) throws(DomainError) {
        guard coveredYears.contains(date.year) else {
            let covered = coveredYears.sorted().map(String.init).joined(separator: "、")
            throw DomainError(
                code: "calendar_not_covered",
                message: "工作日历没有 \(date.year) 年的节假日安排（已有：\(covered)）；请管理员补充 Templates/calendar/working-days.csv 后再计算期限",
                field: "calendar")
        }
    }
}

extension CalendarDate {
    /// Monday = 0 … Sunday = 6 (1970-01-01 was a Thursday).
    public var weekdayIndex: Int { ((dayNumber + 3) % 7 + 7) % 7 }

    /// Saturday or Sunday.
    public var isWeekend: Bool { weekdayIndex >= 5 }
}
