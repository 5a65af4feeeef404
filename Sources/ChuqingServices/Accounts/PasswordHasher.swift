import HummingbirdBcrypt
import NIOPosix

/// bcrypt, run on NIO's thread pool: it is deliberately slow (≈0.25 s at cost 12) and synchronous,
/// and must not block the request's cooperative threads.
public struct PasswordHasher: Sendable {
    /// bcrypt work factor.
    public let cost: UInt8

    public init(cost: Int) {
        self.cost = UInt8(clamping: cost)
    }

    /// A new salted hash of `password`.
    public func hash(_ password: String) async throws -> String {
        let cost = self.cost
        return try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(password, cost: cost) }
    }

    /// Whether `password` matches `hash`.
    public func verify(_ password: String, hash: String) async throws -> Bool {
        try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(password, hash: hash) }
    }
}
