import ChuqingDomain
import ChuqingPersistence
import Foundation
import HummingbirdBcrypt

/// A successful login.
public struct LoginResult: Sendable {
    public let token: String
    public let expiresAt: Date
    public let user: User
}

/// What a new user is made of, as an admin (or `chuqing users add`) gives it: the text as typed,
/// which `createUser` reads with a field-level error for each part.
public struct NewUser: Sendable {
    public var username: String
    public var displayName: String
    public var role: String
    public var township: String?
    public var password: String
    /// For liaisons: `commissioner` (default), `villageLiaison` or `assistant`.
    public var liaisonKind: String?
    /// For village liaisons and assisting enforcers: the id of a village of `township`.
    public var village: String?
    /// For judges (and anyone liaisons may call): the office phone.
    public var officePhone: String?
    /// The mobile number reminders go to by SMS or WeChat (issue 17).
    public var mobile: String?

    public init(
        username: String, displayName: String, role: String, township: String?, password: String,
        liaisonKind: String? = nil, village: String? = nil, officePhone: String? = nil, mobile: String? = nil
    ) {
        self.username = username
        self.displayName = displayName
        self.role = role
        self.township = township
        self.password = password
        self.liaisonKind = liaisonKind
        self.village = village
        self.officePhone = officePhone
        self.mobile = mobile
    }
}

/// Users, passwords and sessions: the rules shared by the API, the pages and the command line.
/// Every change is written together with its audit entry in one transaction.
public struct AccountService: Sendable {
    let database: Database
    let users: UserRepository = UserRepository()
    let sessions: SessionRepository = SessionRepository()
    let audit: AuditLogRepository = AuditLogRepository()
    let hasher: PasswordHasher
    let throttle: LoginThrottle
    let sessionLifetime: Duration
    let now: @Sendable () -> Date

    public init(
        database: Database, hasher: PasswordHasher, throttle: LoginThrottle = LoginThrottle(),
        sessionLifetime: Duration, now: @escaping @Sendable () -> Date = Date.init
    ) {
        self.database = database
        self.hasher = hasher
        self.throttle = throttle
        self.sessionLifetime = sessionLifetime
        self.now = now
        self.decoyHash = Bcrypt.hash(Tokens.make(), cost: hasher.cost)
    }

    /// A hash to compare against when the user name is unknown, so the answer takes as long as
    /// for a real user and timing does not reveal which names exist.
    private let decoyHash: String

    /// The open session a presented token belongs to; nil when the token is unknown, ended or
    /// expired (the caller is then anonymous, and told so when a route needs a login).
    public func activeSession(token: String) async throws -> ActiveSession? {
        try await sessions.active(tokenHash: Tokens.hash(token), now: now(), on: database.sql)
    }

    /// Checks the password and opens a session.
    public func login(username rawUsername: String, password: String, kind: SessionKind, by actor: ActingUser) async throws -> LoginResult {
        let instant = now()
        let key = rawUsername.trimmingCharacters(in: .whitespaces).lowercased()
        let username = try? Username(rawUsername)
        let stored = try await username.asyncMap { try await users.find(username: $0, on: database.sql) } ?? nil
        if let wait = try await throttle.retryAfter(
            username: key, address: actor.address, knownUser: stored != nil, now: instant,
            on: database.sql)
        {
            let after = wait < 120 ? "\(wait) 秒" : "\((wait + 59) / 60) 分钟"
            throw Refusal(
                .tooManyRequests(retryAfterSeconds: wait), code: "too_many_attempts",
                message: "此账号在本机的登录失败次数过多，请 \(after)后再试（每多错一次，等待时间加倍；输对密码即清零）")
        }
        let matches = try await hasher.verify(password, hash: stored?.passwordHash ?? decoyHash) && stored != nil
        guard let stored, matches else {
            try await throttle.recordFailure(
                username: key, address: actor.address, knownUser: stored != nil, now: instant, on: database.sql)
            try await audit.append(
                actor.audit(
                    "session.login_failed", entity: "user", id: stored?.user.id.databaseText,
                    detail: "用户名 \(key.prefix(40))", at: instant), on: database.sql)
            throw Refusal(.unauthorized, code: "invalid_credentials", message: "用户名或密码错误")
        }
        guard !stored.user.isDisabled else {
            throw Refusal(.forbidden, code: "account_disabled", message: "该账号已停用，请联系系统管理员")
        }
        try await throttle.recordSuccess(username: key, address: actor.address, on: database.sql)
        let token = Tokens.make()
        let expiresAt = instant.addingTimeInterval(TimeInterval(sessionLifetime.components.seconds))
        let user = stored.user
        let entry = ActingUser(user: user, address: actor.address, requestID: actor.requestID)
            .audit("session.login", entity: "user", id: user.id.databaseText, detail: kind == .web ? "网页登录" : "接口令牌", at: instant)
        try await database.transaction { [sessions, audit] db in
            try await sessions.insert(
                tokenHash: Tokens.hash(token), userID: user.id, kind: kind, createdAt: instant,
                expiresAt: expiresAt, address: actor.address, on: db)
            try await audit.append(entry, on: db)
        }
        return LoginResult(token: token, expiresAt: expiresAt, user: user)
    }

