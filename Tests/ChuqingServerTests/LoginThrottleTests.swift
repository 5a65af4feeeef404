@testable import ChuqingServer
import ChuqingTestSupport
import Foundation
import Testing

@Suite("Login throttle")
struct LoginThrottleTests {
    @Test
    func failuresOlderThanTheWindowNoLongerCount() async {
        let throttle = LoginThrottle(perUser: 2, perAddress: 100, window: 60)
        let start = TestSupport.fixedNow
        await throttle.recordFailure(username: "judge", address: "10.0.0.1", now: start)
        await throttle.recordFailure(username: "judge", address: "10.0.0.1", now: start)
        #expect(await throttle.retryAfter(username: "judge", address: "10.0.0.1", now: start.addingTimeInterval(10)) == 50)
        #expect(await throttle.retryAfter(username: "judge", address: "10.0.0.1", now: start.addingTimeInterval(61)) == nil)
    }

    @Test
    func oneAddressGuessingAtManyNamesIsStopped() async {
        let throttle = LoginThrottle(perUser: 5, perAddress: 3, window: 60)
        let now = TestSupport.fixedNow
        for name in ["a1", "a2", "a3"] {
            await throttle.recordFailure(username: name, address: "10.0.0.9", now: now)
        }
        #expect(await throttle.retryAfter(username: "a4", address: "10.0.0.9", now: now) == 60)
        #expect(await throttle.retryAfter(username: "a4", address: "10.0.0.10", now: now) == nil)
    }

    @Test
    func guessesAtManyNamesDoNotGrowTheTableForEver() async {
        let throttle = LoginThrottle(perUser: 5, perAddress: 1000, window: 60, sweepThreshold: 10)
        let start = TestSupport.fixedNow
        for n in 0..<50 {
            // each guess a minute after the last: only the latest is still inside the window
            await throttle.recordFailure(username: "guess\(n)", address: nil, now: start.addingTimeInterval(Double(n) * 61))
        }
        #expect(await throttle.trackedKeys <= 10)
    }
}
