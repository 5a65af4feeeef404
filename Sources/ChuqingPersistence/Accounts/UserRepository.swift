import ChuqingDomain
import Foundation
import SQLKit

/// A user as stored, with the password hash the login check needs.
public struct StoredUser: Sendable {
    public let user: User
    public let passwordHash: String
    public let isDemo: Bool
}

/// Users and their credentials.
/// The same SQL on SQLite and PostgreSQL.
public struct UserRepository: Sendable {
    public init() {}

    struct Row: Decodable {
        let id: String
        let username: String
        let display_name: String
        let role: String
        let township_code: String?
        let password_hash: String
        let is_disabled: Bool
        let is_demo: Bool
        let liaison_kind: String?
        let village_id: String?
        let office_phone: String?
        let mobile: String?

        func stored() throws -> StoredUser {
            guard let uuid = UUID(uuidString: id), let role = Role(rawValue: role) else {
                throw CorruptRow(table: "users", id: id)
            }
            let user = User(
                id: uuid,
                username: try Username(username),
                displayName: display_name,
                role: role,
                townshipCode: township_code,
                isDisabled: is_disabled,
                liaisonKind: liaison_kind.flatMap(LiaisonKind.init(rawValue:)),
                villageID: village_id,
                officePhone: office_phone,
                mobile: mobile
            )
            return StoredUser(user: user, passwordHash: password_hash, isDemo: is_demo)
        }
    }

    static let columns =
        "id, username, display_name, role, township_code, password_hash, is_disabled, is_demo, liaison_kind, village_id, office_phone, mobile"

    /// Inserts a new user; throws `DomainError` `username_taken` or `unknown_township`.
    public func insert(_ user: User, passwordHash: String, isDemo: Bool, createdAt: Date, on db: any SQLDatabase) async throws {
        try user.validate()
        if try await find(username: user.username, on: db) != nil {
            throw DomainError(code: "username_taken", message: "用户名「\(user.username)」已被使用，请换一个", field: "username")
        }
        if let code = user.townshipCode {
            let known = try await db.raw("SELECT code FROM townships WHERE code = \(bind: code)").first()
            if known == nil {
                throw DomainError(code: "unknown_township", message: "没有编码为「\(code)」的乡镇；请从乡镇列表中选择", field: "township")
            }
            if let village = user.villageID {
                try await VillageRepository.check(id: village, townshipCode: code, on: db)
            }
        }
        do {
            try await db.raw(
                """
                INSERT INTO users (id, username, display_name, role, township_code, password_hash, is_disabled, is_demo, created_at,
                                   liaison_kind, village_id, office_phone, mobile)
                VALUES (\(bind: user.id.databaseText), \(bind: user.username.value), \(bind: user.displayName), \(bind: user.role.rawValue),
                        \(bind: user.townshipCode), \(bind: passwordHash), \(bind: user.isDisabled), \(bind: isDemo), \(bind: createdAt),
                        \(bind: user.liaisonKind?.rawValue), \(bind: user.villageID), \(bind: user.officePhone),
                        \(bind: user.mobile))
                """
            ).run()
        } catch  where DatabaseErrors.isUniqueViolation(error) {
            throw DomainError(code: "username_taken", message: "用户名「\(user.username)」已被使用，请换一个", field: "username")
        }
    }

    /// The user with this login name, enabled or not.
    public func find(username: Username, on db: any SQLDatabase) async throws -> StoredUser? {
        try await db.raw("SELECT \(unsafeRaw: Self.columns) FROM users WHERE username = \(bind: username.value)")
            .first(decoding: Row.self)?.stored()
    }

    /// The user with this id.
    public func find(id: UUID, on db: any SQLDatabase) async throws -> StoredUser? {
        try await db.raw("SELECT \(unsafeRaw: Self.columns) FROM users WHERE id = \(bind: id.databaseText)")
            .first(decoding: Row.self)?.stored()
    }

    /// All users, ordered by role then login name.
    public func all(on db: any SQLDatabase) async throws -> [User] {
        try await db.raw("SELECT \(unsafeRaw: Self.columns) FROM users ORDER BY username")
            .all(decoding: Row.self)
            .map { try $0.stored().user }
            .sorted { ($0.role, $0.username.value) < ($1.role, $1.username.value) }
    }

    /// Marks the user disabled (or enabled again).
    public func setDisabled(_ disabled: Bool, id: UUID, on db: any SQLDatabase) async throws {
        try await db.raw("UPDATE users SET is_disabled = \(bind: disabled) WHERE id = \(bind: id.databaseText)").run()
    }

    /// Sets (or clears) the office phone liaisons see.
    public func setOfficePhone(_ phone: String?, id: UUID, on db: any SQLDatabase) async throws {
        try await db.raw("UPDATE users SET office_phone = \(bind: phone) WHERE id = \(bind: id.databaseText)").run()
    }

    /// Sets (or clears) the mobile number reminders are sent to.
    public func setMobile(_ mobile: String?, id: UUID, on db: any SQLDatabase) async throws {
        try await db.raw("UPDATE users SET mobile = \(bind: mobile) WHERE id = \(bind: id.databaseText)").run()
    }

    /// Replaces the password hash.
    public func setPasswordHash(_ hash: String, id: UUID, on db: any SQLDatabase) async throws {
        try await db.raw("UPDATE users SET password_hash = \(bind: hash) WHERE id = \(bind: id.databaseText)").run()
    }

    /// Whether any row was created by the demo loader (`chuqing demo load`).
    public func hasDemoUsers(on db: any SQLDatabase) async throws -> Bool {
        try await db.raw("SELECT id FROM users WHERE is_demo = \(bind: true) LIMIT 1").first() != nil
    }
}

/// A stored row that cannot be turned back into a value: a bug or a hand edit, never user input.
public struct CorruptRow: Error, CustomStringConvertible {
    public let table: String
    public let id: String
    public var description: String { "表 \(table) 中 id 为 \(id) 的行数据不合规" }
}

extension UUID {
    /// How ids are stored: lower-case text, the same on both engines.
    public var databaseText: String { uuidString.lowercased() }
}
