import ChuqingDomain
import ChuqingPersistence
import ChuqingServices
import Foundation
import Hummingbird

/// `/api/v1/users`: the admin's user management.
struct UserController {
    let accounts: AccountService

    /// `POST /api/v1/users`.
    struct NewUserRequest: Decodable {
        let username: String
        let displayName: String
        let role: String
        let township: String?
        let password: String
        let liaisonKind: String?
        let village: String?
        let officePhone: String?
        let mobile: String?

        var input: NewUser {
            NewUser(
                username: username, displayName: displayName, role: role, township: township, password: password,
                liaisonKind: liaisonKind, village: village, officePhone: officePhone, mobile: mobile)
        }
    }

    struct UserList: Encodable {
        let items: [UserView]
        let nextCursor: String?
    }

    func register(on routes: RouteTable) {
        routes.on(.get, "/api/v1/users", .permitted(.manageUsers), use: users)
        routes.on(.post, "/api/v1/users", .permitted(.manageUsers), use: create)
        routes.on(.patch, "/api/v1/users/:id", .permitted(.manageUsers), use: update)
        routes.on(.post, "/api/v1/users/:id/disable", .permitted(.manageUsers), use: disable)
        routes.on(.post, "/api/v1/users/:id/enable", .permitted(.manageUsers), use: enable)
    }

    @Sendable func disable(_ request: Request, context: AppRequestContext) async throws -> Response {
        try JSON.response(UserView(try await accounts.setDisabled(true, userID: try context.userID(), by: context.acting)))
    }

    @Sendable func enable(_ request: Request, context: AppRequestContext) async throws -> Response {
        try JSON.response(UserView(try await accounts.setDisabled(false, userID: try context.userID(), by: context.acting)))
    }

    @Sendable func users(_ request: Request, context: AppRequestContext) async throws -> Response {
        try JSON.response(UserList(items: try await accounts.allUsers(by: context.acting).map(UserView.init), nextCursor: nil))
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body = try await request.decode(as: NewUserRequest.self, context: context)
        let user = try await accounts.createUser(body.input, by: context.acting)
        return try JSON.response(UserView(user), status: .created)
    }

    @Sendable func update(_ request: Request, context: AppRequestContext) async throws -> Response {
        // Each field present is changed (null or "" clears it); absent ones stay.
        struct Changes: Decodable {
            let officePhone: String??
            let mobile: String??

            init(from decoder: any Decoder) throws {
                let container = try decoder.container(keyedBy: CodingKeys.self)
                officePhone =
                    container.contains(.officePhone) ? .some(try container.decodeIfPresent(String.self, forKey: .officePhone)) : nil
                mobile = container.contains(.mobile) ? .some(try container.decodeIfPresent(String.self, forKey: .mobile)) : nil
            }

            enum CodingKeys: String, CodingKey { case officePhone, mobile }
        }
        let changes = try await request.decode(as: Changes.self, context: context)
        let user = try await accounts.updateContacts(
            userID: try context.userID(), officePhone: changes.officePhone, mobile: changes.mobile, by: context.acting)
        return try JSON.response(UserView(user))
    }
}

extension AppRequestContext {
    /// The `:id` path parameter as a user id; 404 when it is not one.
    func userID() throws -> UUID {
        guard let text = parameters.get("id"), let id = UUID(uuidString: text) else { throw APIError.notFound }
        return id
    }
}

/// `/api/v1/townships`: the county's townships, for forms and programs.
struct TownshipController {
    let network: NetworkService

    struct TownshipList: Encodable {
        let items: [Township]
        let nextCursor: String?
    }

    struct VillageList: Encodable {
        let items: [VillageResponse]
        let nextCursor: String?
    }

    struct NewVillage: Decodable {
        let name: String
    }

    func register(on routes: RouteTable) {
        routes.on(.get, "/api/v1/townships", .anyRole, use: townships)
        routes.on(.get, "/api/v1/townships/:code/villages", .anyRole, use: villages)
        routes.on(.post, "/api/v1/townships/:code/villages", .permitted(.manageUsers), use: addVillage)
    }

    @Sendable func townships(_ request: Request, context: AppRequestContext) async throws -> Response {
        try JSON.response(TownshipList(items: try await network.allTownships(by: context.acting), nextCursor: nil))
    }

