import ChuqingDomain
import ChuqingPersistence
import ChuqingServices
import Foundation
import Hummingbird

/// `/api/v1/cases`: search, read, payments, transitions and resumption.
///
/// Judges see the cases assigned to them; the director, clerks, auditors and the admin see all.
/// Liaisons see none of this (a later capability gives them their township's debtors).
struct CaseController {
    let cases: CaseService
    let settlements: SettlementService

    struct CaseList: Encodable {
        let items: [CaseSummaryResponse]
        let nextCursor: String?
        /// How many cases match, on every page.
        let total: Int
    }

    struct PaymentRequest: Decodable {
        let amountFen: Int64
        let receivedOn: CalendarDate
        let method: String
        /// What a payment above the unperformed amount is for (迟延履行利息, 执行费, …).
        let excessReason: String?
    }

    struct ReversalRequest: Decodable {
        let reason: String
    }

    struct TransitionRequest: Decodable {
        let to: String
        let on: CalendarDate
        let reason: String?
        let conditions: TerminationConditions?
    }

    /// A 终本 case resumed as a 执恢 case: `caseNumber` and `on`. A settlement's breach
    /// (执行和解规定 art. 9): `"ground":"settlementBreach"`, `appliedOn` and, optionally, the ruling's `on`.
    struct ResumeRequest: Decodable {
        let on: CalendarDate?
        let caseNumber: CaseNumber?
        let ground: String?
        let appliedOn: CalendarDate?
    }

    struct NewCaseRequest: Decodable {
        struct Judgment: Decodable {
            let documentNumber: String
            let issuedBy: String
            let duty: String?
        }
        struct Debtor: Decodable {
            let kind: String
            let name: String
            let idNumber: String
            let legalRepresentative: String?
            let address: String?
            let phone: String?
            let township: String?
            let isPublicOfficial: Bool?
            let employer: String?
        }
        let caseNumber: CaseNumber
        let courtCode: String
        let filedOn: CalendarDate
        let judgment: Judgment
        let applicants: [String]
        let debtors: [Debtor]
        let targetFen: Int64
        let judgeID: UUID?

        /// What the service takes.
        var input: CaseService.NewCaseInput {
            CaseService.NewCaseInput(
                caseNumber: caseNumber, courtCode: courtCode, filedOn: filedOn, documentNumber: judgment.documentNumber,
                issuedBy: judgment.issuedBy, duty: judgment.duty, applicants: applicants,
                debtors: debtors.map {
                    NewCaseRules.DebtorInput(
                        kind: $0.kind, name: $0.name, idNumber: $0.idNumber, legalRepresentative: $0.legalRepresentative,
                        address: $0.address, phone: $0.phone, township: $0.township, isPublicOfficial: $0.isPublicOfficial ?? false,
                        employer: $0.employer)
                },
                target: Money(fen: targetFen), judgeID: judgeID)
        }
    }

    func register(on routes: RouteTable) {
        routes.on(.get, "/api/v1/cases", .permitted(.readCases), use: search)
        routes.on(.post, "/api/v1/cases", .permitted(.changeCases), use: create)
        routes.on(.get, "/api/v1/cases/:id", .permitted(.readCases), use: show)
        routes.on(.patch, "/api/v1/cases/:id", .permitted(.changeCases), use: update)
        routes.on(.post, "/api/v1/cases/:id/payments", .permitted(.changeCases), use: recordPayment)
        routes.on(.post, "/api/v1/payments/:id/reversal", .permitted(.changeCases), use: reversePayment)
        routes.on(.post, "/api/v1/cases/:id/transitions", .permitted(.changeCases), use: transition)
        routes.on(.post, "/api/v1/cases/:id/resume", .permitted(.changeCases), use: resume)
    }

    @Sendable func search(_ request: Request, context: AppRequestContext) async throws -> Response {
        let filter = try Self.filter(from: request)
        let page = try await cases.search(
            filter, limit: try Self.limit(request), after: request.uri.queryParameters.get("cursor"), by: context.acting)
        return try JSON.response(
            CaseList(
                items: page.items.map(CaseSummaryResponse.init), nextCursor: page.nextCursor,
                total: try await cases.count(filter, by: context.acting)))
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body = try await request.decode(as: NewCaseRequest.self, context: context)
        return try JSON.response(CaseResponse(try await cases.create(body.input, by: context.acting)), status: .created)
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        try JSON.response(CaseResponse(try await cases.visibleCase(id: context.pathID, by: context.acting)))
    }

    @Sendable func update(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await inScope(context)
        let body = try await request.decode(as: CaseChangesRequest.self, context: context)
        return try JSON.response(CaseResponse(try await cases.update(caseID: context.pathID, body.changes, by: context.acting)))
    }

    @Sendable func recordPayment(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await inScope(context)
        let body = try await request.decode(as: PaymentRequest.self, context: context)
        let detail = try await cases.recordPayment(
            caseID: context.pathID, amount: Money(fen: body.amountFen), receivedOn: body.receivedOn,
            method: try PaymentMethod.parse(body.method), excessReason: body.excessReason, by: context.acting)
        return try JSON.response(CaseResponse(detail), status: .created)
    }

