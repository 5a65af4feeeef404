import Benchmark
import ChuqingDomain
import ChuqingPersistence
import Foundation
import Logging

// The platform's hot paths: what every authenticated request does (find its session), what every
// change does (append to the audit log inside a transaction), and what start-up does (migrate).
// SQLite always; PostgreSQL too when CHUQING_BENCH_POSTGRES_URL names an empty database.

/// `Migrations/` of this checkout: Benchmarks/Benchmarks/PlatformBenchmarks/ is three folders down.
let migrations = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Migrations")

let quiet: Logger = {
    var logger = Logger(label: "chuqing.benchmarks")
    logger.logLevel = .critical
    return logger
}()

/// The engines to measure, each with a fresh migrated database.
func engines() -> [(name: String, url: @Sendable () throws -> DatabaseURL)] {
    var list: [(String, @Sendable () throws -> DatabaseURL)] = [
        (
            "SQLite file",
            {
                let folder = FileManager.default.temporaryDirectory.appendingPathComponent("chuqing-bench-\(UUID().uuidString)")
                return .sqliteFile(path: folder.appendingPathComponent("bench.sqlite").path)
            }
        )
    ]
    if let text = ProcessInfo.processInfo.environment["CHUQING_BENCH_POSTGRES_URL"], !text.isEmpty {
        list.append(("PostgreSQL", { try DatabaseURL(parsing: text) }))
    }
    return list
}

/// A migrated database with one enabled user and one live session, made once per engine and
/// shared by that engine's benchmarks (the benchmark closure runs once per sample).
struct Fixture: Sendable {
    let database: Database
    let services: Task<Void, Never>
    let tokenHash: String
    let userID: UUID
    let folder: URL?
}

actor Fixtures {
    static let shared = Fixtures()
    private var made: [String: Fixture] = [:]

    /// The fixture of `engine`, made on first use.
    func fixture(_ engine: String, url: @Sendable () throws -> DatabaseURL) async throws -> Fixture {
        if let fixture = made[engine] { return fixture }
        let url = try url()
        let database = try await Database.open(url, logger: quiet)
        let services = database.services
        // `Database.withRunning` takes a Sendable closure and a `Benchmark` is not Sendable, so the
        // services (the PostgreSQL pool) run in a task of their own until teardown.
        let runner = Task {
            await withTaskGroup(of: Void.self) { group in
                for service in services { group.addTask { try? await service.run() } }
            }
        }
        try await Migrator(database: database, directory: migrations).migrate()
        let user = User(
            id: UUID(), username: try Username("bench-\(UUID().uuidString.prefix(8).lowercased())"), displayName: "基准", role: .judge)
        try await UserRepository().insert(user, passwordHash: "x", isDemo: false, createdAt: Date(), on: database.sql)
        let tokenHash = UUID().uuidString
        try await SessionRepository().insert(
            tokenHash: tokenHash, userID: user.id, kind: .api, createdAt: Date(),
            expiresAt: Date().addingTimeInterval(3600), address: nil, on: database.sql)
        var folder: URL?
        if case .sqliteFile(let path) = url { folder = URL(fileURLWithPath: path).deletingLastPathComponent() }
        let fixture = Fixture(database: database, services: runner, tokenHash: tokenHash, userID: user.id, folder: folder)
        made[engine] = fixture
        return fixture
    }

    /// Closes every fixture and deletes temporary files.
    func tearDown() async {
        for fixture in made.values {
            await fixture.database.close()
            fixture.services.cancel()
            if let folder = fixture.folder { try? FileManager.default.removeItem(at: folder) }
        }
        made = [:]
    }
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .mallocCountTotal, .throughput],
        warmupIterations: 10,
        maxDuration: .seconds(3),
        maxIterations: 100_000
    )

    for engine in engines() {
        Benchmark(
            "Session lookup (\(engine.name))",
            closure: { benchmark in
                let fixture = try await Fixtures.shared.fixture(engine.name, url: engine.url)
                let sessions = SessionRepository()
                benchmark.startMeasurement()
                for _ in benchmark.scaledIterations {
                    blackHole(try await sessions.active(tokenHash: fixture.tokenHash, now: Date(), on: fixture.database.sql))
                }
                benchmark.stopMeasurement()
            }, teardown: { await Fixtures.shared.tearDown() })

        Benchmark(
            "Audit append in a transaction (\(engine.name))",
            closure: { benchmark in
                let fixture = try await Fixtures.shared.fixture(engine.name, url: engine.url)
                let log = AuditLogRepository()
                benchmark.startMeasurement()
                for _ in benchmark.scaledIterations {
                    let entry = AuditEntry(
                        occurredAt: Date(), actorID: fixture.userID, actorUsername: "bench", action: "bench.append",
                        entity: "user", entityID: fixture.userID.databaseText, detail: "基准")
                    try await fixture.database.transaction { db in try await log.append(entry, on: db) }
                }
                benchmark.stopMeasurement()
            }, teardown: { await Fixtures.shared.tearDown() })
    }

    Benchmark("Migrate an empty database (SQLite memory)", configuration: .init(maxDuration: .seconds(3), maxIterations: 200)) {
        benchmark in
        for _ in benchmark.scaledIterations {
            let database = try await Database.open(.sqliteMemory, logger: quiet)
            try await Migrator(database: database, directory: migrations).migrate()
            await database.close()
        }
    }
}
