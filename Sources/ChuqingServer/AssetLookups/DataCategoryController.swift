import ChuqingDocuments
import ChuqingDomain
import ChuqingPersistence
import ChuqingServices
import Foundation
import Hummingbird
import Logging

/// `/api/v1/data-categories` and `/api/v1/asset-snapshots`: the catalogue of the data categories
/// other departments share with the court (their channel, connector, budget and retries) and the
/// extract files a department hands over instead of answering through the exchange.
struct DataCategoryController {
    let lookups: AssetLookupService

    struct CategoryInput: Decodable {
        let code: String?
        let name: String?
        let department: String?
        let channel: String?
        let connector: String?
        let timeoutMilliseconds: Int?
        let retries: Int?
        let enabled: Bool?
        let isProperty: Bool?
        let position: Int?
    }

    func register(on routes: RouteTable) {
        routes.on(.get, "/api/v1/data-categories", .permitted(.readCategories), use: catalogue)
        routes.on(.post, "/api/v1/data-categories", .permitted(.manageCategories), use: addCategory)
        routes.on(.patch, "/api/v1/data-categories/:code", .permitted(.manageCategories), use: changeCategory)
        routes.on(.post, "/api/v1/data-categories/:code/snapshot", .permitted(.manageCategories), use: loadExtract)
        routes.on(.get, "/api/v1/asset-snapshots", .permitted(.readSnapshots), use: extracts)
    }

    @Sendable func catalogue(_ request: Request, context: AppRequestContext) async throws -> Response {
        try JSON.response(ItemList(items: try await lookups.catalogue(by: context.acting), nextCursor: nil))
    }

    @Sendable func addCategory(_ request: Request, context: AppRequestContext) async throws -> Response {
        let input = try await request.decode(as: CategoryInput.self, context: context)
        guard let code = input.code, let name = input.name, let department = input.department else {
            throw DomainError(code: "missing_field", message: "新增数据类别须给出 code、name、department", field: "code")
        }
        let category = DataCategory(
            code: code, name: name, department: department, channel: try DataCategory.Channel.parse(input.channel ?? "pointToPoint"),
            connector: try DataCategory.Connector.parse(input.connector ?? "exchange"),
            timeoutMilliseconds: input.timeoutMilliseconds ?? 5_000,
            retries: input.retries ?? 1, isEnabled: input.enabled ?? true, isProperty: input.isProperty ?? true,
            position: input.position ?? 100)
        return try JSON.response(try await lookups.addCategory(category, by: context.acting), status: .created)
    }

    @Sendable func changeCategory(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try await lookups.category(code: context.parameters.get("code"), by: context.acting)  // 404 before the body is read
        let input = try await request.decode(as: CategoryInput.self, context: context)
        let saved = try await lookups.changeCategory(code: context.parameters.get("code"), by: context.acting) {
            category throws(DomainError) in
            if let name = input.name { category.name = name }
            if let department = input.department { category.department = department }
            if let channel = input.channel { category.channel = try DataCategory.Channel.parse(channel) }
            if let connector = input.connector { category.connector = try DataCategory.Connector.parse(connector) }
            if let timeout = input.timeoutMilliseconds { category.timeoutMilliseconds = timeout }
            if let retries = input.retries { category.retries = retries }
            if let enabled = input.enabled { category.isEnabled = enabled }
            if let isProperty = input.isProperty { category.isProperty = isProperty }
            if let position = input.position { category.position = position }
        }
        return try JSON.response(saved)
    }

    @Sendable func loadExtract(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let code = context.parameters.get("code") else { throw APIError.notFound }
        let query = request.uri.queryParameters
        var day: CalendarDate?
        if let text = query.get("extractedOn"), !text.isEmpty {
            // a plain catch: the parse throws only DomainError (see ImportController.importCases)
            do { day = try CalendarDate.parse(text, field: "extractedOn") } catch {
                throw APIError(.badRequest, code: error.code, message: error.message, field: "extractedOn")
            }
        }
        var incoming = request
        let body = try await incoming.collectBody(upTo: ImportController.maxFileBytes)
        let result = try await lookups.loadExtract(
            Data(buffer: body), category: code, fileName: query.get("fileName") ?? "\(code).csv", extractedOn: day, by: context.acting)
        return try JSON.response(SnapshotResponse(result.snapshot), status: .created)
    }

    @Sendable func extracts(_ request: Request, context: AppRequestContext) async throws -> Response {
        try JSON.response(ItemList(items: try await lookups.extracts(by: context.acting).map(SnapshotResponse.init), nextCursor: nil))
    }
}
