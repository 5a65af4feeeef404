import Foundation

/// An asset look-up (财产查询): one debtor of one case, asked of several data categories at once,
/// on a stated legal basis. Only a debtor of the case may be looked up (法释〔2013〕20号: no queries
/// on anyone who is not an obligor; 财产调查规定 art. 25: nothing unrelated to the case).
public enum AssetLookup {
    /// Where a look-up stands as a whole.
    public enum Status: String, CaseIterable, Codable, Sendable {
        /// Waiting for the director's approval (when the court asks for one: configuration).
        case awaitingApproval
        /// Categories are being asked.
        case running
        /// Every category has ended: answered, failed or timed out.
        case completed
        /// The director refused it; nothing was asked.
        case refused

        public var chinese: String {
            switch self {
            case .awaitingApproval: "待审批"
            case .running: "查询中"
            case .completed: "已完成"
            case .refused: "未获批准"
            }
        }
    }

    /// Where one category of a look-up stands.
    public enum CategoryStatus: String, CaseIterable, Codable, Sendable {
        case pending, answered, failed, timedOut

        public var chinese: String {
            switch self {
            case .pending: "等待答复"
            case .answered: "已答复"
            case .failed: "失败"
            case .timedOut: "超时"
            }
        }

        public var isFinal: Bool { self != .pending }
    }

    /// Whether a judge's look-up waits for the director's approval before anything is asked.
    /// In practice a query goes through approval (rules.md §4, 2014 SPC news); the issue makes it
    /// optional, so it is configuration (`CHUQING_LOOKUP_APPROVAL`), off by default. A look-up the
    /// director starts is approved by the director as it starts.
    public enum Approval: String, CaseIterable, Sendable {
        case none, director
    }

    /// Why a look-up is run: by hand, or the six-monthly check after 终本 (法〔2016〕373号 art. 9).
    public enum Purpose: String, CaseIterable, Codable, Sendable {
        case manual, periodic
    }

    /// A case's assets are looked up while enforcement goes on: in enforcement, or terminated this
    /// round (终本, with its six-monthly checks). A case performed, terminated, refused or
    /// withdrawn has nothing left to enforce, and a look-up would gather information unrelated
    /// to any enforcement (财产调查规定 art. 25).
    public static func checkCaseOpen(_ status: CaseStatus, caseNumber: String) throws(DomainError) {
        guard status == .inEnforcement || status == .terminatedThisRound else {
            throw DomainError(
                code: "case_not_in_enforcement",
                message: "案件 \(caseNumber) 已「\(status.chinese)」，不再查询被执行人财产；只有执行中或终结本次执行程序的案件可以查询",
                field: "caseId", kind: .conflict)
        }
    }

    /// A look-up as asked for, checked against the catalogue: the categories named (or every
    /// enabled one), each known and enabled, and a legal basis.
    public struct Request: Sendable, Equatable {
        public let categories: [String]
        public let legalBasis: String

        public init(categories requested: [String]?, legalBasis: String, catalogue: [DataCategory]) throws(DomainError) {
            let basis = legalBasis.trimmed
            guard !basis.isEmpty else {
                throw DomainError(
                    code: "legal_basis_required",
                    message: "请写明查询的法律依据（如《最高人民法院关于网络查询、冻结被执行人存款的规定》、财产调查规定第十二条）", field: "legalBasis")
            }
            guard basis.count <= 200 else {
                throw DomainError(code: "field_too_long", message: "法律依据最多 200 字（收到 \(basis.count) 字）", field: "legalBasis")
            }
            let enabled = catalogue.filter(\.isEnabled).sorted { ($0.position, $0.code) < ($1.position, $1.code) }
            var chosen: [String] = []
            if let requested, !requested.isEmpty {
                for code in requested where !chosen.contains(code) {
                    guard let category = catalogue.first(where: { $0.code == code }) else {
                        throw DomainError(
                            code: "unknown_category",
                            message: "没有代码为「\(code)」的数据类别；可用：\(enabled.map { "\($0.code)（\($0.name)）" }.joined(separator: "、"))",
                            field: "categories")
                    }
                    guard category.isEnabled else {
                        throw DomainError(
                            code: "category_disabled", message: "数据类别「\(category.name)」（\(code)）已停用，不能查询", field: "categories")
                    }
                    chosen.append(code)
                }
            } else {
                chosen = enabled.map(\.code)
            }
            guard !chosen.isEmpty else {
                throw DomainError(code: "no_categories", message: "没有可查询的数据类别：请管理员先启用至少一个类别", field: "categories")
            }
            categories = chosen
            self.legalBasis = basis
        }
    }
}