    @Sendable func villages(_ request: Request, context: AppRequestContext) async throws -> Response {
        try JSON.response(
            VillageList(
                items: try await network.villages(of: context.parameters.get("code"), by: context.acting).map(VillageResponse.init),
                nextCursor: nil))
    }

    @Sendable func addVillage(_ request: Request, context: AppRequestContext) async throws -> Response {
        let code = context.parameters.get("code") ?? ""
        _ = try await network.villages(of: code, by: context.acting)  // 404 for an unknown township, before the body is read
        let body = try await request.decode(as: NewVillage.self, context: context)
        let village = try await network.addVillage(name: body.name, townshipCode: code, by: context.acting)
        return try JSON.response(VillageResponse(village), status: .created)
    }
}

/// `/api/v1/audit-log`: the audit trail, newest first, for the director, admin and auditor.
struct AuditController {
    let accounts: AccountService

    struct AuditList: Encodable {
        let items: [AuditEntryResponse]
        let nextCursor: String?
    }

    /// An entry with what a person reads: who by display name, the action and record in Chinese.
    struct AuditEntryResponse: Encodable {
        let id: String
        let occurredAt: Date
        // The names the log's entries have always had in the API (actorID, entityID, requestID).
        let actorID: String?
        let actorUsername: String?
        let actorName: String
        let action: String
        let actionLabel: String
        let entity: String
        let entityLabel: String
        let entityID: String?
        let detail: String
        let address: String?
        let requestID: String?

        init(_ line: AuditLogLine) {
            let entry = line.entry
            id = entry.id.databaseText
            occurredAt = entry.occurredAt
            actorID = entry.actorID?.databaseText
            actorUsername = entry.actorUsername
            actorName = line.actorName
            action = entry.action
            actionLabel = AuditVocabulary.label(action: entry.action)
            entity = entry.entity
            entityLabel = AuditVocabulary.label(entity: entry.entity)
            entityID = entry.entityID
            detail = entry.detail
            address = entry.address
            requestID = entry.requestID
        }
    }

    func register(on routes: RouteTable) {
        routes.on(.get, "/api/v1/audit-log", .permitted(.readAuditLog), use: auditLog)
    }

    @Sendable func auditLog(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (limit, before) = try Self.paging(request)
        let items = try await accounts.auditLog(limit: limit, before: before, filter: try Self.filter(request), by: context.acting)
        let cursor = items.count == limit ? items.last.map { AuditCursor(after: $0.entry).text } : nil
        return try JSON.response(AuditList(items: items.map(AuditEntryResponse.init), nextCursor: cursor))
    }

    /// Who (`actorId`), what (`action`, a code of `AuditVocabulary`) and when (`from`, `to`:
    /// days, inclusive); an empty parameter is no filter, as a form sends it.
    static func filter(_ request: Request) throws -> AuditFilter {
        let query = request.uri.queryParameters
        func text(_ name: String) -> String? {
            guard let value = query.get(name)?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
            return value
        }
        var filter = AuditFilter(action: text("action"))
        if let actor = text("actorId") {
            guard let id = UUID(uuidString: actor) else {
                throw APIError(.badRequest, code: "invalid_value", message: "actorId 应为用户编号（UUID）（收到「\(actor)」）", field: "actorId")
            }
            filter.actorID = id
        }
        func day(_ name: String) throws -> CalendarDate? {
            guard let value = text(name) else { return nil }
            do {
                return try CalendarDate.parse(value, field: name)
            } catch {
                throw APIError(.badRequest, code: error.code, message: error.message, field: name)
            }
        }
        filter.from = try day("from")
        filter.to = try day("to")
        return filter
    }

    /// `limit` (1–200, default 50) and `before` (a cursor from a previous page).
    static func paging(_ request: Request) throws -> (Int, AuditCursor?) {
        var limit = 50
        if let text = request.uri.queryParameters.get("limit") {
            guard let value = Int(text), (1...200).contains(value) else {
                throw APIError(.badRequest, code: "invalid_limit", message: "limit 须为 1–200 之间的整数（收到「\(text)」）", field: "limit")
            }
            limit = value
        }
        var before: AuditCursor?
        if let text = request.uri.queryParameters.get("cursor"), !text.isEmpty {  // empty: the first page, as elsewhere
            guard let cursor = AuditCursor(text: text) else {
                throw APIError(.badRequest, code: "invalid_cursor", message: "cursor 无效：请使用上一页返回的 nextCursor", field: "cursor")
            }
            before = cursor
        }
        return (limit, before)
    }
}
