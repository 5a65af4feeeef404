import ChuqingDomain
import ChuqingPersistence
import Foundation

/// The admin's view of the scheduler (issue 17): the jobs queued, running, done and failed, a
/// failed job's retry, and when each daily job runs next.
public struct JobService: Sendable {
    let database: Database
    let scheduler: Scheduler
    /// the gateways reminders go out through; none: the inbox alone
    let channels: [MessageChannel]
    let now: @Sendable () -> Date

    public init(
        database: Database, scheduler: Scheduler, channels: [MessageChannel] = [], now: @escaping @Sendable () -> Date = Date.init
    ) {
        self.database = database
        self.scheduler = scheduler
        self.channels = channels
        self.now = now
    }

    var repository: JobRepository { JobRepository(database: database) }

    /// A daily job and its next run.
    public struct DailyRun: Sendable {
        public let kind: String
        public let chinese: String
        public let nextRunAt: Date?
    }

    /// What the admin's page shows.
    public struct Overview: Sendable {
        public let counts: [JobState: Int]
        public let jobs: [StoredJob]
        public let total: Int
        public let daily: [DailyRun]
        public let dailyHour: Int
        public let channels: [MessageChannel]
        public let outbox: [OutboxState: Int]
        /// the latest messages, newest first
        public let recentOutbox: [OutboxMessage]
    }

    /// A page of jobs in `state` (all when nil), the counts, and the daily jobs' next runs.
    public func overview(state: JobState?, page: Int, perPage: Int = 50, by actor: ActingUser) async throws -> Overview {
        try actor.require(.manageJobs)
        try await scheduler.ensureDailyJobs()
        let (jobs, total) = try await repository.jobs(state: state, limit: perPage, offset: max(0, page - 1) * perPage)
        let kinds = scheduler.dailyKinds
        let next = try await repository.nextRuns(kinds: kinds.map(\.name))
        return Overview(
            counts: try await repository.counts(), jobs: jobs, total: total,
            daily: kinds.map { DailyRun(kind: $0.name, chinese: $0.chinese, nextRunAt: next[$0.name]) },
            dailyHour: scheduler.settings.dailyHour, channels: channels,
            outbox: try await OutboxRepository(database: database).counts(),
            recentOutbox: try await OutboxRepository(database: database).messages(limit: 20))
    }

    /// One job.
    public func job(id: UUID, by actor: ActingUser) async throws -> StoredJob {
        try actor.require(.manageJobs)
        guard let job = try await repository.job(id: id) else { throw Refusal.notFound }
        return job
    }

    /// Queues a failed job again, due now, its attempts counted afresh; only a failed job can be
    /// retried (`job_not_failed`).
    public func retry(id: UUID, by actor: ActingUser) async throws -> StoredJob {
        try actor.require(.manageJobs)
        let instant = now()
        let repository = self.repository
        return try await database.transaction { db in
            guard let job = try await repository.job(id: id, on: db) else { throw Refusal.notFound }
            guard try await repository.retry(id: id, now: instant, on: db) else {
                throw DomainError(
                    code: "job_not_failed", message: "只有失败的任务可以重新运行；此任务的状态是「\(job.state.chinese)」", kind: .conflict)
            }
            try await AuditLogRepository().append(
                actor.audit("job.retry", entity: "job", id: id.databaseText, detail: "\(job.kind)（此前 \(job.attempts) 次失败）", at: instant),
                on: db)
            return try await repository.job(id: id, on: db)!
        }
    }

    /// A kind's Chinese name, or the stored name when this version does not know it.
    public func kindName(_ kind: String) -> String { scheduler.kind(kind)?.chinese ?? kind }
}
