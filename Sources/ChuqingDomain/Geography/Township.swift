/// A township (乡镇) of the court's county. Liaisons are bound to one; debtors live in one.
public struct Township: Sendable, Equatable, Codable {
    /// Stable code the court assigns, `<county code>-<two digits>` (e.g. `360732-01` for 潋江镇). Not
    /// the statistical division code, which changes when townships merge or are renamed.
    public let code: String
    /// Chinese name, e.g. 潋江镇.
    public let name: String
    /// The county's 6-digit division code, e.g. 360732 for 兴国县.
    public let countyCode: String

    public init(code: String, name: String, countyCode: String) {
        self.code = code
        self.name = name
        self.countyCode = countyCode
    }
}
