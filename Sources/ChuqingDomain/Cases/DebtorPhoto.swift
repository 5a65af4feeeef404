import Foundation

/// A debtor's photo as uploaded: JPEG or PNG, recognised by its first bytes (the client's
/// Content-Type is not trusted), at most `maxBytes`.
public struct DebtorPhoto: Sendable, Equatable {
    public static let maxBytes = 2 << 20

    public let bytes: Data
    /// `image/jpeg` or `image/png`.
    public let contentType: String

    public init(_ bytes: Data) throws(DomainError) {
        guard !bytes.isEmpty else {
            throw DomainError(code: "empty_photo", message: "照片文件为空；请上传 JPEG 或 PNG 图片", field: "photo")
        }
        guard bytes.count <= Self.maxBytes else {
            throw DomainError(code: "photo_too_large",
                              message: "照片 \(bytes.count / 1024) KB，超过 \(Self.maxBytes / 1024 / 1024) MB 上限；请压缩后再上传", field: "photo")
        }
        if bytes.starts(with: [0xFF, 0xD8, 0xFF]) {
            contentType = "image/jpeg"
        } else if bytes.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) {
            contentType = "image/png"
        } else {
            throw DomainError(code: "unsupported_photo", message: "照片须为 JPEG 或 PNG 图片（此文件不是）", field: "photo")
        }
        self.bytes = bytes
    }
}
