import ChuqingDomain
import ChuqingPersistence
import Foundation

/// A list entry as the API answers it (`/api/v1/blacklist-entries`): the circumstances by their
/// numbers in 法释〔2017〕7号 art. 1, days as 2026-12-02.
struct BlacklistEntryResponse: Encodable {
    let id: String
    let caseId: String
    let caseNumber: String
    let debtorId: String
    let debtorName: String
    let circumstances: [Int]
    let decidedOn: String
    let decisionNumber: String
    let expiresOn: String?
    let publishableFrom: String
    let deletionTrigger: String?
    let triggeredOn: String?
    let deletionDueOn: String?
    let deletedOn: String?
    let removal: String?
    let removalReason: String?

    init(_ entry: BlacklistEntry) {
        id = entry.id.databaseText
        caseId = entry.caseID.databaseText
        caseNumber = entry.caseNumber
        debtorId = entry.debtorID.databaseText
        debtorName = entry.debtorName
        circumstances = entry.circumstances.map(\.rawValue)
        decidedOn = entry.decidedOn.description
        decisionNumber = entry.decisionNumber
        expiresOn = entry.expiresOn?.description
        publishableFrom = entry.publishableFrom.description
        deletionTrigger = entry.deletionTrigger?.rawValue
        triggeredOn = entry.triggeredOn?.description
        deletionDueOn = entry.deletionDueOn?.description
        deletedOn = entry.deletedOn?.description
        removal = entry.removal?.rawValue
        removalReason = entry.removalReason
    }
}
