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

    public init(user: User?, address: String?, requestID: String?) {
        self.user = user
        self.address = address
        self.requestID = requestID
    }

    /// The command line, acting as the system.
    public static let commandLine = ActingUser(user: nil, address: nil, requestID: nil)

    /// An audit entry of this caller's.
    public func audit(_ action: String, entity: String, id: String?, detail: String = "", at: Date) -> AuditEntry {
        AuditEntry(
            occurredAt: at, actorID: user?.id, actorUsername: user?.username.value, action: action,
            entity: entity, entityID: id, detail: detail, address: address, requestID: requestID)
    }

    /// The author a case's history names.
    public var author: HistoryAuthor {
        HistoryAuthor(id: user?.id, username: user?.username.value)
    }

    /// Refuses unless this caller holds `permission` (the command line holds every one). The
    /// route table refuses the same callers first; this check keeps the command line, the pages
    /// and any later caller to the same rule.
    func require(_ permission: Permission) throws(Refusal) {
        if let user, !user.may(permission) { throw Refusal.forbidden }
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
