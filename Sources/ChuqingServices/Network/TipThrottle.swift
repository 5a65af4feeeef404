import Foundation

/// Limits public tips per client address: at most `limit` within `window`, then 429 until the
/// oldest one leaves the window. In this process's memory, like `LoginThrottle`.
public actor TipThrottle {
    public let limit: Int
    public let window: TimeInterval
    private var recent: [String: [Date]] = [:]

    public init(limit: Int = 5, window: TimeInterval = 10 * 60) {
        self.limit = limit
        self.window = window
    }

    /// Seconds to wait, or nil when a tip from `address` is allowed now (and is then counted).
    public func admit(address: String?, now: Date) -> Int? {
        let key = address ?? "unknown"
        if recent.count > 10_000 {
            recent = recent.filter { now.timeIntervalSince($0.value.last ?? .distantPast) < window }
        }
        var times = (recent[key] ?? []).filter { now.timeIntervalSince($0) < window }
        if times.count >= limit, let oldest = times.first {
            recent[key] = times
            return max(1, Int(oldest.addingTimeInterval(window).timeIntervalSince(now).rounded(.up)))
        }
        times.append(now)
        recent[key] = times
        return nil
    }
}
