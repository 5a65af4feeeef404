import ChuqingDomain
import ChuqingPersistence
import Foundation

/// The demo data `make run` loads (`chuqing demo load`): one login per role, for trying Chuqing
/// out. Never loaded unless asked for, and marked `is_demo` so it can be recognised.
public enum DemoData {
    /// A demo login as printed for the person trying Chuqing.
    public struct Login: Sendable {
        public let username: String
        public let password: String
        public let role: Role
        public let displayName: String
    }

    /// One login per role. The passwords are public: demo databases only.
    public static let logins: [Login] = [
        Login(username: "admin", password: "admin-demo-2026", role: .admin, displayName: "系统管理员"),
        Login(username: "director", password: "director-demo-2026", role: .director, displayName: "陈局长"),
        Login(username: "judge", password: "judge-demo-2026", role: .judge, displayName: "李法官"),
        Login(username: "clerk", password: "clerk-demo-2026", role: .clerk, displayName: "刘书记员"),
        Login(username: "liaison", password: "liaison-demo-2026", role: .liaison, displayName: "钟专员"),
        Login(username: "auditor", password: "auditor-demo-2026", role: .auditor, displayName: "周审计"),
    ]

    /// The township the demo liaison is bound to (高兴镇).
    /// (Demo judge 李法官 is `judge`; the other demo judges are listed by `otherJudges`.)
    public static let liaisonTownship = "360732-05"

    /// The other judges of the demo campaign (login `judge2`…, same password as `judge`).
    public static var otherJudges: [(username: String, name: String)] {
        DemoCases.judges.dropFirst().enumerated().map { ("judge\($0.offset + 2)", $0.element) }
    }

    /// Loads the demo logins and the demo campaign unless they are there already; returns whether
    /// anything was loaded.
    @discardableResult
    public static func load(into accounts: AccountService, database: Database, now: Date = Date()) async throws -> Bool {
        if try await accounts.hasDemoData() { return false }
        for login in logins {
            try await accounts.createUser(
                NewUser(username: login.username, displayName: login.displayName, role: login.role.rawValue,
                        township: login.role == .liaison ? liaisonTownship : nil, password: login.password),
                isDemo: true, actor: .commandLine)
        }
        for judge in otherJudges {
            try await accounts.createUser(NewUser(username: judge.username, displayName: judge.name, role: "judge", township: nil,
                                                  password: "judge-demo-2026"), isDemo: true, actor: .commandLine)
        }
        let report = try await CaseImporter(database: database).run(
            DemoCases.records(), actorID: nil, actorUsername: "演示数据", now: now, today: ShanghaiClock.today(now))
        // Some payments recorded in Chuqing, on top of what the "export" said was performed.
        let cases = try await CaseRepository(database: database).search(CaseFilter(), limit: 200, after: nil).items
        var random = SplitMix64(seed: 7)
        for summary in cases where summary.unperformedFen > 100_000 && random.next(upTo: 100) < 25 {
            guard let filed = try? CalendarDate.parse(summary.filedOn) else { continue }
            let amount = Money(fen: Int64(random.next(upTo: UInt64(summary.unperformedFen / 2))) / 100 * 100 + 100)
            let on = min(filed.adding(months: 1 + Int(random.next(upTo: 6))), ShanghaiClock.today(now))
            guard on >= filed else { continue }  // never a payment dated in the future
            _ = try await CaseRepository(database: database).addPayment(
                caseID: summary.id, amount: amount, receivedOn: on, method: .voluntary,
                actor: .init(id: nil, username: "演示数据"),
                audit: AuditEntry(occurredAt: now, actorID: nil, actorUsername: "演示数据", action: "case.payment", entity: "case",
                                  entityID: summary.id, detail: "演示数据"),
                now: now)
        }
        precondition(report.rowsRejected == 0, "demo rows must all be valid: \(report.rejections.prefix(3))")
        try await loadBatch(database: database, now: now)
        return true
    }

