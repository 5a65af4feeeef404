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
        routes.on(.get, "/healthz", .anyone) { _, _ in
            try JSON.response(Status(status: "ok"))
        }
        routes.on(.get, "/readyz", .anyone) { _, context in
            do {
                try await database.ping(timeout: databaseTimeout)
                return try JSON.response(Status(status: "ready"))
            } catch {
                context.logger.warning("database not ready", metadata: ["error": "\(error)"])
                let failure = APIError.databaseUnavailable
                return try JSON.response(failure.body, status: failure.status, headers: failure.headers)
            }
        }
        routes.on(.get, "/metrics", .loopbackOr([.admin])) { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: metrics.emitToBuffer())))
        }
        routes.on(.get, "/api/v1/openapi.yaml", .anyone) { _, _ in
            Response(status: .ok, headers: [.contentType: "application/yaml; charset=utf-8"], body: .init(byteBuffer: openAPIDocument))
        }
        routes.on(.get, SiteURL.stylesheet.pattern, .anyone) { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/css; charset=utf-8", .cacheControl: "public, max-age=3600"],
                body: .init(byteBuffer: stylesheet))
        }
        routes.on(.get, SiteURL.liaisonScript.pattern, .anyone) { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/javascript; charset=utf-8", .cacheControl: "public, max-age=3600"],
                body: .init(byteBuffer: liaisonScript))
        }
    }
}
