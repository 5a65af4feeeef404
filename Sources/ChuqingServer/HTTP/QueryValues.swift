import Hummingbird

/// Query parameters read strictly: a value the API does not accept is a 400 that names the
/// parameter and what is accepted, never silently read as "absent" or "false".
extension Request {
    /// `true` or `false` (`1`/`0` too, as a page's links write them); absent or empty: nil.
    func flag(_ name: String) throws -> Bool? {
        guard let text = uri.queryParameters.get(name), !text.isEmpty else { return nil }
        switch text {
        case "true", "1": return true
        case "false", "0": return false
        default:
            throw APIError(.badRequest, code: "invalid_query", message: "参数 \(name) 须为 true 或 false（收到「\(text)」）", field: name)
        }
    }

    /// One of `accepted`; absent or empty: nil.
    func choice(_ name: String, of accepted: [String]) throws -> String? {
        guard let text = uri.queryParameters.get(name), !text.isEmpty else { return nil }
        guard accepted.contains(text) else {
            throw APIError(
                .badRequest, code: "invalid_query",
                message: "参数 \(name) 须为 \(accepted.joined(separator: "、")) 之一（收到「\(text)」）", field: name)
        }
        return text
    }

    /// The page number `page`: a whole number from 1; absent or empty: 1.
    func pageNumber() throws -> Int {
        guard let text = uri.queryParameters.get("page"), !text.isEmpty else { return 1 }
        guard let number = Int(text), number >= 1, number <= 1_000_000 else {
            throw APIError(.badRequest, code: "invalid_query", message: "参数 page 须为 1 到 1000000 之间的整数页码（收到「\(text)」）", field: "page")
        }
        return number
    }
}
