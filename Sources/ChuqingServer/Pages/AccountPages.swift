import ChuqingDomain
import ChuqingPersistence
import ChuqingServices
import Foundation
import Hummingbird

/// Login, logout, the home page and the password form.
struct AccountPages {
    let accounts: AccountService
    let clearance: ClearanceService
    let assetLookups: AssetLookupService
    let network: NetworkService
    let pages: PageRenderer
    let sessionLifetime: Duration
    let secureCookies: Bool
    let now: @Sendable () -> Date
    /// Days without action before a batch case appears on its judge's work list.
    let idleDays: Int
    /// The triage queue, for the home page's glance at open leads.
    let triage: TriageService
    /// Everyone's deadlines (issue 17 item 3): the home page's 已逾期 / 今日到期 / 即将到期.
    let deadlines: DeadlineService

    struct LoginModel: PageModel {
        let page: PageChrome
        let username: String
        let next: String
    }

    struct HomeModel: PageModel {
        struct WorkRow {
            let url: String
            let caseNumber: String
            let batch: String
            let idle: String
        }
        struct TodayRow {
            let url: String
            let caseNumber: String
            let time: String
            let actor: String
            let detail: String
        }
        struct BatchGlance {
            let url: String
            let name: String
            let cleared: String
            let recovered: String
            let daysLeft: String
            let chart: String
        }
        let page: PageChrome
        let roleDescription: String
        let townshipName: String?
        /// The work lists, for judges and the director.
        let showWork: Bool
        let idleDays: Int
        let idle: [WorkRow]
        let today: [TodayRow]
        /// Every open batch at a glance, for the director.
        let batches: [BatchGlance]
        /// Leads and tips waiting to be verified, for judges and the director: overdue ones are
        /// named first (财产调查规定 art. 2).
        let leads: LeadGlance?

        struct LeadGlance {
            let url: String
            let open: Int
            let overdue: Int
            let overdueItems: [String]
        }

        /// Asset look-ups for judges and the director: the six-monthly ones due after 终本
        /// (法〔2016〕373号 art. 9), and for the director those waiting for approval.
        let lookups: LookupGlance?
        /// The user's deadlines by urgency, first the most pressing: overdue, due today, due within
        /// 7 days. Each shows its count and first items, and links to its complete, paged list.
        let deadlines: [DeadlineGroup]?
        /// (stored: the templates see stored properties only)
        let hasDeadlines: Bool

        struct DeadlineGroup {
            let key: String
            let label: String
            let count: Int
            let items: [SchedulingPages.Item]
            let url: String
            let more: Bool
        }

        struct LookupGlance {
            let due: Int
            let dueItems: [DueItem]
            let awaiting: Int
            let awaitingURL: String?
            /// Every due look-up, paged (the glance shows five).
            let dueURL: String
            let moreDue: Bool
        }
        struct DueItem {
            let url: String
            let text: String
        }
    }

    struct PasswordModel: PageModel {
        let page: PageChrome
        let minimumLength = PasswordPolicy.minimumLength
    }

    func register(on routes: RouteTable) {
        routes.on(.get, SiteURL.login.pattern, .anyone, use: loginPage)
        routes.on(.post, SiteURL.login.pattern, .anyone, use: login)
        routes.on(.post, SiteURL.logout.pattern, .anyRole, use: logout)
        routes.on(.get, SiteURL.home.pattern, .anyRole, use: home)
        routes.on(.get, SiteURL.accountPassword.pattern, .anyRole, use: passwordPage)
        routes.on(.post, SiteURL.accountPassword.pattern, .anyRole, use: changePassword)
    }

