import ChuqingPersistence
import Foundation
import SQLKit

/// Slows password guessing without letting anyone lock another person out.
///
/// - One user name from one address (the pair) may fail `freeFailures` times; each failure after
///   that makes the pair wait before its next try, twice as long each time (`firstDelay`, doubling,
///   at most `maxDelay`). A success clears the pair. Nobody else's failures delay a pair: the same
///   user at another desk, and other users at this address, log in as usual.
/// - Guesses at user names that do not exist are counted per address: past `unknownPerAddress`
///   within `window`, that address is refused for unknown names only, so a court behind one
///   reverse proxy is never locked out as a whole.
///
/// The counters are rows of `login_throttle`: they hold across restarts and across processes.
public struct LoginThrottle: Sendable {
    /// Failures of one pair before the first delay.
    public let freeFailures: Int
    /// The first delay; each further failure doubles it.
    public let firstDelay: TimeInterval
    /// The longest delay.
    public let maxDelay: TimeInterval
    /// Failures with unknown user names allowed per address within `window`.
    public let unknownPerAddress: Int
    /// How long a counter lasts after its last failure.
    public let window: TimeInterval

    let repository = LoginThrottleRepository()

    public init(
        freeFailures: Int = 3, firstDelay: TimeInterval = 2, maxDelay: TimeInterval = 15 * 60,
        unknownPerAddress: Int = 20, window: TimeInterval = 15 * 60
    ) {
        self.freeFailures = freeFailures
        self.firstDelay = firstDelay
        self.maxDelay = maxDelay
        self.unknownPerAddress = unknownPerAddress
        self.window = window
    }

    /// The wait after a pair's `failures`-th failure, or nil while it is still free.
    public func delay(afterFailures failures: Int) -> TimeInterval? {
        guard failures > freeFailures else { return nil }
        let doublings = min(failures - freeFailures - 1, 30)
        return min(maxDelay, firstDelay * pow(2, Double(doublings)))
    }

    /// Seconds to wait before this attempt is looked at, or nil when it may go ahead.
    public func retryAfter(username: String, address: String?, knownUser: Bool, now: Date, on db: any SQLDatabase) async throws -> Int? {
        var wait: TimeInterval = 0
        if let pair = try await repository.counter(Self.pairKey(username, address), on: db), let until = pair.blocked_until {
            wait = max(wait, until.timeIntervalSince(now))
        }
        if !knownUser, let unknown = try await repository.counter(Self.unknownKey(address), on: db),
            unknown.failures >= unknownPerAddress
        {
            wait = max(wait, unknown.last_failed_at.addingTimeInterval(window).timeIntervalSince(now))
        }
        return wait > 0 ? max(1, Int(wait.rounded(.up))) : nil
    }

    /// Counts a failed attempt and sets the pair's next delay.
    public func recordFailure(username: String, address: String?, knownUser: Bool, now: Date, on db: any SQLDatabase) async throws {
        let windowStart = now.addingTimeInterval(-window)
        let pairKey = Self.pairKey(username, address)
        let pair = try await repository.recordFailure(pairKey, at: now, windowStart: windowStart, on: db)
        if let delay = delay(afterFailures: pair.failures) {
            try await repository.block(pairKey, until: now.addingTimeInterval(delay), on: db)
        }
        if !knownUser {
            _ = try await repository.recordFailure(Self.unknownKey(address), at: now, windowStart: windowStart, on: db)
        }
        try await repository.sweep(before: windowStart, now: now, on: db)
    }

    /// A successful login clears its own pair (not the address's count of unknown names).
    public func recordSuccess(username: String, address: String?, on db: any SQLDatabase) async throws {
        try await repository.clear(Self.pairKey(username, address), on: db)
    }

    static func pairKey(_ username: String, _ address: String?) -> String { "pair:\(address ?? "-") \(username)" }
    static func unknownKey(_ address: String?) -> String { "unknown:\(address ?? "-")" }
}
