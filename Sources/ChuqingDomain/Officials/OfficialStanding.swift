/// What makes a debtor a "public official" for the campaign's 涉公职人员案件组 (rules-next §1).
///
/// 法释〔2017〕7号 art. 8 obliges the court to notify the employer when a 国家工作人员, 人大代表 or
/// 政协委员 is listed; 中办发〔2016〕64号 extends the consequences to party members and the managers
/// of state-owned enterprises. A person may hold several standings at once (a deputy who is also a
/// civil servant).
public enum OfficialStanding: String, CaseIterable, Codable, Sendable {
    /// 国家工作人员
    case stateFunctionary
    /// 人大代表 (with a level, `DeputyLevel`)
    case deputy
    /// 政协委员
    case cppccMember
    /// 中共党员
    case partyMember
    /// 国有企业管理人员
    case soeManager

    public var chinese: String {
        switch self {
        case .stateFunctionary: "国家工作人员"
        case .deputy: "人大代表"
        case .cppccMember: "政协委员"
        case .partyMember: "中共党员"
        case .soeManager: "国有企业管理人员"
        }
    }

    public static func parse(_ text: String, field: String = "standings") throws(DomainError) -> OfficialStanding {
        let value = text.trimmed
        if let standing = OfficialStanding(rawValue: value) ?? allCases.first(where: { $0.chinese == value }) { return standing }
        switch value {
        case "公职人员", "公务员": return .stateFunctionary
        case "党员": return .partyMember
        default: break
        }
        throw DomainError(
            code: "unknown_standing",
            message: "身份「\(text)」无法识别；可用：\(allCases.map { "\($0.rawValue)（\($0.chinese)）" }.joined(separator: "、"))",
            field: field)
    }
}

/// The level of the people's congress a deputy sits in (代表法 art. 39 draws its line between 乡级
/// and 县级以上).
public enum DeputyLevel: String, CaseIterable, Codable, Sendable, Comparable {
    case township, county, city, province, national

    public var chinese: String {
        switch self {
        case .township: "乡级"
        case .county: "县级"
        case .city: "设区的市级"
        case .province: "省级"
        case .national: "全国"
        }
    }

    /// 代表法 art. 39 ¶1: a deputy of a 县级 or higher congress may not be arrested or subjected to
    /// other measures restricting liberty (for a court: 拘留, 拘传) without the permission of that
    /// congress's 主席团 or 常务委员会. ¶3: for a 乡级 deputy the body that acted reports to the
    /// congress at once; no permission is needed.
    public var needsPermission: Bool { self != .township }

    /// Who gives the permission, as a message names them.
    public var permittingBody: String {
        switch self {
        case .township: "乡、民族乡、镇人民代表大会"
        case .county: "县级人民代表大会主席团或者常务委员会"
        case .city: "设区的市级人民代表大会主席团或者常务委员会"
        case .province: "省级人民代表大会主席团或者常务委员会"
        case .national: "全国人民代表大会主席团或者常务委员会"
        }
    }

    public static func < (lhs: DeputyLevel, rhs: DeputyLevel) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }

    public static func parse(_ text: String, field: String = "deputyLevel") throws(DomainError) -> DeputyLevel {
        let value = text.trimmed
        if let level = DeputyLevel(rawValue: value) ?? allCases.first(where: { $0.chinese == value }) { return level }
        switch value {
        case "乡镇级", "镇级", "乡镇": return .township
        case "县", "县级以上": return .county
        case "市级", "设区的市": return .city
        case "省", "省级人大": return .province
        case "全国人大", "国家级": return .national
        default: break
        }
        throw DomainError(
            code: "unknown_deputy_level",
            message: "人大代表级别「\(text)」无法识别；可用：\(allCases.map { "\($0.rawValue)（\($0.chinese)）" }.joined(separator: "、"))",
            field: field)
    }
}

/// A debtor's standings as a public official, with the employer the court writes to and the body
/// above it; checked once here, then trusted.
public struct OfficialProfile: Sendable, Equatable {
    public let standings: [OfficialStanding]
    /// Set exactly when `standings` holds `.deputy`.
    public let deputyLevel: DeputyLevel?
    /// 工作单位: the addressee of the 通报函 (for a deputy without one, the congress's office).
    public let employer: String?
    /// 上级单位 or 主管部门 (法释〔2017〕7号 art. 8 ¶2: for a state body or SOE debtor, the body
    /// above it is told).
    public let superior: String?
    /// How the standing was verified (rules-next §1 fields), e.g. 组织部函询.
    public let verifiedBy: String?

    /// Nobody: no standing.
    public static let none = OfficialProfile(trusted: [], deputyLevel: nil, employer: nil, superior: nil, verifiedBy: nil)

    /// A profile read back from the database, checked when it was written.
    public init(trusted standings: [OfficialStanding], deputyLevel: DeputyLevel?, employer: String?, superior: String?, verifiedBy: String?)
    {
        self.standings = standings
        self.deputyLevel = deputyLevel
        self.employer = employer
        self.superior = superior
        self.verifiedBy = verifiedBy
    }

    /// Checks a profile: a deputy has a level and nobody else does; anyone with a standing has an
    /// employer, the body the court's letter goes to.
    public init(
        standings: [OfficialStanding], deputyLevel: DeputyLevel?, employer: String?, superior: String?, verifiedBy: String?
    ) throws(DomainError) {
        let ordered = OfficialStanding.allCases.filter(standings.contains)
        let employer = employer?.trimmed.nilIfEmpty
        if ordered.contains(.deputy) {
            guard deputyLevel != nil else {
                throw DomainError(
                    code: "deputy_level_required",
                    message: "人大代表须选择代表级别：\(DeputyLevel.allCases.map(\.chinese).joined(separator: "、"))", field: "deputyLevel")
            }
        } else if deputyLevel != nil {
            throw DomainError(code: "deputy_level_without_deputy", message: "只有人大代表才填写代表级别；请勾选「人大代表」或清空级别", field: "deputyLevel")
        }
        if !ordered.isEmpty && employer == nil {
            throw DomainError(
                code: "employer_required", message: "有公职身份的被执行人须填写工作单位（通报函的收件单位；人大代表可填所在人大常委会）", field: "employer")
        }
        self.init(
            trusted: ordered, deputyLevel: deputyLevel, employer: employer, superior: superior?.trimmed.nilIfEmpty,
            verifiedBy: verifiedBy?.trimmed.nilIfEmpty)
    }

    /// Whether the court's 涉公职人员 work applies at all.
    public var isOfficial: Bool { !standings.isEmpty }

    /// The standings as a person reads them: 人大代表（县级）、国家工作人员.
    public var chinese: String {
        standings.map { $0 == .deputy ? "人大代表（\(deputyLevel?.chinese ?? "")）" : $0.chinese }.joined(separator: "、")
    }
}
