import ChuqingDomain
import ChuqingPersistence
import Foundation
import Logging
import SQLKit
import Synchronization

/// What a job is given: the database as seen from inside its transaction (every change it makes
/// commits with its completion, or not at all), its payload, and the clock's instant.
public struct JobContext: Sendable {
    public let database: Database
    public let job: ClaimedJob
    public let now: Date
    /// what the kind's `prepare` returned (outside the transaction), for `run` to record
    public let prepared: (any Sendable)?
    public var today: CalendarDate { ShanghaiClock.today(now) }

    public init(database: Database, job: ClaimedJob, now: Date, prepared: (any Sendable)? = nil) {
        self.database = database
        self.job = job
        self.now = now
        self.prepared = prepared
    }
}

/// What a job did: a line for the admin's page, and work to start once its effect has committed
/// (handing the look-ups it created to the runner, which asks the exchanges outside any
/// transaction; `LookupRunner.resumeUnfinished` asks again after a crash). It should return at
/// once: the worker waits for it.
public struct JobOutcome: Sendable {
    public var summary: String
    public var afterCommit: (@Sendable () async -> Void)?

    public init(_ summary: String, afterCommit: (@Sendable () async -> Void)? = nil) {
        self.summary = summary
        self.afterCommit = afterCommit
    }
}

/// A kind of job and the operation that does it.
public struct JobKind: Sendable {
    /// stored in `jobs.kind`: `blacklist.graceEnded`
    public let name: String
    public let chinese: String
    /// created by the scheduler itself, once a day at the configured hour
    public let isDaily: Bool
    /// For a daily job: how long after the hour it falls due, so that it comes after the jobs
    /// whose effects it reports (the judges' digest after the day's look-ups have started).
    public let dailyOffset: TimeInterval
    public let maxAttempts: Int
    /// Work done first, outside the job's transaction, with the database as it is: a call to a
    /// gateway that must not hold a connection (or SQLite's one writer) while it waits. It must be
    /// safe to repeat (a process that dies after it runs it again): the gateway's idempotency key.
    public let prepare: (@Sendable (JobContext) async throws -> (any Sendable)?)?
    public let run: @Sendable (JobContext) async throws -> JobOutcome

    public init(
        name: String, chinese: String, isDaily: Bool, dailyOffset: TimeInterval = 0, maxAttempts: Int = 5,
        prepare: (@Sendable (JobContext) async throws -> (any Sendable)?)? = nil,
        run: @escaping @Sendable (JobContext) async throws -> JobOutcome
    ) {
        self.name = name
        self.chinese = chinese
        self.isDaily = isDaily
        self.dailyOffset = dailyOffset
        self.maxAttempts = maxAttempts
        self.prepare = prepare
        self.run = run
    }
}

/// How the scheduler runs (`CHUQING_SCHEDULER_*`).
public struct SchedulerSettings: Sendable {
    /// The hour (China Standard Time, 0–23) at which the daily jobs fall due.
    public var dailyHour: Int
    /// How often an idle scheduler looks for due jobs.
    public var pollInterval: Duration
    /// How long a process holds a job it took; past it, another process may take the job.
    public var lease: TimeInterval
    /// Jobs run at once by this process.
    public var workers: Int

    public init(dailyHour: Int = 1, pollInterval: Duration = .seconds(5), lease: TimeInterval = 300, workers: Int = 2) {
        self.dailyHour = dailyHour
        self.pollInterval = pollInterval
        self.lease = lease
        self.workers = workers
    }
}

/// The scheduler (issue 17): takes due jobs from the jobs table and runs each in one transaction
/// with its completion; creates the daily jobs. The server runs it as a service; tests and the
/// benchmark call `runDue` with their own clock.
public final class Scheduler: Sendable {
    let database: Database
    let kinds: [String: JobKind]
    public let settings: SchedulerSettings
    let now: @Sendable () -> Date
    let logger: Logger
    /// the day whose daily jobs this process has made sure of
    private let dailyEnsured = Mutex<CalendarDate?>(nil)

