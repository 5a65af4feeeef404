import ChuqingDomain
import ChuqingPersistence
import Foundation

/// The jobs the scheduler runs every day (issue 17 item 2). Each calls its feature's service
/// inside the job's transaction (`within`), so the rule lives once and the job only says when.
public enum StandardJobs {
    /// The kinds, built from the services that do the work. `link` turns a deadline's target into
    /// the page a reminder opens.
    public static func kinds(
        blacklist: BlacklistService, lookups: AssetLookupService, deadlines: DeadlineService, officials: OfficialService,
        reminders: Reminders = Reminders(), link: @escaping @Sendable (Deadline.Target) -> String
    ) -> [JobKind] {
        [
            reminders.deliveryKind,
            JobKind(name: "officials.overdue", chinese: "涉公职人员通报逾期：列入待移送并提醒承办法官", isDaily: true) { context in
                let review = try await officials.within(context.database).reviewOverdue(by: .scheduler)
                let directors = try await users(.director, on: context.database)
                var reminded = 0
                for push in review.due {
                    // The case's judge acts; a case without one goes to the directors.
                    let recipients = push.judgeID.map { [$0] } ?? directors.map(\.id)
                    for userID in recipients {
                        let added = try await reminders.send(
                            NewReminder(
                                userID: userID, kind: "officials.dueForEscalation", title: "涉公职人员逾期未履行",
                                body:
                                    "\(push.caseNumber) \(push.debtorName)：\(push.recipient)的履行期限已于 \(push.dueOn) 届满，案件仍未履行，\(officials.pushSettings.escalation == .automatic ? "已自动生成移送函" : "请生成移送函")",
                                link: link(.officialPush(push.id)), dueOn: push.dueOn,
                                dedupeKey: "officials.due:\(push.id.databaseText):\(userID.databaseText)"),
                            in: context)
                        if added { reminded += 1 }
                    }
                }
                return JobOutcome(
                    "逾期 \(review.due.count) 件列入待移送，自动移送 \(review.escalated) 件，已履行 \(review.performed) 件，提醒 \(reminded) 人")
            },
            JobKind(name: "blacklist.graceEnded", chinese: "宽限期届满：发出暂缓的失信通报", isDaily: true) { context in
                let released = try await blacklist.within(context.database).releaseHeldNotifications(by: .scheduler)
                return JobOutcome("\(released) 条失信信息的宽限期届满，已发出通报")
            },
            JobKind(name: "blacklist.termEnded", chinese: "失信期限届满：记录删除事由", isDaily: true) { context in
                let changed = try await blacklist.within(context.database).recordExpiredTerms(by: .scheduler)
                return JobOutcome("\(changed) 条失信信息期限届满，已记录删除事由（应于 3 个工作日内删除）")
            },
            JobKind(name: "lookups.periodic", chinese: "终本定期查询（每六个月）", isDaily: true) { context in
                let scheduled = try await lookups.within(context.database).scheduleDue(by: .scheduler)
                var reminded = 0
                if scheduled.awaitingApproval, !scheduled.created.isEmpty {
                    for director in try await users(.director, on: context.database) {
                        let added = try await reminders.send(
                            NewReminder(
                                userID: director.id, kind: "lookups.awaitingApproval", title: "定期查询待批准",
                                body: "今日到期的终本定期查询 \(scheduled.created.count) 次，待您批准后发出（法〔2016〕373号第九条）",
                                link: link(.lookupApprovals), dueOn: context.today,
                                dedupeKey: "lookups.awaitingApproval:\(context.today):\(director.id.databaseText)"),
                            in: context)
                        if added { reminded += 1 }
                    }
                }
                let summary =
                    scheduled.awaitingApproval
                    ? "\(scheduled.created.count) 次定期查询待院领导批准，已提醒 \(reminded) 人"
                    : "发起 \(scheduled.created.count) 次定期查询"
                return JobOutcome(summary, afterCommit: scheduled.ask)
            },
            JobKind(name: "blacklist.overdue", chinese: "失信名单删除、撤销、更正逾期：提醒院领导", isDaily: true) { context in
                let reminded = try await remindOverdue(
                    of: [.deletion, .procedure], roles: [.director], context: context, deadlines: deadlines, reminders: reminders,
                    link: link)
                return JobOutcome("逾期事项提醒 \(reminded) 条")
            },
            // A settlement's breach is read from its schedule and payments on the day; the job
            // tells the case's judge once per instalment missed.
            JobKind(name: "settlements.breached", chinese: "执行和解分期逾期：列入违约名单并提醒承办法官", isDaily: true) { context in
                let reminded = try await remindOverdue(
                    of: [.settlementInstalment], roles: [.judge], context: context, deadlines: deadlines, reminders: reminders, link: link)
                return JobOutcome("和解逾期提醒 \(reminded) 条")
            },
            JobKind(name: "leads.overdue", chinese: "线索逾期未核实：提醒承办法官", isDaily: true) { context in
                let reminded = try await remindOverdue(
                    of: [.leadVerification], roles: [.judge], context: context, deadlines: deadlines, reminders: reminders, link: link)
                return JobOutcome("逾期线索提醒 \(reminded) 条")
            },
            // A quarter of an hour after the others: the digest counts what is left once the day's
            // look-ups have started and the overdue reminders have gone out.
            JobKind(name: "digest.judges", chinese: "法官每日待办摘要", isDaily: true, dailyOffset: 15 * 60) { context in
                var sent = 0
                for judge in try await users(.judge, on: context.database) {
                    let items = try await deadlines.within(context.database).deadlines(for: judge, today: context.today)
                    let overdue = items.filter { $0.urgency(today: context.today) == .overdue }.count
                    let today = items.filter { $0.urgency(today: context.today) == .today }.count
                    let soon = items.filter { $0.urgency(today: context.today) == .soon }.count
                    guard overdue + today + soon > 0 else { continue }
                    let added = try await reminders.send(
                        NewReminder(
                            userID: judge.id, kind: "digest", title: "今日待办（\(context.today)）",
                            body: "已逾期 \(overdue) 件，今日到期 \(today) 件，7 日内到期 \(soon) 件", link: "/", dueOn: context.today,
                            dedupeKey: "digest:\(context.today):\(judge.id.databaseText)"),
                        in: context)
                    if added { sent += 1 }
                }
                return JobOutcome("发出每日摘要 \(sent) 份")
            },
            JobKind(name: "calendar.ending", chinese: "工作日日历将到期：提醒管理员", isDaily: true) { context in
                // From 60 days before the calendar's last day, at 60, 30, 14, 7, 3 and 1 days left
                // and on the day: a 3-working-day deadline past it cannot be counted.
                guard let last = deadlines.calendar.lastCoveredDay else { return JobOutcome("日历没有覆盖的年份") }
                let left = last.dayNumber - context.today.dayNumber
                guard left <= DeadlineService.calendarWarningDays else { return JobOutcome("日历排到 \(last)，还有 \(left) 天，无须提醒") }
                let milestone = [0, 1, 3, 7, 14, 30, 60].first { left <= $0 } ?? 0
                var sent = 0
                for admin in try await users(.admin, on: context.database) {
                    let added = try await reminders.send(
                        NewReminder(
                            userID: admin.id, kind: "calendar.ending", title: "工作日日历将到期",
                            body:
                                "工作日日历只排到 \(last)（还有 \(max(left, 0)) 天）：请在 Templates/calendar/working-days.csv 加入 \(last.year + 1) 年的放假与调休安排，否则此后的工作日期限无法计算",
                            link: link(.calendar), dueOn: last, dedupeKey: "calendar.ending:\(last):\(milestone):\(admin.id.databaseText)"),
                        in: context)
                    if added { sent += 1 }
                }
                return JobOutcome("日历排到 \(last)，还有 \(left) 天，提醒管理员 \(sent) 人")
            },
        ]
    }

