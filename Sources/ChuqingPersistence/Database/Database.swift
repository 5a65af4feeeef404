import Foundation
import Logging
import NIOCore
import NIOPosix
import PostgresKit
import PostgresNIO
import SQLKit
import SQLiteKit
import ServiceLifecycle

/// The application's database: one SQL code path over SQLite or PostgreSQL.
///
/// `sql` runs single statements (each on its own pooled connection, autocommitted);
/// `transaction` gives one session with a real BEGIN…COMMIT. Inside a transaction use only the
/// `SQLDatabase` it hands you.
public struct Database: Sendable {
    /// Which engine this is.
    public let engine: DatabaseEngine
    /// For single statements outside a transaction.
    public let sql: any SQLDatabase
    private let backend: Backend

    enum Backend: Sendable {
        case sqlite(SQLiteSerialDatabase)
        case postgres(PostgresClientDatabase)
        /// Inside another transaction: see `joining(_:)`.
        case joined
    }

    /// Long-lived services the database needs run beside the server (the PostgreSQL pool).
    public let services: [any Service]

    /// Opens the database named by `url`. For PostgreSQL, the returned `services` must be run
    /// (in the application's ServiceGroup, or with `withRunning`) before any query.
    ///
    /// `deadline` bounds, on PostgreSQL, the wait for a connection and for each statement's
    /// answer (the server's requests: `CHUQING_DATABASE_TIMEOUT_SECONDS`); past it the operation
    /// fails with `DatabaseUnavailable`. nil: no bound (commands run by hand). `leaseDeadline`,
    /// when given, bounds the wait for a connection differently (tests of statement deadlines on a
    /// loaded machine). SQLite is a local file and takes no deadline; a file locked by another
    /// process waits `busy_timeout`.
    public static func open(
        _ url: DatabaseURL, logger: Logger, deadline: Duration? = nil,
        leaseDeadline: Duration? = nil
    ) async throws -> Database {
        switch url {
        case .sqliteMemory:
            let connection = try await SQLiteConnection.open(storage: .memory, logger: logger)
            return try await Database(sqlite: connection, logger: logger)
        case .sqliteFile(let path):
            let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let connection = try await SQLiteConnection.open(storage: .file(path: path), logger: logger)
            return try await Database(sqlite: connection, logger: logger)
        case .postgres(let target):
            var configuration = PostgresClient.Configuration(
                host: target.host,
                port: target.port,
                username: target.username,
                password: target.password,
                database: target.database,
                tls: {
                    switch target.sslMode {
                    case .disable: .disable
                    case .prefer: .prefer(.makeClientConfiguration())
                    case .require: .require(.makeClientConfiguration())
                    }
                }()
            )
            configuration.options.connectTimeout = .seconds(3)
            configuration.options.maximumConnections = 20
            // Chuqing's statements are short: JIT compilation (PostgreSQL ≥ 11) only adds to them.
            // The recursive CTE of batch progress is estimated far above jit_above_cost and paid
            // 14 ms of JIT on a 5 ms query (docs/performance.md).
            configuration.options.additionalStartupParameters = [("jit", "off")]
            // the pool's probe (PostgresPool) connects by itself, the same way
            let probeTLS: PostgresConnection.Configuration.TLS
            switch target.sslMode {
            case .disable: probeTLS = .disable
            case .prefer: probeTLS = .prefer(try NIOSSLContext(configuration: .makeClientConfiguration()))
            case .require: probeTLS = .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
            }
            var probe = PostgresConnection.Configuration(
                host: target.host, port: target.port, username: target.username,
                password: target.password, database: target.database, tls: probeTLS)
            // as patient as a request: a loaded server that answers within the deadline is up
            probe.options.connectTimeout = TimeAmount(deadline ?? .seconds(3))
            let pool = PostgresPool(client: configuration, probe: probe, logger: logger)
            let database = PostgresClientDatabase(
                pool: pool, logger: logger, leaseDeadline: leaseDeadline ?? deadline,
                statementDeadline: deadline)
            return Database(engine: .postgres, sql: database, backend: .postgres(database), services: [PostgresPoolService(pool: pool)])
        }
    }

    private init(engine: DatabaseEngine, sql: any SQLDatabase, backend: Backend, services: [any Service]) {
        self.engine = engine
        self.sql = sql
        self.backend = backend
        self.services = services
    }

    private init(sqlite connection: SQLiteConnection, logger: Logger) async throws {
        let raw = connection.sql()
        // A raw SQLite connection enforces no foreign keys; WAL lets readers of the file proceed
        // during a write; busy_timeout waits for another process's lock instead of failing.
        try await raw.raw("PRAGMA foreign_keys = ON").run()
        try await raw.raw("PRAGMA busy_timeout = 5000").run()
        try await raw.raw("PRAGMA journal_mode = WAL").run()
        try await raw.raw("PRAGMA synchronous = NORMAL").run()
        // 64 MiB of page cache (the default is 2 MiB): imports insert into several indexes keyed by
        // random UUIDs, and with the small cache most of that time went to re-reading pages.
        try await raw.raw("PRAGMA cache_size = -65536").run()
        let database = SQLiteSerialDatabase(connection: connection, raw: raw, logger: logger)
        self.init(engine: .sqlite, sql: database, backend: .sqlite(database), services: [])
    }

