import ChuqingDomain
import Foundation

// The case and debtor read models: what the repositories return, typed. They are not the API's
// shape (that is the server's `CaseResponse` and its siblings) and are not Codable.

/// A debtor as a case shows it.
public struct DebtorSummary: Sendable, Equatable {
    public let id: UUID
    public let kind: DebtorKind
    public let name: String
    public let idNumber: String
    public let legalRepresentative: String?
    /// The township's name.
    public let township: String?
    public let isPublicOfficial: Bool
    public let employer: String?
}

/// The columns a `DebtorSummary` is read from (`d` debtors, `t` its township).
struct DebtorSummaryColumns: Decodable {
    static let select =
        "d.id, d.kind, d.name, d.id_number, d.legal_representative, t.name AS township_name, d.is_public_official, d.employer"

    let id: String
    let kind: String
    let name: String
    let id_number: String
    let legal_representative: String?
    let township_name: String?
    let is_public_official: Bool
    let employer: String?

    func summary() throws -> DebtorSummary {
        DebtorSummary(
            id: try Stored.uuid(id, "debtors.id"), kind: try Stored.value(kind, "debtors.kind"), name: name, idNumber: id_number,
            legalRepresentative: legal_representative, township: township_name, isPublicOfficial: is_public_official, employer: employer)
    }
}

/// A case in a list.
public struct CaseSummary: Sendable, Equatable {
    public let id: UUID
    public let caseNumber: CaseNumber
    public let court: Court
    public let filedOn: CalendarDate
    public let closedOn: CalendarDate?
    public let status: CaseStatus
    public let target: Money
    /// What the export said was performed, plus the payments recorded in Chuqing.
    public let performed: Money
    public let judgeName: String?
    /// The township's name.
    public let township: String?
    public let debtors: [DebtorSummary]

    /// Target − performed, never below zero (an overpayment leaves nothing unperformed).
    public var unperformed: Money { max(.zero, target - performed) }
    public var performance: PerformanceStatus { PerformanceStatus(target: target, performed: performed) }

    /// The debtor `id` of this case; `unknown_debtor` naming the case's debtors otherwise (a push,
    /// a sanction or a transfer concerns a debtor of its own case).
    public func debtor(_ id: UUID, field: String = "debtorId") throws(DomainError) -> DebtorSummary {
        guard let debtor = debtors.first(where: { $0.id == id }) else {
            throw DomainError(
                code: "unknown_debtor",
                message:
                    "本案被执行人中没有编号为「\(id.databaseText)」的人；可选：\(debtors.map { "\($0.name)（\($0.id.databaseText)）" }.joined(separator: "、"))",
                field: field)
        }
        return debtor
    }
}

/// One case in full.
public struct CaseDetail: Sendable, Equatable {
    public struct Judgment: Sendable, Equatable {
        public let documentNumber: String
        public let issuedBy: String
        public let effectiveOn: CalendarDate?
        public let duty: String?
    }
    /// A payment recorded in Chuqing; a reversed one stays on record and counts for nothing.
    public struct Payment: Sendable, Equatable {
        public let id: UUID
        public let amount: Money
        public let receivedOn: CalendarDate
        public let method: PaymentMethod
        public let excessReason: String?
        public let reversal: Reversal?
        public var isReversed: Bool { reversal != nil }

        public init(
            id: UUID, amount: Money, receivedOn: CalendarDate, method: PaymentMethod, excessReason: String? = nil, reversal: Reversal? = nil
        ) {
            self.id = id
            self.amount = amount
            self.receivedOn = receivedOn
            self.method = method
            self.excessReason = excessReason
            self.reversal = reversal
        }
    }
    /// Who reversed a payment, when, and why.
    public struct Reversal: Sendable, Equatable {
        public let at: Date
        public let by: String?
        public let reason: String

        public init(at: Date, by: String?, reason: String) {
            self.at = at
            self.by = by
            self.reason = reason
        }
    }
    /// One entry of the case's history, oldest first.
    public struct HistoryEntry: Sendable, Equatable {
        public let occurredAt: Date
        /// The day the event took effect (a transition's or payment's date), when it has one.
        public let on: CalendarDate?
        /// Who acted, by display name (the username kept in the entry for an account that is gone);
        /// nil for the command line.
        public let actor: String?
        /// `imported`, `created`, `updated`, `payment`, `transition`, `resumed`, `opened_as_resumption`, …
        public let event: String
        public let from: CaseStatus?
        public let to: CaseStatus?
        public let reason: String
        public let detail: String
    }
    /// The other end of a resumption (恢复执行).
    public struct Link: Sendable, Equatable {
        public let id: UUID
        public let caseNumber: CaseNumber
    }

    public let summary: CaseSummary
    public let judgment: Judgment
    public let applicants: [String]
    public let importedPerformed: Money
    public let judgeID: UUID?
    public let resumedFrom: Link?
    public let resumedAs: Link?
    public let payments: [Payment]
    public let history: [HistoryEntry]
}

/// What a case search may filter on; all given filters must hold.
public struct CaseFilter: Sendable, Equatable {
    public var caseNumber: CaseNumber?
    /// The one search box: part of a case number or of a name, or an ID number's last characters.
    public var text: CaseSearchText?
    public var debtorName: String?
    public var idNumber: String?
    public var status: CaseStatus?
    public var townshipCode: String?
    public var judgeID: UUID?
    public var filedFrom: CalendarDate?
    public var filedTo: CalendarDate?
    public var minTargetFen: Int64?
    public var maxTargetFen: Int64?
    /// Only cases of this judge (a judge's own view); nil for roles that see all cases.
    public var visibleToJudge: UUID?

    public init() {}
}

/// A stored value that no longer reads as its type: the row was written outside Chuqing, or by a
/// version with other rules. Surfaces as a 500 and a log line naming the column, never as a guess.
public struct UnreadableStoredValue: Error, CustomStringConvertible {
    public let column: String
    public let value: String
    public var description: String { "stored \(column) 「\(value)」 cannot be read" }
}

/// Reads stored text columns back into domain values.
enum Stored {
    static func uuid(_ text: String, _ column: String) throws -> UUID {
        guard let id = UUID(uuidString: text) else { throw UnreadableStoredValue(column: column, value: text) }
        return id
    }

    static func date(_ text: String, _ column: String) throws -> CalendarDate {
        do { return try CalendarDate.parse(text) } catch { throw UnreadableStoredValue(column: column, value: text) }
    }

    static func caseNumber(_ text: String, _ column: String) throws -> CaseNumber {
        do { return try CaseNumber(text) } catch { throw UnreadableStoredValue(column: column, value: text) }
    }

    static func value<T: RawRepresentable>(_ text: String, _ column: String) throws -> T where T.RawValue == String {
        guard let value = T(rawValue: text) else { throw UnreadableStoredValue(column: column, value: text) }
        return value
    }
}
