import ChuqingDomain
import ChuqingPersistence
import ChuqingServices
import Foundation
import Hummingbird

/// The admin's screen for the catalogue of shared data categories (`/admin/data-categories`):
/// add, rename, re-time, disable a category or change what answers it, and load a department's
/// extract file, all without a build. The same rules as the API (`DataCategory.validate`,
/// `SnapshotExtract`), the same audit entries.
struct CataloguePages {
    let lookups: AssetLookupService
    let pages: PageRenderer
    let now: @Sendable () -> Date

    struct Option {
        let value: String
        let label: String
        let selected: Bool
    }
    struct Row {
        let code: String
        let name: String
        let department: String
        let summary: String
        let enabled: Bool
        let isProperty: Bool
        let timeout: Int
        let retries: Int
        let position: Int
        let channels: [Option]
        let connectors: [Option]
        let formURL: String
        let snapshotURL: String
        let extract: String?
        let usesSnapshot: Bool
    }
    struct Model: PageModel {
        let page: PageChrome
        let categories: [Row]
        let channels: [Option]
        let connectors: [Option]
        let today: String
        let addURL: String
    }

    func register(on routes: RouteTable) {
        routes.on(.get, SiteURL.adminCategories.pattern, .permitted(.manageCategories), use: cataloguePage)
        routes.on(.post, SiteURL.adminCategories.pattern, .permitted(.manageCategories), use: addCategory)
        routes.on(.post, SiteURL.adminCategory(code: "").pattern, .permitted(.manageCategories), use: changeCategory)
        routes.on(.post, SiteURL.adminCategorySnapshot(code: "").pattern, .permitted(.manageCategories), use: loadExtract)
    }

    @Sendable func cataloguePage(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await page(context, flash: nil)
    }

    /// A category's form, new or changed: a field left out keeps what the category has (a new one
    /// takes the defaults).
    struct CategoryForm: Decodable {
        var code: String?
        var name: String?
        var department: String?
        var channel: String?
        var connector: String?
        var timeoutMilliseconds: String?
        var retries: String?
        var position: String?
        @Checkbox var enabled: Bool
        @Checkbox var isProperty: Bool
    }

    /// The extract form (the file itself is an upload).
    struct ExtractForm: Decodable {
        @FormText var extractedOn: String
    }

    @Sendable func addCategory(_ request: Request, context: AppRequestContext) async throws -> Response {
        let form = try await request.decode(as: CategoryForm.self, context: context)
        return try await saving(context) {
            let category = DataCategory(
                code: (form.code ?? "").trimmed, name: form.name ?? "", department: form.department ?? "",
                channel: try DataCategory.Channel.parse(form.channel ?? ""),
                connector: try DataCategory.Connector.parse(form.connector ?? ""),
                timeoutMilliseconds: try Self.integer(form.timeoutMilliseconds, field: "timeoutMilliseconds", default: 5_000),
                retries: try Self.integer(form.retries, field: "retries", default: 1), isEnabled: true, isProperty: form.isProperty,
                position: try Self.integer(form.position, field: "position", default: 100))
            _ = try await lookups.addCategory(category, by: context.acting)
            return "已新增数据类别「\(category.name.trimmed)」"
        }
    }

    @Sendable func changeCategory(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try await lookups.category(code: context.parameters.get("code"), by: context.acting)  // 404 for an unknown code
        let form = try await request.decode(as: CategoryForm.self, context: context)
        return try await saving(context) {
            let category = try await lookups.changeCategory(code: context.parameters.get("code"), by: context.acting) {
                category throws(DomainError) in
                category.name = form.name ?? category.name
                category.department = form.department ?? category.department
                category.channel = try DataCategory.Channel.parse(form.channel ?? category.channel.rawValue)
                category.connector = try DataCategory.Connector.parse(form.connector ?? category.connector.rawValue)
                category.timeoutMilliseconds = try Self.integer(
                    form.timeoutMilliseconds, field: "timeoutMilliseconds", default: category.timeoutMilliseconds)
                category.retries = try Self.integer(form.retries, field: "retries", default: category.retries)
                category.position = try Self.integer(form.position, field: "position", default: category.position)
                category.isEnabled = form.enabled
                category.isProperty = form.isProperty
            }
            return "已保存数据类别「\(category.name.trimmed)」"
        }
    }

