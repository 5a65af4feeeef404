import Foundation

/// Where a scheduled job is in its life (issue 17).
public enum JobState: String, Sendable, CaseIterable, Codable {
    /// waiting for its due instant, or for its next attempt after a failure
    case queued
    /// taken by a process, whose lease has not run out
    case running
    /// its effect committed
    case done
    /// failed `maxAttempts` times; stays for the admin to read and retry
    case failed

    public var chinese: String {
        switch self {
        case .queued: "待运行"
        case .running: "运行中"
        case .done: "已完成"
        case .failed: "失败"
        }
    }
}

/// The rules of retrying and of daily runs, pure.
public enum JobTiming {
    /// The wait before attempt `attempt + 1` after `attempt` failed: 30 s, doubling, at most an
    /// hour. A gateway or exchange that is down for a while is not hammered, and a job whose cause
    /// is fixed runs again within the hour.
    public static func backoff(afterAttempt attempt: Int) -> TimeInterval {
        let exponent = min(max(attempt - 1, 0), 20)
        return min(30 * pow(2, Double(exponent)), 3600)
    }

    /// The instant `hour`:00 China Standard Time on `date` (UTC+8 all year: China keeps no
    /// daylight saving time).
    public static func instant(of date: CalendarDate, hour: Int) -> Date {
        date.start.addingTimeInterval(TimeInterval(hour * 3600))
    }

    /// The daily run of a periodic job that is due at or before `now`: today's if `now` is past
    /// today's hour, else yesterday's. A server that was down at the hour runs the day's job when it
    /// starts, once (each day's run has its own key).
    public static func latestDailyRun(hour: Int, now: Date) -> CalendarDate {
        let today = CalendarDate(dayOf: now)
        return now >= instant(of: today, hour: hour) ? today : today.adding(days: -1)
    }

    /// The next daily run after the one of `date`.
    public static func nextDailyRun(after date: CalendarDate, hour: Int) -> Date {
        instant(of: date.adding(days: 1), hour: hour)
    }
}
