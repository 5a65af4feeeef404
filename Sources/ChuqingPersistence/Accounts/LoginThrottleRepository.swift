import Foundation
import SQLKit

/// The failed-login counters of `login_throttle`, shared by every server process.
public struct LoginThrottleRepository: Sendable {
    public init() {}

    /// A key's counter: failures since its window started, and until when it is blocked.
    public struct Counter: Sendable, Decodable {
        public let failures: Int
        public let window_started_at: Date
        public let last_failed_at: Date
        public let blocked_until: Date?
    }

    /// The counter of `key`, if failures are on record.
    public func counter(_ key: String, on db: any SQLDatabase) async throws -> Counter? {
        try await db.raw("SELECT failures, window_started_at, last_failed_at, blocked_until FROM login_throttle WHERE key = \(bind: key)")
            .first(decoding: Counter.self)
    }

    /// Counts one failure of `key` in one atomic statement (two processes failing at once both
    /// count); a window that ended before `windowStart` starts again at one. Returns the counter.
    public func recordFailure(_ key: String, at now: Date, windowStart: Date, on db: any SQLDatabase) async throws -> Counter {
        try await db.raw(
            """
            INSERT INTO login_throttle (key, failures, window_started_at, last_failed_at, blocked_until)
            VALUES (\(bind: key), 1, \(bind: now), \(bind: now), NULL)
            ON CONFLICT (key) DO UPDATE SET
                failures = CASE WHEN login_throttle.last_failed_at < \(bind: windowStart) THEN 1 ELSE login_throttle.failures + 1 END,
                window_started_at = CASE WHEN login_throttle.last_failed_at < \(bind: windowStart) THEN \(bind: now)
                                         ELSE login_throttle.window_started_at END,
                blocked_until = CASE WHEN login_throttle.last_failed_at < \(bind: windowStart) THEN NULL
                                     ELSE login_throttle.blocked_until END,
                last_failed_at = \(bind: now)
            RETURNING failures, window_started_at, last_failed_at, blocked_until
            """
        ).first(decoding: Counter.self)!
    }

    /// Blocks `key` until `until`.
    public func block(_ key: String, until: Date, on db: any SQLDatabase) async throws {
        try await db.raw("UPDATE login_throttle SET blocked_until = \(bind: until) WHERE key = \(bind: key)").run()
    }

    /// Forgets `key` (a successful login clears its own pair).
    public func clear(_ key: String, on db: any SQLDatabase) async throws {
        try await db.raw("DELETE FROM login_throttle WHERE key = \(bind: key)").run()
    }

    /// Removes counters with no failure since `before` and no block left at `now`, so guesses at
    /// many names cannot grow the table without bound.
    public func sweep(before: Date, now: Date, on db: any SQLDatabase) async throws {
        try await db.raw(
            """
            DELETE FROM login_throttle WHERE last_failed_at < \(bind: before) AND (blocked_until IS NULL OR blocked_until < \(bind: now))
            """
        ).run()
    }

    /// How many keys have failures on record.
    public func count(on db: any SQLDatabase) async throws -> Int {
        struct Row: Decodable { let n: Int }
        return try await db.raw("SELECT COUNT(*) AS n FROM login_throttle").first(decoding: Row.self)?.n ?? 0
    }
}
