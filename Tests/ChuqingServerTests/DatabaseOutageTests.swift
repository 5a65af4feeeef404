import ChuqingDomain
import ChuqingPersistence
import ChuqingServices
import ChuqingTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import ChuqingServer

/// Issue 14, item 3: with the database gone, every request is answered within its deadline with
/// 503 `database_unavailable` and `Retry-After`, pages say so in Chinese, and the server is back
/// within a second or two of the database. (Stopping the whole PostgreSQL server under a write
/// load is `.ci/outage_check.py`, which `make test` runs.)
@Suite("A database outage answers fast and clearly")
struct DatabaseOutageTests {
    @Test(.enabled(if: TestEngine.available.contains(.postgres)))
    func anOutageGives503AtOnceAndTheServerIsBackSoonAfterTheDatabase() async throws {
        // setup: the users, then the server's own path with a 2-second deadline (the timings
        // below leave room for a loaded test run; .ci/outage_check.py measures them on a quiet one)
        let url = try await TestPostgres.shared.freshDatabase(migrated: true)
        try await Database.open(url, logger: TestSupport.logger).withRunning { database in
            let accounts = AccountService(
                database: database, hasher: PasswordHasher(cost: 4), sessionLifetime: .seconds(3600), now: Date.init)
            try await TestWorld(database: database, accounts: accounts, routes: []).addUsers()
        }
        let database = try await Database.open(url, logger: TestSupport.logger, deadline: .seconds(2))
        var configuration = ServerConfiguration()
        configuration.home = TestSupport.repositoryRoot
        configuration.bcryptCost = 4
        configuration.logLevel = .critical
        let settings = configuration
        try await database.withRunning { database in
            let built = try await buildApplication(AppArguments(configuration: settings, database: database, runScheduler: false))
            let accounts = AccountService(
                database: database, hasher: PasswordHasher(cost: 4), sessionLifetime: .seconds(3600), now: Date.init)
            let world = TestWorld(database: database, accounts: accounts, routes: built.routes)
            let judge = try await world.token(.judge)
            try await built.application.test(.router) { client in
                #expect(try await client.execute(uri: "/api/v1/cases", method: .get, headers: bearer(judge)).status == .ok)

                // act: the outage
                try await TestPostgres.shared.cutOff(url)
                var started = ContinuousClock.now
                let login = try await client.execute(
                    uri: "/api/v1/sessions", method: .post, headers: [.contentType: "application/json"],
                    body: jsonBody(["username": "u-judge", "password": "password-judge"]))
                let first = ContinuousClock.now - started
                // check: within the deadline (plus a loaded machine's slack), not the pool's 65 s
                #expect(login.status == .serviceUnavailable, "\(login.text)")
                #expect(login.errorCode == "database_unavailable")
                #expect(login.headers[.retryAfter] == "2")
                #expect(first < .seconds(5), "the first request took \(first)")

                // once the pool's probe has failed, requests are refused without waiting
                try await Task.sleep(for: .seconds(1))
                started = ContinuousClock.now
                let cases = try await client.execute(uri: "/api/v1/cases", method: .get, headers: bearer(judge))
                let later = ContinuousClock.now - started
                #expect(cases.status == .serviceUnavailable)
                #expect(cases.errorCode == "database_unavailable")
                #expect(later < .seconds(1), "a request during a known outage took \(later)")

                // a page: Chinese, 503, Retry-After
                let page = try await client.execute(uri: "/notices", method: .get)
                #expect(page.status == .serviceUnavailable)
                #expect(page.headers[.retryAfter] == "2")
                #expect(page.headers[.contentType]?.hasPrefix("text/html") == true)
                #expect(page.text.contains("系统暂时无法使用"))
                #expect(page.text.contains("请稍等几秒钟后重试"))
                let ready = try await client.execute(uri: "/readyz", method: .get)
                #expect(ready.status == .serviceUnavailable)
                #expect(ready.errorCode == "database_unavailable")

                // the database returns: the server answers again within seconds (the pool's own
                // back-off would have taken up to a minute; the quiet figure is the outage check's)
                try await TestPostgres.shared.restore(url)
                let back = ContinuousClock.now
                var recovered: Duration?
                while ContinuousClock.now - back < .seconds(10) {
                    if try await client.execute(uri: "/api/v1/cases", method: .get, headers: bearer(judge)).status == .ok {
                        recovered = ContinuousClock.now - back
                        break
                    }
                    try await Task.sleep(for: .milliseconds(50))
                }
                let recovery = try #require(recovered, "the server did not answer within 10 s of the database's return")
                #expect(recovery < .seconds(4), "back after \(recovery)")
                // and writes again
                let login2 = try await client.execute(
                    uri: "/api/v1/sessions", method: .post, headers: [.contentType: "application/json"],
                    body: jsonBody(["username": "u-judge", "password": "password-judge"]))
                #expect(login2.status == .created, "\(login2.text)")
            }
        }
        try? await TestPostgres.shared.drop(url)
    }
}