    /// Ends a session.
    public func logout(_ session: ActiveSession, by actor: ActingUser) async throws {
        let instant = now()
        let entry = actor.audit("session.logout", entity: "user", id: session.user.id.databaseText, at: instant)
        try await database.transaction { [sessions, audit] db in
            try await sessions.end(tokenHash: session.tokenHash, at: instant, on: db)
            try await audit.append(entry, on: db)
        }
    }

    /// Creates a user after checking every field; `isDemo` marks rows of `chuqing demo load`.
    @discardableResult
    public func createUser(_ input: NewUser, isDemo: Bool = false, by actor: ActingUser) async throws -> User {
        // A township by its code or its name, through the one resolver the cases use.
        let township = try await input.township.flatMap { $0.trimmed.isEmpty ? nil : $0 }.asyncMap { given in
            try TownshipDirectory(try await TownshipRepository().all(on: database.sql)).resolve(given, field: "township").code
        }
        let user = User(
            id: UUID(),
            username: try Username(input.username),
            displayName: input.displayName.trimmingCharacters(in: .whitespacesAndNewlines),
            role: try Role.parse(input.role),
            townshipCode: township,
            liaisonKind: try input.liaisonKind.flatMap { $0.isEmpty ? nil : $0 }.map { text throws(DomainError) in
                try LiaisonKind.parse(text)
            },
            villageID: input.village.flatMap { $0.isEmpty ? nil : $0.lowercased() },
            officePhone: try input.officePhone.flatMap { $0.trimmed.isEmpty ? nil : $0 }.map { text throws(DomainError) in
                try PhoneNumber.check(text, field: "officePhone")
            },
            mobile: try input.mobile.flatMap { $0.trimmed.isEmpty ? nil : $0 }.map { text throws(DomainError) in
                try MobileNumber.check(text, field: "mobile")
            }
        )
        try user.validate()
        try PasswordPolicy.check(input.password)
        let hash = try await hasher.hash(input.password)
        let instant = now()
        let entry = actor.audit(
            "user.create", entity: "user", id: user.id.databaseText,
            detail: "\(user.username) \(user.role.rawValue)\(user.townshipCode.map { " \($0)" } ?? "")", at: instant)
        try await database.transaction { [users, audit] db in
            try await users.insert(user, passwordHash: hash, isDemo: isDemo, createdAt: instant, on: db)
            try await audit.append(entry, on: db)
        }
        return user
    }

    /// Disables (or re-enables) a user; disabling ends all their sessions at once.
    public func setDisabled(_ disabled: Bool, userID: UUID, by actor: ActingUser) async throws -> User {
        guard let stored = try await users.find(id: userID, on: database.sql) else { throw Refusal.notFound }
        if disabled, stored.user.id == actor.user?.id {
            throw DomainError(code: "cannot_disable_self", message: "不能停用自己的账号", kind: .conflict)
        }
        let instant = now()
        let entry = actor.audit(
            disabled ? "user.disable" : "user.enable", entity: "user", id: userID.databaseText,
            detail: stored.user.username.value, at: instant)
        try await database.transaction { [users, sessions, audit] db in
            try await users.setDisabled(disabled, id: userID, on: db)
            if disabled { try await sessions.endAll(userID: userID, except: nil, at: instant, on: db) }
            try await audit.append(entry, on: db)
        }
        var user = stored.user
        user.isDisabled = disabled
        return user
    }

    /// Disables a user found by login name (the command line's way in).
    public func setDisabled(_ disabled: Bool, username: String, by actor: ActingUser) async throws -> User {
        guard let stored = try await users.find(username: try Username(username), on: database.sql) else {
            throw DomainError(code: "unknown_user", message: "没有用户名为「\(username)」的用户", field: "username")
        }
        return try await setDisabled(disabled, userID: stored.user.id, by: actor)
    }

