import ChuqingDomain
import Foundation
import SQLKit

/// A job as stored (issue 17).
public struct StoredJob: Sendable {
    public let id: UUID
    public let kind: String
    public let payload: String
    public let dueAt: Date
    public let state: JobState
    public let attempts: Int
    public let maxAttempts: Int
    public let lastError: String?
    public let createdBy: String
    public let createdAt: Date
    public let startedAt: Date?
    public let finishedAt: Date?
    public let result: String?
}

/// A job a process has taken: it holds the lease `token` until `leaseUntil`.
public struct ClaimedJob: Sendable {
    public let id: UUID
    public let kind: String
    public let payload: String
    /// this attempt's number, from 1
    public let attempt: Int
    public let maxAttempts: Int
    public let token: String
}

/// The job's lease ran out and another process took it: this process's effect must not commit.
public struct JobLeaseLost: Error, CustomStringConvertible {
    public let id: UUID
    public var description: String { "任务 \(id) 的租约已被其他进程接手" }
}

/// The jobs table: enqueueing, claiming under a lease, completing with the effect, failing with
/// backoff, and what the admin reads.
public struct JobRepository: Sendable {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    /// A new job. With a `dedupeKey` already taken, nothing is added (false): a periodic job's
    /// day, or a reminder's subject, is enqueued once however many processes try.
    @discardableResult
    public static func enqueue(
        kind: String, payload: String = "{}", dueAt: Date, maxAttempts: Int, createdBy: String, dedupeKey: String?, now: Date,
        on db: any SQLDatabase
    ) async throws -> Bool {
        struct Inserted: Decodable { let id: String }
        let id = UUID().databaseText
        let row = try await db.raw(
            """
            INSERT INTO jobs (id, kind, payload, due_at, state, attempts, max_attempts, created_by, created_at, dedupe_key)
            VALUES (\(bind: id), \(bind: kind), \(bind: payload), \(bind: dueAt), 'queued', 0, \(bind: maxAttempts),
                    \(bind: createdBy), \(bind: now), \(bind: dedupeKey))
            ON CONFLICT (dedupe_key) DO NOTHING RETURNING id
            """
        ).first(decoding: Inserted.self)
        return row != nil
    }

    /// `enqueue` in a transaction of its own.
    @discardableResult
    public func enqueue(
        kind: String, payload: String = "{}", dueAt: Date, maxAttempts: Int, createdBy: String, dedupeKey: String?, now: Date
    ) async throws -> Bool {
        try await Self.enqueue(
            kind: kind, payload: payload, dueAt: dueAt, maxAttempts: maxAttempts, createdBy: createdBy, dedupeKey: dedupeKey, now: now,
            on: database.sql)
    }

    /// Takes up to `limit` jobs that are due (or whose lease ran out) for `lease`, the earliest due
    /// first. On PostgreSQL the rows another process is taking at that moment are skipped
    /// (`FOR UPDATE SKIP LOCKED`), so no two processes take the same job; SQLite runs one
    /// transaction at a time.
    public func claim(limit: Int, lease: TimeInterval, now: Date) async throws -> [ClaimedJob] {
        let skipLocked: SQLQueryString = database.engine == .postgres ? " FOR UPDATE SKIP LOCKED" : ""
        return try await database.transaction { db in
            struct Row: Decodable {
                let id: String
                let kind: String
                let payload: String
                let attempts: Int
                let max_attempts: Int
            }
            // Two index-ordered reads (migration 0027), not one with OR: with 100,000 jobs queued
            // an OR made every claim sort the whole queue. Expired leases first: those jobs are
            // the oldest work.
            let expired = try await db.raw(
                """
                SELECT id, kind, payload, attempts, max_attempts FROM jobs
                WHERE state = 'running' AND lease_until < \(bind: now)
                ORDER BY lease_until, id LIMIT \(literal: limit)
                """ + skipLocked
            ).all(decoding: Row.self)
            let rows =
                expired.count >= limit
                ? expired
                : expired
                    + (try await db.raw(
                        """
                        SELECT id, kind, payload, attempts, max_attempts FROM jobs
                        WHERE state = 'queued' AND due_at <= \(bind: now)
                        ORDER BY due_at, id LIMIT \(literal: limit - expired.count)
                        """ + skipLocked
                    ).all(decoding: Row.self))
            var claimed: [ClaimedJob] = []
            for row in rows {
                let token = UUID().databaseText
                try await db.raw(
                    """
                    UPDATE jobs SET state = 'running', attempts = attempts + 1, lease_token = \(bind: token),
                        lease_until = \(bind: now.addingTimeInterval(lease)), started_at = \(bind: now)
                    WHERE id = \(bind: row.id)
                    """
                ).run()
                claimed.append(
                    ClaimedJob(
                        id: try Stored.uuid(row.id, "jobs.id"), kind: row.kind, payload: row.payload, attempt: row.attempts + 1,
                        maxAttempts: row.max_attempts, token: token))
            }
            return claimed
        }
    }

    /// Inside the job's effect transaction, first: locks the job's row while this process still
    /// holds its lease, so no other process takes it until the effect and the completion commit;
    /// throws `JobLeaseLost` if the lease has passed to another.
    public static func holdLease(_ job: ClaimedJob, on db: any SQLDatabase, engine: DatabaseEngine) async throws {
        struct Row: Decodable { let id: String }
        let lock: SQLQueryString = engine == .postgres ? " FOR UPDATE" : ""
        let held = try await db.raw(
            "SELECT id FROM jobs WHERE id = \(bind: job.id) AND lease_token = \(bind: job.token) AND state = 'running'" + lock
        ).first(decoding: Row.self)
        guard held != nil else { throw JobLeaseLost(id: job.id) }
    }

