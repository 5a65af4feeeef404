import ChuqingServices
import Logging
import ServiceLifecycle
import Synchronization

/// The scheduler as a service of the application's service group (issue 17): every poll interval
/// it makes sure of the daily jobs and runs what is due. A graceful shutdown lets the job in hand
/// finish (its transaction commits) and takes no other; the wait between polls is cut short.
struct SchedulerService: Service {
    let scheduler: Scheduler
    /// opened when the server has checked (or applied) the migrations
    let start: StartSignal
    let logger: Logger

    func run() async throws {
        let stopping = Stopping()
        try? await cancelWhenGracefulShutdown {
            while !start.isOpen { try await Task.sleep(for: .milliseconds(50)) }
        }
        try await withGracefulShutdownHandler {
            while !stopping.value, !Task.isCancelled {
                do {
                    try await scheduler.tick(shouldStop: { stopping.value })
                } catch {
                    // The database is away: the next poll tries again; nothing is lost, as a job's
                    // effect commits only with its completion.
                    logger.warning("scheduler poll failed", metadata: ["error": "\(error)"])
                }
                guard !stopping.value else { break }
                try? await cancelWhenGracefulShutdown { try await Task.sleep(for: scheduler.settings.pollInterval) }
            }
        } onGracefulShutdown: {
            stopping.stop()
        }
    }

    final class Stopping: Sendable {
        private let flag = Mutex(false)
        var value: Bool { flag.withLock { $0 } }
        func stop() { flag.withLock { $0 = true } }
    }
}

/// A one-way signal between start-up steps: closed until `open()`.
final class StartSignal: Sendable {
    private let flag = Mutex(false)
    var isOpen: Bool { flag.withLock { $0 } }
    func open() { flag.withLock { $0 = true } }
}
