import Foundation

/// `multipart/form-data` bodies (RFC 7578): the import page's upload, and `POST
/// /api/v1/imports/cases` when a client sends the file as a form.
struct MultipartForm {
    struct Part {
        let name: String
        let filename: String?
        let data: Data
        var text: String { String(decoding: data, as: UTF8.self) }
    }

    let parts: [Part]

    static func isMultipart(_ contentType: String) -> Bool {
        contentType.lowercased().hasPrefix("multipart/form-data")
    }

    init(_ data: Data, contentType: String) throws {
        guard
            let boundaryParameter = contentType.split(separator: ";").map(\.trimmed)
                .first(where: { $0.lowercased().hasPrefix("boundary=") })
        else {
            throw APIError(.badRequest, code: "malformed_multipart", message: "multipart 请求缺少 boundary")
        }
        let boundary = String(boundaryParameter.dropFirst("boundary=".count)).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
        let delimiter = Data("--\(boundary)".utf8)
        var chunks: [Data] = []
        var searchStart = data.startIndex
        var previous: Range<Data.Index>?
        while let range = data.range(of: delimiter, in: searchStart..<data.endIndex) {
            if let previous { chunks.append(data[previous.upperBound..<range.lowerBound]) }
            previous = range
            searchStart = range.upperBound
        }
        var parts: [Part] = []
        for chunk in chunks {
            guard let headerEnd = chunk.range(of: Data("\r\n\r\n".utf8)) else { continue }
            let headers = String(decoding: chunk[chunk.startIndex..<headerEnd.lowerBound], as: UTF8.self)
            guard let name = Self.parameter("name", in: headers) else { continue }
            var content = chunk[headerEnd.upperBound...]
            if content.suffix(2) == Data("\r\n".utf8) { content = content.dropLast(2) }
            parts.append(Part(name: name, filename: Self.parameter("filename", in: headers), data: Data(content)))
        }
        self.parts = parts
    }

    /// The first part called `name`.
    subscript(name: String) -> Part? { parts.first { $0.name == name } }

    /// `name="…"` of the Content-Disposition header.
    private static func parameter(_ key: String, in headers: String) -> String? {
        for line in headers.split(whereSeparator: \.isNewline) where line.lowercased().hasPrefix("content-disposition:") {
            for item in line.split(separator: ";").map(\.trimmed) where item.hasPrefix("\(key)=") {
                return String(item.dropFirst(key.count + 1)).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            }
        }
        return nil
    }
}
