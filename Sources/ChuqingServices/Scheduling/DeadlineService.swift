import ChuqingDomain
import ChuqingPersistence
import Foundation

/// Everyone's deadlines (issue 17): the dates by which each person must act, gathered from the
/// rules that set them. One definition, read by `GET /api/v1/deadlines`, the home pages and the
/// scheduler's reminders.
public struct DeadlineService: Sendable {
    private(set) var database: Database
    let calendar: WorkingDayCalendar
    let now: @Sendable () -> Date

    public init(database: Database, calendar: WorkingDayCalendar, now: @escaping @Sendable () -> Date = Date.init) {
        self.database = database
        self.calendar = calendar
        self.now = now
    }

    /// This service inside another transaction (a scheduled job's).
    public func within(_ database: Database) -> DeadlineService {
        var joined = self
        joined.database = database
        return joined
    }

    /// How far ahead the calendar's end is announced to the admin.
    public static let calendarWarningDays = 60

    /// The roles that have deadlines of their own: a judge, the director, the admin.
    public static let roles: Set<Role> = [.judge, .director, .admin]

    /// The signed-in user's deadlines, the earliest first.
    public func deadlines(by actor: ActingUser) async throws -> (today: CalendarDate, items: [Deadline]) {
        let user = try actor.requireUser()
        let today = ShanghaiClock.today(now())
        return (today, try await deadlines(for: user, today: today))
    }

    /// `user`'s deadlines on `today`: a judge's on their own cases, the director's on every case,
    /// the admin's on the calendar; others have none of their own.
    public func deadlines(for user: User, today: CalendarDate) async throws -> [Deadline] {
        var items: [Deadline] = []
        switch user.role {
        case .judge, .director:
            let judge = user.judgeScope
            for lead in try await LeadRepository(database: database).list(judge: judge, openOnly: true, limit: 100_000) {
                items.append(
                    Deadline(
                        kind: .leadVerification, subject: "\(lead.debtorName)：\(lead.kind.chinese)（\(lead.township ?? "")）",
                        dueOn: lead.verifyBy, target: .lead(lead.id)))
            }
            let blacklist = BlacklistRepository(database: database)
            for entry in try await blacklist.dueDeletions(visibleToJudge: judge) {
                guard let due = entry.deletionDueOn else { continue }
                items.append(
                    Deadline(
                        kind: .deletion, subject: "\(entry.caseNumber) \(entry.debtorName)", dueOn: due, target: .blacklistEntry(entry.id)))
            }
            for procedure in try await blacklist.openProcedures(visibleToJudge: judge) {
                items.append(
                    Deadline(
                        kind: .procedure, subject: "\(procedure.caseNumber) \(procedure.debtorName)：\(procedure.kind.chinese)",
                        dueOn: procedure.dueOn, target: .procedure(entry: procedure.entryID)))
            }
            for due in try await AssetLookupRepository(database: database).due(
                judgeID: judge, today: today, dueBy: today.adding(days: 7), limit: 100_000)
            {
                items.append(
                    Deadline(
                        kind: .periodicLookup, subject: "\(due.caseNumber) \(due.debtorName)", dueOn: due.dueOn,
                        target: .caseFile(due.caseID)))
            }
            for push in try await OfficialRepository(database: database).pushes(visibleToJudge: judge)
            where push.escalatedOn == nil && push.performedOn == nil {
                let overdue = push.dueOn < today
                items.append(
                    Deadline(
                        kind: .officialPush,
                        subject: "\(push.caseNumber) \(push.debtorName)：\(overdue ? "逾期未履行，待移送纪委监委、组织部" : "通报\(push.recipient)，等待履行")",
                        dueOn: push.dueOn, target: .officialPush(push.id)))
            }
            for pending in try await ClearanceRepository(database: database).pendingReconsiderations(visibleToJudge: judge) {
                items.append(
                    Deadline(
                        kind: .reconsideration, subject: "\(pending.caseNumber) \(pending.personName)：\(pending.kind.chinese)复议待上级法院决定",
                        dueOn: pending.dueOn, target: .caseMeasures(pending.caseID)))
            }
            for settlement in try await SettlementRepository(database: database).settlements(visibleToJudge: judge)
            where settlement.performedOn == nil && settlement.resumedOn == nil {
                let standing = settlement.standing(on: today, calendar: calendar)
                guard let line = standing.firstOverdue ?? standing.next,
                    let number = standing.lines.firstIndex(of: line).map({ $0 + 1 })
                else { continue }
                let what =
                    line.overdue
                    ? "和解第 \(number) 期 \(line.unpaid.formatted) 逾期未付，违约（申请执行人可申请恢复执行）"
                    : "和解第 \(number) 期应付 \(line.unpaid.formatted)"
                items.append(
                    Deadline(
                        kind: .settlementInstalment, subject: "\(settlement.caseNumber) \(settlement.debtorNames)：\(what)",
                        dueOn: SettlementRules.payableBy(line.instalment.dueOn, calendar: calendar), target: .settlement(settlement.id)))
            }
        case .admin:
            if let last = calendar.lastCoveredDay, last <= today.adding(days: Self.calendarWarningDays) {
                items.append(
                    Deadline(
                        kind: .calendarEnd, subject: "工作日日历只排到 \(last)：请加入 \(last.year + 1) 年的放假与调休安排", dueOn: last,
                        target: .calendar))
            }
        case .clerk, .liaison, .auditor:
            break
        }
        return items.sorted { ($0.dueOn, $0.kind.rawValue, $0.subject) < ($1.dueOn, $1.kind.rawValue, $1.subject) }
    }
}
