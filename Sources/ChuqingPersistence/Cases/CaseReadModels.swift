import ChuqingDomain
import Foundation

/// A debtor as a case shows it.
public struct CaseDebtorView: Sendable, Codable, Equatable {
    public let id: String
    public let kind: String
    public let name: String
    public let idNumber: String
    public let legalRepresentative: String?
    public let township: String?
    public let isPublicOfficial: Bool
    public let employer: String?
}

/// A case in a list.
public struct CaseSummary: Sendable, Codable, Equatable {
    public struct Court: Sendable, Codable, Equatable {
        public let code: String
        public let name: String
    }
    public let id: String
    public let caseNumber: String
    public let court: Court
    public let filedOn: String
    public let closedOn: String?
    public let status: String
    public let statusName: String
    public let targetFen: Int64
    public let performedFen: Int64
    public let unperformedFen: Int64
    public let performance: String
    public let judgeName: String?
    public let township: String?
    public let debtors: [CaseDebtorView]
}

/// One case in full: what `GET /api/v1/cases/{id}` returns and the case page shows.
public struct CaseDetail: Sendable, Codable, Equatable {
    public struct Judgment: Sendable, Codable, Equatable {
        public let documentNumber: String
        public let issuedBy: String
        public let effectiveOn: String?
        public let duty: String?
    }
    public struct Payment: Sendable, Codable, Equatable {
        public let id: String
        public let amountFen: Int64
        public let receivedOn: String
        public let method: String
    }
    public struct HistoryEntry: Sendable, Codable, Equatable {
        public let occurredAt: Date
        public let on: String?
        public let actor: String?
        public let event: String
        public let from: String?
        public let to: String?
        public let reason: String
        public let detail: String
    }
    public struct Link: Sendable, Codable, Equatable {
        public let id: String
        public let caseNumber: String
    }

    public let summary: CaseSummary
    public let judgment: Judgment
    public let applicants: [String]
    public let importedPerformedFen: Int64
    public let judgeID: String?
    public let resumedFrom: Link?
    public let resumedAs: Link?
    public let payments: [Payment]
    public let history: [HistoryEntry]

    enum CodingKeys: String, CodingKey {
        case id, caseNumber, court, filedOn, closedOn, status, statusName, targetFen, performedFen, unperformedFen, performance,
            judgeName, township, debtors, judgment, applicants, importedPerformedFen, judgeID, resumedFrom, resumedAs, payments, history
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(summary.id, forKey: .id)
        try c.encode(summary.caseNumber, forKey: .caseNumber)
        try c.encode(summary.court, forKey: .court)
        try c.encode(summary.filedOn, forKey: .filedOn)
        try c.encode(summary.closedOn, forKey: .closedOn)
        try c.encode(summary.status, forKey: .status)
        try c.encode(summary.statusName, forKey: .statusName)
        try c.encode(summary.targetFen, forKey: .targetFen)
        try c.encode(summary.performedFen, forKey: .performedFen)
        try c.encode(summary.unperformedFen, forKey: .unperformedFen)
        try c.encode(summary.performance, forKey: .performance)
        try c.encode(summary.judgeName, forKey: .judgeName)
        try c.encode(summary.township, forKey: .township)
        try c.encode(summary.debtors, forKey: .debtors)
        try c.encode(judgment, forKey: .judgment)
        try c.encode(applicants, forKey: .applicants)
        try c.encode(importedPerformedFen, forKey: .importedPerformedFen)
        try c.encode(judgeID, forKey: .judgeID)
        try c.encode(resumedFrom, forKey: .resumedFrom)
        try c.encode(resumedAs, forKey: .resumedAs)
        try c.encode(payments, forKey: .payments)
        try c.encode(history, forKey: .history)
    }

    public init(
        summary: CaseSummary, judgment: Judgment, applicants: [String], importedPerformedFen: Int64, judgeID: String?,
        resumedFrom: Link?, resumedAs: Link?, payments: [Payment], history: [HistoryEntry]
    ) {
        self.summary = summary
        self.judgment = judgment
        self.applicants = applicants
        self.importedPerformedFen = importedPerformedFen
        self.judgeID = judgeID
        self.resumedFrom = resumedFrom
        self.resumedAs = resumedAs
        self.payments = payments
        self.history = history
    }

    public init(from decoder: any Decoder) throws {
        throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "CaseDetail is output only"))
    }
}

/// What a case search may filter on; all given filters must hold.
public struct CaseFilter: Sendable, Equatable {
    public var caseNumber: CaseNumber?
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
