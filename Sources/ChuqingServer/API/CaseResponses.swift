import ChuqingDomain
import ChuqingPersistence
import ChuqingServices
import Foundation

// The API's shape of cases and debtors (docs/openapi.yaml): built from the repositories' typed
// read models, so that a column renamed in persistence does not silently rename a JSON key.
// Ids are lower-case UUID text, dates 2026-12-02, amounts integer 分.

/// A debtor as a case lists it.
struct DebtorSummaryResponse: Encodable {
    let id: String
    let kind: String
    let name: String
    let idNumber: String
    let legalRepresentative: String?
    let township: String?
    let isPublicOfficial: Bool
    let employer: String?

    init(_ debtor: DebtorSummary) {
        id = debtor.id.databaseText
        kind = debtor.kind.rawValue
        name = debtor.name
        idNumber = debtor.idNumber
        legalRepresentative = debtor.legalRepresentative
        township = debtor.township
        isPublicOfficial = debtor.isPublicOfficial
        employer = debtor.employer
    }
}

/// A case in a list (`GET /api/v1/cases`).
struct CaseSummaryResponse: Encodable {
    let id: String
    let caseNumber: String
    let court: Court
    let filedOn: String
    let closedOn: String?
    let status: String
    let statusName: String
    let targetFen: Int64
    let performedFen: Int64
    let unperformedFen: Int64
    let performance: String
    let judgeName: String?
    let township: String?
    let debtors: [DebtorSummaryResponse]

    init(_ summary: CaseSummary) {
        id = summary.id.databaseText
        caseNumber = summary.caseNumber.canonical
        court = summary.court
        filedOn = summary.filedOn.description
        closedOn = summary.closedOn?.description
        status = summary.status.rawValue
        statusName = summary.status.chinese
        targetFen = summary.target.fen
        performedFen = summary.performed.fen
        unperformedFen = summary.unperformed.fen
        performance = summary.performance.rawValue
        judgeName = summary.judgeName
        township = summary.township
        debtors = summary.debtors.map(DebtorSummaryResponse.init)
    }
}

/// A payment on a case.
struct PaymentResponse: Encodable {
    let id: String
    let amountFen: Int64
    let receivedOn: String
    let method: String
    let excessReason: String?
    /// Set when the payment was reversed; a reversed payment counts for nothing.
    let reversal: Reversal?

    struct Reversal: Encodable {
        let at: Date
        let by: String?
        let reason: String
    }

    init(_ payment: CaseDetail.Payment) {
        id = payment.id.databaseText
        amountFen = payment.amount.fen
        receivedOn = payment.receivedOn.description
        method = payment.method.rawValue
        excessReason = payment.excessReason
        reversal = payment.reversal.map { Reversal(at: $0.at, by: $0.by, reason: $0.reason) }
    }
}

/// One entry of a case's history.
struct HistoryEntryResponse: Encodable {
    let occurredAt: Date
    let on: String?
    let actor: String?
    let event: String
    let from: String?
    let to: String?
    let reason: String
    let detail: String

    init(_ entry: CaseDetail.HistoryEntry) {
        occurredAt = entry.occurredAt
        on = entry.on?.description
        actor = entry.actor
        event = entry.event
        from = entry.from?.rawValue
        to = entry.to?.rawValue
        reason = entry.reason
        detail = entry.detail
    }
}

/// One case in full (`GET /api/v1/cases/{id}` and every change to a case): the summary's fields
/// at the top level, then the rest. Absent values are written as null here (the list leaves them
/// out), as the API has always answered.
struct CaseResponse: Encodable {
    struct Judgment: Encodable {
        let documentNumber: String
        let issuedBy: String
        let effectiveOn: String?
        let duty: String?
    }
    struct Link: Encodable {
        let id: String
        let caseNumber: String

        init(_ link: CaseDetail.Link) {
            id = link.id.databaseText
            caseNumber = link.caseNumber.canonical
        }
    }

    let summary: CaseSummaryResponse
    let judgment: Judgment
    let applicants: [String]
    let importedPerformedFen: Int64
    let judgeID: String?
    let resumedFrom: Link?
    let resumedAs: Link?
    let payments: [PaymentResponse]
    let history: [HistoryEntryResponse]

