import ChuqingDomain
import Foundation
import Hummingbird

/// The context's request decoder (Hummingbird's `request.decode(as:context:)`): a page form's
/// fields through Hummingbird's `URLEncodedFormDecoder`, anything else as the API's JSON; either
/// way a failure is an `APIError` that names the field, never a framework message.
public struct AppRequestDecoder: RequestDecoder {
    public func decode<T: Decodable>(_ type: T.Type, from request: Request, context: some RequestContext) async throws -> T {
        guard let context = context as? AppRequestContext else {
            return try await request.decodeJSON(type, limit: context.maxUploadSize)
        }
        if context.formWasRead {
            // `CSRFMiddleware` has read the body (URL-encoded or multipart) to check its token;
            // the same fields, encoded once more, are what the form struct is decoded from.
            do {
                return try URLEncodedFormDecoder().decode(type, from: try URLEncodedFormEncoder().encode(context.form))
            } catch let error as DecodingError {
                throw APIError(error)
            } catch let error as DomainError {
                throw APIError(.badRequest, code: error.code, message: error.message, field: error.field)
            } catch {
                throw APIError(.badRequest, code: "malformed_form", message: "表单无法解析：请刷新页面后重新提交")
            }
        }
        return try await request.decodeJSON(type, limit: context.bodyLimit)
    }
}

/// A text field of a page form: what the person typed, "" when the browser sent nothing (a
/// disabled input, a hand-made request); the service's rules then say what is missing.
@propertyWrapper
struct FormText: Decodable, Sendable {
    var wrappedValue: String

    init(wrappedValue: String = "") { self.wrappedValue = wrappedValue }

    init(from decoder: any Decoder) throws {
        wrappedValue = try decoder.singleValueContainer().decode(String.self)
    }
}

/// A checkbox of a page form: a browser sends a ticked box (as "on") and leaves an unticked one
/// out.
@propertyWrapper
struct Checkbox: Decodable, Sendable {
    var wrappedValue: Bool

    init(wrappedValue: Bool = false) { self.wrappedValue = wrappedValue }

    init(from decoder: any Decoder) throws {
        _ = try decoder.singleValueContainer().decode(String.self)
        wrappedValue = true
    }
}

extension KeyedDecodingContainer {
    // An absent key is "" for a text field and unticked for a checkbox, as a browser means it.
    func decode(_ type: FormText.Type, forKey key: Key) throws -> FormText {
        try decodeIfPresent(type, forKey: key) ?? FormText()
    }

    func decode(_ type: Checkbox.Type, forKey key: Key) throws -> Checkbox {
        try decodeIfPresent(type, forKey: key) ?? Checkbox()
    }
}

extension String {
    /// nil for an empty field (after trimming), for the optional values of a form.
    var nonEmpty: String? {
        let text = trimmed
        return text.isEmpty ? nil : text
    }
}
