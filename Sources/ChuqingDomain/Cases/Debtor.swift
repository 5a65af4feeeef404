import Foundation

/// 自然人 / 法人 / 非法人组织.
public enum DebtorKind: String, CaseIterable, Codable, Sendable {
    case person
    case organization
    case unincorporatedOrganization

    public var chinese: String {
        switch self {
        case .person: "自然人"
        case .organization: "法人"
        case .unincorporatedOrganization: "非法人组织"
        }
    }

    /// Organisations of either kind (they have a credit code and a legal representative).
    public var isOrganization: Bool { self != .person }

    public static func parse(_ text: String, field: String = "kind") throws(DomainError) -> DebtorKind {
        let value = text.trimmed
        if let kind = DebtorKind(rawValue: value) ?? allCases.first(where: { $0.chinese == value }) { return kind }
        if value == "其他组织" { return .unincorporatedOrganization }
        throw DomainError(
            code: "unknown_debtor_kind",
            message: "被执行人类型「\(text)」无法识别；可用：自然人、法人、非法人组织", field: field)
    }
}

/// How a debtor is identified: a citizen ID for a person; a credit code, or a legacy
/// organisation code, for an organisation.
public enum DebtorIdentifier: Hashable, Sendable, CustomStringConvertible {
    case citizen(CitizenID)
    case creditCode(CreditCode)
    case organizationCode(OrganizationCode)

    /// Parses the ID of a debtor of `kind`; the error says which identifiers that kind takes.
    public static func parse(_ text: String, kind: DebtorKind, today: CalendarDate, field: String = "idNumber") throws(DomainError)
        -> DebtorIdentifier
    {
        let value = text.trimmed
        guard !value.isEmpty else {
            throw DomainError(
                code: "missing_id_number",
                message: kind.isOrganization ? "缺少统一社会信用代码（或旧的组织机构代码）" : "缺少身份证号码", field: field)
        }
        if !kind.isOrganization { return .citizen(try CitizenID(value, today: today, field: field)) }
        let compact = value.replacingOccurrences(of: "-", with: "")
        if compact.count == 9 { return .organizationCode(try OrganizationCode(value, field: field)) }
        return .creditCode(try CreditCode(value, field: field))
    }

    /// The stored text: 18 characters, or `XXXXXXXX-X` for a legacy organisation code.
    public var description: String {
        switch self {
        case .citizen(let id): id.value
        case .creditCode(let code): code.value
        case .organizationCode(let code): code.description
        }
    }

    /// The type as stored: `citizen_id`, `credit_code`, `organization_code`.
    public var typeName: String {
        switch self {
        case .citizen: "citizen_id"
        case .creditCode: "credit_code"
        case .organizationCode: "organization_code"
        }
    }

    /// What may be published (rules.md §5: `3607321980****1236`; organisation codes in full).
    public var published: String {
        switch self {
        case .citizen(let id): id.masked
        default: description
        }
    }
}

/// When two written names are the same person's name.
///
/// Court exports are typed by hand: the same name comes with a space between surname and given
/// name, in full-width letters (「ＡＢＣ公司」), or with a different middle dot in a minority name
/// (阿依古丽·买买提, 阿依古丽•买买提). Those are one name; any other difference is another person.
public enum PersonName {
    /// The name folded for comparison: compatibility forms (full width → half width), no white
    /// space, one middle dot.
    public static func folded(_ name: String) -> String {
        var scalars = String.UnicodeScalarView()
        for scalar in name.precomposedStringWithCompatibilityMapping.unicodeScalars {
            if scalar.properties.isWhitespace { continue }
            switch scalar.value {
            case 0x00B7, 0x2022, 0x2027, 0x30FB, 0xFF65, 0x2219, 0x22C5: scalars.append("·")
            default: scalars.append(scalar)
            }
        }
        return String(scalars)
    }

    /// Whether `a` and `b` name the same person (see `folded`).
    public static func same(_ a: String, _ b: String) -> Bool {
        a == b || folded(a) == folded(b)
    }
}
