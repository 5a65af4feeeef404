import Foundation

/// A photo sent with a lead, as it will be stored: JPEG or PNG recognised by content (the file
/// name and the client's Content-Type are not trusted), at most `maxBytes`, and with its
/// metadata removed — Exif carries the GPS position where the liaison stood, and XMP, IPTC and
/// text chunks may too (PIPL art. 6: collect no more than the purpose needs). The JPEG's
/// orientation is kept, so a phone photo is not shown on its side.
public struct LeadPhoto: Sendable, Equatable {
    public static let maxBytes = 8 << 20
    public static let maxPerLead = 3

    public let bytes: Data
    public let contentType: String

    public init(_ data: Data, field: String = "photos") throws(DomainError) {
        guard !data.isEmpty else {
            throw DomainError(code: "empty_photo", message: "照片文件为空；请上传 JPEG 或 PNG 图片", field: field)
        }
        guard data.count <= Self.maxBytes else {
            throw DomainError(
                code: "photo_too_large",
                message: "照片 \(data.count / 1024) KB，超过 \(Self.maxBytes >> 20) MB 上限；请压缩后再上传", field: field)
        }
        (bytes, contentType) = try ImageMetadata.checkedImage(data, field: field)
    }
}

/// Removing metadata from JPEG and PNG files without decoding the image: the pixels are copied
/// byte for byte, only the segments (JPEG) or chunks (PNG) that carry metadata are dropped.
public enum ImageMetadata {
    static let pngSignature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    /// The largest width or height a photo may have: a phone's 200-megapixel picture is about
    /// 16,000 pixels wide, but nothing the court keeps needs more than 8,000, and a small file that
    /// claims more is built to exhaust the memory of whatever decodes it.
    public static let maxDimension = 8_000

    /// A photo as it will be stored — JPEG or PNG recognised by content, whole (its segments or
    /// chunks parse to the end), with a real size in its header no larger than `maxDimension`
    /// either way, and without its metadata — and its content type. Anything else, such as HTML
    /// behind a JPEG's first bytes, is refused: it is never stored, so it is never served.
    public static func checkedImage(_ data: Data, field: String) throws(DomainError) -> (Data, String) {
        let bytes = [UInt8](data)
        let stripped: [UInt8]
        let contentType: String
        let size: (width: Int, height: Int)?
        if bytes.starts(with: [0xFF, 0xD8, 0xFF]) {
            guard let jpeg = strippedJPEG(bytes) else {
                throw DomainError(code: "unsupported_photo", message: "照片以 JPEG 开头但文件不完整或已损坏；请重新拍摄或选择其他照片", field: field)
            }
            (stripped, contentType, size) = (jpeg, "image/jpeg", jpegSize(jpeg))
        } else if bytes.starts(with: pngSignature) {
            guard let png = strippedPNG(bytes) else {
                throw DomainError(code: "unsupported_photo", message: "照片以 PNG 开头但文件不完整或已损坏；请重新拍摄或选择其他照片", field: field)
            }
            (stripped, contentType, size) = (png, "image/png", pngSize(png))
        } else {
            throw DomainError(code: "unsupported_photo", message: "照片须为 JPEG 或 PNG 图片（此文件不是，无论其文件名如何）", field: field)
        }
        guard let size, size.width > 0, size.height > 0 else {
            throw DomainError(code: "unsupported_photo", message: "照片的文件头中没有有效的宽度和高度，不是可显示的图片", field: field)
        }
        guard size.width <= maxDimension, size.height <= maxDimension else {
            throw DomainError(
                code: "photo_too_large",
                message: "照片 \(size.width)×\(size.height) 像素，超过 \(maxDimension)×\(maxDimension) 上限；请缩小后再上传", field: field)
        }
        return (Data(stripped), contentType)
    }