    /// 第一批任务: the older 终本 cases of 兴国县人民法院, started 75 days ago with 45 days to go;
    /// some resumed as 执恢 and cleared with a payment, measures taken, as a campaign looks midway.
    static func loadBatch(database: Database, now: Date) async throws {
        let today = ShanghaiClock.today(now)
        let system = CaseRepository.Actor(id: nil, username: "演示数据")
        func audit(_ action: String) -> AuditEntry {
            AuditEntry(occurredAt: now, actorID: nil, actorUsername: "演示数据", action: action, entity: "batch", entityID: nil, detail: "演示数据")
        }
        struct Director: Decodable { let id: String }
        guard let director = try await database.sql.raw("SELECT id FROM users WHERE username = 'director'").first(decoding: Director.self),
              let directorID = UUID(uuidString: director.id) else { return }
        let clearance = ClearanceRepository(database: database)
        let start = today.adding(days: -75)
        let batch = try await clearance.create(
            name: "第一批任务", courtCode: "赣0732", startsOn: start, deadline: today.adding(days: 45), targetCases: 120,
            targetRecoveredFen: 5_000_000_000, createdBy: directorID, audit: audit("batch.create"), now: now)
        var filter = BatchCaseFilter()
        filter.filedBefore = today.adding(months: -24)
        _ = try await clearance.addCases(batchID: batch.id, .filter(filter), team: nil, addedBy: directorID, audit: audit("batch.add_cases"), now: now)

        struct Member: Decodable { let case_id: String; let judge_id: String?; let filed_on: String; let unperformed: Int64 }
        let members = try await database.sql.raw("""
            SELECT bc.case_id, c.judge_id, c.filed_on, c.target_fen - c.imported_performed_fen AS unperformed
            FROM batch_cases bc JOIN enforcement_cases c ON c.id = bc.case_id WHERE bc.batch_id = \(bind: batch.id) ORDER BY c.case_number
            """).all(decoding: Member.self)
        let cases = CaseRepository(database: database)
        var random = SplitMix64(seed: 2026)
        var sequence = 1000
        for member in members {
            guard let filed = try? CalendarDate.parse(member.filed_on) else { continue }
            let judge = member.judge_id.flatMap(UUID.init(uuidString:))
            let roll = random.next(upTo: 100)
            // Measures on about two cases in five: searches, summons, detentions, seized vehicles.
            if roll < 40 {
                let kinds: [(MeasureKind, Int)] = [(.search, 3), (.summons, 2), (.detention, 1), (.vehicleSeizure, 1), (.consumptionRestriction, 1)]
                let (kind, most) = kinds[Int(random.next(upTo: UInt64(kinds.count)))]
                let figure = 1 + Int(random.next(upTo: UInt64(most)))
                let on = start.adding(days: Int(random.next(upTo: 70)))
                let measure = try Measure(kind: kind, on: on, persons: kind.quantity == .persons ? figure : nil,
                                          count: kind.quantity == .count ? figure : nil, amountFen: nil,
                                          documentNumber: "（\(on.year)）赣0732执\(kind == .search ? "搜" : "惩")\(sequence)号", filedOn: filed, today: today)
                _ = try await clearance.recordMeasure(caseID: member.case_id, measure, judgeID: judge, actor: system,
                                                      audit: audit("case.measure"), now: now)
            }
            // Resumed as 执恢 for about one case in three; most of those paid and closed for good.
            guard roll < 33, member.unperformed > 0 else { continue }
            sequence += 1
            let resumedOn = start.adding(days: Int(random.next(upTo: 50)))
            let number = try CaseNumber("（\(resumedOn.year)）赣0732执恢\(sequence)号")
            let successor = try await cases.resume(caseID: member.case_id, as: number, on: resumedOn, actor: system,
                                                   audit: audit("case.resume"), now: now)
            guard roll < 26 else { continue }
            let paidOn = min(resumedOn.adding(days: 3 + Int(random.next(upTo: 20))), today)
            _ = try await cases.addPayment(caseID: successor.summary.id, amount: Money(fen: member.unperformed), receivedOn: paidOn,
                                           method: roll < 10 ? .settlementInstalment : .deduction, actor: system,
                                           audit: audit("case.payment"), now: now)
            _ = try await cases.transition(caseID: successor.summary.id, to: .fullyEnforced, on: paidOn,
                                           reason: roll < 10 ? "和解协议履行完毕" : "执行款已全部到位", conditions: nil, actor: system,
                                           audit: audit("case.transition"), now: now)
        }
    }
}

extension AccountService {
    /// Whether `chuqing demo load` has run on this database.
    public func hasDemoData() async throws -> Bool {
        try await users.hasDemoUsers(on: database.sql)
    }
}
