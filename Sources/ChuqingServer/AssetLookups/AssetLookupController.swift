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
    let lookups: AssetLookupService
    let clearance: ClearanceService
    let notices: NoticeRendering
    let now: @Sendable () -> Date

    struct NewLookup: Decodable {
        let caseId: UUID
        let debtorId: UUID
        let categories: [String]?
        let legalBasis: String
    }

    struct RefusalBody: Decodable {
        let reason: String?
    }

    struct Told: Decodable {
        let on: CalendarDate
        let how: String
    }

    func register(on routes: RouteTable) {
        routes.on(.post, "/api/v1/asset-lookups", .permitted(.startLookups), use: startLookup)
        routes.on(.get, "/api/v1/asset-lookups", .permitted(.auditLookups), use: lookupLog)
        routes.on(.get, "/api/v1/asset-lookups/due", .permitted(.startLookups), use: dueLookups)
        routes.on(.get, "/api/v1/asset-lookups/:id", .permitted(.readLookups), use: lookup)
        routes.on(.post, "/api/v1/asset-lookups/:id/categories/:code/retry", .permitted(.startLookups), use: retryCategory)
        routes.on(.post, "/api/v1/asset-lookups/:id/approve", .permitted(.approveLookups), use: approve)
        routes.on(.post, "/api/v1/asset-lookups/:id/refuse", .permitted(.approveLookups), use: refuse)
        routes.on(.post, "/api/v1/asset-lookups/:id/applicant-told", .permitted(.startLookups), use: recordApplicantTold)
        routes.on(.get, "/api/v1/asset-lookups/:id/notice", .permitted(.readLookups), use: applicantNotice)
        routes.on(.post, "/api/v1/asset-findings/:id/measures", .permitted(.startLookups), use: recordFindingMeasure)
    }

    @Sendable func startLookup(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body = try await request.decode(as: NewLookup.self, context: context)
        let lookup = try await lookups.start(
            caseID: body.caseId, debtorID: body.debtorId, categories: body.categories, legalBasis: body.legalBasis, by: context.acting)
        return try JSON.response(LookupResponse(lookup), status: .created)
    }

    @Sendable func lookupLog(_ request: Request, context: AppRequestContext) async throws -> Response {
        let filter = try Self.logFilter { request.uri.queryParameters.get($0) }
        let page = try await lookups.log(
            filter, limit: try CaseController.limit(request), after: request.uri.queryParameters.get("cursor"), by: context.acting)
        return try JSON.response(ItemList(items: page.items.map(LookupLogEntryResponse.init), nextCursor: page.nextCursor))
    }

    @Sendable func dueLookups(_ request: Request, context: AppRequestContext) async throws -> Response {
        try JSON.response(ItemList(items: try await lookups.due(by: context.acting).map(DueLookupResponse.init), nextCursor: nil))
    }

    @Sendable func lookup(_ request: Request, context: AppRequestContext) async throws -> Response {
        try JSON.response(LookupResponse(try await lookups.lookup(id: context.pathID, by: context.acting)))
    }

    @Sendable func retryCategory(_ request: Request, context: AppRequestContext) async throws -> Response {
        let lookup = try await lookups.retry(lookupID: context.pathID, category: context.parameters.get("code"), by: context.acting)
        return try JSON.response(LookupResponse(lookup), status: .accepted)
    }

    @Sendable func approve(_ request: Request, context: AppRequestContext) async throws -> Response {
        try JSON.response(LookupResponse(try await lookups.approve(lookupID: context.pathID, by: context.acting)))
    }

    @Sendable func refuse(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try await lookups.lookup(id: context.pathID, by: context.acting)  // 404 before the body is read
        let body = try await request.decode(as: RefusalBody.self, context: context)
        return try JSON.response(
            LookupResponse(try await lookups.refuse(lookupID: context.pathID, reason: body.reason ?? "", by: context.acting)))
    }

    @Sendable func recordApplicantTold(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try await lookups.lookup(id: context.pathID, by: context.acting)  // 404 before the body is read
        let body = try await request.decode(as: Told.self, context: context)
        return try JSON.response(
            LookupResponse(try await lookups.recordTold(lookupID: context.pathID, on: body.on, how: body.how, by: context.acting)))
    }

    @Sendable func applicantNotice(_ request: Request, context: AppRequestContext) async throws -> Response {
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

    @Sendable func recordFindingMeasure(_ request: Request, context: AppRequestContext) async throws -> Response {
        // another judge's case is 404 whatever the body says
        let finding = try await lookups.finding(id: context.pathID, by: context.acting)
        let body = try await request.decode(as: ClearanceController.NewMeasure.self, context: context)
        let record = try await clearance.recordMeasure(
            try body.input, caseID: finding.caseID, findingID: finding.id, by: context.acting)
        return try JSON.response(MeasureResponse(record), status: .created)
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
