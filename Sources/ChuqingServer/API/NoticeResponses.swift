import ChuqingDomain
import ChuqingPersistence
import Foundation

/// A notice issue as the API answers it (`/api/v1/notice-issues`).
struct NoticeIssueResponse: Encodable {
    let id: String
    let courtCode: String
    let courtName: String
    let kind: String
    let state: String
    let year: Int?
    let number: Int?
    let title: String
    let correctsId: String?
    let entryIds: [String]
    let composedAt: Date
    let approvedAt: Date?
    let publishedAt: Date?
    let publishedOn: String?
    let sha256: String?

    init(_ issue: NoticeIssue) {
        id = issue.id.databaseText
        courtCode = issue.courtCode
        courtName = issue.courtName
        kind = issue.kind.rawValue
        state = issue.state.rawValue
        year = issue.year
        number = issue.number
        title = issue.title
        correctsId = issue.correctsID?.databaseText
        entryIds = issue.entryIDs.map(\.databaseText)
        composedAt = issue.composedAt
        approvedAt = issue.approvedAt
        publishedAt = issue.publishedAt
        publishedOn = issue.publishedOn?.description
        sha256 = issue.sha256
    }
}

/// A list entry that may go into an issue of a kind, or why it may not
/// (`/api/v1/notice-candidates`).
struct NoticeCandidateResponse: Encodable {
    let entryId: String
    let caseNumber: String
    let debtorName: String
    let courtCode: String
    let refusal: String?

    init(_ candidate: NoticeCandidate) {
        entryId = candidate.entryID.databaseText
        caseNumber = candidate.caseNumber
        debtorName = candidate.debtorName
        courtCode = candidate.courtCode
        refusal = candidate.refusal
    }
}
