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
    let triggerReason: String?
    /// While a grace period holds the listing's notifications: the day they will be produced.
    let notificationsHeldUntil: String?

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
        triggerReason = entry.triggerReason
        notificationsHeldUntil = entry.notificationsHeldUntil?.description
    }
}

/// A revocation, correction or correction request on an entry (`/api/v1/blacklist-procedures`).
struct BlacklistProcedureResponse: Encodable {
    let id: String
    let entryId: String
    let caseNumber: String
    let debtorName: String
    let kind: String
    let ground: String?
    let aroseOn: String
    let dueOn: String
    let reason: String
    let decidedOn: String?
    let outcome: String?
    let decisionNote: String?
    /// A 复议: the correction request it reviews, and the day its rejection was served.
    let reviewsProcedureId: String?
    let servedOn: String?
    /// The kind as a person reads it (撤销, 更正, 纠正申请, 复议).
    let kindLabel: String

    init(_ procedure: BlacklistProcedure) {
        id = procedure.id.databaseText
        entryId = procedure.entryID.databaseText
        caseNumber = procedure.caseNumber
        debtorName = procedure.debtorName
        kind = procedure.kind.rawValue
        ground = procedure.ground?.rawValue
        aroseOn = procedure.aroseOn.description
        dueOn = procedure.dueOn.description
        reason = procedure.reason
        decidedOn = procedure.decidedOn?.description
        outcome = procedure.outcome?.rawValue
        decisionNote = procedure.decisionNote
        reviewsProcedureId = procedure.parentID?.databaseText
        servedOn = procedure.servedOn?.description
        kindLabel = procedure.kind.chinese
    }
}

/// A notification the list produced for a recipient (`/api/v1/blacklist-notifications`).
struct BlacklistNotificationResponse: Encodable {
    let id: String
    let entryId: String
    let event: String
    let recipientKind: String
    let recipient: String
    let debtorName: String
    let caseNumber: String
    let createdAt: Date

    init(_ notification: StoredNotification) {
        id = notification.id.databaseText
        entryId = notification.entryID.databaseText
        event = notification.event.rawValue
        recipientKind = notification.recipientKind
        recipient = notification.recipient
        debtorName = notification.debtorName
        caseNumber = notification.caseNumber
        createdAt = notification.createdAt
    }
}
