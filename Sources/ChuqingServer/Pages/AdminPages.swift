import ChuqingDocuments
import ChuqingDomain
import ChuqingPersistence
import ChuqingServices
import Foundation
import Hummingbird

/// The admin's user list and the audit log page.
struct AdminPages {
    let accounts: AccountService
    let network: NetworkService
    let pages: PageRenderer

    struct UsersModel: PageModel {
        struct Row {
            let username: String
            let displayName: String
            let roleName: String
            let townshipName: String
            /// Liaisons: kind and village; judges: office phone.
            let network: String
            let disabled: Bool
            let toggleURL: String
            let toggleLabel: String
        }
        struct Option {
            let value: String
            let label: String
            let selected: Bool
        }
        struct TownshipOption {
            let code: String
            let name: String
            let selected: Bool
        }
        let page: PageChrome
        let users: [Row]
        let roles: [Option]
        let townships: [TownshipOption]
        let liaisonKinds: [Option]
        let villages: [Option]
        let form: [String: String]
        let minimumLength = PasswordPolicy.minimumLength
    }

    struct AuditModel: PageModel {
        struct Row {
            let time: String
            let actor: String
            let action: String
            let entity: String
            let detail: String
            let address: String
        }
        struct Option {
            let value: String
            let label: String
            let selected: Bool
        }
        let page: PageChrome
        let entries: [Row]
        let olderURL: String?
        let actors: [Option]
        let actions: [Option]
        let from: String
        let to: String
        let csvURL: String
        let filtered: Bool
    }

    func register(on routes: RouteTable) {
        routes.on(.get, SiteURL.adminUsers.pattern, .permitted(.manageUsers), use: showUsers)
        routes.on(.post, SiteURL.adminUsers.pattern, .permitted(.manageUsers), use: createUser)
        routes.on(.post, SiteURL.adminUserDisable(id: "").pattern, .permitted(.manageUsers)) { try await setDisabled(true, $1) }
        routes.on(.post, SiteURL.adminUserEnable(id: "").pattern, .permitted(.manageUsers)) { try await setDisabled(false, $1) }
        routes.on(.get, SiteURL.auditLog.pattern, .permitted(.readAuditLog), use: auditLogPage)
    }

    /// 停用 or 启用 a user; refusing the last admin (a conflict) shows the list with why.
    func setDisabled(_ disabled: Bool, _ context: AppRequestContext) async throws -> Response {
        do {
            let user = try await accounts.setDisabled(disabled, userID: try context.userID(), by: context.acting)
            return try await usersPage(context: context, flash: PageChrome.success("已\(disabled ? "停用" : "启用")用户 \(user.username)"))
        } catch let error as DomainError where error.kind == .conflict {
            return try await usersPage(context: context, flash: PageChrome.error(error), status: .conflict)
        }
    }

    @Sendable func showUsers(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await usersPage(context: context, flash: nil)
    }

    /// The new-user form; a liaison's kind and village count only for the liaison role (the form
    /// keeps them when another role is chosen).
    struct NewUserForm: Decodable {
        @FormText var username: String
        @FormText var displayName: String
        @FormText var role: String
        var township: String?
        @FormText var password: String
        var liaisonKind: String?
        var village: String?
        var officePhone: String?
        var mobile: String?

        var input: NewUser {
            let liaison = role == Role.liaison.rawValue
            return NewUser(
                username: username, displayName: displayName, role: role, township: township, password: password,
                liaisonKind: liaison ? liaisonKind : nil, village: liaison ? village : nil, officePhone: officePhone,
                mobile: mobile)
        }
    }

    @Sendable func createUser(_ request: Request, context: AppRequestContext) async throws -> Response {
        let input = try await request.decode(as: NewUserForm.self, context: context).input
        do {
            let user = try await accounts.createUser(input, by: context.acting)
            return try await usersPage(context: context, flash: PageChrome.success("已新增用户 \(user.username)（\(user.role.chineseName)）"))
        } catch let error as DomainError {
            return try await usersPage(
                context: context, flash: PageChrome.error(error), keep: context.form, status: .unprocessableContent)
        }
    }

