import ChuqingDomain
import ChuqingPersistence
import ChuqingServices
import ChuqingTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@testable import ChuqingServer

/// Builds the application on a fresh database of `engine` and runs `body` against its router.
func withApp<R: Sendable>(
    _ engine: TestEngine,
    setup: TestingSetup = .router,
    throttle: LoginThrottle = LoginThrottle(),
    tipThrottle: TipThrottle = TipThrottle(),
    now: @escaping @Sendable () -> Date = { TestSupport.fixedNow },
    configure: @escaping @Sendable (inout ServerConfiguration) -> Void = { _ in },
    _ body: @escaping @Sendable (any TestClientProtocol, TestWorld) async throws -> R
) async throws -> R {
    try await engine.withDatabase { database in
        var configuration = ServerConfiguration()
        configuration.home = TestSupport.repositoryRoot
        configuration.bcryptCost = 4  // real bcrypt, cheap enough for tests
        configuration.port = 0
        configuration.maxBodyBytes = 4096
        configuration.logLevel = .critical
        configure(&configuration)
        let arguments = AppArguments(
            configuration: configuration, database: database, now: now, throttle: throttle, tipThrottle: tipThrottle,
            runScheduler: false)
        let built = try await buildApplication(arguments)
        let accounts = AccountService(database: database, hasher: PasswordHasher(cost: 4), sessionLifetime: .seconds(3600), now: now)
        let world = TestWorld(database: database, accounts: accounts, routes: built.routes, scheduler: built.scheduler)
        try await world.addUsers()
        return try await built.application.test(setup) { client in
            try await body(client, world)
        }
    }
}

/// The database, the accounts service and one user per role (password `password-<role>`).
struct TestWorld: Sendable {
    let database: Database
    let accounts: AccountService
    let routes: [RouteDeclaration]
    /// The server's scheduler, not running by itself: a test runs its jobs on the test's clock.
    var scheduler: Scheduler? = nil

    /// What the scheduler would do at the clock's present moment: the daily jobs made sure of,
    /// then every due job run. Returns how many ran.
    @discardableResult
    func runScheduler() async throws -> Int {
        let scheduler = try #require(self.scheduler, "this world was built without the server's scheduler")
        try await scheduler.ensureDailyJobs()
        return try await scheduler.runDue()
    }

    func addUsers() async throws {
        for role in Role.allCases {
            try await accounts.createUser(
                NewUser(
                    username: "u-\(role.rawValue)", displayName: "测试\(role.chineseName)", role: role.rawValue,
                    township: role == .liaison ? "360732-05" : nil, password: "password-\(role.rawValue)"),
                by: .commandLine)
        }
    }

    /// A bearer token for the test user of `role`.
    func token(_ role: Role) async throws -> String {
        try await accounts.login(username: "u-\(role.rawValue)", password: "password-\(role.rawValue)", kind: .api, by: .commandLine)
            .token
    }

    /// A browser session cookie for the test user of `role`.
    func cookie(_ role: Role) async throws -> String {
        let token = try await accounts.login(
            username: "u-\(role.rawValue)", password: "password-\(role.rawValue)", kind: .web, by: .commandLine
        ).token
        return "\(AuthenticationMiddleware.cookieName)=\(token)"
    }
}

extension TestResponse {
    /// The body as a JSON object.
    var json: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(buffer: body))) as? [String: Any] ?? [:]
    }

    /// `error.code` of the error shape, if the body has one.
    var errorCode: String? { (json["error"] as? [String: Any])?["code"] as? String }

    /// `error.message` of the error shape, if the body has one.
    var errorMessage: String? { (json["error"] as? [String: Any])?["message"] as? String }

    var text: String { String(buffer: body) }
}

func jsonBody(_ object: Any) -> ByteBuffer {
    ByteBuffer(bytes: try! JSONSerialization.data(withJSONObject: object))
}

func bearer(_ token: String) -> HTTPFields {
    [.authorization: "Bearer \(token)", .contentType: "application/json"]
}
