import ChuqingDomain
import ChuqingServices
import Foundation
import Hummingbird
import Mustache
import NIOCore

/// Renders the server-side pages from the Mustache templates in `Templates/pages/`.
///
/// A page's data is built by its handler as a plain value; templates only render it. Every page
/// goes through `layout.mustache`: zh-CN, one stylesheet, the navigation of the user's role.
public struct PageRenderer: Sendable {
    let library: MustacheLibrary

    /// Loads every template in `directory` (`*.mustache`).
    public init(directory: URL) async throws {
        self.library = try await MustacheLibrary(directory: directory.path)
    }

    /// Renders `template` with `model` inside the page chrome.
    func render(_ template: String, model: some PageModel, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        guard var html = library.render(model, withTemplate: template) else {
            preconditionFailure("missing template \(template).mustache")
        }
        if let flash = model.page.flash, flash.kind == "error", let field = flash.field {
            html = FieldError.mark(html, field: field, message: flash.message)
        }
        var headers = headers
        headers[.contentType] = "text/html; charset=utf-8"
        headers[.cacheControl] = "no-store"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    /// Renders a page that does not use the staff layout (the public notice pages).
    func renderStandalone(_ template: String, model: Any, cacheControl: String) -> Response {
        guard let html = library.render(model, withTemplate: template) else {
            preconditionFailure("missing template \(template).mustache")
        }
        return Response(
            status: .ok, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: cacheControl],
            body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    /// The page shown for an error on a page route.
    func errorPage(_ error: APIError, context: AppRequestContext) -> Response {
        struct ErrorModel: PageModel {
            let page: PageChrome
            let heading: String
            let status: Int
            let message: String
            let code: String
        }
        let heading = error.status == .serviceUnavailable ? "系统暂时无法使用" : "出错了"
        let model = ErrorModel(
            page: PageChrome(title: heading, context: context, current: nil, flash: nil),
            heading: heading,
            status: Int(error.status.code),
            message: error.message,
            code: error.code
        )
        return render("error", model: model, status: error.status, headers: error.headers)
    }
}

/// Data every page template gets.
protocol PageModel {
    var page: PageChrome { get }
}

/// The layout's data: title, who is logged in, the navigation, the flash message, the CSRF token.
struct PageChrome {
    struct NavItem {
        let label: String
        let href: String
        let current: Bool
    }

    struct Flash {
        let kind: String  // "error" or "success"
        let message: String
        let ariaRole: String  // errors interrupt a screen reader; successes wait their turn
        /// The form field an error concerns: the renderer marks it and repeats the message beside it.
        let field: String?

        init(kind: String, message: String, field: String? = nil) {
            self.kind = kind
            self.message = message
            self.ariaRole = kind == "error" ? "alert" : "status"
            self.field = field
        }
    }

    let title: String
    let userName: String?
    let roleName: String?
    let role: String?
    let navigation: [NavItem]
    let flash: Flash?
    let csrf: String
    /// Seconds after which the page reloads itself (a look-up still being answered); nil: never.
    var refreshSeconds: Int?
    let logoutURL = SiteURL.logout.path
    let stylesheetURL = SiteURL.stylesheet.path
    let homeURL = SiteURL.home.path
    let inboxURL = SiteURL.inbox.path
    /// The unread reminders beside the user's name (issue 17); nil when there are none.
    var unreadBadge: String?

    init(title: String, context: AppRequestContext, current: SiteURL?, flash: Flash?) {
        self.init(title: title, user: context.user, csrf: context.csrfToken ?? "", current: current, flash: flash)
        if let unread = context.unreadReminders, unread > 0 { unreadBadge = unread > 99 ? "99+" : String(unread) }
    }

    /// The chrome for `user` (nil: nobody is logged in), without a request: what a page model's
    /// unit test builds.
    init(title: String, user: User?, csrf: String, current: SiteURL?, flash: Flash?) {
        self.title = title
        self.userName = user?.displayName
        self.roleName = user?.role.chineseName
        self.role = user?.role.rawValue
        self.navigation =
            user.map { user in
                Navigation.items(for: user).map { NavItem(label: $0.label, href: $0.url.path, current: $0.url == current) }
            } ?? []
        self.flash = flash
        self.csrf = csrf
    }

    static func error(_ message: String) -> Flash { Flash(kind: "error", message: message) }
    /// A broken rule, shown at the top and beside the field it names (issue 16 item 17).
    static func error(_ error: DomainError) -> Flash { Flash(kind: "error", message: error.message, field: error.field) }
    static func error(_ error: APIError) -> Flash { Flash(kind: "error", message: error.message, field: error.field) }
    static func success(_ message: String) -> Flash { Flash(kind: "success", message: message) }
}

/// What each role finds in the navigation. Later capabilities add their pages here.
enum Navigation {
    struct Item {
        let label: String
        let url: SiteURL
        let permission: Permission?

        /// Whether `role` finds this item (nil permission: every role does).
        func isShown(to role: Role) -> Bool {
            permission.map(role.may) ?? true
        }
    }

    static let all: [Item] = [
        Item(label: "首页", url: .home, permission: nil),
        Item(label: "案件查询", url: .cases, permission: .readCases),
        Item(label: "出清批次", url: .batches, permission: .readCases),
        Item(label: "专项组", url: .officials, permission: .changeCases),
        Item(label: "导入案件", url: .caseImport, permission: .importCases),
        Item(label: "失信名单", url: .blacklist, permission: .readCases),
        Item(label: "线索核实", url: .triage, permission: .readTriage),
        Item(label: "查找名单", url: .liaison, permission: .submitLeads),
        Item(label: "我的线索", url: .liaisonLeads, permission: .submitLeads),
        Item(label: "乡镇网络", url: .network, permission: .readDebtors),
        Item(label: "用户管理", url: .adminUsers, permission: .manageUsers),
        Item(label: "数据类别", url: .adminCategories, permission: .manageCategories),
        Item(label: "查询日志", url: .lookupLog, permission: .auditLookups),
        Item(label: "审计日志", url: .auditLog, permission: .readAuditLog),
        Item(label: "到期事项", url: .deadlines, permission: nil),
        Item(label: "定时任务", url: .adminJobs, permission: .manageJobs),
        Item(label: "修改密码", url: .accountPassword, permission: nil),
    ]

    /// The navigation of `role`, in display order.
    static func items(for role: Role) -> [Item] {
        all.filter { $0.isShown(to: role) && ($0.url != .deadlines || DeadlineService.roles.contains(role)) }
    }

    /// The navigation of `user`: a liaison's network page is the commissioner's alone.
    static func items(for user: User) -> [Item] {
        items(for: user.role).filter { $0.url != .network || user.role != .liaison || user.liaisonKind == .commissioner }
    }
}

/// How instants are shown: Asia/Shanghai, `2026-03-02 09:00`.
enum Display {
    static func time(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Asia/Shanghai")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        return String(format: "%04d-%02d-%02d %02d:%02d", c.year!, c.month!, c.day!, c.hour!, c.minute!)
    }
}

/// Puts an error where the eye is (issue 16 item 17): the form control named `field` is marked
/// invalid (`aria-invalid`, styled) and the message follows it inside its label, besides the
/// summary at the top of the page. Done once here rather than in each of the templates: every
/// form names its controls after the fields the services report. A field no control on the page
/// carries leaves the page as it was.
enum FieldError {
    static func mark(_ html: String, field: String, message: String) -> String {
        guard let main = html.range(of: "<main>"),
            let name = html.range(of: " name=\"\(field)\"", range: main.upperBound..<html.endIndex)
        else { return html }
        let beside = "<span class=\"field-error\" id=\"field-error\">\(escape(message))</span>"
        let invalid = " aria-invalid=\"true\" aria-describedby=\"field-error\""
        // The message goes before the control's own </label>, when the control sits in one.
        guard let close = html.range(of: "</label>", range: name.upperBound..<html.endIndex),
            html.range(of: "<label", range: name.upperBound..<close.lowerBound) == nil
        else {
            return String(html[..<name.upperBound]) + invalid + String(html[name.upperBound...])
        }
        return String(html[..<name.upperBound]) + invalid + String(html[name.upperBound..<close.lowerBound]) + beside
            + String(html[close.lowerBound...])
    }

    private static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