    /// The users of `role` who can log in.
    static func users(_ role: Role, on database: Database) async throws -> [User] {
        try await UserRepository().all(on: database.sql).filter { $0.role == role && !$0.isDisabled }
    }

    /// One reminder to each user of `roles` for each of their overdue deadlines of `kinds`: once
    /// per deadline and person, however many days it stays overdue (the deadlines list shows it
    /// every day).
    static func remindOverdue(
        of kinds: Set<Deadline.Kind>, roles: [Role], context: JobContext, deadlines: DeadlineService, reminders: Reminders,
        link: @Sendable (Deadline.Target) -> String
    ) async throws -> Int {
        var sent = 0
        for role in roles {
            for user in try await users(role, on: context.database) {
                for deadline in try await deadlines.within(context.database).deadlines(for: user, today: context.today)
                where kinds.contains(deadline.kind) && deadline.isOverdue(today: context.today) {
                    let added = try await reminders.send(
                        NewReminder(
                            userID: user.id, kind: "overdue.\(deadline.kind.rawValue)", title: "\(deadline.kind.chinese)已逾期",
                            body: "\(deadline.subject)：应于 \(deadline.dueOn) 前完成", link: link(deadline.target), dueOn: deadline.dueOn,
                            dedupeKey:
                                "overdue:\(deadline.kind.rawValue):\(link(deadline.target)):\(deadline.dueOn):\(user.id.databaseText)"),
                        in: context)
                    if added { sent += 1 }
                }
            }
        }
        return sent
    }
}