/// Something a department's answer says the debtor has (财产线索/查询结果).
public struct AssetFinding: Sendable, Equatable, Codable {
    public enum Kind: String, CaseIterable, Codable, Sendable {
        case realEstate, vehicle, deposit, securities, equity, business, employer, salary, housingFund, socialInsurance,
            medicalInsurance, taxRecord, marriage, residence, utilityAccount, governmentPayment, other

        public var chinese: String {
            switch self {
            case .realEstate: "不动产"
            case .vehicle: "车辆"
            case .deposit: "存款"
            case .securities: "证券"
            case .equity: "股权"
            case .business: "经营主体"
            case .employer: "工作单位"
            case .salary: "工资收入"
            case .housingFund: "住房公积金"
            case .socialInsurance: "社会保险"
            case .medicalInsurance: "医疗保险"
            case .taxRecord: "纳税记录"
            case .marriage: "婚姻登记"
            case .residence: "居住地"
            case .utilityAccount: "水电气户"
            case .governmentPayment: "应收政府款项"
            case .other: "其他"
            }
        }
    }

    public let kind: Kind
    public let description: String
    /// Certificate number, plate, account…
    public let identifier: String?
    /// Estimated value in 分, where the department gives one.
    public let valueFen: Int64?
    public let holder: String?

    public init(kind: Kind, description: String, identifier: String?, valueFen: Int64?, holder: String?) {
        self.kind = kind
        self.description = description
        self.identifier = identifier
        self.valueFen = valueFen
        self.holder = holder
    }
}

/// A department's answer as the exchange protocol carries it (docs/connector-protocol.md):
/// `{"findings": [{"kind", "description", "identifier", "valueFen", "holder"}]}`; an empty list is
/// "nothing found". Anything else — an HTML error page, truncated JSON, a finding without a kind
/// or description, a negative or fractional value — is a failure with its reason, never a guess.
public enum ExchangeAnswer {
    public struct Invalid: Error, Equatable {
        public let reason: String
    }

    public static func findings(_ data: Data) throws(Invalid) -> [AssetFinding] {
        let head = String(decoding: data.prefix(200), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            if head.lowercased().hasPrefix("<!doctype") || head.lowercased().hasPrefix("<html") {
                throw Invalid(reason: "答复是网页而不是数据（部门系统可能出错）：\(head.prefix(60))")
            }
            throw Invalid(reason: data.isEmpty ? "答复为空" : "答复不是 JSON 对象：\(head.prefix(60))")
        }
        guard let list = object["findings"] as? [Any] else {
            throw Invalid(reason: "答复中没有 findings 列表")
        }
        return try list.enumerated().map { (index, item) throws(Invalid) in
            guard let item = item as? [String: Any] else { throw Invalid(reason: "第 \(index + 1) 项不是对象") }
            guard let kindText = item["kind"] as? String, let kind = AssetFinding.Kind(rawValue: kindText) else {
                throw Invalid(reason: "第 \(index + 1) 项的 kind「\(item["kind"].map { "\($0)" } ?? "")」无法识别")
            }
            guard let description = (item["description"] as? String)?.trimmed, !description.isEmpty else {
                throw Invalid(reason: "第 \(index + 1) 项缺少 description")
            }
            var value: Int64?
            if let raw = item["valueFen"], !(raw is NSNull) {
                guard let number = raw as? NSNumber, !(raw is Bool), number.doubleValue == Double(number.int64Value), number.int64Value >= 0
                else {
                    throw Invalid(reason: "第 \(index + 1) 项的 valueFen 须为非负整数（分）")
                }
                value = number.int64Value
            }
            func text(_ key: String) -> String? { (item[key] as? String).map(\.trimmed).flatMap { $0.isEmpty ? nil : $0 } }
            return AssetFinding(
                kind: kind, description: String(description.prefix(500)), identifier: text("identifier").map { String($0.prefix(100)) },
                valueFen: value, holder: text("holder").map { String($0.prefix(100)) })
        }
    }
}