    @Sendable func loadExtract(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let code = context.parameters.get("code") else { throw APIError.notFound }
        let form = try await request.decode(as: ExtractForm.self, context: context)
        return try await saving(context) {
            guard let file = context.uploads["file"], !file.data.isEmpty else {
                throw DomainError(code: "file_required", message: "请选择部门提供的数据提取文件（UTF-8 CSV）", field: "file")
            }
            let day = try form.extractedOn.nonEmpty.map { text throws(DomainError) in try CalendarDate.parse(text, field: "extractedOn") }
            let result = try await lookups.loadExtract(
                file.data, category: code, fileName: file.filename ?? "\(code).csv", extractedOn: day, by: context.acting)
            return "已导入数据提取文件：\(result.snapshot.rows) 行，提取日期 \(result.snapshot.extractedOn)"
                + (result.categoryUsesSnapshot ? "" : "。该类别目前由数据交换接口答复，把连接器改为「数据提取文件」后才用它答复")
        }
    }

    /// Does `change` with the submitted form and shows the page again with what happened; a broken
    /// rule is shown with its message and nothing is saved.
    private func saving(_ context: AppRequestContext, _ change: () async throws -> String) async throws -> Response {
        do {
            return try await page(context, flash: PageChrome.success(try await change()))
        } catch let error as DomainError {
            return try await page(context, flash: PageChrome.error(error), status: APIError(error).status)
        }
    }

    private func page(_ context: AppRequestContext, flash: PageChrome.Flash?, status: HTTPResponse.Status = .ok) async throws -> Response {
        let extracts = Dictionary(
            uniqueKeysWithValues: try await lookups.extracts(by: context.acting).map { ($0.category, $0) })
        func channels(_ chosen: DataCategory.Channel?) -> [Option] {
            DataCategory.Channel.allCases.map { Option(value: $0.rawValue, label: $0.chinese, selected: $0 == chosen) }
        }
        func connectors(_ chosen: DataCategory.Connector?) -> [Option] {
            DataCategory.Connector.allCases.map { Option(value: $0.rawValue, label: $0.chinese, selected: $0 == chosen) }
        }
        return pages.render(
            "data-categories",
            model: Model(
                page: PageChrome(title: "数据类别", context: context, current: .adminCategories, flash: flash),
                categories: try await lookups.catalogue(by: context.acting).map { category in
                    let extract = extracts[category.code]
                    return Row(
                        code: category.code, name: category.name, department: category.department,
                        summary:
                            "\(category.channel.chinese) · \(category.connector.chinese) · \(category.timeoutMilliseconds) 毫秒 · 重试 \(category.retries) 次"
                            + (category.isProperty ? "" : " · 信息类（不计入未发现财产）") + (category.isEnabled ? "" : " · 已停用"),
                        enabled: category.isEnabled, isProperty: category.isProperty, timeout: category.timeoutMilliseconds,
                        retries: category.retries,
                        position: category.position,
                        channels: channels(category.channel), connectors: connectors(category.connector),
                        formURL: SiteURL.adminCategory(code: category.code).path,
                        snapshotURL: SiteURL.adminCategorySnapshot(code: category.code).path,
                        extract: extract.map {
                            "\($0.fileName)：\($0.rows) 行，提取日期 \($0.extractedOn)，\(Display.time($0.loadedAt)) 由 \($0.loadedBy) 导入"
                        },
                        usesSnapshot: category.connector == .snapshot)
                },
                channels: channels(.pointToPoint), connectors: connectors(.exchange), today: ShanghaiClock.today(now()).description,
                addURL: SiteURL.adminCategories.path), status: status)
    }

    static func integer(_ text: String?, field: String, default value: Int) throws(DomainError) -> Int {
        guard let text = text?.trimmed, !text.isEmpty else { return value }
        guard let number = Int(text) else { throw DomainError(code: "invalid_number", message: "\(field) 须为整数（收到「\(text)」）", field: field) }
        return number
    }
}
