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

/// A 终本 debtor whose periodic look-up is due (`/api/v1/asset-lookups/due`; 法〔2016〕373号 art. 9).
struct DueLookupResponse: Encodable {
    let caseId: String
    let caseNumber: String
    let judgeName: String?
    let debtorId: String
    let debtorName: String
    let terminatedOn: String
    let lastLookupOn: String?
    let dueOn: String
    let lookupsFindingNothing: Int

    init(_ due: AssetLookupRepository.DueLookup) {
        caseId = due.caseID.databaseText
        caseNumber = due.caseNumber
        judgeName = due.judgeName
        debtorId = due.debtorID.databaseText
        debtorName = due.debtorName
        terminatedOn = due.terminatedOn.description
        lastLookupOn = due.lastLookupOn?.description
        dueOn = due.dueOn.description
        lookupsFindingNothing = due.lookupsFindingNothing
    }
}

/// A department's data extract (数据提取文件) as loaded (`/api/v1/asset-snapshots`).
struct SnapshotResponse: Encodable {
    let id: String
    let category: String
    let extractedOn: String
    let fileName: String
    let digest: String
    let rows: Int
    let loadedBy: String
    let loadedAt: Date

    init(_ snapshot: SnapshotSummary) {
        id = snapshot.id.databaseText
        category = snapshot.category
        extractedOn = snapshot.extractedOn.description
        fileName = snapshot.fileName
        digest = snapshot.digest
        rows = snapshot.rows
        loadedBy = snapshot.loadedBy
        loadedAt = snapshot.loadedAt
    }
}

/// One look-up in the log the auditors read (`/api/v1/asset-lookups`): the debtor's ID number
/// masked as published.
struct LookupLogEntryResponse: Encodable {
    let id: String
    let caseId: String
    let caseNumber: String
    let debtorName: String
    let debtorIdNumber: String
    let legalBasis: String
    let purpose: String
    let status: String
    let requestedBy: String?
    let requestedAt: Date
    let approvedBy: String?
    let approvedAt: Date?
    let finishedAt: Date?
    let categories: Int
    let answered: Int
    let failed: Int
    let timedOut: Int
    let findings: Int
    let applicantToldOn: String?

    init(_ entry: LookupLogEntry) {
        id = entry.id.databaseText
        caseId = entry.caseID.databaseText
        caseNumber = entry.caseNumber
        debtorName = entry.debtorName
        debtorIdNumber = entry.debtorIdNumber
        legalBasis = entry.legalBasis
        purpose = entry.purpose.rawValue
        status = entry.status.rawValue
        requestedBy = entry.requestedBy
        requestedAt = entry.requestedAt
        approvedBy = entry.approvedBy
        approvedAt = entry.approvedAt
        finishedAt = entry.finishedAt
        categories = entry.categories
        answered = entry.answered
        failed = entry.failed
        timedOut = entry.timedOut
        findings = entry.findings
        applicantToldOn = entry.applicantToldOn?.description
    }
}