    /// This database as seen from inside the transaction `db`: its statements run on that
    /// transaction's session, and a `transaction` it is asked for joins it (no new BEGIN). A
    /// scheduled job runs a service's operation this way, so the operation's change and the job's
    /// completion commit together or not at all (issue 17).
    public func joining(_ db: any SQLDatabase) -> Database {
        Database(engine: engine, sql: db, backend: .joined, services: [])
    }

    /// The same database with no deadline on statements, for migrations: an index built on a
    /// large table may take minutes. The wait for a connection stays bounded.
    public var withoutStatementDeadline: Database {
        guard case .postgres(let database) = backend else { return self }
        let unbounded = database.withoutStatementDeadline
        return Database(engine: engine, sql: unbounded, backend: .postgres(unbounded), services: services)
    }

    /// ` FOR UPDATE` after a `SELECT` of one row, to hold that row until the transaction ends, on
    /// PostgreSQL; nothing on SQLite, whose transactions already run one at a time.
    public var rowLock: SQLQueryString { engine == .postgres ? " FOR UPDATE" : "" }

    /// Runs `work` inside one transaction: committed if it returns, rolled back if it throws.
    /// Transactions never interleave on a shared connection.
    public func transaction<R: Sendable>(_ work: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        switch backend {
        case .sqlite(let database): try await database.transaction(work)
        case .postgres(let database): try await database.transaction(work)
        case .joined: try await work(sql)
        }
    }

    /// Checks that the database answers within `timeout`; throws `DatabaseUnavailable` otherwise.
    public func ping(timeout: Duration = .seconds(3)) async throws {
        let sql = self.sql
        try await withTimeout(timeout, description: "数据库在 \(timeout) 内没有响应") {
            _ = try await sql.raw("SELECT 1 AS one").first()
        }
    }

    /// Releases the connection (SQLite). PostgreSQL's pool ends with its service.
    public func close() async {
        if case .sqlite(let database) = backend {
            try? await database.close()
        }
    }

    /// Runs `body` with the database's services running, then stops them. For commands and tests
    /// that use the database outside the HTTP server's ServiceGroup.
    public func withRunning<R: Sendable>(_ body: @escaping @Sendable (Database) async throws -> R) async throws -> R {
        guard !services.isEmpty else {
            do {
                let result = try await body(self)
                await close()
                return result
            } catch {
                await close()
                throw error
            }
        }
        let services = self.services
        return try await withThrowingTaskGroup(of: R?.self) { group in
            for service in services {
                group.addTask {
                    try await service.run()
                    return nil
                }
            }
            do {
                let result = try await body(self)
                group.cancelAll()
                return result
            } catch {
                group.cancelAll()
                throw error
            }
        }
    }
}

/// The database did not answer in time, or could not be reached.
public struct DatabaseUnavailable: Error, CustomStringConvertible {
    public let description: String
}

/// Runs `operation`, failing with `DatabaseUnavailable` if it has not finished after `timeout`.
/// The caller gets its answer on time even when the operation ignores cancellation (a pool still
/// trying to connect to a dead server does, for seconds): the operation is cancelled and left to
/// end in the background rather than awaited, which a task group would do.
func withTimeout<R: Sendable>(_ timeout: Duration, description: String, _ operation: @escaping @Sendable () async throws -> R) async throws
    -> R
{
    let once = ResumeOnce<R>()
    return try await withTaskCancellationHandler {
        try await withCheckedThrowingContinuation { continuation in
            once.set(continuation)
            let work = Task {
                do { once.resume(with: .success(try await operation())) } catch { once.resume(with: .failure(error)) }
            }
            once.onTimeout = work
            Task {
                try? await Task.sleep(for: timeout)
                if once.resume(with: .failure(DatabaseUnavailable(description: description))) { work.cancel() }
            }
        }
    } onCancel: {
        once.cancel()
    }
}

/// A continuation resumed by whichever comes first: the result, the timeout or cancellation.
private final class ResumeOnce<R: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var continuation: CheckedContinuation<R, any Error>?
    private var early: Result<R, any Error>?
    var onTimeout: Task<Void, Never>? {
        get { lock.withLock { work } }
        set { lock.withLock { work = newValue } }
    }
    private var work: Task<Void, Never>?

    func set(_ continuation: CheckedContinuation<R, any Error>) {
        let pending: Result<R, any Error>? = lock.withLock {
            if let early { return early }
            self.continuation = continuation
            return nil
        }
        if let pending { continuation.resume(with: pending) }
    }

    /// Resumes the caller unless something else already did; true when this call did.
    @discardableResult
    func resume(with result: Result<R, any Error>) -> Bool {
        let (waiting, first): (CheckedContinuation<R, any Error>?, Bool) = lock.withLock {
            guard early == nil else { return (nil, false) }
            early = result
            defer { continuation = nil }
            return (continuation, true)
        }
        waiting?.resume(with: result)
        return first
    }

    func cancel() {
        if resume(with: .failure(CancellationError())) { onTimeout?.cancel() }
    }
}
