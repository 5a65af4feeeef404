import NIOCore
import SQLKit

/// An `SQLDatabase` written with async/await: SQLKit's older `EventLoopFuture` entry point runs
/// the async one.
protocol AsyncSQLDatabase: SQLDatabase {}

extension AsyncSQLDatabase {
    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) -> EventLoopFuture<Void> {
        let promise = eventLoop.makePromise(of: Void.self)
        promise.completeWithTask {
            try await self.execute(sql: query, onRow)
        }
        return promise.futureResult
    }
}
