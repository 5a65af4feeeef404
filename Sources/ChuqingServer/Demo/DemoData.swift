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
    public static let liaisonTownship = "360732-05"

    /// Loads the demo logins unless they are there already; returns whether anything was loaded.
    @discardableResult
    public static func load(into accounts: AccountService) async throws -> Bool {
        if try await accounts.hasDemoData() { return false }
        for login in logins {
            try await accounts.createUser(
                NewUser(username: login.username, displayName: login.displayName, role: login.role.rawValue,
                        township: login.role == .liaison ? liaisonTownship : nil, password: login.password),
                isDemo: true, actor: .commandLine)
        }
        return true
    }
}

extension AccountService {
    /// Whether `chuqing demo load` has run on this database.
    public func hasDemoData() async throws -> Bool {
        try await users.hasDemoUsers(on: database.sql)
    }
}
