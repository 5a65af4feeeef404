import AsyncHTTPClient
import ChuqingDomain
import ChuqingPersistence
import ChuqingServices
import Foundation
import Hummingbird
import Logging
import Metrics
import NIOCore
import Prometheus
import ServiceLifecycle

/// Everything `buildApplication` needs; the executable fills it from flags and environment, tests
/// fill it themselves.
public struct AppArguments: Sendable {
    public var configuration: ServerConfiguration
    /// An already open database whose services its owner runs (tests); when nil,
    /// `configuration.databaseURL` is opened and its services run with the server.
    public var database: Database?
    /// Apply pending migrations before serving (`serve --migrate`) instead of refusing to start.
    public var migrate: Bool
    /// The clock (tests fix it).
    public var now: @Sendable () -> Date
    /// The login throttle (tests give a small one).
    public var throttle: LoginThrottle
    /// The limit on public tips per address.
    public var tipThrottle: TipThrottle
    /// Run the scheduler with the server (tests run its jobs themselves, on their clock).
    public var runScheduler: Bool

    public init(
        configuration: ServerConfiguration, database: Database? = nil, migrate: Bool = false,
        now: @escaping @Sendable () -> Date = Date.init, throttle: LoginThrottle = LoginThrottle(),
        tipThrottle: TipThrottle = TipThrottle(), runScheduler: Bool = true
    ) {
        self.runScheduler = runScheduler
        self.configuration = configuration
        self.database = database
        self.migrate = migrate
        self.now = now
        self.throttle = throttle
        self.tipThrottle = tipThrottle
    }
}

/// The built application and the route table it serves (the tests walk the table).
public struct BuiltApplication<App: ApplicationProtocol> {
    public let application: App
    public let routes: [RouteDeclaration]
    public let database: Database
    /// The scheduler the server runs (tests and benchmarks drive it with `runDue`).
    public let scheduler: Scheduler
}