    @Sendable func loginPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        if context.user != nil { return Response.redirect(to: SiteURL.home.path, type: .normal) }
        return pages.render(
            "login",
            model: LoginModel(
                page: PageChrome(title: "登录", context: context, current: .login, flash: nil),
                username: "", next: Self.safeNext(request.uri.queryParameters.get("next"))))
    }

    /// The login form; `next` is where the person was going (only a path on this site is kept).
    struct LoginForm: Decodable {
        @FormText var username: String
        @FormText var password: String
        var next: String?
    }

    /// The password form.
    struct PasswordForm: Decodable {
        @FormText var currentPassword: String
        @FormText var newPassword: String
    }

    @Sendable func login(_ request: Request, context: AppRequestContext) async throws -> Response {
        let form = try await request.decode(as: LoginForm.self, context: context)
        let username = form.username
        let next = Self.safeNext(form.next)
        do {
            let result = try await accounts.login(username: username, password: form.password, kind: .web, by: context.acting)
            var response = Response.redirect(to: next, type: .normal)
            response.setCookie(
                Cookie(
                    name: AuthenticationMiddleware.cookieName, value: result.token,
                    maxAge: Int(sessionLifetime.components.seconds), path: "/",
                    secure: secureCookies, httpOnly: true, sameSite: .lax))
            return response
        } catch let refusal as Refusal {
            let error = APIError(refusal)
            return pages.render(
                "login",
                model: LoginModel(
                    page: PageChrome(title: "登录", context: context, current: .login, flash: PageChrome.error(error)),
                    username: username, next: next), status: error.status, headers: error.headers)
        }
    }

    @Sendable func logout(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await accounts.logout(try context.requireSession(), by: context.acting)
        var response = Response.redirect(to: SiteURL.login.path, type: .normal)
        response.setCookie(
            Cookie(
                name: AuthenticationMiddleware.cookieName, value: "", maxAge: 0, path: "/",
                secure: secureCookies, httpOnly: true, sameSite: .lax))
        return response
    }

    @Sendable func home(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.requireSession().user
        let township =
            try await user.townshipCode.asyncMap { code in
                TownshipDirectory(try await network.allTownships(by: context.acting)).find(code)?.name
            } ?? nil
        let instant = now()
        let showWork = user.role == .judge || user.role == .director
        let idle =
            showWork ? try await clearance.idleCases(since: instant.addingTimeInterval(-Double(idleDays) * 86_400), by: context.acting) : []
        let today = showWork ? try await clearance.recordedSince(ShanghaiClock.startOfDay(instant), by: context.acting) : []
        var glances: [HomeModel.BatchGlance] = []
        if user.role == .director {
            let day = ShanghaiClock.today(instant)
            for batch in try await clearance.batches(by: context.acting) where batch.isOpen {
                let progress = try await clearance.progress(batchID: batch.id, asOf: day, by: context.acting)
                glances.append(
                    .init(
                        url: SiteURL.batchDetail(id: batch.id.databaseText).path, name: batch.name,
                        cleared: "\(progress.clearedCases) / \(progress.targetCases) 件",
                        recovered: Money(fen: progress.recoveredFen).formatted, daysLeft: "\(progress.daysLeft) 天",
                        chart: Charts.burnUp(progress)))
            }
        }
        var leads: HomeModel.LeadGlance?
        if showWork {
            let queue = try await triage.queue(openOnly: true, by: context.acting)
            leads = .init(
                url: SiteURL.triage.path, open: queue.open, overdue: queue.overdue,
                overdueItems: queue.items.filter(\.overdue).prefix(5).map {
                    "\($0.debtorName ?? "未指明对象")：\($0.kindName)，核实期限 \($0.verifyBy ?? "")"
                })
        }
        var lookups: HomeModel.LookupGlance?
        if showWork {
            let due = try await assetLookups.due(by: context.acting)
            let awaiting = user.may(.approveLookups) ? try await assetLookups.awaitingApprovalCount(by: context.acting) : 0
            lookups = .init(
                due: due.count,
                dueItems: due.prefix(5).map {
                    .init(
                        url: SiteURL.caseLookups(id: $0.caseID.databaseText).path,
                        text: "\($0.caseNumber) \($0.debtorName)，应于 \($0.dueOn) 查询")
                },
                awaiting: awaiting, awaitingURL: awaiting > 0 ? SiteURL.lookupLog.path + "?status=awaitingApproval" : nil,
                dueURL: SiteURL.lookupsDue.path, moreDue: due.count > 5)
        }
        var deadlineGroups: [HomeModel.DeadlineGroup]?
        if DeadlineService.roles.contains(user.role) {
            let (day, all) = try await deadlines.deadlines(by: context.acting)
            deadlineGroups = SchedulingPages.groups.filter { $0.0 != .later }.map { urgency, label in
                let items = all.filter { $0.urgency(today: day) == urgency }
                return .init(
                    key: urgency.rawValue, label: label, count: items.count,
                    items: items.prefix(Self.deadlinesShown).map { SchedulingPages.item($0, today: day) },
                    url: SiteURL.deadlines.path + "?urgency=\(urgency.rawValue)", more: items.count > Self.deadlinesShown)
            }
        }
        return pages.render(
            "home",
            model: HomeModel(
                page: PageChrome(title: "首页", context: context, current: .home, flash: nil),
                roleDescription: Self.description(of: user.role), townshipName: township,
                showWork: showWork, idleDays: idleDays,
                idle: idle.map {
                    .init(
                        url: SiteURL.caseDetail(id: $0.caseID).path, caseNumber: $0.caseNumber, batch: $0.batchName,
                        idle: "\(Int(instant.timeIntervalSince($0.lastAction) / 86_400)) 天")
                },
                today: today.map {
                    .init(
                        url: SiteURL.caseDetail(id: $0.caseID).path, caseNumber: $0.caseNumber, time: Display.time($0.occurredAt),
                        actor: $0.actor ?? "", detail: $0.detail)
                },
                batches: glances, leads: leads, lookups: lookups, deadlines: deadlineGroups,
                hasDeadlines: deadlineGroups != nil))
    }

    /// How many of each group's deadlines the home page names.
    static let deadlinesShown = 5

    @Sendable func passwordPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        pages.render(
            "password", model: PasswordModel(page: PageChrome(title: "修改密码", context: context, current: .accountPassword, flash: nil)))
    }

    @Sendable func changePassword(_ request: Request, context: AppRequestContext) async throws -> Response {
        let session = try context.requireSession()
        let form = try await request.decode(as: PasswordForm.self, context: context)
        let flash: PageChrome.Flash
        var status = HTTPResponse.Status.ok
        do {
            try await accounts.changePassword(
                for: session.user, current: form.currentPassword, new: form.newPassword, keeping: session, by: context.acting)
            flash = PageChrome.success("密码已修改；其他设备上的登录已退出")
        } catch let error as DomainError {
            flash = PageChrome.error(error)
            status = .unprocessableContent
        }
        return pages.render(
            "password",
            model: PasswordModel(page: PageChrome(title: "修改密码", context: context, current: .accountPassword, flash: flash)),
            status: status)
    }

    /// Only local paths are followed after login, so a crafted link cannot send a user elsewhere.
    static func safeNext(_ next: String?) -> String {
        guard let next, next.hasPrefix("/"), !next.hasPrefix("//"), !next.contains("\\") else { return SiteURL.home.path }
        return next
    }

    static func description(of role: Role) -> String {
        switch role {
        case .admin: "管理用户与系统设置，查看审计日志和运行指标。"
        case .director: "查看全部案件与出清批次，审批公告发布，查看审计日志。"
        case .judge: "办理分配给您的案件，跟进出清目标，处理乡镇联络员提交的线索。"
        case .clerk: "制作失信曝光、信用修复公告与文书。"
        case .liaison: "查看本乡镇需查找的被执行人，提交行踪与财产线索。"
        case .auditor: "只读查看系统数据与审计日志。"
        }
    }
}
