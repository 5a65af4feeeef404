import ChuqingDomain
import ChuqingPersistence
import ChuqingServer
import ChuqingServices
import ChuqingTestSupport
import Foundation
import SQLKit
import Testing

/// Issue 17's figures with real `chuqing serve` processes (built beside the tests by
/// `swift build --build-tests`): a server killed with SIGKILL mid-job, and two servers on one
/// PostgreSQL sharing the jobs. The jobs are reminders' deliveries to a gateway simulator, which
/// counts every request: a job that ran twice would show as a second request.
@Suite("The scheduler in real server processes", .serialized)
struct SchedulerProcessTests {
    static var binaryBuilt: Bool { FileManager.default.isExecutableFile(atPath: CommandLineTests.binary.path) }

    /// A running `chuqing serve`, its output in a file.
    final class Server: Sendable {
        let process: Process
        let output: URL

        init(database: String, gateway: URL, lease: Int, workers: Int = 2) throws {
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("chuqing-serve-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            output = folder.appendingPathComponent("serve.log")
            FileManager.default.createFile(atPath: output.path, contents: nil)
            let process = Process()
            process.executableURL = CommandLineTests.binary
            process.arguments = ["serve", "--port", "0"]
            process.currentDirectoryURL = TestSupport.repositoryRoot
            process.environment = [
                "PATH": "/usr/bin:/bin", "DATABASE_URL": database, "CHUQING_LOG_LEVEL": "info", "CHUQING_BCRYPT_COST": "10",
                "CHUQING_SMS_URL": gateway.absoluteString, "CHUQING_SMS_SIGNATURE": "兴国县人民法院",
                "CHUQING_SCHEDULER_POLL_SECONDS": "1", "CHUQING_SCHEDULER_LEASE_SECONDS": "\(lease)",
                "CHUQING_SCHEDULER_WORKERS": "\(workers)",
            ]
            let handle = try FileHandle(forWritingTo: output)
            process.standardOutput = handle
            process.standardError = handle
            try process.run()
            self.process = process
        }

        var log: String { (try? String(contentsOf: output, encoding: .utf8)) ?? "" }

        /// How many deliveries this process completed (its log's "job done" lines).
        var deliveriesDone: Int {
            log.split(separator: "\n").filter { $0.contains("job done") && $0.contains(Reminders.deliveryKind) }.count
        }

        func signal(_ signal: Int32) async -> Int32 {
            kill(process.processIdentifier, signal)
            return await withCheckedContinuation { continuation in
                Thread.detachNewThread {
                    self.process.waitUntilExit()
                    continuation.resume(returning: self.process.terminationStatus)
                }
            }
        }
    }

    /// `count` due deliveries of reminders to one person, in one transaction.
    static func seed(_ database: Database, count: Int) async throws -> [UUID] {
        let now = Date()
        let user = User(
            id: UUID(), username: try Username("u-director"), displayName: "测试院领导", role: .director, mobile: "13807970006")
        try await UserRepository().insert(user, passwordHash: "x", isDemo: false, createdAt: now, on: database.sql)
        return try await database.transaction { db in
            var messages: [UUID] = []
            for n in 0..<count {
                let item = try #require(
                    try await InboxRepository(database: database.joining(db)).add(
                        NewReminder(
                            userID: user.id, kind: "test", title: "提醒 \(n)", body: "（2022）赣0732执\(n)号", link: nil, dueOn: nil,
                            dedupeKey: "seed:\(n)"), now: now))
                let message = try await OutboxRepository.add(
                    inboxItemID: item, userID: user.id, channel: .sms, recipient: "13807970006", text: "【兴国县人民法院】提醒 \(n)", now: now,
                    on: db)
                try await JobRepository.enqueue(
                    kind: Reminders.deliveryKind, payload: "{\"message\":\"\(message.databaseText)\"}", dueAt: now,
                    maxAttempts: Reminders.deliveryAttempts, createdBy: "test", dedupeKey: nil, now: now, on: db)
                messages.append(message)
            }
            return messages
        }
    }

    struct Tally: Decodable {
        let done: Int
        let attempts: Int
        let sent: Int
    }

    static func tally(_ database: Database) async throws -> Tally {
        try await database.sql.raw(
            """
            SELECT (SELECT COUNT(*) FROM jobs WHERE kind = 'outbox.deliver' AND state = 'done') AS done,
                   (SELECT COALESCE(SUM(attempts), 0) FROM jobs WHERE kind = 'outbox.deliver') AS attempts,
                   (SELECT COUNT(*) FROM outbox_messages WHERE state = 'sent') AS sent
            """
        ).first(decoding: Tally.self)!
    }