    init(_ detail: CaseDetail) {
        summary = CaseSummaryResponse(detail.summary)
        judgment = Judgment(
            documentNumber: detail.judgment.documentNumber, issuedBy: detail.judgment.issuedBy,
            effectiveOn: detail.judgment.effectiveOn?.description, duty: detail.judgment.duty)
        applicants = detail.applicants
        importedPerformedFen = detail.importedPerformed.fen
        judgeID = detail.judgeID?.databaseText
        resumedFrom = detail.resumedFrom.map(Link.init)
        resumedAs = detail.resumedAs.map(Link.init)
        payments = detail.payments.map(PaymentResponse.init)
        history = detail.history.map(HistoryEntryResponse.init)
    }

    enum CodingKeys: String, CodingKey {
        case id, caseNumber, court, filedOn, closedOn, status, statusName, targetFen, performedFen, unperformedFen, performance,
            judgeName, township, debtors, judgment, applicants, importedPerformedFen, judgeID, resumedFrom, resumedAs, payments, history
    }

    func encode(to encoder: any Encoder) throws {
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
}

/// Something on one of a debtor's cases, with the case it belongs to.
struct CaseEventResponse<Event: Encodable>: Encodable {
    let caseId: String
    let caseNumber: String
    let event: Event

    init<Stored>(_ stored: CaseEvent<Stored>, _ transform: (Stored) -> Event) {
        caseId = stored.caseID.databaseText
        caseNumber = stored.caseNumber.canonical
        event = transform(stored.event)
    }
}

/// A debtor and every case they are in (`GET /api/v1/debtors/{id}` for the court).
struct DebtorResponse: Encodable {
    let id: String
    let kind: String
    let name: String
    let idNumber: String
    let idType: String
    let legalRepresentative: String?
    let address: String?
    let phone: String?
    let township: String?
    let village: String?
    let isPublicOfficial: Bool
    let employer: String?
    /// 国家工作人员, 人大代表 … as their API names (`OfficialStanding`).
    let standings: [String]
    let deputyLevel: String?
    let employerSuperior: String?
    let standingVerifiedBy: String?
    let hasPhoto: Bool
    let cases: [CaseSummaryResponse]
    let payments: [CaseEventResponse<PaymentResponse>]
    let history: [CaseEventResponse<HistoryEntryResponse>]

    init(_ debtor: DebtorDetail) {
        id = debtor.id.databaseText
        kind = debtor.kind.rawValue
        name = debtor.name
        idNumber = debtor.idNumber
        idType = debtor.idType
        legalRepresentative = debtor.legalRepresentative
        address = debtor.address
        phone = debtor.phone
        township = debtor.township
        village = debtor.village
        isPublicOfficial = debtor.isPublicOfficial
        employer = debtor.employer
        standings = debtor.official.standings.map(\.rawValue)
        deputyLevel = debtor.official.deputyLevel?.rawValue
        employerSuperior = debtor.official.superior
        standingVerifiedBy = debtor.official.verifiedBy
        hasPhoto = debtor.hasPhoto
        cases = debtor.cases.map(CaseSummaryResponse.init)
        payments = debtor.payments.map { CaseEventResponse($0, PaymentResponse.init) }
        history = debtor.history.map { CaseEventResponse($0, HistoryEntryResponse.init) }
    }
}

/// `PATCH /api/v1/cases/{id}`: what may change on a case; absent keys stay as they are.
struct CaseChangesRequest: Decodable {
    let judgeID: UUID?
    let township: String?
    let targetFen: Int64?
    let applicants: [String]?

    var changes: CaseChanges {
        CaseChanges(judgeID: judgeID, township: township, target: targetFen.map(Money.init(fen:)), applicants: applicants)
    }
}

/// `PATCH /api/v1/debtors/{id}`: a debtor's contact details and status; absent keys stay as they
/// are.
struct DebtorChangesRequest: Decodable {
    let name: String?
    let legalRepresentative: String?
    let address: String?
    let phone: String?
    let township: String?
    let village: String?
    let isPublicOfficial: Bool?
    let employer: String?
    /// The standings (`OfficialStanding` names or their Chinese); given, they replace
    /// `isPublicOfficial`, with `deputyLevel`, `employerSuperior` and `standingVerifiedBy`.
    let standings: [String]?
    let deputyLevel: String?
    let employerSuperior: String?
    let standingVerifiedBy: String?

    var changes: DebtorChanges {
        DebtorChanges(
            name: name, legalRepresentative: legalRepresentative, address: address, phone: phone, township: township, village: village,
            isPublicOfficial: isPublicOfficial, employer: employer)
    }

    var standing: DebtorService.StandingInput? {
        standings.map {
            DebtorService.StandingInput(
                standings: $0, deputyLevel: deputyLevel, employer: employer, superior: employerSuperior, verifiedBy: standingVerifiedBy)
        }
    }
}