/// The six-monthly look-ups after 终本 (法〔2016〕373号 art. 9): for five years after the case was
/// terminated this round, the court queries every six months and tells the applicant the result.
public enum PeriodicLookups {
    /// The day the next periodic look-up is due: six months after the termination or after the
    /// last look-up since then, whichever is later; nil once the five years have run out.
    public static func nextDue(terminatedOn: CalendarDate, lastLookupOn: CalendarDate?) -> CalendarDate? {
        let end = terminatedOn.adding(months: 60)
        let from = max(terminatedOn, lastLookupOn ?? terminatedOn)
        let due = from.adding(months: 6)
        return due <= end ? due : nil
    }
}

/// Measures taken on something a look-up found (查封, 扣押, 冻结, 扣划), each resting on its
/// document like any measure. A finding that is information rather than property (a marriage, a
/// residence, a tax record, an employer) takes none: it is a lead for the judge, not an asset.
public enum FindingMeasures {
    /// The measures a finding of `kind` can take: real estate is sealed (查封); a vehicle sealed or
    /// seized (扣押); deposits, securities, the housing fund and sums the government owes frozen
    /// or deducted (冻结、扣划); equity frozen; salary deducted (扣留、提取收入).
    public static func allowed(for kind: AssetFinding.Kind) -> [MeasureKind] {
        switch kind {
        case .realEstate: [.sealing]
        case .vehicle: [.sealing, .vehicleSeizure]
        case .deposit, .securities, .housingFund, .governmentPayment: [.freezing, .deduction]
        case .equity: [.freezing]
        case .salary: [.deduction]
        case .other: [.sealing, .freezing, .deduction]
        case .business, .employer, .socialInsurance, .medicalInsurance, .taxRecord, .marriage, .residence, .utilityAccount: []
        }
    }

    /// Whether a finding of `kind` is property (something to enforce on) rather than information.
    public static func isProperty(_ kind: AssetFinding.Kind) -> Bool { !allowed(for: kind).isEmpty }

    /// Checks that `measure` fits the finding and comes no earlier than the day it was found.
    public static func check(_ measure: Measure, on finding: AssetFinding.Kind, foundOn: CalendarDate) throws(DomainError) {
        let allowed = allowed(for: finding)
        guard !allowed.isEmpty else {
            throw DomainError(
                code: "finding_not_an_asset",
                message: "「\(finding.chinese)」是查询到的信息而不是财产，不能对其采取查封、扣押、冻结或扣划；请据此查找财产",
                field: "findingId")
        }
        guard allowed.contains(measure.kind) else {
            throw DomainError(
                code: "measure_not_for_finding",
                message:
                    "「\(finding.chinese)」不能\(measure.kind.chinese)；可用：\(allowed.map { "\($0.rawValue)（\($0.chinese)）" }.joined(separator: "、"))",
                field: "kind")
        }
        guard measure.on >= foundOn else {
            throw DomainError(code: "date_before_finding", message: "措施日期 \(measure.on) 早于查到该财产的日期 \(foundOn)", field: "on")
        }
    }
}
