import ChuqingDomain
import ChuqingPersistence
import ChuqingServices
import Foundation
import Hummingbird

/// Issue 17's pages: a person's deadlines in full (`/deadlines`), their reminders (`/inbox`), and
/// the admin's view of the scheduler (`/admin/jobs`).
struct SchedulingPages {
    let deadlines: DeadlineService
    let inbox: InboxService
    let jobs: JobService
    let calendar: WorkingDayCalendar
    let pages: PageRenderer
    let now: @Sendable () -> Date

    static let perPage = 50

    func register(on routes: RouteTable) {
        routes.on(.get, SiteURL.deadlines.pattern, .anyRole, use: deadlinesPage)
        routes.on(.get, SiteURL.inbox.pattern, .anyRole, use: inboxPage)
        routes.on(.post, SiteURL.inboxRead(id: "").pattern, .anyRole, use: open)
        routes.on(.get, SiteURL.adminJobs.pattern, .permitted(.manageJobs), use: jobsPage)
        routes.on(.post, SiteURL.adminJobRetry(id: "").pattern, .permitted(.manageJobs), use: retry)
    }

    // MARK: Deadlines

    /// The three groups a home page shows, and the rest.
    static let groups: [(Deadline.Urgency, String)] = [
        (.overdue, "已逾期"), (.today, "今日到期"), (.soon, "即将到期（7日内）"), (.later, "以后到期"),
    ]

    struct Group {
        let key: String
        let label: String
        let count: Int
        let url: String
        let current: Bool
    }

    struct Item {
        let kind: String
        let subject: String
        let dueOn: String
        let overdue: Bool
        let link: String
    }

    struct DeadlinesModel: PageModel {
        let page: PageChrome
        let today: String
        let groups: [Group]
        let heading: String
        let items: [Item]
        let total: Int
        let previousURL: String?
        let nextURL: String?
        let pageLine: String
        let hasNone: Bool
    }

    /// The counts of `items` by group, each linking to its full list.
    static func groupCounts(_ items: [Deadline], today: CalendarDate, current: Deadline.Urgency?) -> [Group] {
        groups.map { urgency, label in
            Group(
                key: urgency.rawValue, label: label, count: items.filter { $0.urgency(today: today) == urgency }.count,
                url: SiteURL.deadlines.path + "?urgency=\(urgency.rawValue)", current: urgency == current)
        }
    }

    static func item(_ deadline: Deadline, today: CalendarDate) -> Item {
        Item(
            kind: deadline.kind.chinese, subject: deadline.subject, dueOn: deadline.dueOn.description,
            overdue: deadline.isOverdue(today: today), link: SiteURL.link(deadline.target))
    }

