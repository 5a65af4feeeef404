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
    let lookups: AssetLookupService
    let clearance: ClearanceService
    let notices: NoticeRendering
    let now: @Sendable () -> Date

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

    struct RefusalBody: Decodable {
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

    func register(on routes: RouteTable) {
        routes.on(.get, "/api/v1/data-categories", .permitted(.readCategories)) { _, context in
            try JSON.response(Items(items: try await lookups.catalogue(by: context.acting), nextCursor: nil))
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
            return try JSON.response(try await lookups.addCategory(category, by: context.acting), status: .created)
        }
        routes.on(.patch, "/api/v1/data-categories/:code", .permitted(.manageCategories)) { request, context in
            _ = try await lookups.category(code: context.parameters.get("code"), by: context.acting)  // 404 before the body is read
            let input = try await request.decodeJSON(CategoryInput.self, context: context)
            let saved = try await lookups.changeCategory(code: context.parameters.get("code"), by: context.acting) {
                category throws(DomainError) in
                if let name = input.name { category.name = name }
                if let department = input.department { category.department = department }
                if let channel = input.channel { category.channel = try Self.channel(channel) }
                if let connector = input.connector { category.connector = try Self.connector(connector) }
                if let timeout = input.timeoutMilliseconds { category.timeoutMilliseconds = timeout }
                if let retries = input.retries { category.retries = retries }
                if let enabled = input.enabled { category.isEnabled = enabled }
                if let position = input.position { category.position = position }
            }
            return try JSON.response(saved)
        }
        routes.on(.post, "/api/v1/asset-lookups", .permitted(.startLookups)) { request, context in
            let body = try await request.decodeJSON(NewLookup.self, context: context)
            let lookup = try await lookups.start(
                caseID: body.caseId, debtorID: body.debtorId, categories: body.categories, legalBasis: body.legalBasis, by: context.acting)
            return try JSON.response(lookup, status: .created)
        }
        routes.on(.get, "/api/v1/asset-lookups", .permitted(.auditLookups)) { request, context in
            let filter = try Self.logFilter { request.uri.queryParameters.get($0) }
            let page = try await lookups.log(
                filter, limit: try CaseController.limit(request), after: request.uri.queryParameters.get("cursor"), by: context.acting)
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
            let result = try await lookups.loadExtract(
                Data(buffer: body), category: code, fileName: query.get("fileName") ?? "\(code).csv", extractedOn: day, by: context.acting)
            return try JSON.response(result.snapshot, status: .created)
        }
        routes.on(.get, "/api/v1/asset-snapshots", .permitted(.readSnapshots)) { _, context in
            try JSON.response(Items(items: try await lookups.extracts(by: context.acting), nextCursor: nil))
        }
        routes.on(.get, "/api/v1/asset-lookups/due", .permitted(.startLookups)) { _, context in
            try JSON.response(Items(items: try await lookups.due(by: context.acting), nextCursor: nil))
        }
        routes.on(.get, "/api/v1/asset-lookups/:id", .permitted(.readLookups)) { _, context in
            try JSON.response(try await lookups.lookup(id: context.pathID, by: context.acting))
        }
        routes.on(.post, "/api/v1/asset-lookups/:id/categories/:code/retry", .permitted(.startLookups)) { _, context in
            let lookup = try await lookups.retry(lookupID: context.pathID, category: context.parameters.get("code"), by: context.acting)
            return try JSON.response(lookup, status: .accepted)
        }
        routes.on(.post, "/api/v1/asset-lookups/:id/approve", .permitted(.approveLookups)) { _, context in
            try JSON.response(try await lookups.approve(lookupID: context.pathID, by: context.acting))
        }
        routes.on(.post, "/api/v1/asset-lookups/:id/refuse", .permitted(.approveLookups)) { request, context in
            _ = try await lookups.lookup(id: context.pathID, by: context.acting)  // 404 before the body is read
            let body = try await request.decodeJSON(RefusalBody.self, context: context)
            return try JSON.response(try await lookups.refuse(lookupID: context.pathID, reason: body.reason ?? "", by: context.acting))
        }
        routes.on(.post, "/api/v1/asset-lookups/:id/applicant-told", .permitted(.startLookups)) { request, context in
            _ = try await lookups.lookup(id: context.pathID, by: context.acting)  // 404 before the body is read
            let body = try await request.decodeJSON(Told.self, context: context)
            return try JSON.response(try await lookups.recordTold(lookupID: context.pathID, on: body.on, how: body.how, by: context.acting))
        }
        routes.on(.get, "/api/v1/asset-lookups/:id/notice", .permitted(.readLookups)) { request, context in
            _ = try await lookups.lookup(id: context.pathID, by: context.acting)
            let text = request.uri.queryParameters.get("format") ?? "html"
            guard let format = NoticeRendering.Format(rawValue: text), format != .print else {
                throw APIError(.badRequest, code: "unknown_format", message: "format 只能是 html、text 或 xml（收到「\(text)」）", field: "format")
            }
            let document = try notices.lookupNotice(
                try await lookups.noticeContent(lookupID: context.pathID, by: context.acting), format: format)
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
            guard let id = context.parameters.get("id"), let finding = try await AssetLookupRepository(database: database).finding(id: id)
            else { throw APIError.notFound }
            // another judge's case is 404 whatever the body says
            _ = try await CaseController.visibleCase(id: finding.caseId, context, database: database)
            let body = try await request.decodeJSON(ClearanceController.NewMeasure.self, context: context)
            let record = try await clearance.recordMeasure(
                try body.input, caseID: finding.caseId, findingID: finding.id, by: context.acting)
            return try JSON.response(record, status: .created)
        }
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

extension AssetLookupService {
    /// The service asking the configured exchange and extracts, for the command line
    /// (`chuqing lookups run-due`, `chuqing import snapshot`).
    public static func standard(database: Database, configuration: ServerConfiguration, logger: Logger) -> AssetLookupService {
        AssetLookupService(
            database: database,
            dispatcher: LookupRunner.standard(database: database, configuration: configuration, logger: logger, now: Date.init),
            approval: configuration.lookupApproval)
    }
}