    /// The case's detail after the reversal; a payment on a case the caller may not see is 404.
    @Sendable func reversePayment(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body = try await request.decode(as: ReversalRequest.self, context: context)
        return try JSON.response(
            CaseResponse(try await cases.reversePayment(paymentID: context.pathID, reason: body.reason, by: context.acting)))
    }

    @Sendable func transition(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await inScope(context)
        let body = try await request.decode(as: TransitionRequest.self, context: context)
        let detail = try await cases.transition(
            caseID: context.pathID, to: try Lifecycle.transitionTarget(body.to), on: body.on, reason: body.reason ?? "",
            conditions: body.conditions, by: context.acting)
        return try JSON.response(CaseResponse(detail))
    }

    @Sendable func resume(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await inScope(context)
        let body = try await request.decode(as: ResumeRequest.self, context: context)
        switch body.ground?.trimmed {
        case "settlementBreach":
            guard let appliedOn = body.appliedOn else {
                throw APIError(.badRequest, code: "missing_field", message: "缺少必填字段「appliedOn」（申请执行人申请恢复执行的日期）", field: "appliedOn")
            }
            let detail = try await settlements.resume(caseID: context.pathID, appliedOn: appliedOn, on: body.on, by: context.acting)
            return try JSON.response(CaseResponse(detail))
        case nil:
            guard let caseNumber = body.caseNumber else {
                throw APIError(
                    .badRequest, code: "missing_field", message: "缺少必填字段「caseNumber」（执恢案号）；和解违约恢复执行请用 \"ground\":\"settlementBreach\"",
                    field: "caseNumber")
            }
            guard let on = body.on else { throw APIError(.badRequest, code: "missing_field", message: "缺少必填字段「on」", field: "on") }
            let detail = try await cases.resume(caseID: context.pathID, as: caseNumber, on: on, by: context.acting)
            return try JSON.response(CaseResponse(detail), status: .created)
        case let other?:
            throw DomainError(
                code: "unknown_ground", message: "ground 只能是 settlementBreach（和解协议违约）；终本案件恢复执行不填 ground，给出执恢案号（收到「\(other)」）",
                field: "ground")
        }
    }

    /// Answers 404 for a case the caller may not see before the body is read, so that another
    /// judge's case is "not found" whatever the request says (existence does not leak).
    private func inScope(_ context: AppRequestContext) async throws {
        _ = try await cases.visibleCase(id: context.pathID, by: context.acting)
    }

    static func limit(_ request: Request) throws -> Int {
        guard let text = request.uri.queryParameters.get("limit") else { return 50 }
        guard let value = Int(text), (1...200).contains(value) else {
            throw APIError(.badRequest, code: "invalid_limit", message: "limit 须为 1–200 之间的整数（收到「\(text)」）", field: "limit")
        }
        return value
    }

    /// Reads the search filters; each malformed one is a 400 naming it.
    static func filter(from request: Request) throws -> CaseFilter {
        let query = request.uri.queryParameters
        func value(_ name: String) -> String? {
            query.get(name).map { $0.trimmingCharacters(in: .whitespaces) }.flatMap { $0.isEmpty ? nil : $0 }
        }
        func bad(_ error: DomainError) -> APIError { APIError(.badRequest, code: error.code, message: error.message, field: error.field) }
        var filter = CaseFilter()
        do {
            if let text = value("caseNumber") { filter.caseNumber = try CaseNumber(text) }
            if let text = value("q") { filter.text = try CaseSearchText.parse(text) }
            if let text = value("status") { filter.status = try CaseStatus.parse(text) }
            if let text = value("filedFrom") { filter.filedFrom = try CalendarDate.parse(text, field: "filedFrom") }
            if let text = value("filedTo") { filter.filedTo = try CalendarDate.parse(text, field: "filedTo") }
        } catch {
            throw bad(error)
        }
        filter.debtorName = value("debtorName")
        // ID numbers are stored upper-case (x = X); 15-digit ones were upgraded on the way in.
        if let text = value("idNumber") {
            let upper = text.uppercased()
            if upper.count == 15, upper.allSatisfy(\.isNumber),
                let upgraded = try? CitizenID(upper, today: CalendarDate(year: 9999, month: 12, day: 31)!)
            {
                filter.idNumber = upgraded.value
            } else {
                filter.idNumber = upper
            }
        }
        filter.townshipCode = value("township")
        if let text = value("judge") {
            guard let id = UUID(uuidString: text) else {
                throw APIError(.badRequest, code: "invalid_judge", message: "judge 须为用户 id（收到「\(text)」）", field: "judge")
            }
            filter.judgeID = id
        }
        for (name, keyPath) in [("minTargetFen", \CaseFilter.minTargetFen), ("maxTargetFen", \CaseFilter.maxTargetFen)] {
            if let text = value(name) {
                guard let fen = Int64(text), fen >= 0 else {
                    throw APIError(.badRequest, code: "invalid_amount", message: "\(name) 须为以分计的非负整数（收到「\(text)」）", field: name)
                }
                filter[keyPath: keyPath] = fen
            }
        }
        return filter
    }
}
