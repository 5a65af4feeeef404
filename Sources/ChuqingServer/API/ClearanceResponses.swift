import ChuqingDomain
import ChuqingPersistence
import Foundation

/// A clearance batch as the API answers it: its targets, the amount in 分.
struct ClearanceBatchResponse: Encodable {
    let id: String
    let name: String
    let courtCode: String
    let startsOn: CalendarDate
    let deadline: CalendarDate
    let targetCases: Int
    let targetRecoveredFen: Int64?
    let closedOn: CalendarDate?

    init(_ batch: ClearanceBatch) {
        id = batch.id.databaseText
        name = batch.name
        courtCode = batch.courtCode
        startsOn = batch.startsOn
        deadline = batch.deadline
        targetCases = batch.targetCases
        targetRecoveredFen = batch.targetRecoveredFen
        closedOn = batch.closedOn
    }
}

/// What adding cases to a batch did (`POST /api/v1/clearance-batches/{id}/cases`).
struct BatchAddResponse: Encodable {
    let added: Int
    let skipped: Int
    let totalCases: Int

    init(_ result: BatchAddResult) {
        added = result.added
        skipped = result.skipped
        totalCases = result.totalCases
    }
}

/// A batch's progress as the API answers it: the same figures as the batch page (amounts in 分).
struct BatchProgressResponse: Encodable {
    let batchID: String
    let batchName: String
    let asOf: CalendarDate
    let startsOn: CalendarDate
    let deadline: CalendarDate
    let daysLeft: Int
    let targetCases: Int
    let totalCases: Int
    let clearedCases: Int
    let inProgressCases: Int
    let stockCases: Int
    let targetRecoveredFen: Int64?
    let recoveredFen: Int64
    let measures: [String: Int64]
    let byTeam: [BatchProgress.Breakdown]
    let byTownship: [BatchProgress.Breakdown]
    let byJudge: [BatchProgress.Breakdown]
    let burnUp: [BatchProgress.Day]
    let network: [BatchProgress.NetworkBreakdown]
    /// The teams' work: `officialsPushed`, `officialsEscalated`, `settlementsMade`, `settlementsRunning`.
    let teams: BatchProgress.TeamWork

    init(_ progress: BatchProgress) {
        batchID = progress.batchID.databaseText
        batchName = progress.batchName
        asOf = progress.asOf
        startsOn = progress.startsOn
        deadline = progress.deadline
        daysLeft = progress.daysLeft
        targetCases = progress.targetCases
        totalCases = progress.totalCases
        clearedCases = progress.clearedCases
        inProgressCases = progress.inProgressCases
        stockCases = progress.stockCases
        targetRecoveredFen = progress.targetRecoveredFen
        recoveredFen = progress.recoveredFen
        measures = progress.measures
        byTeam = progress.byTeam
        byTownship = progress.byTownship
        byJudge = progress.byJudge
        burnUp = progress.burnUp
        network = progress.network
        teams = progress.teams
    }
}

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
    let debtorId: String?
    let personName: String?
    let personKind: String?
    let act: String?
    let days: Int?
    let deputyPermission: String?
    let reconsideration: Reconsideration?

    struct Reconsideration: Encodable {
        let appliedOn: String
        let dueOn: String
        let decidedOn: String?
        let outcome: String?
    }

    init(_ record: MeasureRecord) {
        debtorId = record.debtorID?.databaseText
        personName = record.personName
        personKind = record.personKind?.rawValue
        act = record.act
        days = record.days
        deputyPermission = record.deputyPermission
        reconsideration = record.reconsideration.map {
            Reconsideration(
                appliedOn: $0.appliedOn.description, dueOn: $0.dueOn.description, decidedOn: $0.decidedOn?.description,
                outcome: $0.outcome?.rawValue)
        }
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
