import ChuqingDomain
import ChuqingPersistence
import Foundation
import Hummingbird
import Logging

/// Asset look-ups (issue 4): the catalogue of data categories (`/api/v1/data-categories`, changed
/// by the admin without a build) and the look-ups themselves (`/api/v1/asset-lookups`): started by
/// the case's judge or the director, asked of every category at once in the background, read
/// while the categories fill in. Results are for the case's judge, the director and auditors;
/// never liaisons or the public.
struct AssetLookupController {
    let database: Database
    let runner: LookupRunner
    let now: @Sendable () -> Date

    /// Who may start a look-up: the director, and judges on their own cases.
    static let starters: Set<Role> = [.director, .judge]
    /// Who may read a look-up: those, and auditors.
    static let readers: Set<Role> = [.director, .judge, .auditor]

    struct NewLookup: Decodable {
        let caseId: String
        let debtorId: String
        let categories: [String]?
        let legalBasis: String
    }

    struct CategoryInput: Decodable {
        let code: String?
        let name: String?
        let department: String?
        let channel: String?
        let connector: String?
        let timeoutMilliseconds: Int?
        let retries: Int?
        let enabled: Bool?
        let position: Int?
    }

    struct Items<T: Encodable>: Encodable {
        let items: [T]
        let nextCursor: String?
    }

    var repository: AssetLookupRepository { AssetLookupRepository(database: database) }

    func register(on routes: RouteTable) {
        routes.on(.get, "/api/v1/data-categories", .roles([.admin, .director, .judge, .auditor])) { _, _ in
            try JSON.response(Items(items: try await repository.catalogue(), nextCursor: nil))
        }
        routes.on(.post, "/api/v1/data-categories", .roles([.admin])) { request, context in
            let input = try await request.decodeJSON(CategoryInput.self, context: context)
            guard let code = input.code, let name = input.name, let department = input.department else {
                throw DomainError(code: "missing_field", message: "新增数据类别须给出 code、name、department", field: "code")
            }
            let category = DataCategory(
                code: code, name: name, department: department, channel: try Self.channel(input.channel ?? "pointToPoint"),
                connector: try Self.connector(input.connector ?? "exchange"), timeoutMilliseconds: input.timeoutMilliseconds ?? 5_000,
                retries: input.retries ?? 1, isEnabled: input.enabled ?? true, position: input.position ?? 100)
            let saved = try await repository.save(category, isNew: true, audit: audit(context, "category.add", code, name))
            return try JSON.response(saved, status: .created)
        }
        routes.on(.patch, "/api/v1/data-categories/:code", .roles([.admin])) { request, context in
            guard let code = context.parameters.get("code"), var category = try await repository.catalogue().first(where: { $0.code == code }) else {
                throw APIError.notFound
            }
            let input = try await request.decodeJSON(CategoryInput.self, context: context)
            if let name = input.name { category.name = name }
            if let department = input.department { category.department = department }
            if let channel = input.channel { category.channel = try Self.channel(channel) }
            if let connector = input.connector { category.connector = try Self.connector(connector) }
            if let timeout = input.timeoutMilliseconds { category.timeoutMilliseconds = timeout }
            if let retries = input.retries { category.retries = retries }
            if let enabled = input.enabled { category.isEnabled = enabled }
            if let position = input.position { category.position = position }
            let saved = try await repository.save(category, isNew: false,
                                                  audit: audit(context, "category.change", code, "\(category.name)\(category.isEnabled ? "" : "（停用）")"))
            return try JSON.response(saved)
        }
        routes.on(.post, "/api/v1/asset-lookups", .roles(Self.starters)) { request, context in
            let body = try await request.decodeJSON(NewLookup.self, context: context)
            // The case's judge or the director; another judge's case is 404.
            let detail = try await CaseController.visibleCase(id: body.caseId, context, database: database)
            try AssetLookup.checkCaseOpen(try CaseStatus.parse(detail.summary.status), caseNumber: detail.summary.caseNumber)
            let lookupRequest = try AssetLookup.Request(categories: body.categories, legalBasis: body.legalBasis, catalogue: try await repository.catalogue())
            let user = try context.requireSession().user
            let instant = now()
            let lookup = try await repository.create(
                caseID: detail.summary.id, debtorID: body.debtorId, request: lookupRequest, purpose: .manual, requestedBy: user.id,
                audit: context.actor.audit("lookup.start", entity: "case", id: detail.summary.id,
                                           detail: "\(detail.summary.caseNumber) \(lookupRequest.categories.count) 类：\(lookupRequest.legalBasis)", at: instant),
                now: instant)
            runner.start(lookupID: lookup.id)
            return try JSON.response(lookup, status: .created)
        }
        routes.on(.get, "/api/v1/asset-lookups/due", .roles(Self.starters)) { _, context in
            let user = try context.requireSession().user
            let due = try await repository.due(judgeID: user.role == .judge ? user.id : nil, today: ShanghaiClock.today(now()))
            return try JSON.response(Items(items: due, nextCursor: nil))
        }
        routes.on(.get, "/api/v1/asset-lookups/:id", .roles(Self.readers)) { _, context in
            try JSON.response(try await visibleLookup(context))
        }
        routes.on(.post, "/api/v1/asset-lookups/:id/categories/:code/retry", .roles(Self.starters)) { _, context in
            let lookup = try await visibleLookup(context)
            guard let code = context.parameters.get("code"), lookup.categories.contains(where: { $0.code == code }) else { throw APIError.notFound }
            guard try await repository.reopen(lookupID: lookup.id, category: code, audit: audit(context, "lookup.retry", lookup.id, code)) else {
                throw DomainError(code: "category_not_failed", message: "只能重查失败或超时的类别；该类别已答复或仍在查询中", field: "code", kind: .conflict)
            }
            runner.start(lookupID: lookup.id, only: code)
            return try JSON.response(try await repository.lookup(id: lookup.id)!, status: .accepted)
        }
    }