/// The composition root: opens the database, wires repositories, services, middleware and routes.
public func buildApplication(_ arguments: AppArguments) async throws -> BuiltApplication<some ApplicationProtocol> {
    let configuration = arguments.configuration
    var logger = Logger(label: "chuqing")
    logger.logLevel = configuration.logLevel

    let home = try ResourceLocator.home(configured: configuration.home)
    let database: Database
    if let given = arguments.database {
        database = given
    } else {
        database = try await Database.open(configuration.databaseURL, logger: logger, deadline: configuration.databaseTimeout)
    }
    let pages = try await PageRenderer(directory: home.appendingPathComponent("Templates/pages"))
    let documents = try DocumentTemplates(
        directory: home.appendingPathComponent("Templates/documents"),
        overrides: configuration.documentTemplates)
    let notices = NoticeRendering(templates: documents)
    let calendar = try WorkingDayCalendar.load(home.appendingPathComponent("Templates/calendar/working-days.csv"))
    // Every operation, once: the API, the pages and the command line call these.
    let cases = CaseService(database: database, calendar: calendar, now: arguments.now, logger: logger)
    let clearance = ClearanceService(database: database, cases: cases, now: arguments.now)
    let blacklist = BlacklistService(
        database: database, cases: cases, calendar: calendar, notify: notices.notification, now: arguments.now)
    let debtors = DebtorService(database: database, now: arguments.now)
    let network = NetworkService(database: database, debtors: debtors, now: arguments.now)
    let leads = LeadService(database: database, calendar: calendar, now: arguments.now)
    let tips = TipService(database: database, calendar: calendar, throttle: arguments.tipThrottle, now: arguments.now)
    let noticeIssues = NoticeService(
        database: database, render: { header, items in try notices.noticeXML(header, items) }, now: arguments.now)
    let imports = ImportService(database: database, cases: cases, now: arguments.now)
    let accounts = AccountService(
        database: database, hasher: PasswordHasher(cost: configuration.bcryptCost),
        throttle: arguments.throttle, sessionLifetime: configuration.sessionLifetime, now: arguments.now)

    // swift-metrics is process-wide: the middleware reports into it, and `/metrics` shows the
    // registry it was bootstrapped with.
    ChuqingMetrics.bootstrap()
    let router = Router(context: AppRequestContext.self)
    let badgeInbox = InboxService(database: database, now: arguments.now)
    func authentication(_ credential: AuthenticationMiddleware.Credential) -> AuthenticationMiddleware {
        AuthenticationMiddleware(accounts: accounts, bodyLimit: configuration.maxBodyBytes, credential: credential)
    }
    // Middleware every request passes, routed or not; then each group's own.
    router.add(middleware: SecurityHeadersMiddleware())
    router.add(middleware: ClientAddressMiddleware(proxies: configuration.trustedProxies))
    router.add(middleware: MetricsMiddleware())
    router.add(middleware: LogRequestsMiddleware(.info))
    let routes = RouteTable(
        api: router.group(RouterPath(RouteTable.apiPrefix)).add(middleware: authentication(.bearer)),
        pages: router.group().add(middleware: authentication(.cookie)).add(middleware: InboxBadgeMiddleware(inbox: badgeInbox))
            .add(middleware: ErrorMiddleware(pages: pages, routes: nil))
            .add(middleware: CSRFMiddleware(secureCookies: configuration.secureCookies)),
        system: router.group().add(middleware: authentication(.bearer)))
    router.add(middleware: ErrorMiddleware(pages: pages, routes: routes))

    SystemController(
        database: database,
        databaseTimeout: configuration.databaseTimeout,
        metrics: ChuqingMetrics.registry,
        openAPIDocument: ByteBuffer(bytes: try Data(contentsOf: home.appendingPathComponent("docs/openapi.yaml"))),
        stylesheet: ByteBuffer(bytes: try Data(contentsOf: home.appendingPathComponent("Templates/static/chuqing.css"))),
        liaisonScript: ByteBuffer(bytes: try Data(contentsOf: home.appendingPathComponent("Templates/static/liaison.js")))
    ).register(on: routes)
    SessionController(accounts: accounts).register(on: routes)
    UserController(accounts: accounts).register(on: routes)
    TownshipController(network: network).register(on: routes)
    AuditController(accounts: accounts).register(on: routes)
    ImportController(imports: imports).register(on: routes)
    let settlements = SettlementService(database: database, cases: cases, now: arguments.now)
    CaseController(cases: cases, settlements: settlements).register(on: routes)
    SettlementController(settlements: settlements).register(on: routes)
    DebtorController(debtors: debtors).register(on: routes)
    ClearanceController(cases: cases, clearance: clearance, now: arguments.now).register(on: routes)
    BlacklistController(blacklist: blacklist, notices: notices).register(on: routes)
    NoticeController(notices: noticeIssues).register(on: routes)
    NoticePages(noticeIssues: noticeIssues, notices: notices, pages: pages).register(on: routes)
    TipController(tips: tips, pages: pages).register(on: routes)
    LeadController(leads: leads).register(on: routes)
    NetworkController(network: network).register(on: routes)
    let triage = TriageService(database: database, now: arguments.now)
    TriageController(triage: triage, tips: tips).register(on: routes)
    let lookups = LookupRunner.standard(database: database, configuration: configuration, logger: logger, now: arguments.now)
    let assetLookups = AssetLookupService(
        database: database, dispatcher: lookups, approval: configuration.lookupApproval, now: arguments.now)
    // Deadlines that act (issue 17): the scheduler runs each feature's daily job in its service.
    let deadlines = DeadlineService(database: database, calendar: calendar, now: arguments.now)
    let officials = OfficialService(
        database: database, cases: cases, settings: configuration.pushes, render: notices.officialLetterXML, now: arguments.now)
    OfficialController(officials: officials, notices: notices).register(on: routes)
    OfficialPages(officials: officials, cases: cases, notices: notices, pages: pages, now: arguments.now).register(on: routes)
    let inbox = InboxService(database: database, now: arguments.now)
    let reminders = Reminders(
        gateway: HTTPMessageGateway(client: .shared, configuration: configuration.gateways),
        signature: configuration.gateways.signature ?? "人民法院")
    let scheduler = Scheduler(
        database: database,
        kinds: StandardJobs.kinds(
            blacklist: blacklist, lookups: assetLookups, deadlines: deadlines, officials: officials, reminders: reminders,
            link: SiteURL.link),
        settings: configuration.scheduler, now: arguments.now, logger: logger)
    let jobs = JobService(database: database, scheduler: scheduler, channels: reminders.gateway.channels, now: arguments.now)
    SchedulingController(deadlines: deadlines, inbox: inbox, jobs: jobs).register(on: routes)
    SchedulingPages(deadlines: deadlines, inbox: inbox, jobs: jobs, calendar: calendar, pages: pages, now: arguments.now)
        .register(on: routes)
    DataCategoryController(lookups: assetLookups).register(on: routes)
    AssetLookupController(lookups: assetLookups, clearance: clearance, notices: notices, now: arguments.now)
        .register(on: routes)
    LookupPages(
        cases: cases, lookups: assetLookups, notices: notices, clearance: clearance, pages: pages, now: arguments.now
    ).register(on: routes)
    LiaisonPages(pages: pages, debtors: debtors, leads: leads, network: network, now: arguments.now).register(
        on: routes)
    NetworkPages(pages: pages, network: network, leads: leads, tips: tips, triage: triage).register(on: routes)
    CasePages(pages: pages, now: arguments.now, cases: cases, clearance: clearance, network: network, settlements: settlements)
        .register(on: routes)
    SettlementPages(settlements: settlements, pages: pages).register(on: routes)
    DebtorPages(pages: pages, now: arguments.now, debtors: debtors, network: network).register(on: routes)
    ImportPages(imports: imports, pages: pages).register(on: routes)
    BlacklistPages(
        blacklist: blacklist, noticeIssues: noticeIssues, pages: pages, notices: notices, now: arguments.now
    ).register(on: routes)
    BatchPages(clearance: clearance, network: network, pages: pages, documents: documents, now: arguments.now).register(on: routes)
    AccountPages(
        accounts: accounts, clearance: clearance, assetLookups: assetLookups, network: network, pages: pages,
        sessionLifetime: configuration.sessionLifetime,
        secureCookies: configuration.secureCookies, now: arguments.now, idleDays: configuration.idleDays,
        triage: triage, deadlines: deadlines
    ).register(on: routes)
    AdminPages(accounts: accounts, network: network, pages: pages).register(on: routes)
    CataloguePages(lookups: assetLookups, pages: pages, now: arguments.now).register(on: routes)

    // The scheduler starts once the database is known to be migrated (below): a job must never
    // run against a schema older than its code.
    let schemaReady = StartSignal()
    var app = Application(
        router: router,
        configuration: .init(address: .hostname(configuration.hostname, port: configuration.port), serverName: nil),
        // An injected database is already running under its owner; one opened here runs with the
        // server. The look-ups requests start run in the group too.
        services: (arguments.database == nil ? database.services : []) + [LookupRunnerService(runner: lookups)]
            + (configuration.schedulerEnabled && arguments.runScheduler
                ? [SchedulerService(scheduler: scheduler, start: schemaReady, logger: logger)] : []),
        logger: logger
    )
    let migrationsDirectory = home.appendingPathComponent("Migrations")
    let migrate = arguments.migrate
    let timeout = configuration.databaseTimeout
    let startLogger = logger
    app.beforeServerStarts {
        // A dead database stops start-up within the timeout instead of hanging.
        try await database.ping(timeout: timeout)
        let migrator = try Migrator(database: database.withoutStatementDeadline, directory: migrationsDirectory)
        if migrate {
            let applied = try await migrator.migrate()
            if !applied.isEmpty { startLogger.notice("applied migrations", metadata: ["versions": "\(applied.map(\.version))"]) }
        } else {
            try await migrator.requireUpToDate()
        }
        // Look-ups a previous run left being asked are asked again.
        await lookups.resumeUnfinished()
        schemaReady.open()
    }
    return BuiltApplication(application: app, routes: routes.declarations, database: database, scheduler: scheduler)
}

/// The process-wide metrics registry; `bootstrap()` makes swift-metrics report into it.
public enum ChuqingMetrics {
    public static let registry = PrometheusCollectorRegistry()
    private static let once: Void = {
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = [
            .milliseconds(1), .milliseconds(5), .milliseconds(10), .milliseconds(25),
            .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500),
            .seconds(1), .seconds(2.5), .seconds(5),
        ]
        MetricsSystem.bootstrap(factory)
    }()

    /// Bootstraps swift-metrics once per process (later calls do nothing).
    public static func bootstrap() {
        _ = once
    }
}
