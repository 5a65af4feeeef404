/// A lead (线索) from a township liaison on a debtor's whereabouts or property. The judge must
/// verify it within 7 days, or 3 when it is marked urgent (财产调查规定 art. 2; rules.md §3 and
/// §7.15) — calendar days, a last day on a holiday moving to the next working day.
public struct Lead: Sendable, Equatable {
    public enum Kind: String, CaseIterable, Codable, Sendable {
        case whereabouts, realEstate, vehicle, business, income, livestockCrops, otherProperty, contactChange, other

        public var chinese: String {
            switch self {
            case .whereabouts: "行踪"
            case .realEstate: "财产：房产"
            case .vehicle: "财产：车辆"
            case .business: "财产：经营"
            case .income: "财产：收入"
            case .livestockCrops: "财产：牲畜、农作物"
            case .otherProperty: "财产：其他"
            case .contactChange: "联系方式变更"
            case .other: "其他"
            }
        }

        /// Whether the lead is about property (the 财产 kinds), not whereabouts or contact: only a
        /// verified lead about property stands against "no property found" (法释〔2017〕7号 art. 10(4)).
        public var isAboutProperty: Bool {
            switch self {
            case .realEstate, .vehicle, .business, .income, .livestockCrops, .otherProperty: true
            case .whereabouts, .contactChange, .other: false
            }
        }

        public static func parse(_ text: String) throws(DomainError) -> Kind {
            guard let kind = Kind(rawValue: text) else {
                throw DomainError(
                    code: "unknown_lead_kind",
                    message: "线索类别「\(text)」无法识别；可用：\(allCases.map { "\($0.rawValue)（\($0.chinese)）" }.joined(separator: "、"))",
                    field: "kind")
            }
            return kind
        }
    }

    public static let maxText = 2_000

    public let kind: Kind
    public let text: String
    public let place: String?
    public let seenOn: CalendarDate
    public let isUrgent: Bool

    public init(kind: Kind, text: String, place: String?, seenOn: CalendarDate, isUrgent: Bool, today: CalendarDate) throws(DomainError) {
        let text = text.trimmed
        guard !text.isEmpty else {
            throw DomainError(code: "lead_empty", message: "请写明看到或知道的情况（在哪里、什么财产、什么时候）", field: "text")
        }
        guard text.count <= Self.maxText else {
            throw DomainError(code: "lead_too_long", message: "线索最多 \(Self.maxText) 字（收到 \(text.count) 字）", field: "text")
        }
        try seenOn.mustHaveHappened(by: today, "发现日期", field: "seenOn")
        let place = place?.trimmed
        if let place, place.count > 200 {
            throw DomainError(code: "field_too_long", message: "地点最多 200 字（收到 \(place.count) 字）", field: "place")
        }
        self.kind = kind
        self.text = text
        self.place = place?.isEmpty == false ? place : nil
        self.seenOn = seenOn
        self.isUrgent = isUrgent
    }

    /// The last day to verify a lead received on `receivedOn`.
    public func verifyBy(receivedOn: CalendarDate, calendar: WorkingDayCalendar) throws(DomainError) -> CalendarDate {
        try calendar.adding(calendarDays: isUrgent ? 3 : 7, to: receivedOn)
    }
}

/// Where a lead (or tip) is in the judge's triage: new → verifying → verified (with what was done:
/// a measure, a look-up, a payment) or rejected (with a reason the liaison sees). Verified and
/// rejected are final.
public enum LeadStatus: String, CaseIterable, Codable, Sendable {
    case new, verifying, verified, rejected

    public var chinese: String {
        switch self {
        case .new: "待核实"
        case .verifying: "核实中"
        case .verified: "已核实"
        case .rejected: "未采纳"
        }
    }

    public var isOpen: Bool { self == .new || self == .verifying }

    public static func parse(_ text: String) throws(DomainError) -> LeadStatus {
        guard let status = LeadStatus(rawValue: text) else {
            throw DomainError(
                code: "unknown_status", message: "状态「\(text)」无法识别；可用：verifying（核实中）、verified（已核实）、rejected（未采纳）",
                field: "status")
        }
        return status
    }

    /// Checks a change to `next`; `reply` is what the liaison reads: for verified, what was done;
    /// for rejected, why.
    public func checkChange(to next: LeadStatus, reply: String?) throws(DomainError) {
        guard isOpen else {
            throw DomainError(code: "lead_closed", message: "该线索已「\(chinese)」，不能再改变状态", kind: .conflict)
        }
        switch next {
        case .new:
            throw DomainError(code: "invalid_transition", message: "线索不能退回「待核实」", field: "status", kind: .conflict)
        case .verifying:
            guard self == .new else { throw DomainError(code: "invalid_transition", message: "该线索已在核实中", field: "status", kind: .conflict) }
        case .verified, .rejected:
            guard !(reply?.trimmed ?? "").isEmpty else {
                throw DomainError(
                    code: "reply_required",
                    message: next == .verified
                        ? "请写明核实后采取的措施（查控、扣押、执行款等），联络员会看到"
                        : "请写明不采纳的理由，联络员会看到",
                    field: "reply")
            }
        }
    }

    /// Whether a lead due by `verifyBy` is overdue on `today`.
    public func isOverdue(verifyBy: CalendarDate, today: CalendarDate) -> Bool {
        isOpen && verifyBy < today
    }
}

/// What a verified lead or tip led to (issue 6 item 4): an enforcement measure, a payment, or an
/// asset look-up, named by its id. A payment-linked lead counts as "leading to recovery" in the
/// township figures.
public struct LeadOutcome: Sendable, Equatable, Codable {
    public enum Kind: String, CaseIterable, Codable, Sendable {
        case measure, payment, lookup

        public var chinese: String {
            switch self {
            case .measure: "执行措施"
            case .payment: "执行到位款项"
            case .lookup: "财产查询"
            }
        }
    }

    public let kind: Kind
    public let id: String

    public init(kind: Kind, id: String) {
        self.kind = kind
        self.id = id
    }

    public static func parse(kind: String?, id: String?, status: LeadStatus) throws(DomainError) -> LeadOutcome? {
        let kind = kind?.trimmed ?? ""
        let id = id?.trimmed ?? ""
        if kind.isEmpty && id.isEmpty { return nil }
        guard status == .verified else {
            throw DomainError(code: "outcome_not_allowed", message: "只有「已核实」的线索才能关联采取的措施、查询或款项", field: "outcome")
        }
        guard let parsed = Kind(rawValue: kind) else {
            throw DomainError(
                code: "unknown_outcome_kind",
                message: "关联类别「\(kind)」无法识别；可用：\(Kind.allCases.map { "\($0.rawValue)（\($0.chinese)）" }.joined(separator: "、"))",
                field: "outcome.kind")
        }
        guard !id.isEmpty else {
            throw DomainError(code: "outcome_id_required", message: "请给出所关联\(parsed.chinese)的 id", field: "outcome.id")
        }
        return LeadOutcome(kind: parsed, id: id.lowercased())
    }
}
