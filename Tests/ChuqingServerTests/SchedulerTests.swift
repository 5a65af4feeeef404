import ChuqingDomain
import ChuqingPersistence
import ChuqingServices
import ChuqingTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import SQLKit
import Synchronization
import Testing

@testable import ChuqingServer

/// Issue 17: the scheduler's jobs run once, retry with backoff, survive a crash, and act on every
/// deadline on its day.
@Suite("Scheduler")
struct SchedulerTests {
    /// A kind whose effect is an audit entry: not idempotent, so a job that ran twice shows.
    final class Attempts: Sendable {
        let count = Mutex(0)
    }

    static func countingKind(failFirst: Int = 0, attempts: Attempts? = nil) -> JobKind {
        JobKind(name: "test.count", chinese: "测试计数", isDaily: false, maxAttempts: 3) { context in
            if let attempts {
                let n = attempts.count.withLock { value -> Int in
                    value += 1
                    return value
                }
                if n <= failFirst { throw DomainError(code: "test_failure", message: "第 \(n) 次故意失败") }
            }
            try await AuditLogRepository().append(
                ActingUser.scheduler.audit("test.effect", entity: "job", id: context.job.id.databaseText, at: context.now),
                on: context.database.sql)
            return JobOutcome("已计数")
        }
    }

    static func effects(_ database: Database) async throws -> Int {
        struct N: Decodable { let n: Int }
        return try await database.sql.raw("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'test.effect'").first(decoding: N.self)?.n
            ?? 0
    }

    static func scheduler(_ database: Database, kinds: [JobKind], clock: @escaping @Sendable () -> Date, lease: TimeInterval = 300)
        -> Scheduler
    {
        Scheduler(
            database: database, kinds: kinds, settings: SchedulerSettings(lease: lease, workers: 2), now: clock, logger: TestSupport.logger)
    }

