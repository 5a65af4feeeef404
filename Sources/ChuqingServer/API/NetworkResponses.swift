import ChuqingDomain
import ChuqingPersistence
import Foundation

/// A village (行政村/社区) of a township.
struct VillageResponse: Encodable {
    let id: String
    let townshipCode: String
    let name: String

    init(_ village: Village) {
        id = village.id
        townshipCode = village.townshipCode
        name = village.name
    }
}

/// What a liaison, or a township, did for the campaign.
struct NetworkFiguresResponse: Encodable {
    let leadsSubmitted: Int
    let leadsVerified: Int
    let leadsLeadingToRecovery: Int
    let visits: Int

    init(_ figures: NetworkFigures) {
        leadsSubmitted = figures.leadsSubmitted
        leadsVerified = figures.leadsVerified
        leadsLeadingToRecovery = figures.leadsLeadingToRecovery
        visits = figures.visits
    }
}

/// A liaison of the network (`GET /api/v1/network`).
struct NetworkMemberResponse: Encodable {
    let id: String
    let displayName: String
    let kind: String
    let kindName: String
    let villageId: String?
    let village: String?
    let disabled: Bool
    let figures: NetworkFiguresResponse

    init(_ member: NetworkMember) {
        id = member.id.databaseText
        displayName = member.displayName
        kind = member.kind.rawValue
        kindName = member.kind.chinese
        villageId = member.villageID
        village = member.village
        disabled = member.disabled
        figures = NetworkFiguresResponse(member.figures)
    }
}

/// One township with its villages, liaisons and figures.
struct TownshipNetworkResponse: Encodable {
    let code: String
    let name: String
    let villages: [VillageResponse]
    let members: [NetworkMemberResponse]
    let figures: NetworkFiguresResponse

    init(_ township: TownshipNetwork) {
        code = township.code
        name = township.name
        villages = township.villages.map(VillageResponse.init)
        members = township.members.map(NetworkMemberResponse.init)
        figures = NetworkFiguresResponse(township.figures)
    }
}

/// A township asked to look for a debtor.
struct DebtorAssignmentResponse: Encodable {
    let id: String
    let debtorId: String
    let townshipCode: String
    let township: String
    let note: String?
    let assignedBy: String?
    let assignedAt: Date

    init(_ assignment: DebtorAssignment) {
        id = assignment.id.databaseText
        debtorId = assignment.debtorID.databaseText
        townshipCode = assignment.townshipCode
        township = assignment.township
        note = assignment.note
        assignedBy = assignment.assignedBy
        assignedAt = assignment.assignedAt
    }
}

/// A household visit (入户走访); the facts by their `Visit.Fact` names.
struct VisitResponse: Encodable {
    let id: String
    let debtorId: String
    let visitedOn: String
    let visitors: String
    let foundAtHome: Bool
    let facts: [String: String]
    let note: String?
    let submittedBy: String
    let submittedByName: String
    let receivedAt: Date

    init(_ visit: StoredVisit) {
        id = visit.id.databaseText
        debtorId = visit.debtorID.databaseText
        visitedOn = visit.visitedOn.description
        visitors = visit.visitors
        foundAtHome = visit.foundAtHome
        facts = Dictionary(uniqueKeysWithValues: visit.facts.map { ($0.key.rawValue, $0.value) })
        note = visit.note
        submittedBy = visit.submittedBy.databaseText
        submittedByName = visit.submittedByName
        receivedAt = visit.receivedAt
    }
}
