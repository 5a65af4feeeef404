import Logging
import NIOCore
import NIOPosix
import PostgresKit
import PostgresNIO
import SQLKit
import Synchronization

/// SQLKit over postgres-nio's `PostgresClient` pool, with deadlines.
///
/// postgres-kit 2.17 offers `PostgresConnection.sql()` but nothing for the pool: each statement
/// here leases a pooled connection for itself, and a transaction holds one connection from BEGIN
/// to COMMIT.
///
/// Waiting on the database is bounded (issue 14): a connection must be leased within
/// `leaseDeadline`, and each statement must be answered within `statementDeadline`, or the
/// operation fails with `DatabaseUnavailable` (503 `database_unavailable`). A statement past its
/// deadline closes its connection, so nothing else is queued behind it and the pool drops it.
struct PostgresClientDatabase: AsyncSQLDatabase {
    let pool: PostgresPool
    let logger: Logger
    /// How long a request waits for a connection; nil: as long as the pool takes.
    let leaseDeadline: Duration?
    /// How long each statement may take; nil for migrations, whose index builds may take minutes.
    let statementDeadline: Duration?

    var eventLoop: any EventLoop { MultiThreadedEventLoopGroup.singleton.any() }
    var dialect: any SQLDialect { PostgresDialect() }
    var queryLogLevel: Logger.Level? { .debug }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) async throws {
        try await leased { session in
            try await session.execute(sql: query, onRow)
        }
    }

    func withSession<R>(_ closure: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        try await leased(closure)
    }

    func transaction<R: Sendable>(_ work: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        try await leased { session in
            try await session.raw("BEGIN").run()
            do {
                let result = try await work(session)
                try await session.raw("COMMIT").run()
                return result
            } catch {
                try? await session.raw("ROLLBACK").run()
                throw error
            }
        }
    }

    /// The same pool with no deadline on statements.
    var withoutStatementDeadline: PostgresClientDatabase {
        PostgresClientDatabase(pool: pool, logger: logger, leaseDeadline: leaseDeadline, statementDeadline: nil)
    }

    /// Leases a connection within `leaseDeadline` and runs `body` with it. Any failure to lease,
    /// and any failure that means the server is gone, becomes `DatabaseUnavailable` and has the
    /// pool probe the server.
    private func leased<R>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        let client = try pool.client()
        let race = LeaseRace()
        let logger = self.logger
        let statementDeadline = self.statementDeadline
        let leaseDeadline = self.leaseDeadline
        do {
            return try await withThrowingTaskGroup(of: Handover<R>?.self) { group in
                group.addTask {
                    try await client.withConnection { connection in
                        guard race.lease() else { throw DatabaseUnavailable.noConnection(within: leaseDeadline) }
                        let session = BoundedSession(
                            connection: connection, session: connection.sql(logger: logger),
                            deadline: statementDeadline)
                        return Handover(value: try await body(session))
                    }
                }
                if let leaseDeadline {
                    let pool = self.pool
                    group.addTask {
                        // Waits in short steps: once the pool's probe finds the server gone, the
                        // requests already queued for a connection are answered then, not at the
                        // deadline.
                        let end = ContinuousClock.now + leaseDeadline
                        while ContinuousClock.now < end, pool.health != .down, race.isWaiting {
                            try await Task.sleep(for: min(.milliseconds(100), end - ContinuousClock.now))
                        }
                        if race.expire() {
                            throw pool.health == .down
                                ? DatabaseUnavailable.unreachable : DatabaseUnavailable.noConnection(within: leaseDeadline)
                        }
                        return nil
                    }
                }
                while let next = try await group.next() {
                    if let result = next {
                        group.cancelAll()
                        return result.value
                    }
                }
                throw DatabaseUnavailable.noConnection(within: leaseDeadline)  // not reached: the first task returns or throws
            }
        } catch {
            if Task.isCancelled { throw error }
            // before a connection was leased, every failure is the pool's: it cannot reach the server
            if !race.wasLeased || PostgresAvailability.isUnreachable(error) {
                pool.suspect()  // logs when the state changes; each refused request is logged with its id by the server
                throw error as? DatabaseUnavailable ?? DatabaseUnavailable.unreachable
            }
            throw error
        }
    }
}

