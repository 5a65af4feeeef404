import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A text file's bytes as text, with the encoding it was read in.
///
/// Court staff save case exports from Excel on Chinese Windows, which writes "CSV" in the system
/// code page (GBK) unless "CSV UTF-8" is chosen. So: UTF-8 with or without a byte-order mark,
/// UTF-16 with one, and otherwise GB18030, which contains GBK and GB2312.
public struct TextFile: Sendable, Equatable {
    /// What was read, as a person names it.
    public enum Encoding: String, Sendable, Codable {
        case utf8 = "UTF-8"
        case utf8WithBOM = "UTF-8（带 BOM）"
        case utf16 = "UTF-16"
        case gb18030 = "GB18030（GBK）"
    }

    public let text: String
    public let encoding: Encoding

    /// The bytes could not be read in any accepted encoding; `offset` is where the first one failed.
    public struct Undecodable: Error, Equatable {
        public let offset: Int
        public let byte: UInt8
    }

    public init(_ data: Data) throws(Undecodable) {
        let bytes = [UInt8](data)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            guard let text = String(validating: bytes.dropFirst(3), as: UTF8.self) else {
                throw Self.firstInvalidUTF8(bytes, from: 3)
            }
            (self.text, encoding) = (text, .utf8WithBOM)
        } else if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
            let little = bytes[0] == 0xFF
            var units: [UInt16] = []
            units.reserveCapacity(bytes.count / 2)
            var index = 2
            while index + 1 < bytes.count {
                units.append(
                    little ? UInt16(bytes[index]) | UInt16(bytes[index + 1]) << 8 : UInt16(bytes[index]) << 8 | UInt16(bytes[index + 1]))
                index += 2
            }
            guard bytes.count % 2 == 0, let text = String(validating: units, as: UTF16.self) else {
                throw Undecodable(
                    offset: bytes.count % 2 == 0 ? 2 : bytes.count - 1, byte: bytes[bytes.count % 2 == 0 ? 2 : bytes.count - 1])
            }
            (self.text, encoding) = (text, .utf16)
        } else if let text = String(validating: bytes, as: UTF8.self) {
            (self.text, encoding) = (text, .utf8)
        } else {
            (self.text, encoding) = (try Self.gb18030(bytes), .gb18030)
        }
    }

    static func firstInvalidUTF8(_ bytes: [UInt8], from start: Int) -> Undecodable {
        var decoder = UTF8()
        var iterator = bytes[start...].makeIterator()
        var offset = start
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar): offset += UTF8.width(scalar)
            case .emptyInput: return Undecodable(offset: bytes.count, byte: 0)
            case .error: return Undecodable(offset: offset, byte: bytes[offset])
            }
        }
    }

    /// Decodes GB18030 with iconv, which names the offset of the first byte it cannot read.
    static func gb18030(_ bytes: [UInt8]) throws(Undecodable) -> String {
        let converter = iconv_open("UTF-8", "GB18030")
        guard converter != iconv_t(bitPattern: -1) else { throw Undecodable(offset: 0, byte: bytes.first ?? 0) }
        defer { iconv_close(converter) }
        var input = bytes
        var output = [UInt8](repeating: 0, count: bytes.count * 2 + 16)
        let total = input.count
        var inLeft = total
        var outLeft = output.count
        let failedAt: Int? = input.withUnsafeMutableBufferPointer { inBuffer in
            output.withUnsafeMutableBufferPointer { outBuffer in
                var inPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(inBuffer.baseAddress!).assumingMemoryBound(
                    to: CChar.self)
                var outPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(outBuffer.baseAddress!).assumingMemoryBound(
                    to: CChar.self)
                let result = iconv(converter, &inPointer, &inLeft, &outPointer, &outLeft)
                return result == -1 || inLeft > 0 ? total - inLeft : nil
            }
        }
        if let failedAt { throw Undecodable(offset: failedAt, byte: failedAt < total ? bytes[failedAt] : 0) }
        return String(decoding: output[0..<(output.count - outLeft)], as: UTF8.self)
    }
}
