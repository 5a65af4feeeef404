import ChuqingDomain
import ChuqingPersistence
import ChuqingServices
import Foundation
import Hummingbird
import NIOCore

/// What a request carries through the middleware to its handler.
public struct AppRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The peer's address (nil in router tests).
    public let remoteAddress: SocketAddress?
    /// The logged-in session, set by `AuthenticationMiddleware`.
    public var session: ActiveSession?
    /// Set when a credential was presented but is unknown, ended or expired.
    public var credentialRejected = false
    /// The CSRF token of this browser (pages only), set by `CSRFMiddleware`.
    public var csrfToken: String?
    /// The fields of a page form's body (URL-encoded, or the text parts of a multipart body), read
    /// by `CSRFMiddleware`. Handlers decode their form struct from them with
    /// `request.decode(as:context:)`; a refused form's page shows them again as typed.
    public var form: [String: String] = [:]
    /// Whether `form` holds a posted page form (what `AppRequestDecoder` decodes from).
    var formWasRead = false
    /// The files of a `multipart/form-data` page form (the import page), by field name.
    var uploads: [String: MultipartForm.Part] = [:]
    /// The signed-in user's unread reminders, for the page chrome (set by `InboxBadgeMiddleware`).
    public var unreadReminders: Int?
    /// Largest body a handler reads; set from configuration by `AuthenticationMiddleware`.
    public var bodyLimit: Int = 1 << 20

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.remoteAddress = source.channel.remoteAddress
    }

    /// The logged-in user, if any.
    public var user: User? { session?.user }

    public var maxUploadSize: Int { bodyLimit }

    public var requestDecoder: AppRequestDecoder { AppRequestDecoder() }

    /// The caller behind a trusted proxy, set by `ClientAddressMiddleware`.
    var forwardedClient: String?

    /// The caller's IP address as text, for the audit log and throttling: the peer, or the client
    /// a trusted proxy forwarded (`CHUQING_TRUSTED_PROXIES`).
    public var clientAddress: String? { forwardedClient ?? remoteAddress?.ipAddress }

    /// True when the caller is on this machine (a proxy on this machine forwarding someone else's
    /// request does not make that request local).
    public var isLoopback: Bool {
        guard let ip = clientAddress else { return false }
        return ip == "::1" || ip.hasPrefix("127.") || ip == "::ffff:127.0.0.1"
    }
}

extension AppRequestContext {
    /// Who is acting: what every service method is told.
    var acting: ActingUser { ActingUser(user: user, address: clientAddress, requestID: id) }

    /// The `:id` of the route's path as a record's id. A path whose `:id` is not a UUID names no
    /// record: 404, as for an id that is well formed but unknown.
    var pathID: UUID { get throws(APIError) { try pathUUID("id") } }

    /// The path parameter `name` as a record's id; 404 when it is missing or not a UUID.
    func pathUUID(_ name: String) throws(APIError) -> UUID {
        guard let text = parameters.get(name), let id = UUID(uuidString: text) else { throw APIError.notFound }
        return id
    }

    /// The session; routes that declare roles always have one.
    func requireSession() throws -> ActiveSession {
        guard let session else { throw APIError.unauthenticated(expired: credentialRejected) }
        return session
    }
}