    /// Width and height from the first start-of-frame segment (SOF0–SOF15 but DHT, JPG and DAC),
    /// which must come before the scan; nil when there is none.
    static func jpegSize(_ bytes: [UInt8]) -> (width: Int, height: Int)? {
        var index = 2
        while index + 3 < bytes.count, bytes[index] == 0xFF {
            let marker = bytes[index + 1]
            if marker == 0xD8 || marker == 0x01 || (0xD0...0xD7).contains(marker) {
                index += 2
                continue
            }
            if marker == 0xDA || marker == 0xD9 { return nil }
            let length = Int(bytes[index + 2]) << 8 | Int(bytes[index + 3])
            if (0xC0...0xCF).contains(marker), ![0xC4, 0xC8, 0xCC].contains(marker) {
                guard length >= 8, index + 8 < bytes.count else { return nil }
                let height = Int(bytes[index + 5]) << 8 | Int(bytes[index + 6])
                let width = Int(bytes[index + 7]) << 8 | Int(bytes[index + 8])
                return (width, height)
            }
            index += 2 + length
        }
        return nil
    }

    /// Width and height from IHDR, the first chunk (checked by `strippedPNG`).
    static func pngSize(_ bytes: [UInt8]) -> (width: Int, height: Int)? {
        guard bytes.count >= 24 else { return nil }
        func u32(_ at: Int) -> Int { Int(bytes[at]) << 24 | Int(bytes[at + 1]) << 16 | Int(bytes[at + 2]) << 8 | Int(bytes[at + 3]) }
        return (u32(16), u32(20))
    }

    /// The JPEG without APP1 (Exif, XMP), APP3–APP13 (IPTC and makers' blocks), APP15 and COM
    /// segments. APP0 (JFIF), APP2 (ICC colour profile) and APP14 (Adobe colour transform) stay:
    /// they change how the picture looks and say nothing about where it was taken. A non-default
    /// Exif orientation is written back as a minimal Exif block holding only that tag. Nil when
    /// the segment structure is broken.
    public static func strippedJPEG(_ bytes: [UInt8]) -> [UInt8]? {
        guard bytes.count >= 4, bytes[0] == 0xFF, bytes[1] == 0xD8 else { return nil }
        var kept: [UInt8] = [0xFF, 0xD8]
        var orientation: UInt16?
        var index = 2
        while index < bytes.count {
            guard bytes[index] == 0xFF else { return nil }
            // Fill bytes (0xFF repeated) may precede a marker.
            var markerIndex = index + 1
            while markerIndex < bytes.count && bytes[markerIndex] == 0xFF { markerIndex += 1 }
            guard markerIndex < bytes.count else { return nil }
            let marker = bytes[markerIndex]
            // Markers without a length: TEM and RSTn (stand-alone); EOI ends the image.
            if marker == 0x01 || (0xD0...0xD7).contains(marker) {
                kept += [0xFF, marker]
                index = markerIndex + 1
                continue
            }
            if marker == 0xD9 {
                kept += [0xFF, 0xD9]
                return withOrientation(kept, orientation)
            }
            guard markerIndex + 2 < bytes.count else { return nil }
            let length = Int(bytes[markerIndex + 1]) << 8 | Int(bytes[markerIndex + 2])
            let end = markerIndex + 1 + length
            guard length >= 2, end <= bytes.count else { return nil }
            let segment = bytes[(markerIndex + 1)..<end]
            if marker == 0xDA {
                // Start of scan: entropy-coded data follows, in which 0xFF is always followed by
                // 0x00 or a marker, so the first FF D9 is the end of the image. Anything after it
                // (some phones append their own blocks, with the location) is dropped too.
                var scan = end
                while scan + 1 < bytes.count, !(bytes[scan] == 0xFF && bytes[scan + 1] == 0xD9) { scan += 1 }
                guard scan + 1 < bytes.count else { return nil }
                kept += bytes[markerIndex - 1...scan + 1]
                return withOrientation(kept, orientation)
            }
            let dropped = marker == 0xE1 || (0xE3...0xED).contains(marker) || marker == 0xEF || marker == 0xFE
            if marker == 0xE1, orientation == nil { orientation = exifOrientation(Array(segment.dropFirst(2))) }
            if !dropped {
                kept += [0xFF, marker]
                kept += segment
            }
            index = end
        }
        return nil
    }