    @Sendable func auditLogPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (limit, before) = try AuditController.paging(request)
        let query = request.uri.queryParameters
        // The filters as the form sent them, kept in the form and in every link.
        let kept = ["actorId", "action", "from", "to"].compactMap { name in
            query.get(name).flatMap {
                $0.isEmpty ? nil : "\(name)=\($0.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")"
            }
        }.joined(separator: "&")
        let filter: AuditFilter
        var flash: PageChrome.Flash?
        var lines: [AuditLogLine] = []
        var status: HTTPResponse.Status = .ok
        do {
            filter = try AuditController.filter(request)
            if query.get("format") == "csv" {
                // The export: every matching entry up to 10,000, newest first.
                let all = try await accounts.auditLog(limit: 10_000, before: nil, filter: filter, by: context.acting)
                return try BatchPages.spreadsheet(Self.auditRows(all), sheet: "审计日志", filename: "审计日志", format: "csv")
            }
            lines = try await accounts.auditLog(limit: limit, before: before, filter: filter, by: context.acting)
        } catch let error as APIError {
            (flash, status) = (PageChrome.error(error), error.status)
        } catch let error as DomainError {
            (flash, status) = (PageChrome.error(error), APIError(error).status)
        }
        let rows = lines.map {
            AuditModel.Row(
                time: Display.time($0.entry.occurredAt), actor: $0.actorName, action: AuditVocabulary.label(action: $0.entry.action),
                entity: AuditVocabulary.label(entity: $0.entry.entity), detail: $0.entry.detail, address: $0.entry.address ?? "")
        }
        let suffix = kept.isEmpty ? "" : "&" + kept
        let older =
            lines.count == limit
            ? lines.last.map { "\(SiteURL.auditLog.path)?cursor=\(AuditCursor(after: $0.entry).text)\(suffix)" } : nil
        let users = try await accounts.auditActors(by: context.acting)
        return pages.render(
            "audit",
            model: AuditModel(
                page: PageChrome(title: "审计日志", context: context, current: .auditLog, flash: flash), entries: rows, olderURL: older,
                actors: [.init(value: "", label: "全部人员", selected: (query.get("actorId") ?? "").isEmpty)]
                    + users.map {
                        .init(
                            value: $0.id.databaseText, label: "\($0.displayName)（\($0.role.chineseName)）",
                            selected: query.get("actorId")?.lowercased() == $0.id.databaseText)
                    },
                actions: [.init(value: "", label: "全部操作", selected: (query.get("action") ?? "").isEmpty)]
                    + AuditVocabulary.actions.map { .init(value: $0.code, label: $0.label, selected: query.get("action") == $0.code) },
                from: query.get("from") ?? "", to: query.get("to") ?? "",
                csvURL: SiteURL.auditLog.path + "?format=csv" + suffix, filtered: !kept.isEmpty), status: status)
    }

    /// The log as a table for the export: people by name, actions and records in Chinese.
    static func auditRows(_ lines: [AuditLogLine]) -> [[XLSXWriter.Cell]] {
        [["时间", "操作人", "用户名", "操作", "对象", "对象编号", "说明", "地址"].map(XLSXWriter.Cell.text)]
            + lines.map {
                [
                    Display.time($0.entry.occurredAt), $0.actorName, $0.entry.actorUsername ?? "",
                    AuditVocabulary.label(action: $0.entry.action), AuditVocabulary.label(entity: $0.entry.entity), $0.entry.entityID ?? "",
                    $0.entry.detail, $0.entry.address ?? "",
                ].map(XLSXWriter.Cell.text)
            }
    }

    private func usersPage(
        context: AppRequestContext, flash: PageChrome.Flash?, keep form: [String: String] = [:],
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let townships = try await network.allTownships(by: context.acting)
        let names = Dictionary(uniqueKeysWithValues: townships.map { ($0.code, $0.name) })
        let villages = try await network.allVillages(by: context.acting)
        let villageNames = Dictionary(uniqueKeysWithValues: villages.map { ($0.id, $0.name) })
        let rows = try await accounts.allUsers(by: context.acting).map { user in
            UsersModel.Row(
                username: user.username.value, displayName: user.displayName, roleName: user.role.chineseName,
                townshipName: user.townshipCode.flatMap { names[$0] } ?? "",
                network: [
                    user.liaisonKind?.chinese, user.villageID.flatMap { villageNames[$0] }, user.officePhone,
                    user.mobile.map { "手机 \(SchedulingPages.masked($0))" },
                ].compactMap { $0 }
                    .joined(separator: " · "),
                disabled: user.isDisabled,
                toggleURL: (user.isDisabled
                    ? SiteURL.adminUserEnable(id: user.id.databaseText) : .adminUserDisable(id: user.id.databaseText)).path,
                toggleLabel: user.isDisabled ? "启用" : "停用")
        }
        let selectedRole = form["role"] ?? Role.judge.rawValue
        return pages.render(
            "users",
            model: UsersModel(
                page: PageChrome(title: "用户管理", context: context, current: .adminUsers, flash: flash),
                users: rows,
                roles: Role.allCases.map { .init(value: $0.rawValue, label: $0.chineseName, selected: $0.rawValue == selectedRole) },
                townships: townships.map { .init(code: $0.code, name: $0.name, selected: $0.code == form["township"]) },
                liaisonKinds: LiaisonKind.allCases.map {
                    .init(value: $0.rawValue, label: $0.chinese, selected: $0.rawValue == form["liaisonKind"])
                },
                villages: villages.map {
                    .init(
                        value: $0.id, label: "\(names[$0.townshipCode] ?? $0.townshipCode) · \($0.name)", selected: $0.id == form["village"]
                    )
                },
                form: form.filter { $0.key != "password" && $0.key != CSRFMiddleware.fieldName }), status: status)
    }
}
