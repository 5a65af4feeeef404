import Crypto
import Foundation

/// The SHA-256 digests Chuqing stores (photos, published XML, migration files), as lower-case hex.
public enum Digest {
    public static func sha256Hex(_ data: Data) -> String {
        SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
    }
}
