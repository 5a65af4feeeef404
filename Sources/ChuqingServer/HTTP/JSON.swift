import ChuqingDomain
import Foundation
import Hummingbird
import NIOCore

/// JSON in and out of the API, with one encoder configuration.
enum JSON {
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }()

    /// A JSON response.
    static func response(_ value: some Encodable, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) throws -> Response {
        var headers = headers
        headers[.contentType] = "application/json; charset=utf-8"
        let data = try encoder.encode(value)
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

extension Request {
    /// Reads the body (up to the context's limit; 413 beyond it) and decodes it as JSON, turning
    /// every failure into an `APIError` that names the field.
    func decodeJSON<T: Decodable>(_ type: T.Type, limit: Int) async throws -> T {
        var request = self
        let buffer = try await request.collectBody(upTo: limit)
        guard buffer.readableBytes > 0 else {
            throw APIError(.badRequest, code: "empty_body", message: "请求体为空：需要 JSON 对象")
        }
        do {
            return try JSON.decoder.decode(T.self, from: Data(buffer: buffer))
        } catch let error as DecodingError {
            throw APIError(error)
        } catch let error as DomainError {
            throw APIError(.badRequest, code: error.code, message: error.message, field: error.field)
        }
    }
}

extension Response {
    /// A photo of a person or of what a lead saw: personal data, so never kept by a shared cache.
    static func privateImage(_ bytes: Data, contentType: String) -> Response {
        Response(
            status: .ok, headers: [.contentType: contentType, .cacheControl: "private, no-store"],
            body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}
