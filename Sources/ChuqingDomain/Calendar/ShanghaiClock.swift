import Foundation

/// Today's date in Asia/Shanghai, where the courts are.
public enum ShanghaiClock {
    /// Midnight in Asia/Shanghai at the start of `instant`'s day.
    public static func startOfDay(_ instant: Date = Date()) -> Date {
        CalendarDate(dayOf: instant).start
    }

    /// The calendar date in Asia/Shanghai at `instant`: what "today" means for every date rule.
    public static func today(_ instant: Date = Date()) -> CalendarDate {
        CalendarDate(dayOf: instant)
    }
}