    @Test(arguments: TestEngine.available)
    func aDueJobRunsOnceAndAFailingOneRetriesWithBackoffThenStaysFailed(engine: TestEngine) async throws {
        try await engine.withDatabase { database in
            let clock = Mutex(TestSupport.fixedNow)
            let now: @Sendable () -> Date = { clock.withLock { $0 } }
            let attempts = Attempts()
            let scheduler = Self.scheduler(database, kinds: [Self.countingKind(failFirst: 10, attempts: attempts)], clock: now)
            let jobs = JobRepository(database: database)
            // not yet due: nothing runs
            try await jobs.enqueue(
                kind: "test.count", dueAt: now().addingTimeInterval(60), maxAttempts: 3, createdBy: "test", dedupeKey: "k1", now: now())
            #expect(
                try await jobs.enqueue(kind: "test.count", dueAt: now(), maxAttempts: 3, createdBy: "test", dedupeKey: "k1", now: now())
                    == false)
            #expect(try await scheduler.runDue() == 0)
            clock.withLock { $0 = $0.addingTimeInterval(60) }
            #expect(try await scheduler.runDue() == 1)  // attempt 1 fails
            var job = try #require(try await jobs.jobs(state: nil, limit: 10, offset: 0).jobs.first)
            #expect(job.state == .queued)
            #expect(job.attempts == 1)
            #expect(job.lastError?.contains("故意失败") == true)
            #expect(job.dueAt == now().addingTimeInterval(30))  // 30 s, then doubling
            #expect(try await scheduler.runDue() == 0)  // waiting out the backoff
            clock.withLock { $0 = $0.addingTimeInterval(30) }
            #expect(try await scheduler.runDue() == 1)
            job = try #require(try await jobs.job(id: job.id))
            #expect(job.dueAt == now().addingTimeInterval(60))
            clock.withLock { $0 = $0.addingTimeInterval(60) }
            #expect(try await scheduler.runDue() == 1)  // the third and last attempt
            job = try #require(try await jobs.job(id: job.id))
            #expect(job.state == .failed)
            #expect(job.attempts == 3)
            clock.withLock { $0 = $0.addingTimeInterval(3600) }
            #expect(try await scheduler.runDue() == 0)  // failed stays failed
            #expect(try await Self.effects(database) == 0)  // no failed attempt left an effect
            // retried by the admin, it runs (and now succeeds)
            attempts.count.withLock { $0 = 100 }
            #expect(try await jobs.retry(id: job.id, now: now(), on: database.sql))
            #expect(try await scheduler.runDue() == 1)
            #expect(try await jobs.job(id: job.id)?.state == .done)
            #expect(try await Self.effects(database) == 1)
            #expect(JobTiming.backoff(afterAttempt: 1) == 30)
            #expect(JobTiming.backoff(afterAttempt: 4) == 240)
            #expect(JobTiming.backoff(afterAttempt: 30) == 3600)
        }
    }

    /// A process that took a job and died (kill -9: the lease taken, the effect never committed)
    /// leaves it to another once the lease runs out; the effect then exists once.
    @Test(arguments: TestEngine.available)
    func aJobWhoseProcessDiedIsTakenAgainAfterItsLeaseAndItsEffectExistsOnce(engine: TestEngine) async throws {
        try await engine.withDatabase { database in
            let clock = Mutex(TestSupport.fixedNow)
            let now: @Sendable () -> Date = { clock.withLock { $0 } }
            let scheduler = Self.scheduler(database, kinds: [Self.countingKind()], clock: now, lease: 60)
            let jobs = JobRepository(database: database)
            try await jobs.enqueue(kind: "test.count", dueAt: now(), maxAttempts: 3, createdBy: "test", dedupeKey: nil, now: now())
            let taken = try await jobs.claim(limit: 10, lease: 60, now: now())  // the process that dies
            #expect(taken.count == 1)
            #expect(try await scheduler.runDue() == 0)  // its lease holds
            #expect(try await jobs.jobs(state: .running, limit: 10, offset: 0).total == 1)
            clock.withLock { $0 = $0.addingTimeInterval(61) }
            #expect(try await scheduler.runDue() == 1)
            #expect(try await Self.effects(database) == 1)
            let job = try #require(try await jobs.job(id: taken[0].id))
            #expect(job.state == .done)
            #expect(job.attempts == 2)
            // the dead process's late completion cannot commit: its lease has passed on
            await #expect(throws: JobLeaseLost.self) {
                try await database.transaction { db in try await JobRepository.holdLease(taken[0], on: db, engine: database.engine) }
            }
        }
    }

    /// Two server processes on one PostgreSQL, 1,000 due jobs: each runs exactly once.
    @Test(.enabled(if: TestEngine.available.contains(.postgres)))
    func twoProcessesOnOnePostgreSQLRunEachOfAThousandJobsOnce() async throws {
        let url = try await TestPostgres.shared.freshDatabase(migrated: true)
        let first = try await Database.open(url, logger: TestSupport.logger)
        let second = try await Database.open(url, logger: TestSupport.logger)
        try await first.withRunning { first in
            try await second.withRunning { second in
                let now: @Sendable () -> Date = { TestSupport.fixedNow }
                let jobs = JobRepository(database: first)
                try await first.transaction { db in
                    for _ in 0..<1000 {
                        try await JobRepository.enqueue(
                            kind: "test.count", dueAt: now(), maxAttempts: 3, createdBy: "test", dedupeKey: nil, now: now(), on: db)
                    }
                }
                let a = Self.scheduler(first, kinds: [Self.countingKind()], clock: now)
                let b = Self.scheduler(second, kinds: [Self.countingKind()], clock: now)
                async let ranA = a.runDue(batch: 5)
                async let ranB = b.runDue(batch: 5)
                let (countA, countB) = try await (ranA, ranB)
                #expect(countA + countB == 1000)
                #expect(countA > 0 && countB > 0, "both processes took jobs: \(countA) and \(countB)")
                #expect(try await Self.effects(first) == 1000)
                #expect(try await jobs.counts()[.done] == 1000)
            }
        }
    }

    /// The daily jobs are created once a day by any number of processes, and a server that was
    /// down at the hour runs the day's jobs when it starts.
    @Test(arguments: TestEngine.available)
    func dailyJobsAreCreatedOnceADayAndCaughtUpAfterADownHour(engine: TestEngine) async throws {
        try await engine.withDatabase { database in
            let clock = Mutex(TestSupport.fixedNow)  // 2026-03-02 08:00 CST: past the 01:00 run
            let now: @Sendable () -> Date = { clock.withLock { $0 } }
            let daily = JobKind(name: "test.daily", chinese: "测试每日", isDaily: true) { _ in JobOutcome("ok") }
            let one = Self.scheduler(database, kinds: [daily], clock: now)
            let two = Self.scheduler(database, kinds: [daily], clock: now)
            try await one.ensureDailyJobs()
            try await two.ensureDailyJobs()
            let all = try await JobRepository(database: database).jobs(state: nil, limit: 10, offset: 0).jobs
            #expect(all.count == 2)  // today's (due already) and tomorrow's
            #expect(Set(all.map { ShanghaiClock.today($0.dueAt).description }) == ["2026-03-02", "2026-03-03"])
            #expect(try await one.runDue() == 1)
            #expect(try await two.runDue() == 0)
            let next = try await JobRepository(database: database).nextRuns(kinds: ["test.daily"])
            #expect(next["test.daily"] == JobTiming.instant(of: try CalendarDate.parse("2026-03-03"), hour: 1))
        }
    }

    /// A year on a fixed clock, the scheduler run every day at 01:30: a fixed term ending the day
    /// before the National Day holiday is recorded that day, its deletion falls due on the make-up
    /// working Saturday, and the director is reminded once, the day after; the admin is warned of
    /// the calendar's end from 60 days before it, once at each milestone.
    @Test(arguments: TestEngine.available)
    func throughAYearEachDeadlineActsOnceOnItsDay(engine: TestEngine) async throws {
        let clock = Mutex(TestSupport.fixedNow)  // 2026-03-02
        try await withApp(engine, now: { clock.withLock { $0 } }) { client, world in
            try await CaseAPITests.importSample(client, world)
            let director = try await world.token(.director)
            let case3301 = try await CaseAPITests.caseID(client, director, "（2022）赣0732执3301号")
            let zhong = try await VillageAndPhotoTests.debtorID(client, director, idNumber: "36073219830415009X")
            // circumstance 4 on 2024-09-30: two years, the last day 2026-09-30 (a Wednesday)
            let listed = try await client.execute(
                uri: "/api/v1/blacklist-entries", method: .post, headers: bearer(director),
                body: jsonBody([
                    "caseId": case3301, "debtorId": zhong, "circumstances": [4], "decidedOn": "2024-09-30",
                    "decisionNumber": "（2024）赣0732执3301号之一",
                ]))
            #expect(listed.status == .created)
            let entry = try #require(listed.json["id"] as? String)
            func entryJSON() async throws -> [String: Any] {
                // a fresh login: the clock moves past any session's lifetime
                try await client.execute(
                    uri: "/api/v1/blacklist-entries/\(entry)", method: .get, headers: bearer(try await world.token(.director))
                ).json
            }
            struct Reminder: Decodable {
                let kind: String
                let created_at: Date
                let user_id: String
            }
            var day = try CalendarDate.parse("2026-03-02")
            let last = try CalendarDate.parse("2027-03-01")
            var triggerSeenOn: CalendarDate?
            while day <= last {
                clock.withLock { $0 = day.start.addingTimeInterval(90 * 60) }
                try await world.runScheduler()
                if triggerSeenOn == nil, try await entryJSON()["deletionTrigger"] as? String == "termExpired" { triggerSeenOn = day }
                day = day.adding(days: 1)
            }
            let after = try await entryJSON()
            #expect(triggerSeenOn?.description == "2026-09-30", "\(after)")
            #expect(after["deletionDueOn"] as? String == "2026-10-10")  // Oct 1–7 off; the 8th, 9th and the make-up 10th
            let reminders = try await world.database.sql.raw(
                "SELECT kind, created_at, user_id FROM inbox_items ORDER BY created_at"
            ).all(decoding: Reminder.self)
            let overdue = reminders.filter { $0.kind == "overdue.deletion" }
            #expect(overdue.count == 1, "\(overdue.map { ShanghaiClock.today($0.created_at).description })")
            #expect(overdue.first.map { ShanghaiClock.today($0.created_at).description } == "2026-10-11")
            let warnings = reminders.filter { $0.kind == "calendar.ending" }.map { ShanghaiClock.today($0.created_at).description }
            #expect(warnings == ["2026-11-01", "2026-12-01", "2026-12-17", "2026-12-24", "2026-12-28", "2026-12-30", "2026-12-31"])
            // one digest a day at most for each judge
            let digests = reminders.filter { $0.kind == "digest" }
            let days = Set(digests.map { "\($0.user_id) \(ShanghaiClock.today($0.created_at))" })
            #expect(days.count == digests.count)
            // nothing failed in the year
            let failed = try await JobRepository(database: world.database).jobs(state: .failed, limit: 10, offset: 0)
            #expect(failed.total == 0, "\(failed.jobs.map { "\($0.kind): \($0.lastError ?? "")" })")
        }
    }
}

