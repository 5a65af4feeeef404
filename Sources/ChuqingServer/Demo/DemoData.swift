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
            let on = filed.adding(months: 1 + Int(random.next(upTo: 6)))
            _ = try await CaseRepository(database: database).addPayment(
                caseID: summary.id, amount: amount, receivedOn: on, method: .voluntary,
                actor: .init(id: nil, username: "演示数据"),
                audit: AuditEntry(occurredAt: now, actorID: nil, actorUsername: "演示数据", action: "case.payment", entity: "case",
                                  entityID: summary.id, detail: "演示数据"),
                now: now)
        }
        precondition(report.rowsRejected == 0, "demo rows must all be valid: \(report.rejections.prefix(3))")
        return true
    }
}

extension AccountService {
    /// Whether `chuqing demo load` has run on this database.
    public func hasDemoData() async throws -> Bool {
        try await users.hasDemoUsers(on: database.sql)
    }
}
