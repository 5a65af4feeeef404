import Foundation

/// Slows password guessing: after too many failed logins for one user name, or from one address,
/// within a window, further attempts are refused (429) until the window has passed.
///
/// Counts live in this process's memory: a restart forgets them, and several server processes
/// each count separately (docs/operations.md says so).
public actor LoginThrottle {
    /// Failures allowed per user name within `window`.
    public let perUser: Int
    /// Failures allowed per address within `window` (higher: an office shares one address).
    public let perAddress: Int
    /// How far back failures count.
    public let window: TimeInterval

    /// Past this many tracked names and addresses, stale ones are swept out, so guesses at many
    /// different user names cannot grow the table without bound.
    public let sweepThreshold: Int

    private var failures: [String: [Date]] = [:]

    public init(perUser: Int = 5, perAddress: Int = 20, window: TimeInterval = 15 * 60, sweepThreshold: Int = 10_000) {
        self.perUser = perUser
        self.perAddress = perAddress
        self.window = window
        self.sweepThreshold = sweepThreshold
    }

    /// How many user names and addresses have failures on record.
    public var trackedKeys: Int { failures.count }

    /// Seconds to wait before another attempt is allowed, or nil if one is allowed now.
    public func retryAfter(username: String, address: String?, now: Date) -> Int? {
        var waits: [TimeInterval] = []
        for (key, limit) in keys(username: username, address: address) {
            let recent = prune(key, now: now)
            if recent.count >= limit, let oldest = recent.first {
                waits.append(oldest.addingTimeInterval(window).timeIntervalSince(now))
            }
        }
        return waits.max().map { max(1, Int($0.rounded(.up))) }
    }

    /// Counts a failed attempt.
    public func recordFailure(username: String, address: String?, now: Date) {
        if failures.count >= sweepThreshold {
            failures = failures.filter { now.timeIntervalSince($0.value.last ?? .distantPast) < window }
        }
        for (key, _) in keys(username: username, address: address) {
            failures[key, default: []].append(now)
        }
    }

    /// A successful login clears the user name's count (not the address's).
    public func recordSuccess(username: String) {
        failures["user:\(username)"] = nil
    }

    private func keys(username: String, address: String?) -> [(String, Int)] {
        var keys = [("user:\(username)", perUser)]
        if let address { keys.append(("addr:\(address)", perAddress)) }
        return keys
    }

    private func prune(_ key: String, now: Date) -> [Date] {
        let recent = (failures[key] ?? []).filter { now.timeIntervalSince($0) < window }
        failures[key] = recent.isEmpty ? nil : recent
        return recent
    }
}