/// Issue 17 items 3–5 over HTTP: everyone's deadlines, reminders in the inbox, the admin's jobs.
@Suite("Deadlines, inbox and jobs over the API")
struct DeadlineAPITests {
    @Test(arguments: TestEngine.available)
    func anOverdueDeletionIsTheDirectorsDeadlineAndReminderAndTheAdminSeesTheJobs(engine: TestEngine) async throws {
        let clock = Mutex(TestSupport.fixedNow)  // 2026-03-02
        try await withApp(engine, now: { clock.withLock { $0 } }) { client, world in
            let (chen, _, _) = try await NoticeTests.listThree(client, world)
            let director = try await world.token(.director)
            // trigger 3: the applicant's written request; the deletion is due 3 working days later
            let trigger = try await NoticeTests.post(
                client, "/api/v1/blacklist-entries/\(chen)/deletion-triggers", director,
                ["trigger": "applicantRequest", "on": "2026-03-02", "reason": "申请执行人删除失信信息申请书（2026-03-02）"])
            #expect(trigger.status == .ok || trigger.status == .created, "\(trigger.json)")
            func deadlines(_ role: Role, _ query: String = "") async throws -> TestResponse {
                try await client.execute(uri: "/api/v1/deadlines\(query)", method: .get, headers: bearer(try await world.token(role)))
            }
            let items = try await deadlines(.director).json["items"] as? [[String: Any]] ?? []
            let deletion = try #require(items.first { $0["kind"] as? String == "deletion" })
            #expect(deletion["overdue"] as? Bool == false)
            #expect(deletion["link"] as? String == "/blacklist#due")
            #expect((deletion["subject"] as? String)?.contains("赣0732执") == true)
            let dueOn = try CalendarDate.parse(try #require(deletion["dueOn"] as? String))
            // the day after it is due: overdue, and the daily job reminds the director once
            clock.withLock { $0 = dueOn.adding(days: 1).start.addingTimeInterval(2 * 3600) }
            let late = try await deadlines(.director, "?urgency=overdue")
            #expect(late.status == .ok)
            #expect(
                (late.json["items"] as? [[String: Any]])?.contains { $0["kind"] as? String == "deletion" && $0["overdue"] as? Bool == true }
                    == true)
            #expect((late.json["counts"] as? [String: Int])?["overdue"] ?? 0 >= 1)
            #expect(try await deadlines(.director, "?urgency=someday").errorCode == "invalid_query")
            #expect((try await deadlines(.clerk).json["items"] as? [Any])?.isEmpty == true)
            try await world.runScheduler()
            try await world.runScheduler()  // a second pass reminds nobody again
            let inbox = try await client.execute(uri: "/api/v1/inbox", method: .get, headers: bearer(try await world.token(.director)))
            let reminders = (inbox.json["items"] as? [[String: Any]] ?? []).filter { $0["kind"] as? String == "overdue.deletion" }
            #expect(reminders.count == 1, "\(inbox.json)")
            #expect(inbox.json["unread"] as? Int ?? 0 >= 1)
            let reminder = try #require(reminders.first?["id"] as? String)
            // someone else's reminder is not found; its owner marks it read
            let stranger = try await client.execute(
                uri: "/api/v1/inbox/\(reminder)/read", method: .post, headers: bearer(try await world.token(.judge)))
            #expect(stranger.status == .notFound)
            let read = try await client.execute(
                uri: "/api/v1/inbox/\(reminder)/read", method: .post, headers: bearer(try await world.token(.director)))
            #expect(read.json["read"] as? Bool == true)
            // the admin's view: the daily jobs with their next runs, and only the admin's
            let admin = try await world.token(.admin)
            let jobs = try await client.execute(uri: "/api/v1/jobs", method: .get, headers: bearer(admin))
            #expect(jobs.status == .ok)
            let daily = jobs.json["daily"] as? [[String: Any]] ?? []
            #expect(daily.count == 9)
            #expect(daily.allSatisfy { $0["nextRunAt"] != nil })
            #expect((jobs.json["counts"] as? [String: Int])?["done"] ?? 0 >= 7)
            let done = try #require((jobs.json["items"] as? [[String: Any]])?.first { $0["state"] as? String == "done" }?["id"] as? String)
            let retry = try await client.execute(uri: "/api/v1/jobs/\(done)/retry", method: .post, headers: bearer(admin))
            #expect(retry.status == .conflict)
            #expect(retry.errorCode == "job_not_failed")
            #expect(
                try await client.execute(uri: "/api/v1/jobs", method: .get, headers: bearer(try await world.token(.director))).status
                    == .forbidden)
            #expect(
                try await client.execute(uri: "/api/v1/jobs?state=stuck", method: .get, headers: bearer(admin)).errorCode == "invalid_query"
            )
            // the pages: the badge in the navigation, the full list, the admin's jobs page
            let page = try await client.execute(
                uri: "/deadlines?urgency=overdue", method: .get, headers: [.cookie: try await world.cookie(.director)])
            #expect(page.status == .ok)
            #expect(page.text.contains("失信名单删除"))
            // the director's home page: the overdue group counts it and names it, linking to it
            let home = try await client.execute(uri: "/", method: .get, headers: [.cookie: try await world.cookie(.director)])
            let overdueGroup = try #require(home.text.components(separatedBy: "id=\"home-overdue\"").dropFirst().first)
            let group = overdueGroup.components(separatedBy: "id=\"home-today\"")[0]
            #expect(group.contains("已逾期 <strong class=\"num\">1</strong>"), "\(group)")
            #expect(group.contains("href=\"/blacklist#due\""))
            #expect(home.text.contains("即将到期（7日内）"))
            // a clerk has no deadlines of their own: no such section
            let clerkHome = try await client.execute(uri: "/", method: .get, headers: [.cookie: try await world.cookie(.clerk)])
            #expect(!clerkHome.text.contains("id=\"home-overdue\""))
            let jobsPage = try await client.execute(uri: "/admin/jobs", method: .get, headers: [.cookie: try await world.cookie(.admin)])
            #expect(jobsPage.text.contains("宽限期届满"))
        }
    }
}
