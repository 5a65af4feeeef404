import ChuqingDocuments
import ChuqingDomain
import ChuqingPersistence
import ChuqingServices
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
    let clearance: ClearanceService
    let runner: LookupRunner
    let approval: AssetLookup.Approval
    let notices: NoticeRendering
    let now: @Sendable () -> Date

    /// Who may read a look-up: those, and auditors.
    /// Who may search the log of every look-up (法释〔2013〕20号: queries are checked).

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

    struct Refusal: Decodable {
        let reason: String?
    }

    struct Told: Decodable {
        let on: CalendarDate
        let how: String
    }

    struct Items<T: Encodable>: Encodable {
        let items: [T]
        let nextCursor: String?
    }

    var repository: AssetLookupRepository { AssetLookupRepository(database: database) }

    func register(on routes: RouteTable) {
        routes.on(.get, "/api/v1/data-categories", .permitted(.readCategories)) { _, _ in
            try JSON.response(Items(items: try await repository.catalogue(), nextCursor: nil))
        }
        routes.on(.post, "/api/v1/data-categories", .permitted(.manageCategories)) { request, context in
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
        routes.on(.patch, "/api/v1/data-categories/:code", .permitted(.manageCategories)) { request, context in
            guard let code = context.parameters.get("code"),
                var category = try await repository.catalogue().first(where: { $0.code == code })
            else {
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
            let saved = try await repository.save(
                category, isNew: false,
                audit: audit(context, "category.change", code, "\(category.name)\(category.isEnabled ? "" : "（停用）")"))
            return try JSON.response(saved)
        }
        routes.on(.post, "/api/v1/asset-lookups", .permitted(.startLookups)) { request, context in
            let body = try await request.decodeJSON(NewLookup.self, context: context)
            let lookup = try await start(
                caseID: body.caseId, debtorID: body.debtorId, categories: body.categories, legalBasis: body.legalBasis,
                context: context)
            return try JSON.response(lookup, status: .created)
        }
        routes.on(.get, "/api/v1/asset-lookups", .permitted(.auditLookups)) { request, context in
            let filter = try Self.logFilter { request.uri.queryParameters.get($0) }
            let page = try await repository.log(
                filter, limit: try CaseController.limit(request), after: request.uri.queryParameters.get("cursor"))
            return try JSON.response(Items(items: page.items, nextCursor: page.nextCursor))
        }
        routes.on(.post, "/api/v1/data-categories/:code/snapshot", .permitted(.manageCategories)) { request, context in
            guard let code = context.parameters.get("code") else { throw APIError.notFound }
            let query = request.uri.queryParameters
            var day: CalendarDate?
            if let text = query.get("extractedOn"), !text.isEmpty {
                do { day = try CalendarDate.parse(text, field: "extractedOn") } catch let error as DomainError {
                    throw APIError(.badRequest, code: error.code, message: error.message, field: "extractedOn")
                }
            }
            var request = request
            let body = try await request.collectBody(upTo: ImportController.maxFileBytes)
            let user = try context.requireSession().user
            let result = try await SnapshotImport.load(
                Data(buffer: body), category: code, fileName: query.get("fileName") ?? "\(code).csv",
                extractedOn: day, loadedBy: user.username.value, actorID: user.id, database: database, now: now())
            return try JSON.response(result.snapshot, status: .created)
        }
        routes.on(.get, "/api/v1/asset-snapshots", .permitted(.readSnapshots)) { _, _ in
            try JSON.response(Items(items: try await SnapshotRepository(database: database).current(), nextCursor: nil))
        }
        routes.on(.get, "/api/v1/asset-lookups/due", .permitted(.startLookups)) { _, context in
            let user = try context.requireSession().user
            let due = try await repository.due(judgeID: user.role == .judge ? user.id : nil, today: ShanghaiClock.today(now()))
            return try JSON.response(Items(items: due, nextCursor: nil))
        }
        routes.on(.get, "/api/v1/asset-lookups/:id", .permitted(.readLookups)) { _, context in
            try JSON.response(try await visibleLookup(context))
        }
        routes.on(.post, "/api/v1/asset-lookups/:id/categories/:code/retry", .permitted(.startLookups)) { _, context in
            let lookup = try await retry(try await visibleLookup(context), context: context)
            return try JSON.response(lookup, status: .accepted)
        }
        routes.on(.post, "/api/v1/asset-lookups/:id/approve", .permitted(.approveLookups)) { _, context in
            try JSON.response(try await approve(try await visibleLookup(context), context: context))
        }
        routes.on(.post, "/api/v1/asset-lookups/:id/refuse", .permitted(.approveLookups)) { request, context in
            let lookup = try await visibleLookup(context)
            let body = try await request.decodeJSON(Refusal.self, context: context)
            return try JSON.response(try await refuse(lookup, reason: body.reason ?? "", context: context))
        }
        routes.on(.post, "/api/v1/asset-lookups/:id/applicant-told", .permitted(.startLookups)) { request, context in
            let lookup = try await visibleLookup(context)
            let body = try await request.decodeJSON(Told.self, context: context)
            return try JSON.response(try await recordTold(lookup, on: body.on, how: body.how, context: context))
        }
        routes.on(.get, "/api/v1/asset-lookups/:id/notice", .permitted(.readLookups)) { request, context in
            let lookup = try await visibleLookup(context)
            let text = request.uri.queryParameters.get("format") ?? "html"
            guard let format = NoticeRendering.Format(rawValue: text), format != .print else {
                throw APIError(.badRequest, code: "unknown_format", message: "format 只能是 html、text 或 xml（收到「\(text)」）", field: "format")
            }
            let document = try notices.lookupNotice(try await noticeContent(lookup), format: format)
            let type =
                switch format {
                case .xml: "application/xml; charset=utf-8"
                case .text: "text/plain; charset=utf-8"
                default: "text/html; charset=utf-8"
                }
            return Response(
                status: .ok, headers: [.contentType: type, .cacheControl: "no-store"], body: .init(byteBuffer: ByteBuffer(string: document))
            )
        }
        routes.on(.post, "/api/v1/asset-findings/:id/measures", .permitted(.startLookups)) { request, context in
            guard let id = context.parameters.get("id"), let finding = try await repository.finding(id: id) else { throw APIError.notFound }
            // another judge's case is 404 whatever the body says
            _ = try await CaseController.visibleCase(id: finding.caseId, context, database: database)
            let body = try await request.decodeJSON(ClearanceController.NewMeasure.self, context: context)
            let record = try await clearance.recordMeasure(
                try body.input, caseID: finding.caseId, findingID: finding.id, by: context.acting)
            return try JSON.response(record, status: .created)
        }
    }

    // MARK: What the API and the pages share

    /// Starts a look-up on a case this user may see: checked, stored, and asked at once unless it
    /// waits for the director's approval.
    func start(caseID: String, debtorID: String, categories: [String]?, legalBasis: String, context: AppRequestContext) async throws
        -> StoredLookup
    {
        // The case's judge or the director; another judge's case is 404.
        let detail = try await CaseController.visibleCase(id: caseID, context, database: database)
        try AssetLookup.checkCaseOpen(try CaseStatus.parse(detail.summary.status), caseNumber: detail.summary.caseNumber)
        let request = try AssetLookup.Request(categories: categories, legalBasis: legalBasis, catalogue: try await repository.catalogue())
        let user = try context.requireSession().user
        let start: AssetLookupRepository.Start =
            user.role == .director
            ? .running(approvedBy: user.id)
            : approval == .director ? .awaitingApproval : .running(approvedBy: nil)
        let instant = now()
        let lookup = try await repository.create(
            caseID: detail.summary.id, debtorID: debtorID, request: request, purpose: .manual, requestedBy: user.id, start: start,
            audit: context.acting.audit(
                "lookup.start", entity: "case", id: detail.summary.id,
                detail: "\(detail.summary.caseNumber) \(request.categories.count) 类：\(request.legalBasis)"
                    + (start == .awaitingApproval ? "（待审批）" : ""),
                at: instant),
            now: instant)
        if start != .awaitingApproval { runner.start(lookupID: lookup.id) }
        return lookup
    }

    /// Asks one failed or timed-out category (the path's `code`) of `lookup` again, alone.
    func retry(_ lookup: StoredLookup, context: AppRequestContext) async throws -> StoredLookup {
        guard let code = context.parameters.get("code"), lookup.categories.contains(where: { $0.code == code }) else {
            throw APIError.notFound
        }
        guard try await repository.reopen(lookupID: lookup.id, category: code, audit: audit(context, "lookup.retry", lookup.id, code))
        else {
            throw DomainError(code: "category_not_failed", message: "只能重查失败或超时的类别；该类别已答复或仍在查询中", field: "code", kind: .conflict)
        }
        runner.start(lookupID: lookup.id, only: code)
        return try await repository.lookup(id: lookup.id) ?? lookup
    }

    func approve(_ lookup: StoredLookup, context: AppRequestContext) async throws -> StoredLookup {
        let detail = try await CaseController.visibleCase(id: lookup.caseId, context, database: database)
        try AssetLookup.checkCaseOpen(try CaseStatus.parse(detail.summary.status), caseNumber: detail.summary.caseNumber)
        try await repository.approve(
            lookupID: lookup.id, by: try context.requireSession().user.id,
            audit: audit(context, "lookup.approve", lookup.id, "\(lookup.caseNumber) \(lookup.debtorName)"), now: now())
        runner.start(lookupID: lookup.id)
        return try await repository.lookup(id: lookup.id)!
    }

    func refuse(_ lookup: StoredLookup, reason: String, context: AppRequestContext) async throws -> StoredLookup {
        try await repository.refuse(
            lookupID: lookup.id, by: try context.requireSession().user.id, reason: reason,
            audit: audit(context, "lookup.refuse", lookup.id, "\(lookup.caseNumber) \(lookup.debtorName)：\(reason)"), now: now())
        return try await repository.lookup(id: lookup.id)!
    }

    func recordTold(_ lookup: StoredLookup, on day: CalendarDate, how: String, context: AppRequestContext) async throws -> StoredLookup {
        try await repository.recordApplicantTold(
            lookupID: lookup.id, on: day, how: how, by: try context.requireSession().user.id,
            audit: audit(context, "lookup.told", lookup.id, "\(lookup.caseNumber) \(day) \(how)"), now: now())
        return try await repository.lookup(id: lookup.id)!
    }

    /// The applicant's notice of a completed look-up: per category, the kinds of property found.
    func noticeContent(_ lookup: StoredLookup) async throws -> LookupNoticeDocument.Content {
        guard lookup.status == AssetLookup.Status.completed.rawValue else {
            throw DomainError(code: "lookup_not_completed", message: "查询尚未完成，完成后才能生成告知书", kind: .conflict)
        }
        guard let detail = try await CaseRepository(database: database).detail(id: lookup.caseId) else { throw APIError.notFound }
        let catalogue = try await repository.catalogue()
        return LookupNoticeDocument.Content(
            id: lookup.id, courtName: detail.summary.court.name, courtCode: detail.summary.court.code, date: ShanghaiClock.today(now()),
            caseNumber: lookup.caseNumber, applicants: detail.applicants, debtorName: lookup.debtorName,
            lookedUpOn: ShanghaiClock.today(lookup.requestedAt), purpose: AssetLookup.Purpose(rawValue: lookup.purpose) ?? .manual,
            categories: lookup.categories.map { category in
                var found: [(kind: AssetFinding.Kind, count: Int)] = []
                for finding in category.findings {
                    guard let kind = AssetFinding.Kind(rawValue: finding.kind), FindingMeasures.isProperty(kind) else { continue }
                    if let index = found.firstIndex(where: { $0.kind == kind }) { found[index].count += 1 } else { found.append((kind, 1)) }
                }
                return .init(
                    name: category.name, department: catalogue.first { $0.code == category.code }?.department ?? category.name,
                    status: AssetLookup.CategoryStatus(rawValue: category.status) ?? .failed, found: found)
            })
    }

    /// The log's filters from a query string or a form; each malformed one is a 400 naming it.
    static func logFilter(_ value: (String) -> String?) throws -> LookupLogFilter {
        func text(_ name: String) -> String? {
            value(name).map { $0.trimmingCharacters(in: .whitespaces) }.flatMap { $0.isEmpty ? nil : $0 }
        }
        var filter = LookupLogFilter()
        do {
            if let number = text("caseNumber") { filter.caseNumber = try CaseNumber(number) }
            if let name = text("debtorName") { filter.debtorName = name }
            if let id = text("idNumber") { filter.idNumber = id }
            if let username = text("operator") { filter.operatorUsername = username }
            if let status = text("status") {
                guard let parsed = AssetLookup.Status(rawValue: status) else {
                    throw DomainError(
                        code: "unknown_status",
                        message: "status 只能是 \(AssetLookup.Status.allCases.map(\.rawValue).joined(separator: "、"))（收到「\(status)」）",
                        field: "status")
                }
                filter.status = parsed
            }
            if let purpose = text("purpose") {
                guard let parsed = AssetLookup.Purpose(rawValue: purpose) else {
                    throw DomainError(
                        code: "unknown_purpose", message: "purpose 只能是 manual（人工发起）或 periodic（定期查询）（收到「\(purpose)」）", field: "purpose")
                }
                filter.purpose = parsed
            }
            if let from = text("from") { filter.from = try CalendarDate.parse(from, field: "from") }
            if let to = text("to") { filter.to = try CalendarDate.parse(to, field: "to") }
            if let told = text("applicantTold") {
                guard let parsed = ["true": true, "false": false][told] else {
                    throw DomainError(
                        code: "invalid_applicant_told", message: "applicantTold 只能是 true 或 false（收到「\(told)」）", field: "applicantTold")
                }
                filter.applicantTold = parsed
            }
        } catch let error as DomainError {
            throw APIError(.badRequest, code: error.code, message: error.message, field: error.field)
        }
        if let from = filter.from, let to = filter.to, from > to {
            throw APIError(.unprocessableContent, code: "invalid_range", message: "起始日期 \(from) 晚于截止日期 \(to)", field: "from")
        }
        return filter
    }

    /// Starts the periodic look-ups due today (法〔2016〕373号 art. 9), every enabled category,
    /// and waits until each has ended; returns the look-ups. `approvedBy` is the director who
    /// approved the run, when the court asks for approval.
    static func runDue(repository: AssetLookupRepository, runner: LookupRunner, approvedBy: UUID?, now: Date) async throws -> [StoredLookup]
    {
        let today = ShanghaiClock.today(now)
        let request = try AssetLookup.Request(
            categories: nil, legalBasis: "法〔2016〕373号第九条：终本后五年内每六个月查询一次",
            catalogue: try await repository.catalogue())
        var done: [StoredLookup] = []
        for item in try await repository.due(judgeID: nil, today: today, limit: 100_000) {
            let lookup = try await repository.create(
                caseID: item.caseId, debtorID: item.debtorId, request: request, purpose: .periodic, requestedBy: nil,
                start: .running(approvedBy: approvedBy),
                audit: AuditEntry(
                    occurredAt: now, actorID: nil, actorUsername: "命令行", action: "lookup.start", entity: "case", entityID: item.caseId,
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
        context.acting.audit(
            action, entity: action.hasPrefix("category") ? "data_category" : "asset_lookup", id: id, detail: detail, at: now())
    }

    static func channel(_ text: String) throws(DomainError) -> DataCategory.Channel {
        guard let channel = DataCategory.Channel(rawValue: text) else {
            throw DomainError(
                code: "unknown_channel", message: "渠道「\(text)」无法识别；可用：pointToPoint（点对点）、national（总对总）、manual（人工）",
                field: "channel")
        }
        return channel
    }

    static func connector(_ text: String) throws(DomainError) -> DataCategory.Connector {
        guard let connector = DataCategory.Connector(rawValue: text) else {
            throw DomainError(
                code: "unknown_connector", message: "连接器「\(text)」无法识别；可用：exchange（数据交换接口）、snapshot（数据提取文件）",
                field: "connector")
        }
        return connector
    }
}

/// `chuqing lookups run-due`: the periodic look-ups due today, asked of the configured exchange
/// and extracts. When the court asks for approval, `approvedBy` names the director who approved
/// the run (a username); it is recorded as every look-up's approver.
public enum PeriodicLookupRun {
    public static func runDue(
        database: Database, configuration: ServerConfiguration, approvedBy username: String?, logger: Logger,
        now: Date
    ) async throws -> [StoredLookup] {
        var approver: UUID?
        if let username {
            guard let stored = try await SQLUserRepository().find(username: try Username(username), on: database.sql),
                stored.user.role == .director, !stored.user.isDisabled
            else {
                throw DomainError(code: "unknown_director", message: "「\(username)」不是在用的院领导（执行局长）账号，不能批准定期查询", field: "approvedBy")
            }
            approver = stored.user.id
        } else if configuration.lookupApproval == .director {
            throw DomainError(
                code: "approval_required",
                message: "本院的财产查询须经批准（CHUQING_LOOKUP_APPROVAL=director）：请用 --approved-by 写明批准的院领导用户名")
        }
        let repository = AssetLookupRepository(database: database)
        let runner = LookupRunner.standard(database: database, configuration: configuration, logger: logger, now: Date.init)
        return try await AssetLookupController.runDue(repository: repository, runner: runner, approvedBy: approver, now: now)
    }
}
