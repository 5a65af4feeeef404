import ChuqingDomain
import ChuqingPersistence
import ChuqingServices
import Foundation
import Logging
import SQLKit

// Issue 17: how fast the scheduler drains due jobs. CHUQING_BENCH_JOBS jobs (default 100,000) are
// queued due now, then drained the way `chuqing serve` does it (`Scheduler.tick`: the configured
// workers, each taking one job at a time in a short transaction and running it in another with its
// completion). Each job's effect is one audit entry, the size of a real job's write (a reminder).
// SQLite file always; PostgreSQL too with CHUQING_BENCH_POSTGRES_URL.
//
//   cd Benchmarks && swift run -c release SchedulerDrain

let count = ProcessInfo.processInfo.environment["CHUQING_BENCH_JOBS"].flatMap(Int.init) ?? 100_000
let workers = ProcessInfo.processInfo.environment["CHUQING_BENCH_WORKERS"].flatMap(Int.init) ?? 2
let migrations = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Migrations")
var quiet = Logger(label: "chuqing.benchmarks")
quiet.logLevel = .critical
let logger = quiet

let effect = JobKind(name: "bench.effect", chinese: "基准测试", isDaily: false) { context in
    try await AuditLogRepository().append(
        ActingUser.scheduler.audit("bench.effect", entity: "job", id: context.job.id.databaseText, at: context.now),
        on: context.database.sql)
    return JobOutcome("ok")
}

func drain(_ name: String, _ url: DatabaseURL) async throws {
    let database = try await Database.open(url, logger: logger)
    try await database.withRunning { database in
        try await Migrator(database: database, directory: migrations).migrate()
        let now = Date()
        let seedStart = ContinuousClock.now
        for chunk in stride(from: 0, to: count, by: 1000) {
            try await database.transaction { db in
                for _ in chunk..<min(count, chunk + 1000) {
                    try await JobRepository.enqueue(
                        kind: "bench.effect", dueAt: now, maxAttempts: 3, createdBy: "bench", dedupeKey: nil, now: now, on: db)
                }
            }
        }
        let seeded = ContinuousClock.now - seedStart
        let scheduler = Scheduler(
            database: database, kinds: [effect], settings: SchedulerSettings(workers: workers), now: Date.init, logger: logger)
        let start = ContinuousClock.now
        try await scheduler.tick(shouldStop: { false })
        let elapsed = ContinuousClock.now - start
        struct N: Decodable { let n: Int }
        let done = try await database.sql.raw("SELECT COUNT(*) AS n FROM jobs WHERE state = 'done'").first(decoding: N.self)?.n ?? 0
        let effects =
            try await database.sql.raw("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'bench.effect'").first(decoding: N.self)?.n ?? 0
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        print(
            "\(name): \(count) jobs queued in \(seeded), drained by \(workers) workers in \(String(format: "%.1f", seconds)) s = \(String(format: "%.0f", Double(done) / seconds)) jobs/s; done \(done), effects \(effects)"
        )
        if done != count || effects != count { print("\(name): MISMATCH") }
    }
}

let folder = FileManager.default.temporaryDirectory.appendingPathComponent("chuqing-drain-\(UUID().uuidString)")
try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
try await drain("SQLite file", .sqliteFile(path: folder.appendingPathComponent("drain.sqlite").path))
if let text = ProcessInfo.processInfo.environment["CHUQING_BENCH_POSTGRES_URL"] {
    try await drain("PostgreSQL", try DatabaseURL(parsing: text))
}
try? FileManager.default.removeItem(at: folder)