    @Sendable func deadlinesPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        let urgency = try request.choice("urgency", of: Deadline.Urgency.allCases.map(\.rawValue)).flatMap(Deadline.Urgency.init(rawValue:))
        let number = try request.pageNumber()
        let (today, all) = try await deadlines.deadlines(by: context.acting)
        let chosen = urgency.map { wanted in all.filter { $0.urgency(today: today) == wanted } } ?? all
        let pageCount = max(1, (chosen.count + Self.perPage - 1) / Self.perPage)
        let shown = min(number, pageCount)
        let slice = chosen.dropFirst((shown - 1) * Self.perPage).prefix(Self.perPage)
        func url(_ page: Int) -> String {
            SiteURL.deadlines.path + "?" + (urgency.map { "urgency=\($0.rawValue)&" } ?? "") + "page=\(page)"
        }
        let label = urgency.flatMap { wanted in Self.groups.first { $0.0 == wanted }?.1 } ?? "全部期限"
        return pages.render(
            "deadlines",
            model: DeadlinesModel(
                page: PageChrome(title: "到期事项", context: context, current: .deadlines, flash: nil), today: today.description,
                groups: Self.groupCounts(all, today: today, current: urgency), heading: label,
                items: slice.map { Self.item($0, today: today) }, total: chosen.count,
                previousURL: shown > 1 ? url(shown - 1) : nil, nextURL: shown < pageCount ? url(shown + 1) : nil,
                pageLine: "第 \(shown) / \(pageCount) 页，共 \(chosen.count) 件", hasNone: chosen.isEmpty))
    }

    // MARK: Inbox

    struct Reminder {
        let id: String
        let title: String
        let body: String
        let dueOn: String?
        let createdAt: String
        let unread: Bool
        let openURL: String
        let hasLink: Bool
    }

    struct InboxModel: PageModel {
        let page: PageChrome
        let reminders: [Reminder]
        let unread: Int
        let total: Int
        let unreadOnly: Bool
        let allURL: String
        let unreadURL: String
        let previousURL: String?
        let nextURL: String?
        let pageLine: String
    }

    @Sendable func inboxPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        let unreadOnly = try request.flag("unread") ?? false
        let number = try request.pageNumber()
        let (items, total) = try await inbox.items(unreadOnly: unreadOnly, page: number, perPage: Self.perPage, by: context.acting)
        let unread = try await inbox.unreadCount(by: context.acting)
        let pageCount = max(1, (total + Self.perPage - 1) / Self.perPage)
        func url(_ page: Int) -> String { SiteURL.inbox.path + "?" + (unreadOnly ? "unread=1&" : "") + "page=\(page)" }
        return pages.render(
            "inbox",
            model: InboxModel(
                page: PageChrome(title: "提醒", context: context, current: .inbox, flash: nil),
                reminders: items.map {
                    Reminder(
                        id: $0.id.databaseText, title: $0.title, body: $0.body, dueOn: $0.dueOn?.description,
                        createdAt: Display.time($0.createdAt), unread: $0.readAt == nil,
                        openURL: SiteURL.inboxRead(id: $0.id.databaseText).path, hasLink: $0.link != nil)
                },
                unread: unread, total: total, unreadOnly: unreadOnly, allURL: SiteURL.inbox.path,
                unreadURL: SiteURL.inbox.path + "?unread=1",
                previousURL: number > 1 ? url(number - 1) : nil, nextURL: number < pageCount ? url(number + 1) : nil,
                pageLine: "第 \(min(number, pageCount)) / \(pageCount) 页，共 \(total) 条"))
    }

    /// Opening a reminder marks it read and goes where it points (the inbox when nowhere).
    @Sendable func open(_ request: Request, context: AppRequestContext) async throws -> Response {
        let item = try await inbox.markRead(id: try context.pathID, by: context.acting)
        // Only a path of this site (never //host or /\host, which browsers read as another site).
        let target = item.link.flatMap { $0.hasPrefix("/") && !$0.hasPrefix("//") && !$0.hasPrefix("/\\") ? $0 : nil } ?? SiteURL.inbox.path
        return Response(status: .seeOther, headers: [.location: target])
    }

    // MARK: Jobs

    struct JobRow {
        let id: String
        let kind: String
        let state: String
        let stateClass: String
        let dueAt: String
        let attempts: String
        let lastError: String?
        let result: String?
        let finishedAt: String?
        let retryURL: String?
    }

    struct DailyRow {
        let kind: String
        let nextRun: String
    }

    struct StateTab {
        let label: String
        let count: Int
        let url: String
        let current: Bool
    }

    struct JobsModel: PageModel {
        let page: PageChrome
        let tabs: [StateTab]
        let daily: [DailyRow]
        let dailyHour: Int
        let jobs: [JobRow]
        let hasNone: Bool
        let previousURL: String?
        let nextURL: String?
        let pageLine: String
        let calendarLastDay: String
        let calendarDaysLeft: Int
        let calendarWarning: Bool
        let gatewayLine: String
        let outboxCounts: [StateTab]
        let outbox: [OutboxRow]
        let hasOutbox: Bool
    }

    struct OutboxRow: Codable {
        let createdAt: String
        let channel: String
        let recipient: String
        let state: String
        let stateClass: String
        let detail: String
    }

    /// 138****0005: enough to tell whose phone it is, not a list of numbers to copy.
    static func masked(_ mobile: String) -> String {
        guard mobile.count == 11 else { return mobile }
        return String(mobile.prefix(3)) + "****" + String(mobile.suffix(4))
    }

    @Sendable func jobsPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        let flash: PageChrome.Flash? =
            request.uri.queryParameters.get("saved") == "retried" ? PageChrome.success("已重新排入队列，将在下一次轮询时运行") : nil
        return try await jobsPage(request, context: context, flash: flash)
    }

    func jobsPage(_ request: Request, context: AppRequestContext, flash: PageChrome.Flash?, status: HTTPResponse.Status = .ok)
        async throws -> Response
    {
        let state = try request.choice("state", of: JobState.allCases.map(\.rawValue)).flatMap(JobState.init(rawValue:))
        let number = try request.pageNumber()
        let overview = try await jobs.overview(state: state, page: number, perPage: Self.perPage, by: context.acting)
        let pageCount = max(1, (overview.total + Self.perPage - 1) / Self.perPage)
        func url(_ page: Int) -> String { SiteURL.adminJobs.path + "?" + (state.map { "state=\($0.rawValue)&" } ?? "") + "page=\(page)" }
        let all = overview.counts.values.reduce(0, +)
        let today = ShanghaiClock.today(now())
        let last = calendar.lastCoveredDay
        let left = last.map { $0.dayNumber - today.dayNumber } ?? 0
        return pages.render(
            "jobs",
            model: JobsModel(
                page: PageChrome(title: "定时任务", context: context, current: .adminJobs, flash: flash),
                tabs: [StateTab(label: "全部", count: all, url: SiteURL.adminJobs.path, current: state == nil)]
                    + [JobState.failed, .queued, .running, .done].map {
                        StateTab(
                            label: $0.chinese, count: overview.counts[$0] ?? 0, url: SiteURL.adminJobs.path + "?state=\($0.rawValue)",
                            current: $0 == state)
                    },
                daily: overview.daily.map { DailyRow(kind: $0.chinese, nextRun: $0.nextRunAt.map(Display.time) ?? "—") },
                dailyHour: overview.dailyHour,
                jobs: overview.jobs.map {
                    JobRow(
                        id: $0.id.databaseText, kind: jobs.kindName($0.kind), state: $0.state.chinese, stateClass: $0.state.rawValue,
                        dueAt: Display.time($0.dueAt), attempts: "\($0.attempts) / \($0.maxAttempts)", lastError: $0.lastError,
                        result: $0.result, finishedAt: $0.finishedAt.map(Display.time),
                        retryURL: $0.state == .failed ? SiteURL.adminJobRetry(id: $0.id.databaseText).path : nil)
                },
                hasNone: overview.jobs.isEmpty,
                previousURL: number > 1 ? url(number - 1) : nil, nextURL: number < pageCount ? url(number + 1) : nil,
                pageLine: "第 \(min(number, pageCount)) / \(pageCount) 页，共 \(overview.total) 个",
                calendarLastDay: last?.description ?? "—", calendarDaysLeft: left,
                calendarWarning: last != nil && left <= DeadlineService.calendarWarningDays,
                gatewayLine: overview.channels.isEmpty
                    ? "未配置短信或政务微信网关：提醒只在站内“提醒”中（见 docs/gateway-protocol.md）"
                    : "提醒同时经\(overview.channels.map(\.chinese).joined(separator: "、"))网关发往用户登记的手机号",
                outboxCounts: OutboxState.allCases.map {
                    StateTab(label: $0.chinese, count: overview.outbox[$0] ?? 0, url: "#outbox", current: false)
                },
                outbox: overview.recentOutbox.map {
                    OutboxRow(
                        createdAt: Display.time($0.createdAt), channel: $0.channel.chinese, recipient: Self.masked($0.recipient),
                        state: $0.state.chinese, stateClass: $0.state == .sent ? "done" : $0.state == .rejected ? "failed" : "queued",
                        detail: $0.reason ?? $0.gatewayMessageID.map { "网关编号 \($0)" } ?? "")
                },
                hasOutbox: !overview.recentOutbox.isEmpty),
            status: status)
    }

    @Sendable func retry(_ request: Request, context: AppRequestContext) async throws -> Response {
        do {
            _ = try await jobs.retry(id: try context.pathID, by: context.acting)
            return Response(status: .seeOther, headers: [.location: SiteURL.adminJobs.path + "?saved=retried"])
        } catch let error as DomainError {
            return try await jobsPage(request, context: context, flash: PageChrome.error(error), status: .conflict)
        }
    }
}
