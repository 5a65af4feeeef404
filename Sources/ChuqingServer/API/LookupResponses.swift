import ChuqingDomain
import ChuqingPersistence
import Foundation

/// An asset look-up as the API answers it (`/api/v1/asset-lookups/{id}`): each category's
/// answer with its findings and the measures taken on them; amounts in 分.
struct LookupResponse: Encodable {
    struct Told: Encodable {
        let on: String
        let how: String
        let by: String?
    }
    struct Measure: Encodable {
        let id: String
        let kind: String
        let on: String
        let amountFen: Int64?
        let documentNumber: String
    }
    struct Finding: Encodable {
        let id: String
        let kind: String
        let description: String
        let identifier: String?
        let valueFen: Int64?
        let holder: String?
        let foundAt: Date
        let measures: [Measure]
    }
    struct Category: Encodable {
        let code: String
        let name: String
        let status: String
        let attempts: Int
        let reason: String?
        let digest: String?
        let source: String?
        let answeredAt: Date?
        let findings: [Finding]
    }

    let id: String
    let caseId: String
    let caseNumber: String
    let debtorId: String
    let debtorName: String
    let legalBasis: String
    let purpose: String
    let status: String
    let requestedBy: String?
    let requestedAt: Date
    let approvedBy: String?
    let approvedAt: Date?
    let refusalReason: String?
    let finishedAt: Date?
    let applicantTold: Told?
    let categories: [Category]

    init(_ lookup: StoredLookup) {
        id = lookup.id.databaseText
        caseId = lookup.caseID.databaseText
        caseNumber = lookup.caseNumber
        debtorId = lookup.debtorID.databaseText
        debtorName = lookup.debtorName
        legalBasis = lookup.legalBasis
        purpose = lookup.purpose.rawValue
        status = lookup.status.rawValue
        requestedBy = lookup.requestedBy
        requestedAt = lookup.requestedAt
        approvedBy = lookup.approvedBy
        approvedAt = lookup.approvedAt
        refusalReason = lookup.refusalReason
        finishedAt = lookup.finishedAt
        applicantTold = lookup.applicantTold.map { Told(on: $0.on.description, how: $0.how, by: $0.by) }
        categories = lookup.categories.map { category in
            Category(
                code: category.code, name: category.name, status: category.status.rawValue, attempts: category.attempts,
                reason: category.reason, digest: category.digest, source: category.source, answeredAt: category.answeredAt,
                findings: category.findings.map { finding in
                    Finding(
                        id: finding.id.databaseText, kind: finding.kind.rawValue, description: finding.description,
                        identifier: finding.identifier, valueFen: finding.value?.fen, holder: finding.holder, foundAt: finding.foundAt,
                        measures: finding.measures.map {
                            Measure(
                                id: $0.id.databaseText, kind: $0.kind.rawValue, on: $0.on.description, amountFen: $0.amount?.fen,
                                documentNumber: $0.documentNumber)
                        })
                })
        }
    }
}