    /// Marks the job done, in its effect's transaction.
    public static func complete(_ job: ClaimedJob, result: String, now: Date, on db: any SQLDatabase) async throws {
        try await db.raw(
            """
            UPDATE jobs SET state = 'done', finished_at = \(bind: now), result = \(bind: result), lease_token = NULL, lease_until = NULL
            WHERE id = \(bind: job.id) AND lease_token = \(bind: job.token)
            """
        ).run()
    }

    /// Records a failed attempt: queued again after the backoff, or failed for good after its last
    /// attempt. Does nothing if the lease has passed to another process.
    public func fail(_ job: ClaimedJob, error: String, now: Date) async throws {
        let final = job.attempt >= job.maxAttempts
        let again = now.addingTimeInterval(JobTiming.backoff(afterAttempt: job.attempt))
        try await database.sql.raw(
            """
            UPDATE jobs SET state = \(bind: final ? JobState.failed.rawValue : JobState.queued.rawValue),
                due_at = \(bind: final ? now : again), last_error = \(bind: String(error.prefix(2000))),
                finished_at = \(bind: final ? now : nil), lease_token = NULL, lease_until = NULL
            WHERE id = \(bind: job.id) AND lease_token = \(bind: job.token)
            """
        ).run()
    }

    /// Queues a failed job again now, with its attempts counted afresh; false if it is not failed.
    public func retry(id: UUID, now: Date, on db: any SQLDatabase) async throws -> Bool {
        struct Row: Decodable { let id: String }
        return try await db.raw(
            """
            UPDATE jobs SET state = 'queued', attempts = 0, due_at = \(bind: now), finished_at = NULL
            WHERE id = \(bind: id) AND state = 'failed' RETURNING id
            """
        ).first(decoding: Row.self) != nil
    }

    private struct Row: Decodable {
        let id: String
        let kind: String
        let payload: String
        let due_at: Date
        let state: String
        let attempts: Int
        let max_attempts: Int
        let last_error: String?
        let created_by: String
        let created_at: Date
        let started_at: Date?
        let finished_at: Date?
        let result: String?

        func job() throws -> StoredJob {
            StoredJob(
                id: try Stored.uuid(id, "jobs.id"), kind: kind, payload: payload, dueAt: due_at,
                state: try Stored.value(state, "jobs.state"),
                attempts: attempts, maxAttempts: max_attempts, lastError: last_error, createdBy: created_by, createdAt: created_at,
                startedAt: started_at, finishedAt: finished_at, result: result)
        }
    }

    private static let columns =
        "id, kind, payload, due_at, state, attempts, max_attempts, last_error, created_by, created_at, started_at, finished_at, result"

    /// One job.
    public func job(id: UUID, on db: (any SQLDatabase)? = nil) async throws -> StoredJob? {
        try await (db ?? database.sql).raw(SQLQueryString("SELECT \(unsafeRaw: Self.columns) FROM jobs WHERE id = \(bind: id)"))
            .first(decoding: Row.self).map { try $0.job() }
    }

    /// The jobs in `state` (every state when nil), a page of them: queued by when they are due,
    /// the others the latest first.
    public func jobs(state: JobState?, limit: Int, offset: Int) async throws -> (jobs: [StoredJob], total: Int) {
        var filter: SQLQueryString = ""
        if let state { filter = " WHERE state = \(bind: state.rawValue)" }
        let order: SQLQueryString =
            state == .queued ? " ORDER BY due_at, id" : " ORDER BY COALESCE(finished_at, started_at, created_at) DESC, id"
        let rows = try await database.sql.raw(
            SQLQueryString("SELECT \(unsafeRaw: Self.columns) FROM jobs") + filter + order
                + " LIMIT \(literal: limit) OFFSET \(literal: offset)"
        ).all(decoding: Row.self).map { try $0.job() }
        struct Count: Decodable { let n: Int }
        let total =
            try await database.sql.raw(SQLQueryString("SELECT COUNT(*) AS n FROM jobs") + filter).first(decoding: Count.self)?.n ?? 0
        return (rows, total)
    }

    /// How many jobs are in each state.
    public func counts() async throws -> [JobState: Int] {
        struct Row: Decodable {
            let state: String
            let n: Int
        }
        var counts: [JobState: Int] = [:]
        for row in try await database.sql.raw("SELECT state, COUNT(*) AS n FROM jobs GROUP BY state").all(decoding: Row.self) {
            if let state = JobState(rawValue: row.state) { counts[state] = row.n }
        }
        return counts
    }

    /// The pending run (queued or running) of each kind in `kinds` that is due soonest.
    public func nextRuns(kinds: [String]) async throws -> [String: Date] {
        guard !kinds.isEmpty else { return [:] }
        struct Row: Decodable {
            let kind: String
            let due: Date
        }
        var query: SQLQueryString = "SELECT kind, MIN(due_at) AS due FROM jobs WHERE state IN ('queued', 'running') AND kind IN ("
        for (index, kind) in kinds.enumerated() { query = query + (index == 0 ? "" : ", ") + "\(bind: kind)" }
        var runs: [String: Date] = [:]
        for row in try await database.sql.raw(query + ") GROUP BY kind").all(decoding: Row.self) { runs[row.kind] = row.due }
        return runs
    }
}