    static func waitFor(_ seconds: Int, _ what: String, _ condition: () async throws -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(seconds)
        while ContinuousClock.now < deadline {
            if try await condition() { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        Issue.record("waited \(seconds) s for \(what)")
    }

    /// A fresh, migrated database of `engine` as a server process reaches it, and a connection
    /// of the test's own.
    static func withServerDatabase(_ engine: TestEngine, _ body: @escaping @Sendable (String, Database) async throws -> Void) async throws {
        let url = try await engine.freshDatabaseURL()
        if case .sqliteFile(let path) = url {
            try FileManager.default.createDirectory(
                at: URL(fileURLWithPath: path).deletingLastPathComponent(), withIntermediateDirectories: true)
        }
        let database = try await Database.open(url, logger: TestSupport.logger)
        try await database.withRunning { database in
            try await Migrator(database: database, directory: TestSupport.migrationsDirectory).migrate()
            let text: String
            switch url {
            case .sqliteFile(let path): text = "sqlite:\(path)"
            case .postgres(let target):
                text = "postgres://\(target.username)@\(target.host):\(target.port)/\(target.database)?sslmode=disable"
            case .sqliteMemory: text = "sqlite::memory:"
            }
            try await body(text, database)
        }
    }

    /// kill -9 while the gateway is answering: the message was taken, the answer never recorded.
    /// After a restart the job is taken again once its lease has run out, asks with the same key,
    /// and completes; the gateway sent one message. SIGTERM then stops the server and its
    /// scheduler gracefully.
    @Test(.enabled(if: binaryBuilt), arguments: TestEngine.available)
    func aServerKilledMidJobFinishesItAfterARestartAndTheEffectExistsOnce(engine: TestEngine) async throws {
        try await withGatewaySim({ $0.latency = .seconds(3) }) { gateway, log in
            try await Self.withServerDatabase(engine) { url, database in
                _ = try await Self.seed(database, count: 1)
                let first = try Server(database: url, gateway: gateway, lease: 5)
                try await Self.waitFor(60, "the first server to ask the gateway") { log.requestCount >= 1 }
                #expect(await first.signal(SIGKILL) == SIGKILL)
                #expect(log.messageCount == 1)
                #expect(try await Self.tally(database).done == 0)  // the answer was never recorded
                let second = try Server(database: url, gateway: gateway, lease: 5)
                try await Self.waitFor(60, "the restarted server to finish the job") { try await Self.tally(database).done == 1 }
                let tally = try await Self.tally(database)
                #expect(tally.sent == 1)
                #expect(tally.attempts == 2)
                #expect(log.messageCount == 1, "the gateway sent the message once")
                #expect(log.requestCount == 2)
                #expect(await second.signal(SIGTERM) == 0, "\(second.log.suffix(2000))")
            }
        }
    }

    /// Two servers on one PostgreSQL and 1,000 due jobs: each runs exactly once, and both work.
    @Test(.enabled(if: binaryBuilt && TestEngine.available.contains(.postgres)))
    func twoServersOnOnePostgreSQLRunEachOfAThousandJobsOnce() async throws {
        try await withGatewaySim { gateway, log in
            try await Self.withServerDatabase(.postgres) { url, database in
                _ = try await Self.seed(database, count: 1000)
                let a = try Server(database: url, gateway: gateway, lease: 300)
                let b = try Server(database: url, gateway: gateway, lease: 300)
                let started = ContinuousClock.now
                try await Self.waitFor(180, "1,000 deliveries") { try await Self.tally(database).done == 1000 }
                let elapsed = ContinuousClock.now - started
                let tally = try await Self.tally(database)
                #expect(tally.done == 1000)
                #expect(tally.attempts == 1000, "no job was taken twice")
                #expect(tally.sent == 1000)
                #expect(log.requestCount == 1000, "the gateway was asked once per job")
                #expect(log.messageCount == 1000)
                let (byA, byB) = (a.deliveriesDone, b.deliveriesDone)
                #expect(byA + byB == 1000)
                #expect(byA > 0 && byB > 0, "both servers took jobs: \(byA) and \(byB)")
                print(
                    "two servers on one PostgreSQL: 1,000 jobs in \(elapsed.formatted(.units(allowed: [.seconds], fractionalPart: .show(length: 1)))), server A ran \(byA), server B ran \(byB)"
                )
                #expect(await a.signal(SIGTERM) == 0)
                #expect(await b.signal(SIGTERM) == 0)
            }
        }
    }
}
