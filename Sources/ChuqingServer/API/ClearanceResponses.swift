import ChuqingDomain
import ChuqingPersistence
import Foundation

/// An enforcement measure as the API answers it (`/api/v1/cases/{id}/measures`): amounts in 分.
struct MeasureResponse: Encodable {
    let id: String
    let caseId: String
    let kind: String
    let on: String
    let persons: Int?
    let count: Int?
    let amountFen: Int64?
    let documentNumber: String
    let judgeName: String?
    let findingId: String?

    init(_ record: MeasureRecord) {
        id = record.id.databaseText
        caseId = record.caseID.databaseText
        kind = record.kind.rawValue
        on = record.on.description
        persons = record.persons
        count = record.count
        amountFen = record.amount?.fen
        documentNumber = record.documentNumber
        judgeName = record.judgeName
        findingId = record.findingID?.databaseText
    }
}
