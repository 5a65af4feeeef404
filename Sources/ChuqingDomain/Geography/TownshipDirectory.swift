/// The county's townships, to resolve what a person typed: the code (`360732-01`) or the full
/// name (潋江镇). The one resolver behind a new case, a debtor's change, the import and the
/// village list.
public struct TownshipDirectory: Sendable {
    public let townships: [Township]

    public init(_ townships: [Township]) {
        self.townships = townships
    }

    /// The township with this code or full name, if there is one.
    public func find(_ given: String) -> Township? {
        let text = given.trimmed
        return townships.first { $0.code == text } ?? townships.first { $0.name == text }
    }

    /// The township with this code or full name; `unknown_township` naming `field` otherwise.
    public func resolve(_ given: String, field: String) throws(DomainError) -> Township {
        guard let township = find(given) else {
            throw DomainError(
                code: "unknown_township",
                message: "没有「\(given)」这个乡镇；请用乡镇编码或全称，可用："
                    + townships.map { "\($0.name)（\($0.code)）" }.joined(separator: "、"),
                field: field)
        }
        return township
    }

    /// The name of the township with this code (the code itself when it is unknown).
    public func name(of code: String) -> String {
        townships.first { $0.code == code }?.name ?? code
    }
}
