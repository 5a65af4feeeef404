import ChuqingDomain
import ChuqingPersistence
import Foundation

/// A lead as the API answers it (`/api/v1/leads`, the liaison page's JSON answer): ids as
/// lower-case UUID text, days as 2026-12-02, kind and status by their API names.
struct LeadResponse: Encodable {
    let id: String
    let debtorId: String
    let debtorName: String
    let position: Int
    let kind: String
    let text: String
    let place: String?
    let seenOn: String
    let isUrgent: Bool
    let status: String
    let verifyBy: String
    let receivedAt: Date
    let reply: String?
    let outcome: LeadOutcome?
    let liaisonId: String
    let liaisonName: String
    let liaisonKind: String?
    let township: String?
    let photoCount: Int
    let overdue: Bool

    init(_ lead: StoredLead) {
        id = lead.id.databaseText
        debtorId = lead.debtorID.databaseText
        debtorName = lead.debtorName
        position = lead.position
        kind = lead.kind.rawValue
        text = lead.text
        place = lead.place
        seenOn = lead.seenOn.description
        isUrgent = lead.isUrgent
        status = lead.status.rawValue
        verifyBy = lead.verifyBy.description
        receivedAt = lead.receivedAt
        reply = lead.reply
        outcome = lead.outcome
        liaisonId = lead.liaisonID.databaseText
        liaisonName = lead.liaisonName
        liaisonKind = lead.liaisonKind?.rawValue
        township = lead.township
        photoCount = lead.photoCount
        overdue = lead.overdue
    }
}

/// A tip as the API answers it (`/api/v1/tips`); the tipster only for those who may see who
/// tipped.
struct TipResponse: Encodable {
    let id: String
    let source: String
    let status: String
    let caseId: String?
    let caseNumber: String?
    let debtorName: String?
    let text: String
    let place: String?
    let tipsterName: String?
    let tipsterPhone: String?
    let receivedAt: Date
    let verifyBy: String?
    let reply: String?
    let outcome: LeadOutcome?
    let debtorId: String?

    init(_ tip: StoredTip) {
        id = tip.id.databaseText
        source = tip.source.rawValue
        status = tip.status.rawValue
        caseId = tip.caseID?.databaseText
        caseNumber = tip.caseNumber
        debtorName = tip.debtorName
        text = tip.text
        place = tip.place
        tipsterName = tip.tipsterName
        tipsterPhone = tip.tipsterPhone
        receivedAt = tip.receivedAt
        verifyBy = tip.verifyBy?.description
        reply = tip.reply
        outcome = tip.outcome
        debtorId = tip.debtorID?.databaseText
    }
}

/// A debtor as a township liaison sees them (`/api/v1/liaison/debtors`, and `/api/v1/debtors/{id}`
/// for a liaison): enough to find the person, nothing more.
struct LiaisonDebtorResponse: Encodable {
    struct Case: Encodable {
        let caseNumber: String
        let outstandingFen: Int64
        let judgeName: String?
        let judgePhone: String?
    }
    let id: String
    let name: String
    let township: String?
    let village: String?
    let hasPhoto: Bool
    let cases: [Case]
    let assignment: String?

    init(_ view: LiaisonDebtorView) {
        id = view.id.databaseText
        name = view.name
        township = view.township
        village = view.village
        hasPhoto = view.hasPhoto
        cases = view.cases.map {
            Case(caseNumber: $0.caseNumber, outstandingFen: $0.outstanding.fen, judgeName: $0.judgeName, judgePhone: $0.judgePhone)
        }
        assignment = view.assignment
    }
}
