import ChuqingDomain
import ChuqingPersistence
import ChuqingServices
import Foundation
import Hummingbird

/// `/api/v1/sessions`: API login and logout with bearer tokens.
struct SessionController {
    let accounts: AccountService

    struct LoginRequest: Decodable {
        let username: String
        let password: String
    }

    struct LoginResponse: Encodable {
        let token: String
        let expiresAt: Date
        let user: UserView
    }

    struct CurrentResponse: Encodable {
        let expiresAt: Date
        let user: UserView
    }

    func register(on routes: RouteTable) {
        routes.on(.post, "/api/v1/sessions", .anyone, use: login)
        routes.on(.get, "/api/v1/sessions/current", .anyRole, use: current)
        routes.on(.delete, "/api/v1/sessions/current", .anyRole, use: logout)
    }

    @Sendable func login(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body = try await request.decode(as: LoginRequest.self, context: context)
        let result = try await accounts.login(username: body.username, password: body.password, kind: .api, by: context.acting)
        return try JSON.response(
            LoginResponse(token: result.token, expiresAt: result.expiresAt, user: UserView(result.user)), status: .created)
    }

    @Sendable func current(_ request: Request, context: AppRequestContext) async throws -> Response {
        let session = try context.requireSession()
        return try JSON.response(CurrentResponse(expiresAt: session.expiresAt, user: UserView(session.user)))
    }

    @Sendable func logout(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await accounts.logout(try context.requireSession(), by: context.acting)
        return Response(status: .noContent)
    }
}

/// A user as the API shows it (never the password hash).
struct UserView: Encodable {
    let id: String
    let username: String
    let displayName: String
    let role: String
    let township: String?
    let liaisonKind: String?
    let village: String?
    let officePhone: String?
    let mobile: String?
    let disabled: Bool

    init(_ user: User) {
        self.id = user.id.databaseText
        self.username = user.username.value
        self.displayName = user.displayName
        self.role = user.role.rawValue
        self.township = user.townshipCode
        self.liaisonKind = user.liaisonKind?.rawValue
        self.village = user.villageID
        self.officePhone = user.officePhone
        self.mobile = user.mobile
        self.disabled = user.isDisabled
    }
}
