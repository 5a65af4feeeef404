import ChuqingDomain
import ChuqingPersistence
import Foundation

/// Who asks a service to act: the logged-in user with their address and request id (for the
/// audit log), or the command line, which the operator of the server runs and which acts as the
/// system.
public struct ActingUser: Sendable {
    /// The user; nil for the command line.
    public let user: User?
    /// The caller's IP address, as the audit log and the login throttle record it.
    public let address: String?
    /// The request id that the server's log and the response's `X-Request-ID` carry.
    public let requestID: String?

    /// Whether the command line is acting (as the system, or with `--as` a user's rights).
    public let isCommandLine: Bool
    /// The system's own name in the log when no person acts (the scheduler).
    private let systemName: String?

    public init(user: User?, address: String?, requestID: String?) {
        self.user = user
        self.address = address
        self.requestID = requestID
        self.isCommandLine = false
        self.systemName = nil
    }

    private init(commandLineAs user: User?, systemName: String? = nil) {
        self.user = user
        self.address = nil
        self.requestID = nil
        self.isCommandLine = true
        self.systemName = systemName
    }

    /// The scheduler inside the server (issue 17): the system, acting on a deadline nobody had to
    /// remember. Its entries in the log name it 系统（定时任务）.
    public static let scheduler = ActingUser(commandLineAs: nil, systemName: "系统（定时任务）")

    /// The command line, acting as the system.
    public static let commandLine = ActingUser(commandLineAs: nil)

    /// The command line with `user`'s rights and scope (`chuqing import cases --as`).
    public static func commandLine(as user: User) -> ActingUser {
        ActingUser(commandLineAs: user)
    }

    /// The name the audit log and a case's history give: the user's login; 命令行 for the
    /// command line acting as the system, 命令行（login） with a user's rights.
    var name: String? {
        guard isCommandLine else { return user?.username.value }
        return user.map { "命令行（\($0.username.value)）" } ?? systemName ?? "命令行"
    }

    /// An audit entry of this caller's.
    public func audit(_ action: String, entity: String, id: String?, detail: String = "", at: Date) -> AuditEntry {
        AuditEntry(
            occurredAt: at, actorID: user?.id, actorUsername: name, action: action,
            entity: entity, entityID: id, detail: detail, address: address, requestID: requestID)
    }

    /// The author a case's history names.
    public var author: HistoryAuthor {
        HistoryAuthor(id: user?.id, username: name)
    }

    /// Refuses unless this caller holds `permission`: the command line as the system holds every
    /// one, with `--as` the user's; nobody logged in holds none. The route table refuses the same
    /// callers first; this check keeps the command line, the pages and any later caller to the
    /// same rule.
    public func require(_ permission: Permission) throws(Refusal) {
        if isCommandLine && user == nil { return }
        // nobody logged in (a public form) holds no permission
        guard let user, user.may(permission) else { throw Refusal.forbidden }
    }

    /// The judge whose cases this caller sees (nil: every case).
    var judgeScope: UUID? {
        user?.judgeScope
    }
}

extension ActingUser {
    /// The logged-in user, for an operation that records who did it by account (a batch's
    /// creator, a listing's decider); the command line does not do these.
    func requireUser() throws(Refusal) -> User {
        guard let user else {
            throw Refusal(.forbidden, code: "user_required", message: "此操作须由登录的用户进行，命令行不能代为操作")
        }
        return user
    }
}
