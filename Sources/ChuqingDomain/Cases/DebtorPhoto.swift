import Foundation

/// A debtor's photo as uploaded: JPEG or PNG, recognised and checked by content (the client's
/// Content-Type is not trusted; `ImageMetadata.checkedImage`), at most `maxBytes`.
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
            throw DomainError(
                code: "photo_too_large",
                message: "照片 \(bytes.count / 1024) KB，超过 \(Self.maxBytes / 1024 / 1024) MB 上限；请压缩后再上传", field: "photo")
        }
        // The same check as a lead's photo: a real image of a sane size, stored without the
        // metadata that may say where it was taken (PIPL art. 6).
        (self.bytes, contentType) = try ImageMetadata.checkedImage(bytes, field: "photo")
    }
}
