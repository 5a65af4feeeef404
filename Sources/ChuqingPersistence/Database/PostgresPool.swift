import Logging
import NIOCore
import NIOPosix
import PostgresNIO
import ServiceLifecycle
import Synchronization

/// postgres-nio's pool, watched through an outage.
///
/// Left alone, `PostgresClient` 1.33 queues every request while it cannot connect, trips its
/// circuit breaker only after 60 s, and after the server returns keeps failing until its back-off
/// (100 ms × 1.25ⁿ per failed attempt) has run out: the issue-14 measurement was 500s after 65 s,
/// then 17 s more of them. Neither is configurable. So, once a request finds the server
/// unreachable, this pool probes it with a connection of its own every `probeInterval`; while the
/// probe fails, requests are refused at once (`DatabaseUnavailable`, which the server answers with
/// 503), and when it succeeds after failing, a fresh `PostgresClient` replaces the one that is
/// backing off.
final class PostgresPool: Sendable {
    enum Health: Equatable, Sendable {
        /// Requests go to the pool.
        case up
        /// A request failed as if the server were gone; a probe is on its way.
        case suspect
        /// Two probes in a row failed: requests are refused until one succeeds.
        case down
    }

    private struct State {
        var client: PostgresClient
        var health: Health
    }

    private let state: Mutex<State>
    private let clientConfiguration: PostgresClient.Configuration
    private let probeConfiguration: PostgresConnection.Configuration
    private let probeInterval: Duration
    private let logger: Logger
    private let replacements: AsyncStream<PostgresClient>
    private let replace: AsyncStream<PostgresClient>.Continuation
    private let suspicions: AsyncStream<Void>
    private let suspicion: AsyncStream<Void>.Continuation
    private let probeIDs = Atomic<Int>(0)

    init(
        client configuration: PostgresClient.Configuration, probe probeConfiguration: PostgresConnection.Configuration,
        probeInterval: Duration = .milliseconds(250), logger: Logger
    ) {
        clientConfiguration = configuration
        self.probeConfiguration = probeConfiguration
        self.probeInterval = probeInterval
        self.logger = logger
        state = Mutex(State(client: PostgresClient(configuration: configuration, backgroundLogger: logger), health: .up))
        (replacements, replace) = AsyncStream.makeStream(of: PostgresClient.self)
        (suspicions, suspicion) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    var health: Health { state.withLock { $0.health } }

    /// The pool to lease from; refuses at once while the server is known to be unreachable.
    func client() throws -> PostgresClient {
        try state.withLock { state in
            guard state.health != .down else { throw DatabaseUnavailable.unreachable }
            return state.client
        }
    }

    /// A request found the server unreachable: have it probed.
    func suspect() {
        let first = state.withLock { state in
            guard state.health == .up else { return false }
            state.health = .suspect
            return true
        }
        if first {
            logger.warning("database unreachable; probing it")
            suspicion.yield()
        }
    }

    /// Runs the pool, and its replacements, until cancelled or graceful shutdown.
    func run() async {
        let first = state.withLock { $0.client }
        await cancelWhenGracefulShutdown {
            await withDiscardingTaskGroup { group in
                group.addTask { await self.watch() }
                // Each client runs in a task of its own, so that one can be retired while its
                // successor runs on.
                var current = Task { await first.run() }
                for await client in self.replacements {
                    current.cancel()
                    current = Task { await client.run() }
                }
                current.cancel()
                await current.value
                group.cancelAll()
            }
        }
        replace.finish()
        suspicion.finish()
    }

    /// Answers each suspicion: probes until the server answers, then either clears it (a single
    /// failure) or, after a failed probe, replaces the pool.
    private func watch() async {
        for await _ in suspicions {
            var failed = 0
            while !Task.isCancelled {
                if await probe() { break }
                failed += 1
                // two probes in a row, so that one connection refused by a loaded server does
                // not turn every request away
                if failed == 2 {
                    state.withLock { $0.health = .down }
                    logger.error("database unreachable; refusing requests until it answers")
                }
                try? await Task.sleep(for: probeInterval)
            }
            guard !Task.isCancelled else { break }
            if failed == 0 {
                state.withLock { $0.health = .up }
                logger.notice("database answers again; the pool is kept")
            } else {
                let client = PostgresClient(configuration: clientConfiguration, backgroundLogger: logger)
                replace.yield(client)
                state.withLock { state in
                    state.client = client
                    state.health = .up
                }
                logger.notice("database answers again; a new pool replaces the one backing off", metadata: ["failedProbes": "\(failed)"])
            }
        }
    }

    /// One connection of its own, `SELECT 1`, closed: true when all of it worked in time, or
    /// when the server answered that it is out of resources (SQLSTATE class 53, e.g. too many
    /// connections): it is there, and the pool's open connections still serve.
    private func probe() async -> Bool {
        let id = probeIDs.add(1, ordering: .relaxed).newValue
        let configuration = probeConfiguration
        let logger = self.logger
        let patience = Duration(configuration.options.connectTimeout) * 2
        do {
            // Bounded as a whole, not by closing the connection: postgres-nio 1.33 never answers
            // a query written to a channel that has just closed, and a probe that hangs would
            // leave the pool refusing requests for good.
            try await withTimeout(patience, description: "probe") {
                let connection = try await PostgresConnection.connect(
                    on: MultiThreadedEventLoopGroup.singleton.any(),
                    configuration: configuration, id: -id, logger: logger
                ).get()
                do {
                    _ = try await connection.query("SELECT 1", logger: logger)
                    try? await connection.close()
                } catch {
                    try? await connection.close()
                    throw error
                }
            }
            return true
        } catch let error as PSQLError where error.code == .server && (error.serverInfo?[.sqlState] ?? "").hasPrefix("53") {
            return true
        } catch {
            return false
        }
    }
}

/// Whether an error from PostgreSQL means the server (or the way to it) is gone, rather than that
/// the statement was wrong: the connection broke, or the server said it is shutting down or
/// starting up (SQLSTATE class 57P, operator intervention) or refused the connection (class 08).
enum PostgresAvailability {
    static func isUnreachable(_ error: any Error) -> Bool {
        if error is DatabaseUnavailable { return true }
        guard let error = error as? PSQLError else { return false }
        switch error.code {
        case .connectionError, .serverClosedConnection, .uncleanShutdown, .clientClosedConnection, .poolClosed:
            return true
        case .server:
            let state = error.serverInfo?[.sqlState] ?? ""
            return state.hasPrefix("57P") || state.hasPrefix("08") || state == "53300"
        default:
            return false
        }
    }
}

/// Runs the watched pool as a ServiceLifecycle service.
struct PostgresPoolService: Service {
    let pool: PostgresPool
    func run() async throws {
        await pool.run()
    }
}
