import ChuqingServices
import Hummingbird

/// Counts the signed-in user's unread reminders for the page chrome (issue 17): one indexed
/// COUNT a page. A page is not refused over its badge: a count that fails leaves the badge out,
/// and the page's own reads report the database's state.
struct InboxBadgeMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let inbox: InboxService

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        if context.user != nil, request.method == .get {
            context.unreadReminders = try? await inbox.unreadCount(by: context.acting)
        }
        return try await next(request, context)
    }
}
