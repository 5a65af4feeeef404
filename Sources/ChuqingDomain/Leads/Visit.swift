import Foundation

/// A household visit (入户走访) to a debtor's home by a liaison or court staff: whom they found,
/// where the debtor lives and works now, and what they own and intend. Visits are never edited: a
/// later visit that finds otherwise is a new visit, and the portrait shows the newest value.
public struct Visit: Sendable, Equatable {
    /// The facts a visit may report, each one field of the portrait (人物画像).
    public enum Fact: String, CaseIterable, Codable, Sendable {
        case currentAddress, phone, work, whereabouts, family, assetsSeen, attitude

        public var chinese: String {
            switch self {
            case .currentAddress: "现住址"
            case .phone: "联系电话"
            case .work: "工作"
            case .whereabouts: "行踪"
            case .family: "家庭情况"
            case .assetsSeen: "所见财产"
            case .attitude: "履行态度"
            }
        }

        /// The longest value accepted.
        public var limit: Int { self == .phone ? 30 : 500 }
    }

    public let visitedOn: CalendarDate
    /// Who went (names as they sign the visit record: 钟专员、村支书刘某).
    public let visitors: String
    public let foundAtHome: Bool
    /// The facts reported; a fact not observed is absent, not empty.
    public let facts: [Fact: String]
    public let note: String?

    public init(
        visitedOn: CalendarDate, visitors: String, foundAtHome: Bool, facts: [Fact: String], note: String?,
        today: CalendarDate
    ) throws(DomainError) {
        try visitedOn.mustHaveHappened(by: today, "走访日期", field: "visitedOn")
        let visitors = visitors.trimmed
        guard !visitors.isEmpty, visitors.count <= 100 else {
            throw DomainError(code: "visitors_required", message: "请写明走访人（1–100 字）", field: "visitors")
        }
        var kept: [Fact: String] = [:]
        for (fact, raw) in facts {
            let value = raw.trimmed
            guard !value.isEmpty else { continue }
            guard value.count <= fact.limit else {
                throw DomainError(
                    code: "field_too_long", message: "\(fact.chinese)最多 \(fact.limit) 字（收到 \(value.count) 字）", field: fact.rawValue)
            }
            if fact == .phone { kept[fact] = try PhoneNumber.check(value, field: "phone") } else { kept[fact] = value }
        }
        let note = note?.trimmed
        if let note, note.count > 1_000 {
            throw DomainError(code: "field_too_long", message: "备注最多 1000 字（收到 \(note.count) 字）", field: "note")
        }
        // A visit that found nobody and learnt nothing is still a visit (it counts), but one that
        // found the debtor at home must say something about them.
        if foundAtHome && kept.isEmpty && (note ?? "").isEmpty {
            throw DomainError(code: "visit_empty", message: "见到被执行人时，请至少填写一项情况（现住址、工作、所见财产、履行态度等）", field: "facts")
        }
        self.visitedOn = visitedOn
        self.visitors = visitors
        self.foundAtHome = foundAtHome
        self.facts = kept
        self.note = note?.isEmpty == false ? note : nil
    }
}

extension Visit {
    /// A visit as stored, without the checks of a new one (they held when it was stored).
    public init(stored visitedOn: CalendarDate, visitors: String, foundAtHome: Bool, facts: [Fact: String], note: String?) {
        self.visitedOn = visitedOn
        self.visitors = visitors
        self.foundAtHome = foundAtHome
        self.facts = facts
        self.note = note
    }
}

/// A debtor's portrait (人物画像): for each fact, the newest value reported with its date and the
/// visit it came from, and every earlier value behind it. Built from the visits alone, so nothing
/// is ever overwritten: the history is the visits.
public struct DebtorPortrait: Sendable, Equatable, Codable {
    public struct Value: Sendable, Equatable, Codable {
        public let value: String
        public let observedOn: CalendarDate
        /// The visit that reported it, and who made it.
        public let visitId: String
        public let visitors: String
    }

    public struct Field: Sendable, Equatable, Codable {
        public let fact: Visit.Fact
        public let label: String
        /// Newest first; the first is the current value.
        public let values: [Value]
        public var current: Value { values[0] }
    }

    /// A visit as stored, for building the portrait.
    public struct Source: Sendable {
        public let id: String
        public let visit: Visit
        /// Arrival order breaks ties between visits of the same day: the later report wins.
        public let sequence: Int

        public init(id: String, visit: Visit, sequence: Int) {
            self.id = id
            self.visit = visit
            self.sequence = sequence
        }
    }

    /// The fields ever reported, in `Visit.Fact` order.
    public let fields: [Field]
    public let visitCount: Int
    public let lastVisitedOn: CalendarDate?
    /// The date of the last visit that found the debtor at home.
    public let lastFoundOn: CalendarDate?

    public init(visits: [Source]) {
        let newestFirst = visits.sorted { ($0.visit.visitedOn, $0.sequence) > ($1.visit.visitedOn, $1.sequence) }
        fields = Visit.Fact.allCases.compactMap { fact in
            let values = newestFirst.compactMap { source in
                source.visit.facts[fact].map {
                    Value(value: $0, observedOn: source.visit.visitedOn, visitId: source.id, visitors: source.visit.visitors)
                }
            }
            return values.isEmpty ? nil : Field(fact: fact, label: fact.chinese, values: values)
        }
        visitCount = visits.count
        lastVisitedOn = newestFirst.first?.visit.visitedOn
        lastFoundOn = newestFirst.first { $0.visit.foundAtHome }?.visit.visitedOn
    }
}