    public init(database: Database, kinds: [JobKind], settings: SchedulerSettings, now: @escaping @Sendable () -> Date, logger: Logger) {
        self.database = database
        self.kinds = Dictionary(kinds.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        self.settings = settings
        self.now = now
        self.logger = logger
    }

    var repository: JobRepository { JobRepository(database: database) }

    /// The kinds that run every day, in a stable order.
    public var dailyKinds: [JobKind] { kinds.values.filter(\.isDaily).sorted { $0.name < $1.name } }

    /// The kind named `name`.
    public func kind(_ name: String) -> JobKind? { kinds[name] }

    /// Makes sure each daily job has its latest run (today's once the hour has passed, else
    /// yesterday's) and its next one queued. Each run's key is its kind and day, so any number of
    /// processes create it once, and a server that was down at the hour catches up on starting.
    public func ensureDailyJobs() async throws {
        let instant = now()
        let latest = JobTiming.latestDailyRun(hour: settings.dailyHour, now: instant)
        if dailyEnsured.withLock({ $0 == latest }) { return }
        for kind in dailyKinds {
            for day in [latest, latest.adding(days: 1)] {
                try await repository.enqueue(
                    kind: kind.name, dueAt: JobTiming.instant(of: day, hour: settings.dailyHour).addingTimeInterval(kind.dailyOffset),
                    maxAttempts: kind.maxAttempts,
                    createdBy: "scheduler", dedupeKey: "\(kind.name)@\(day)", now: instant)
            }
        }
        dailyEnsured.withLock { $0 = latest }
    }

    /// Takes and runs due jobs until none is due (or `limit` have run); returns how many ran,
    /// successfully or not. `shouldStop` is asked between jobs (a graceful shutdown).
    @discardableResult
    public func runDue(limit: Int = .max, batch: Int = 10, shouldStop: @Sendable () -> Bool = { false }) async throws -> Int {
        var ran = 0
        while ran < limit, !shouldStop() {
            let claimed = try await repository.claim(limit: min(batch, limit - ran), lease: settings.lease, now: now())
            if claimed.isEmpty { break }
            for job in claimed {
                await run(job)
                ran += 1
            }
        }
        return ran
    }

    /// One due pass: the daily jobs made sure of, then `workers` loops taking jobs until none is
    /// due. What the server's service does every `pollInterval`.
    public func tick(shouldStop: @escaping @Sendable () -> Bool) async throws {
        try await ensureDailyJobs()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<max(1, settings.workers) {
                group.addTask { try await self.runDue(batch: 1, shouldStop: shouldStop) }
            }
            try await group.waitForAll()
        }
    }

    /// Runs one taken job: its effect and its completion in one transaction; a failure is
    /// recorded for a later attempt.
    func run(_ job: ClaimedJob) async {
        let database = self.database
        let now = self.now
        guard let kind = kinds[job.kind] else {
            try? await repository.fail(job, error: "未知的任务类型「\(job.kind)」：此版本的服务器不会运行它", now: now())
            return
        }
        var log = logger
        log[metadataKey: "job"] = "\(job.id.databaseText)"
        log[metadataKey: "kind"] = "\(job.kind)"
        do {
            let prepared = try await kind.prepare?(JobContext(database: database, job: job, now: now()))
            let outcome = try await database.transaction { db in
                try await JobRepository.holdLease(job, on: db, engine: database.engine)
                let outcome = try await kind.run(JobContext(database: database.joining(db), job: job, now: now(), prepared: prepared))
                try await JobRepository.complete(job, result: outcome.summary, now: now(), on: db)
                return outcome
            }
            log.info("job done", metadata: ["result": "\(outcome.summary)", "attempt": "\(job.attempt)"])
            await outcome.afterCommit?()
        } catch let lost as JobLeaseLost {
            log.warning("job lease lost", metadata: ["error": "\(lost)"])
        } catch {
            let text = (error as? DomainError).map { "\($0.code)：\($0.message)" } ?? String(describing: error)
            log.error("job failed", metadata: ["error": "\(text)", "attempt": "\(job.attempt)", "of": "\(job.maxAttempts)"])
            do { try await repository.fail(job, error: text, now: now()) } catch {
                // The database itself is gone: the lease runs out and the job is taken again.
                log.error("job failure not recorded", metadata: ["error": "\(error)"])
            }
        }
    }
}
