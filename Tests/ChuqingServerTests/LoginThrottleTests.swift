import ChuqingPersistence
import ChuqingServices
import ChuqingTestSupport
import Foundation
import Testing

@testable import ChuqingServer

@Suite("Login throttle")
struct LoginThrottleTests {
    @Test
    func eachFailureOfAPairPastTheFreeOnesDoublesItsWait() {
        let throttle = LoginThrottle(freeFailures: 3, firstDelay: 2, maxDelay: 900)
        #expect((1...3).map { throttle.delay(afterFailures: $0) } == [nil, nil, nil])
        #expect(throttle.delay(afterFailures: 4) == 2)
        #expect(throttle.delay(afterFailures: 5) == 4)
        #expect(throttle.delay(afterFailures: 12) == 512)
        #expect(throttle.delay(afterFailures: 13) == 900)
        #expect(throttle.delay(afterFailures: 10_000) == 900)
    }

    @Test(arguments: TestEngine.available)
    func aPairWaitsLongerAfterEachFailureAndOthersDoNot(engine: TestEngine) async throws {
        try await engine.withDatabase { database in
            let throttle = LoginThrottle(freeFailures: 2, firstDelay: 10, maxDelay: 900, window: 900)
            let db = database.sql
            var now = TestSupport.fixedNow
            func wait(_ user: String = "judge", _ address: String? = "10.0.0.1") async throws -> Int? {
                try await throttle.retryAfter(username: user, address: address, knownUser: true, now: now, on: db)
            }
            for _ in 0..<2 { try await throttle.recordFailure(username: "judge", address: "10.0.0.1", knownUser: true, now: now, on: db) }
            #expect(try await wait() == nil)  // two free failures
            try await throttle.recordFailure(username: "judge", address: "10.0.0.1", knownUser: true, now: now, on: db)
            #expect(try await wait() == 10)
            // nobody else waits: the same user elsewhere, another user here
            #expect(try await wait("judge", "10.0.0.2") == nil)
            #expect(try await wait("clerk", "10.0.0.1") == nil)
            now = now.addingTimeInterval(10)
            #expect(try await wait() == nil)
            try await throttle.recordFailure(username: "judge", address: "10.0.0.1", knownUser: true, now: now, on: db)
            #expect(try await wait() == 20)
            // a success clears the pair
            try await throttle.recordSuccess(username: "judge", address: "10.0.0.1", on: db)
            #expect(try await wait() == nil)
        }
    }

    @Test(arguments: TestEngine.available)
    func guessesAtUnknownNamesStopThatAddressForUnknownNamesOnly(engine: TestEngine) async throws {
        try await engine.withDatabase { database in
            let throttle = LoginThrottle(unknownPerAddress: 3, window: 60)
            let db = database.sql
            let now = TestSupport.fixedNow
            for name in ["a1", "a2", "a3"] {
                try await throttle.recordFailure(username: name, address: "10.0.0.9", knownUser: false, now: now, on: db)
            }
            #expect(try await throttle.retryAfter(username: "a4", address: "10.0.0.9", knownUser: false, now: now, on: db) == 60)
            #expect(try await throttle.retryAfter(username: "judge", address: "10.0.0.9", knownUser: true, now: now, on: db) == nil)
            #expect(try await throttle.retryAfter(username: "a4", address: "10.0.0.10", knownUser: false, now: now, on: db) == nil)
            #expect(
                try await throttle.retryAfter(
                    username: "a4", address: "10.0.0.9", knownUser: false, now: now.addingTimeInterval(61), on: db) == nil)
        }
    }

    @Test(arguments: TestEngine.available)
    func theCountsOutliveTheProcessAndDoNotGrowForEver(engine: TestEngine) async throws {
        try await engine.withDatabase { database in
            let db = database.sql
            let start = TestSupport.fixedNow
            for _ in 0..<4 {
                try await LoginThrottle().recordFailure(username: "judge", address: "10.0.0.1", knownUser: true, now: start, on: db)
            }
            // another throttle (a restarted server, a second process) sees the same wait
            #expect(try await LoginThrottle().retryAfter(username: "judge", address: "10.0.0.1", knownUser: true, now: start, on: db) == 2)
            let throttle = LoginThrottle(window: 60)
            for n in 0..<50 {
                // each guess a minute after the last: only the latest is still inside the window
                try await throttle.recordFailure(
                    username: "guess\(n)", address: nil, knownUser: false,
                    now: start.addingTimeInterval(Double(n + 1) * 61), on: db)
            }
            #expect(try await LoginThrottleRepository().count(on: db) <= 3)
        }
    }

    @Test
    func forwardedAddressesAreBelievedFromTrustedProxiesOnly() throws {
        let proxies = try TrustedProxies(parsing: "10.0.0.5, 192.168.1.0/24, ::1")
        #expect(proxies.client(peer: "10.0.0.5", forwardedFor: ["203.0.113.7"]) == "203.0.113.7")
        #expect(proxies.client(peer: "192.168.1.77", forwardedFor: ["198.51.100.1, 203.0.113.7, 10.0.0.5"]) == "203.0.113.7")
        #expect(proxies.client(peer: "::1", forwardedFor: ["203.0.113.7"]) == "203.0.113.7")
        // anyone else's header is ignored
        #expect(proxies.client(peer: "203.0.113.9", forwardedFor: ["127.0.0.1"]) == "203.0.113.9")
        #expect(TrustedProxies.none.client(peer: "10.0.0.5", forwardedFor: ["203.0.113.7"]) == "10.0.0.5")
        // a malformed hop: nothing beyond it is believed
        #expect(proxies.client(peer: "10.0.0.5", forwardedFor: ["203.0.113.7, junk"]) == "10.0.0.5")
        #expect(throws: ConfigurationError.self) { try TrustedProxies(parsing: "10.0.0.0/33") }
        #expect(throws: ConfigurationError.self) { try TrustedProxies(parsing: "proxy.court.local") }
    }
}
