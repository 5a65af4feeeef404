/// A people's court (人民法院), master data: its code (代字, e.g. 赣0732, as case numbers carry
/// it) and its name.
public struct Court: Sendable, Equatable, Codable {
    /// The court's code in case numbers, e.g. 赣0732.
    public let code: String
    /// The full name, e.g. 兴国县人民法院.
    public let name: String

    public init(code: String, name: String) {
        self.code = code
        self.name = name
    }
}

extension Array where Element == Court {
    /// The court with `code`; `unknown_court` naming `field` and listing the known ones otherwise.
    public func resolve(code: String, field: String) throws(DomainError) -> Court {
        guard let court = first(where: { $0.code == code.trimmed }) else {
            throw DomainError(
                code: "unknown_court",
                message: "没有法院代字为「\(code)」的法院；可用：\(map { "\($0.code)（\($0.name)）" }.joined(separator: "、"))",
                field: field)
        }
        return court
    }
}