    /// Reinserts `orientation` (when not 1, "as stored") after the APP0 segment, or right after SOI.
    static func withOrientation(_ jpeg: [UInt8], _ orientation: UInt16?) -> [UInt8] {
        guard let orientation, (2...8).contains(orientation) else { return jpeg }
        // "Exif\0\0", big-endian TIFF header, IFD0 with one SHORT entry (0x0112), no next IFD.
        let payload: [UInt8] = [
            0x45, 0x78, 0x69, 0x66, 0, 0, 0x4D, 0x4D, 0, 0x2A, 0, 0, 0, 8,
            0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, UInt8(orientation >> 8), UInt8(orientation & 0xFF), 0, 0,
            0, 0, 0, 0,
        ]
        let length = payload.count + 2
        let segment: [UInt8] = [0xFF, 0xE1, UInt8(length >> 8), UInt8(length & 0xFF)] + payload
        var insertAt = 2
        if jpeg.count > 6, jpeg[2] == 0xFF, jpeg[3] == 0xE0 {
            insertAt = 4 + (Int(jpeg[4]) << 8 | Int(jpeg[5]))
        }
        var result = jpeg
        result.insert(contentsOf: segment, at: insertAt)
        return result
    }

    /// The orientation tag (0x0112) of IFD0 in an APP1 payload, if it is an Exif block with one.
    static func exifOrientation(_ payload: [UInt8]) -> UInt16? {
        guard payload.count >= 14, payload.starts(with: [0x45, 0x78, 0x69, 0x66, 0, 0]) else { return nil }
        let tiff = Array(payload.dropFirst(6))
        let bigEndian: Bool
        switch (tiff[0], tiff[1]) {
        case (0x4D, 0x4D): bigEndian = true
        case (0x49, 0x49): bigEndian = false
        default: return nil
        }
        func u16(_ at: Int) -> UInt16? {
            guard at + 2 <= tiff.count else { return nil }
            return bigEndian ? UInt16(tiff[at]) << 8 | UInt16(tiff[at + 1]) : UInt16(tiff[at + 1]) << 8 | UInt16(tiff[at])
        }
        func u32(_ at: Int) -> Int? {
            guard let high = u16(bigEndian ? at : at + 2), let low = u16(bigEndian ? at + 2 : at) else { return nil }
            return Int(high) << 16 | Int(low)
        }
        guard let ifd = u32(4), let count = u16(ifd) else { return nil }
        for entry in 0..<Int(count) {
            let at = ifd + 2 + entry * 12
            guard let tag = u16(at) else { return nil }
            if tag == 0x0112, u16(at + 2) == 3 { return u16(at + 8) }
        }
        return nil
    }

    /// The PNG without its text (tEXt, zTXt, iTXt — where XMP lives), Exif (eXIf) and
    /// modification-time (tIME) chunks. Nil when the chunk structure or the checksums are broken.
    public static func strippedPNG(_ bytes: [UInt8]) -> [UInt8]? {
        guard bytes.starts(with: pngSignature) else { return nil }
        var kept = pngSignature
        var index = pngSignature.count
        var sawHeader = false
        while index + 12 <= bytes.count {
            let length = Int(bytes[index]) << 24 | Int(bytes[index + 1]) << 16 | Int(bytes[index + 2]) << 8 | Int(bytes[index + 3])
            let type = String(decoding: bytes[(index + 4)..<(index + 8)], as: UTF8.self)
            let end = index + 12 + length
            guard length >= 0, end <= bytes.count else { return nil }
            if !sawHeader {
                guard type == "IHDR" else { return nil }
                sawHeader = true
            }
            let stored = UInt32(bytes[end - 4]) << 24 | UInt32(bytes[end - 3]) << 16 | UInt32(bytes[end - 2]) << 8 | UInt32(bytes[end - 1])
            guard crc32(bytes[(index + 4)..<(end - 4)]) == stored else { return nil }
            if !["tEXt", "zTXt", "iTXt", "eXIf", "tIME"].contains(type) { kept += bytes[index..<end] }
            index = end
            if type == "IEND" { return kept }
        }
        return nil
    }

    private static let crcTable: [UInt32] = (0..<256).map { n in
        var c = UInt32(n)
        for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    /// The CRC-32 PNG chunks carry (ISO 3309, as in zlib).
    static func crc32(_ bytes: ArraySlice<UInt8>) -> UInt32 {
        var c: UInt32 = 0xFFFF_FFFF
        for byte in bytes { c = crcTable[Int((c ^ UInt32(byte)) & 0xFF)] ^ (c >> 8) }
        return c ^ 0xFFFF_FFFF
    }
}