    /// Starts the periodic look-ups due today (法〔2016〕373号 art. 9), every enabled category,
    /// and waits until each has ended; returns the look-ups.
    static func runDue(repository: AssetLookupRepository, runner: LookupRunner, now: Date) async throws -> [StoredLookup] {
        let today = ShanghaiClock.today(now)
        let request = try AssetLookup.Request(categories: nil, legalBasis: "法〔2016〕373号第九条：终本后五年内每六个月查询一次",
                                              catalogue: try await repository.catalogue())
        var done: [StoredLookup] = []
        for item in try await repository.due(judgeID: nil, today: today, limit: 100_000) {
            let lookup = try await repository.create(
                caseID: item.caseId, debtorID: item.debtorId, request: request, purpose: .periodic, requestedBy: nil,
                audit: AuditEntry(occurredAt: now, actorID: nil, actorUsername: "命令行", action: "lookup.start", entity: "case", entityID: item.caseId,
                                  detail: "\(item.caseNumber) 定期查询（应于 \(item.dueOn)）"),
                now: now)
            await runner.run(lookupID: lookup.id)
            done.append(try await repository.lookup(id: lookup.id)!)
        }
        return done
    }

    /// The `:id` look-up if this user may read it: the director and auditors any, a judge those on
    /// their own cases; 404 otherwise.
    func visibleLookup(_ context: AppRequestContext) async throws -> StoredLookup {
        guard let id = context.parameters.get("id"), let lookup = try await repository.lookup(id: id) else { throw APIError.notFound }
        let user = try context.requireSession().user
        if user.role == .judge {
            _ = try await CaseController.visibleCase(id: lookup.caseId, context, database: database)
        }
        return lookup
    }

    func audit(_ context: AppRequestContext, _ action: String, _ id: String, _ detail: String) -> AuditEntry {
        context.actor.audit(action, entity: action.hasPrefix("category") ? "data_category" : "asset_lookup", id: id, detail: detail, at: now())
    }

    static func channel(_ text: String) throws(DomainError) -> DataCategory.Channel {
        guard let channel = DataCategory.Channel(rawValue: text) else {
            throw DomainError(code: "unknown_channel", message: "渠道「\(text)」无法识别；可用：pointToPoint（点对点）、national（总对总）、manual（人工）",
                              field: "channel")
        }
        return channel
    }

    static func connector(_ text: String) throws(DomainError) -> DataCategory.Connector {
        guard let connector = DataCategory.Connector(rawValue: text) else {
            throw DomainError(code: "unknown_connector", message: "连接器「\(text)」无法识别；可用：exchange（数据交换接口）、snapshot（数据提取文件）",
                              field: "connector")
        }
        return connector
    }
}

/// `chuqing lookups run-due`: the periodic look-ups due today, asked of the configured exchange.
public enum PeriodicLookupRun {
    public static func runDue(database: Database, configuration: ServerConfiguration, logger: Logger, now: Date) async throws -> [StoredLookup] {
        let repository = AssetLookupRepository(database: database)
        let runner = LookupRunner(repository: repository,
                                  connectors: [.exchange: ExchangeConnector(client: .shared, configuration: configuration.exchange)],
                                  logger: logger, now: Date.init)
        return try await AssetLookupController.runDue(repository: repository, runner: runner, now: now)
    }
}
