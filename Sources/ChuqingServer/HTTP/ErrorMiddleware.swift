import ChuqingDomain
import ChuqingPersistence
import ChuqingServices
import Foundation
import Hummingbird
import Logging
import NIOCore

/// Turns every error into a response: the JSON error shape under `/api` (and for a page request
/// that accepts only JSON), an HTML page elsewhere.
/// Nothing leaks: an unexpected error is logged with the request id and shown as a 500 that gives
/// only that id.
///
/// It runs twice: around everything (unrouted paths, the API, a failed login cookie), and inside
/// the page group after authentication, so that a page's error — a 403 above all — is rendered
/// with the signed-in person's navigation (issue 16 item 18); a request context set by an inner
/// middleware is not seen by an outer one.
struct ErrorMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let pages: PageRenderer
    /// The route table, to tell "no such path" (404) from "not this method here" (405); nil inside
    /// the page group, where every request has matched a route.
    let routes: RouteTable?

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response: Response
        do {
            response = try await next(request, context)
        } catch let error as LoginRequired {
            let next =
                error.next.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed.subtracting(CharacterSet(charactersIn: "&=?")))
                ?? "/"
            response = Response.redirect(to: "\(SiteURL.login.path)?next=\(next)", type: .normal)
        } catch {
            var apiError = Self.apiError(for: error, context: context)
            // the router answers 404 for a method it has no route for; where the path exists
            // under other methods, HTTP says 405 with the methods that are served (RFC 9110 §15.5.6)
            if error is any HTTPResponseError, !(error is APIError), apiError.status == .notFound {
                let served = routes?.methods(servedAt: request.uri.path) ?? []
                // a handler's own 404 (no such record) on a served method stays 404
                let method = request.method == .head ? .get : request.method
                if !served.isEmpty, !served.contains(method) {
                    apiError = APIError(
                        .methodNotAllowed, code: "method_not_allowed",
                        message: "此地址不支持 \(request.method) 请求；支持：\(served.map(\.rawValue).joined(separator: "、"))")
                    apiError.headers[.allow] = served.map(\.rawValue).joined(separator: ", ")
                }
            }
            // A page's own script (liaison.js) asks for JSON to read the message.
            let wantsJSON = request.headers[.accept]?.hasPrefix("application/json") == true
            if request.uri.path.hasPrefix("/api/") || request.uri.path == "/metrics" || wantsJSON {
                response =
                    (try? JSON.response(apiError.body, status: apiError.status, headers: apiError.headers))
                    ?? Response(status: .internalServerError)
            } else {
                response = pages.errorPage(apiError, context: context)
            }
        }
        response.headers[.init("X-Request-ID")!] = context.id
        return response
    }

    static func apiError(for error: any Error, context: AppRequestContext) -> APIError {
        switch error {
        case let error as APIError:
            return error
        case let error as DomainError:
            return APIError(error)
        case let refusal as Refusal:
            return APIError(refusal)
        case let error as DecodingError:
            return APIError(error)
        case let error as DatabaseUnavailable:
            context.logger.warning("database unavailable", metadata: ["error": "\(error)"])
            return APIError.databaseUnavailable
        case is CaseNotFound, is NoticeIssueNotFound:
            return APIError.notFound
        case let error as any HTTPResponseError:
            switch error.status {
            case .notFound:
                return APIError.notFound
            case .contentTooLarge:
                return APIError(
                    .contentTooLarge, code: "body_too_large",
                    message: "请求体过大：上限为 \(context.bodyLimit) 字节")
            case .methodNotAllowed:
                return APIError(.methodNotAllowed, code: "method_not_allowed", message: "此地址不支持该请求方法")
            case let status where (400..<500).contains(status.code):
                return APIError(status, code: "bad_request", message: "请求无效：\(status.reasonPhrase)")
            default:
                break
            }
        default:
            break
        }
        context.logger.error("unexpected error", metadata: ["error": "\(String(reflecting: error))"])
        return APIError(.internalServerError, code: "internal", message: "服务器内部错误（请求编号 \(context.id)），请联系管理员")
    }
}
