import ChuqingPersistence
import Foundation
import HTTPTypes
import Hummingbird

#if canImport(Glibc)
    import Glibc
#endif

/// The reverse proxies whose `X-Forwarded-For` is believed (`CHUQING_TRUSTED_PROXIES`: addresses
/// or CIDR ranges, comma-separated). Behind a court's proxy every request comes from the proxy's
/// address; without this, throttling by address would treat the whole court as one caller, and
/// with it believed from anyone, a caller could name any address it liked.
public struct TrustedProxies: Sendable, Equatable {
    struct Range: Sendable, Equatable {
        let bytes: [UInt8]
        let prefix: Int
    }
    let ranges: [Range]

    public static let none = TrustedProxies(ranges: [])

    init(ranges: [Range]) { self.ranges = ranges }

    /// Parses `10.0.0.5, 192.168.1.0/24, ::1`; throws naming the first entry that is neither.
    public init(parsing text: String) throws(ConfigurationError) {
        var ranges: [Range] = []
        for item in text.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !item.isEmpty {
            let parts = item.split(separator: "/", maxSplits: 1).map(String.init)
            guard let bytes = Self.bytes(parts[0]) else {
                throw ConfigurationError(
                    setting: "CHUQING_TRUSTED_PROXIES", value: item,
                    reason: "须为 IP 地址或 CIDR 网段（如 10.0.0.5 或 10.0.0.0/24），多个用逗号分隔")
            }
            let prefix = parts.count == 2 ? Int(parts[1]) : bytes.count * 8
            guard let prefix, (0...(bytes.count * 8)).contains(prefix) else {
                throw ConfigurationError(
                    setting: "CHUQING_TRUSTED_PROXIES", value: item,
                    reason: "网段前缀须为 0–\(bytes.count * 8) 之间的整数")
            }
            ranges.append(Range(bytes: bytes, prefix: prefix))
        }
        self.ranges = ranges
    }

    /// Whether `address` is one of the proxies.
    public func contains(_ address: String) -> Bool {
        guard let bytes = Self.bytes(address) else { return false }
        return ranges.contains { range in
            guard range.bytes.count == bytes.count else { return false }
            var left = range.prefix
            for (a, b) in zip(range.bytes, bytes) where left > 0 {
                let bits = min(8, left)
                let mask = UInt8(truncatingIfNeeded: 0xFF << (8 - bits))
                if a & mask != b & mask { return false }
                left -= bits
            }
            return true
        }
    }

    /// The caller's address: the peer, unless the peer is a trusted proxy, then the nearest
    /// address in `X-Forwarded-For` (read from the right) that is not itself a trusted proxy.
    public func client(peer: String?, forwardedFor: [String]) -> String? {
        guard let peer, contains(peer), !forwardedFor.isEmpty else { return peer }
        let hops = forwardedFor.flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }
        for hop in hops.reversed() {
            guard Self.bytes(hop) != nil else { return peer }  // a malformed hop: believe nothing further
            if !contains(hop) { return hop }
        }
        return hops.first ?? peer
    }

    /// The address's bytes (4 for IPv4, 16 for IPv6; an IPv4-mapped IPv6 address as IPv4).
    static func bytes(_ text: String) -> [UInt8]? {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            return withUnsafeBytes(of: &v4) { Array($0) }
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1 {
            let bytes = withUnsafeBytes(of: &v6) { Array($0) }
            if bytes[0..<10].allSatisfy({ $0 == 0 }) && bytes[10] == 0xFF && bytes[11] == 0xFF { return Array(bytes[12...]) }
            return bytes
        }
        return nil
    }
}

/// Sets the caller's address on the context, through the trusted proxies.
struct ClientAddressMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let proxies: TrustedProxies

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard !proxies.ranges.isEmpty else { return try await next(request, context) }
        var context = context
        let forwarded = request.headers[values: HTTPField.Name("X-Forwarded-For")!]
        context.forwardedClient = proxies.client(peer: context.remoteAddress?.ipAddress, forwardedFor: forwarded)
        return try await next(request, context)
    }
}