    /// Changes a user's contact numbers: `officePhone` (what liaisons call) and `mobile` (where
    /// reminders are sent by SMS or WeChat). `nil` leaves a number as it is; `.some(nil)` or an
    /// empty text clears it. Both changes and their audit entries commit together.
    public func updateContacts(userID: UUID, officePhone: String??, mobile: String??, by actor: ActingUser) async throws -> User {
        try actor.require(.manageUsers)
        guard var user = try await users.find(id: userID, on: database.sql)?.user else { throw Refusal.notFound }
        guard officePhone != nil || mobile != nil else {
            throw DomainError(code: "nothing_to_change", message: "请提供 officePhone 或 mobile（null 或空串表示清除）")
        }
        let instant = now()
        var entries: [AuditEntry] = []
        if let officePhone {
            user.officePhone = try officePhone.flatMap { $0.trimmed.isEmpty ? nil : $0 }.map { text throws(DomainError) in
                try PhoneNumber.check(text, field: "officePhone")
            }
            entries.append(
                actor.audit("user.office_phone", entity: "user", id: userID.databaseText, detail: user.officePhone ?? "（清除）", at: instant))
        }
        if let mobile {
            user.mobile = try mobile.flatMap { $0.trimmed.isEmpty ? nil : $0 }.map { text throws(DomainError) in
                try MobileNumber.check(text, field: "mobile")
            }
            entries.append(actor.audit("user.mobile", entity: "user", id: userID.databaseText, detail: user.mobile ?? "（清除）", at: instant))
        }
        try await database.transaction { [users, audit, user, entries] db in
            if officePhone != nil { try await users.setOfficePhone(user.officePhone, id: userID, on: db) }
            if mobile != nil { try await users.setMobile(user.mobile, id: userID, on: db) }
            for entry in entries { try await audit.append(entry, on: db) }
        }
        return user
    }

    /// Changes a user's own password; every other session of theirs ends.
    public func changePassword(for user: User, current: String, new: String, keeping session: ActiveSession?, by actor: ActingUser)
        async throws
    {
        guard let stored = try await users.find(id: user.id, on: database.sql),
            try await hasher.verify(current, hash: stored.passwordHash)
        else {
            throw DomainError(code: "wrong_password", message: "当前密码不正确", field: "currentPassword")
        }
        try PasswordPolicy.check(new, field: "newPassword")
        let hash = try await hasher.hash(new)
        let instant = now()
        let entry = actor.audit("user.password_change", entity: "user", id: user.id.databaseText, at: instant)
        try await database.transaction { [users, sessions, audit] db in
            try await users.setPasswordHash(hash, id: user.id, on: db)
            // Whoever knew the old password is logged out everywhere but here.
            try await sessions.endAll(userID: user.id, except: session?.tokenHash, at: instant, on: db)
            try await audit.append(entry, on: db)
        }
    }

    /// The audit trail, newest first: `limit` entries before `cursor` that match `filter` (the
    /// director, admin and auditor read it), each with its actor's display name.
    public func auditLog(
        limit: Int, before cursor: AuditCursor?, filter: AuditFilter = AuditFilter(), by actor: ActingUser
    ) async throws -> [AuditLogLine] {
        try actor.require(.readAuditLog)
        if let action = filter.action, AuditVocabulary.label(action: action) == action {
            throw DomainError(code: "unknown_action", message: "操作「\(action)」无法识别；请从「操作」列表中选择", field: "action")
        }
        if let from = filter.from, let to = filter.to, from > to {
            throw DomainError(code: "date_range_reversed", message: "起始日期 \(from) 晚于截止日期 \(to)", field: "from")
        }
        let names = Dictionary(
            try await users.all(on: database.sql).map { ($0.id, $0.displayName) }, uniquingKeysWith: { first, _ in first })
        return try await audit.recent(limit: limit, before: cursor, filter: filter, on: database.sql).map {
            AuditLogLine(entry: $0, actorName: $0.actorID.flatMap { names[$0] } ?? $0.actorUsername ?? "系统")
        }
    }

    /// The people the audit log can be filtered by: every account, as the log names them.
    public func auditActors(by actor: ActingUser) async throws -> [User] {
        try actor.require(.readAuditLog)
        return try await users.all(on: database.sql)
    }

    /// All users, for the admin's list.
    public func allUsers(by actor: ActingUser) async throws -> [User] {
        try actor.require(.manageUsers)
        return try await users.all(on: database.sql)
    }

    /// Whether `chuqing demo load` has run on this database.
    public func hasDemoData() async throws -> Bool {
        try await users.hasDemoUsers(on: database.sql)
    }
}

/// One line of the audit log as a person reads it: the entry, and who acted by display name (the
/// username the entry kept, for an account that is gone; 系统 for the system).
public struct AuditLogLine: Sendable {
    public let entry: AuditEntry
    public let actorName: String
}
