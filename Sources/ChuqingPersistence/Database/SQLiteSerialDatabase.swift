import Logging
import NIOCore
import SQLKit
import SQLiteKit

/// One SQLite connection whose statements and transactions take turns.
///
/// Each statement outside a transaction takes the lock for itself; a transaction holds it from
/// BEGIN to COMMIT, so nobody else's statement can land inside it. A task already inside a
/// transaction on this connection (tracked with a task-local) runs directly instead of waiting
/// for itself.
final class SQLiteSerialDatabase: AsyncSQLDatabase, @unchecked Sendable {
    // @unchecked: every stored property is immutable and itself Sendable in practice
    // (SQLiteConnection is thread-safe through its NIOThreadPool).
    private let connection: SQLiteConnection
    private let raw: any SQLDatabase
    private let mutex = AsyncMutex()
    let logger: Logger

    @TaskLocal private static var insideTransaction: ObjectIdentifier?

    init(connection: SQLiteConnection, raw: any SQLDatabase, logger: Logger) {
        self.connection = connection
        self.raw = raw
        self.logger = logger
    }

    var eventLoop: any EventLoop { raw.eventLoop }
    var version: (any SQLDatabaseReportedVersion)? { raw.version }
    var dialect: any SQLDialect { raw.dialect }
    var queryLogLevel: Logger.Level? { raw.queryLogLevel }

    private var holdsLock: Bool { Self.insideTransaction == ObjectIdentifier(self) }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) async throws {
        if holdsLock {
            return try await raw.execute(sql: query, onRow)
        }
        try await mutex.withLock {
            try await self.raw.execute(sql: query, onRow)
        }
    }

    func withSession<R>(_ closure: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        try await closure(self)
    }

    func transaction<R: Sendable>(_ work: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        if holdsLock {
            // Nested: SQLite has no nested BEGIN; a savepoint gives the same all-or-nothing.
            let name = "sp_\(UInt32.random(in: 0...UInt32.max))"
            try await raw.raw("SAVEPOINT \(unsafeRaw: name)").run()
            do {
                let result = try await work(raw)
                try await raw.raw("RELEASE SAVEPOINT \(unsafeRaw: name)").run()
                return result
            } catch {
                try? await raw.raw("ROLLBACK TO SAVEPOINT \(unsafeRaw: name)").run()
                try? await raw.raw("RELEASE SAVEPOINT \(unsafeRaw: name)").run()
                throw error
            }
        }
        return try await mutex.withLock {
            try await Self.$insideTransaction.withValue(ObjectIdentifier(self)) {
                // IMMEDIATE takes the write lock at once, so another process's writer makes us wait
                // (busy_timeout) at BEGIN rather than fail half-way through.
                try await self.raw.raw("BEGIN IMMEDIATE").run()
                do {
                    let result = try await work(self.raw)
                    try await self.raw.raw("COMMIT").run()
                    return result
                } catch {
                    try? await self.raw.raw("ROLLBACK").run()
                    throw error
                }
            }
        }
    }

    func close() async throws {
        try await mutex.withLock {
            try await self.connection.close()
        }
    }
}
