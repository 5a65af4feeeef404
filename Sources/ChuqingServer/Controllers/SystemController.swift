import ChuqingPersistence
import Foundation
import Hummingbird
import NIOCore
import Prometheus

/// Health, readiness, metrics, the OpenAPI document, the stylesheet and the liaison's script.
struct SystemController {
    let database: Database
    let databaseTimeout: Duration
    let metrics: PrometheusCollectorRegistry
    let openAPIDocument: ByteBuffer
    let stylesheet: ByteBuffer
    let liaisonScript: ByteBuffer

    struct Status: Encodable { let status: String }

    func register(on routes: RouteTable) {
        routes.on(.get, "/healthz", .anyone, use: health)
        routes.on(.get, "/readyz", .anyone, use: readiness)
        routes.on(.get, "/metrics", .loopbackOr([.admin]), use: metrics)
        routes.on(.get, "/api/v1/openapi.yaml", .anyone, use: openAPI)
        routes.on(.get, SiteURL.stylesheet.pattern, .anyone, use: stylesheet)
        routes.on(.get, SiteURL.liaisonScript.pattern, .anyone, use: liaisonScript)
    }

    @Sendable func health(_ request: Request, context: AppRequestContext) async throws -> Response {
        try JSON.response(Status(status: "ok"))
    }

    @Sendable func readiness(_ request: Request, context: AppRequestContext) async throws -> Response {
        do {
            try await database.ping(timeout: databaseTimeout)
            return try JSON.response(Status(status: "ready"))
        } catch {
            context.logger.warning("database not ready", metadata: ["error": "\(error)"])
            let failure = APIError.databaseUnavailable
            return try JSON.response(failure.body, status: failure.status, headers: failure.headers)
        }
    }

    @Sendable func metrics(_ request: Request, context: AppRequestContext) async throws -> Response {
        Response(
            status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: metrics.emitToBuffer())))
    }

    @Sendable func openAPI(_ request: Request, context: AppRequestContext) async throws -> Response {
        Response(status: .ok, headers: [.contentType: "application/yaml; charset=utf-8"], body: .init(byteBuffer: openAPIDocument))
    }

    @Sendable func stylesheet(_ request: Request, context: AppRequestContext) async throws -> Response {
        Response(
            status: .ok, headers: [.contentType: "text/css; charset=utf-8", .cacheControl: "public, max-age=3600"],
            body: .init(byteBuffer: stylesheet))
    }

    @Sendable func liaisonScript(_ request: Request, context: AppRequestContext) async throws -> Response {
        Response(
            status: .ok, headers: [.contentType: "text/javascript; charset=utf-8", .cacheControl: "public, max-age=3600"],
            body: .init(byteBuffer: liaisonScript))
    }
}
