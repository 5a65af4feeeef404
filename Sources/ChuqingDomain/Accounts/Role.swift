import Foundation

/// What a user may do in Chuqing. Every route declares the roles that may use it; nothing is open
/// by default.
public enum Role: String, CaseIterable, Codable, Sendable, Comparable {
    /// System administrator: users, configuration, metrics.
    case admin
    /// 执行局长: sees all cases, approves publications.
    case director
    /// 承办法官: cases assigned to them, plus read access the director grants.
    case judge
    /// 书记员: prepares notices and letters.
    case clerk
    /// 乡镇执行专员 / 村联络员 / 协助执行员: bound to one township.
    case liaison
    /// Read-only, including the audit log.
    case auditor

    /// The role's name as court staff say it.
    public var chineseName: String {
        switch self {
        case .admin: "系统管理员"
        case .director: "执行局长"
        case .judge: "承办法官"
        case .clerk: "书记员"
        case .liaison: "乡镇联络员"
        case .auditor: "审计员"
        }
    }

    /// Whether a user with this role must be bound to a township (liaisons work in one township).
    public var requiresTownship: Bool { self == .liaison }

    /// Parses a role name, with an error that lists the accepted names.
    public static func parse(_ text: String, field: String = "role") throws(DomainError) -> Role {
        guard let role = Role(rawValue: text.trimmed.lowercased()) else {
            let accepted = Role.allCases.map(\.rawValue).joined(separator: ", ")
            throw DomainError(
                code: "unknown_role",
                message: "未知角色「\(text)」；可选角色：\(accepted)",
                field: field
            )
        }
        return role
    }

    public static func < (lhs: Role, rhs: Role) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
