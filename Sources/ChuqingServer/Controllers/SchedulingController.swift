import ChuqingDomain
import ChuqingPersistence
import ChuqingServices
import Foundation
import Hummingbird

/// Issue 17's API: the signed-in user's deadlines (`/api/v1/deadlines`) and reminders
/// (`/api/v1/inbox`), and the admin's view of the scheduler (`/api/v1/jobs`).
struct SchedulingController {
    let deadlines: DeadlineService
    let inbox: InboxService
    let jobs: JobService

    struct DeadlineResponse: Encodable {
        let kind: String
        let kindLabel: String
        let subject: String
        let dueOn: String
        let overdue: Bool
        let urgency: String
        let link: String

        init(_ deadline: Deadline, today: CalendarDate) {
            kind = deadline.kind.rawValue
            kindLabel = deadline.kind.chinese
            subject = deadline.subject
            dueOn = deadline.dueOn.description
            overdue = deadline.isOverdue(today: today)
            urgency = deadline.urgency(today: today).rawValue
            link = SiteURL.link(deadline.target)
        }
    }

    struct DeadlineList: Encodable {
        let today: String
        let counts: [String: Int]
        let items: [DeadlineResponse]
        let nextCursor: String?
    }

    struct InboxResponse: Encodable {
        let id: String
        let kind: String
        let title: String
        let body: String
        let link: String?
        let dueOn: String?
        let createdAt: Date
        let read: Bool
        let readAt: Date?

        init(_ item: InboxItem) {
            id = item.id.databaseText
            kind = item.kind
            title = item.title
            body = item.body
            link = item.link
            dueOn = item.dueOn?.description
            createdAt = item.createdAt
            read = item.readAt != nil
            readAt = item.readAt
        }
    }

    struct InboxList: Encodable {
        let unread: Int
        let total: Int
        let items: [InboxResponse]
        let nextCursor: String?
    }

    struct JobResponse: Encodable {
        let id: String
        let kind: String
        let kindLabel: String
        let state: String
        let stateLabel: String
        let dueAt: Date
        let attempts: Int
        let maxAttempts: Int
        let lastError: String?
        let result: String?
        let createdBy: String
        let createdAt: Date
        let startedAt: Date?
        let finishedAt: Date?

        init(_ job: StoredJob, label: String) {
            id = job.id.databaseText
            kind = job.kind
            kindLabel = label
            state = job.state.rawValue
            stateLabel = job.state.chinese
            dueAt = job.dueAt
            attempts = job.attempts
            maxAttempts = job.maxAttempts
            lastError = job.lastError
            result = job.result
            createdBy = job.createdBy
            createdAt = job.createdAt
            startedAt = job.startedAt
            finishedAt = job.finishedAt
        }
    }

    struct DailyRunResponse: Encodable {
        let kind: String
        let kindLabel: String
        let nextRunAt: Date?
    }

    struct OutboxSummary: Encodable {
        /// the gateways configured: `sms`, `wechat`; empty: reminders stay in the inbox
        let channels: [String]
        let counts: [String: Int]
    }

    struct JobList: Encodable {
        let counts: [String: Int]
        let outbox: OutboxSummary
        let daily: [DailyRunResponse]
        let dailyHour: Int
        let total: Int
        let items: [JobResponse]
        let nextCursor: String?
    }

    func register(on routes: RouteTable) {
        routes.on(.get, "/api/v1/deadlines", .anyRole, use: deadlineList)
        routes.on(.get, "/api/v1/inbox", .anyRole, use: inboxList)
        routes.on(.post, "/api/v1/inbox/:id/read", .anyRole, use: markRead)
        routes.on(.get, "/api/v1/jobs", .permitted(.manageJobs), use: jobList)
        routes.on(.get, "/api/v1/jobs/:id", .permitted(.manageJobs), use: job)
        routes.on(.post, "/api/v1/jobs/:id/retry", .permitted(.manageJobs), use: retry)
    }

    @Sendable func deadlineList(_ request: Request, context: AppRequestContext) async throws -> Response {
        let urgency = try request.choice("urgency", of: Deadline.Urgency.allCases.map(\.rawValue)).flatMap(Deadline.Urgency.init(rawValue:))
        let (today, items) = try await deadlines.deadlines(by: context.acting)
        var counts: [String: Int] = Dictionary(uniqueKeysWithValues: Deadline.Urgency.allCases.map { ($0.rawValue, 0) })
        for item in items { counts[item.urgency(today: today).rawValue, default: 0] += 1 }
        let chosen = urgency.map { wanted in items.filter { $0.urgency(today: today) == wanted } } ?? items
        return try JSON.response(
            DeadlineList(
                today: today.description, counts: counts, items: chosen.map { DeadlineResponse($0, today: today) }, nextCursor: nil))
    }

    @Sendable func inboxList(_ request: Request, context: AppRequestContext) async throws -> Response {
        let unreadOnly = try request.flag("unread") ?? false
        let page = try request.pageNumber()
        let (items, total) = try await inbox.items(unreadOnly: unreadOnly, page: page, by: context.acting)
        let unread = try await inbox.unreadCount(by: context.acting)
        let next = page * 50 < total ? String(page + 1) : nil
        return try JSON.response(InboxList(unread: unread, total: total, items: items.map(InboxResponse.init), nextCursor: next))
    }

    @Sendable func markRead(_ request: Request, context: AppRequestContext) async throws -> Response {
        try JSON.response(InboxResponse(try await inbox.markRead(id: try context.pathID, by: context.acting)))
    }

    @Sendable func jobList(_ request: Request, context: AppRequestContext) async throws -> Response {
        let state = try request.choice("state", of: JobState.allCases.map(\.rawValue)).flatMap(JobState.init(rawValue:))
        let page = try request.pageNumber()
        let overview = try await jobs.overview(state: state, page: page, by: context.acting)
        var counts: [String: Int] = Dictionary(uniqueKeysWithValues: JobState.allCases.map { ($0.rawValue, 0) })
        for (state, count) in overview.counts { counts[state.rawValue] = count }
        return try JSON.response(
            JobList(
                counts: counts,
                outbox: OutboxSummary(
                    channels: overview.channels.map(\.rawValue),
                    counts: Dictionary(uniqueKeysWithValues: OutboxState.allCases.map { ($0.rawValue, overview.outbox[$0] ?? 0) })),
                daily: overview.daily.map { DailyRunResponse(kind: $0.kind, kindLabel: $0.chinese, nextRunAt: $0.nextRunAt) },
                dailyHour: overview.dailyHour, total: overview.total,
                items: overview.jobs.map { JobResponse($0, label: jobs.kindName($0.kind)) },
                nextCursor: page * 50 < overview.total ? String(page + 1) : nil))
    }

    @Sendable func job(_ request: Request, context: AppRequestContext) async throws -> Response {
        let job = try await jobs.job(id: try context.pathID, by: context.acting)
        return try JSON.response(JobResponse(job, label: jobs.kindName(job.kind)))
    }

    @Sendable func retry(_ request: Request, context: AppRequestContext) async throws -> Response {
        let job = try await jobs.retry(id: try context.pathID, by: context.acting)
        return try JSON.response(JobResponse(job, label: jobs.kindName(job.kind)))
    }
}