extension DatabaseUnavailable {
    static let unreachable = DatabaseUnavailable(description: "数据库暂时无法连接，正在重试")

    static func noConnection(within deadline: Duration?) -> DatabaseUnavailable {
        DatabaseUnavailable(description: deadline.map { "\($0.seconds) 秒内未能连接数据库" } ?? "未能连接数据库")
    }
}

extension Duration {
    /// Whole seconds, for messages.
    var seconds: Int64 { components.seconds }
}

/// Whether the connection was leased before the deadline passed: exactly one of the two wins.
private final class LeaseRace: Sendable {
    private enum Outcome { case waiting, leased, expired }
    private let outcome = Mutex(Outcome.waiting)

    /// The lease arrived; false if the deadline had already passed.
    func lease() -> Bool { settle(.leased) }
    /// The deadline passed; false if the lease had already arrived.
    func expire() -> Bool { settle(.expired) }
    var wasLeased: Bool { outcome.withLock { $0 == .leased } }
    var isWaiting: Bool { outcome.withLock { $0 == .waiting } }

    private func settle(_ to: Outcome) -> Bool {
        outcome.withLock { outcome in
            guard outcome == .waiting else { return false }
            outcome = to
            return true
        }
    }
}

/// Carries a result that SQLKit's `withSession` does not require to be Sendable out of the task
/// that leased the connection; the caller awaiting it is the only one who ever reads it.
private struct Handover<R>: @unchecked Sendable {
    let value: R
}

/// One leased connection as an `SQLDatabase`, each statement bounded by `deadline`.
private struct BoundedSession: AsyncSQLDatabase {
    let connection: PostgresConnection
    let session: any SQLDatabase
    let deadline: Duration?
    /// Raised when a statement ran past its deadline: the connection is being closed, and
    /// nothing more is sent on it.
    let broken = Flag()

    var logger: Logger { session.logger }
    var eventLoop: any EventLoop { connection.eventLoop }
    var version: (any SQLDatabaseReportedVersion)? { session.version }
    var dialect: any SQLDialect { session.dialect }
    var queryLogLevel: Logger.Level? { session.queryLogLevel }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) async throws {
        // postgres-nio 1.33 never answers a statement sent on a closed connection (its write has
        // no promise): check first, and never wait past the deadline for an answer.
        guard !broken.isRaised, !connection.isClosed else {
            throw DatabaseUnavailable(description: "数据库连接已断开")
        }
        guard let deadline else {
            return try await session.execute(sql: query, onRow)
        }
        let session = self.session
        let connection = self.connection
        let broken = self.broken
        do {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let answer = AnswerOnce(continuation)
                // a timer on the connection's own event loop: cheap enough for every statement
                let timer = connection.eventLoop.scheduleTask(in: TimeAmount(deadline)) {
                    broken.raise()
                    answer.resume(.failure(DatabaseUnavailable(description: "数据库在 \(deadline.seconds) 秒内没有答复")))
                    let _: EventLoopFuture<Void> = connection.close()
                }
                Task {
                    do {
                        try await session.execute(sql: query, onRow)
                        timer.cancel()
                        answer.resume(.success(()))
                    } catch {
                        timer.cancel()
                        answer.resume(.failure(error))
                    }
                }
            }
        } catch {
            if broken.isRaised {
                // handed back to the pool only once closed, so that no one else leases it meanwhile
                try? await connection.closeFuture.get()
            }
            throw error
        }
    }

    func withSession<R>(_ closure: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        try await closure(self)
    }
}

/// A flag set once, from any thread.
private final class Flag: Sendable {
    private let value = Atomic<Bool>(false)
    func raise() { value.store(true, ordering: .sequentiallyConsistent) }
    var isRaised: Bool { value.load(ordering: .sequentiallyConsistent) }
}

/// Resumes a continuation once: with the statement's answer or with its deadline, whichever
/// comes first.
private final class AnswerOnce: Sendable {
    private let continuation: Mutex<CheckedContinuation<Void, any Error>?>

    init(_ continuation: CheckedContinuation<Void, any Error>) {
        self.continuation = Mutex(continuation)
    }

    func resume(_ result: Result<Void, any Error>) {
        let waiting = continuation.withLock { continuation in
            defer { continuation = nil }
            return continuation
        }
        waiting?.resume(with: result)
    }
}
