import ChuqingDomain
import ChuqingPersistence
import ChuqingServices
import Foundation
import Hummingbird

/// `/api/v1/settlements`: the 和解推进组's settlements with their instalments (issue 18 item 4).
/// Resumption after a breach is `POST /api/v1/cases/{id}/resume` with `"ground":"settlementBreach"`.
struct SettlementController {
    let settlements: SettlementService

    struct NewSettlement: Decodable {
        struct Line: Decodable {
            let dueOn: CalendarDate
            let amountFen: Int64
        }
        let caseId: UUID
        let agreedOn: CalendarDate
        /// `bothFiled` (the default), `filedAndConfirmed` or `oralRecord`.
        let filing: String?
        let terms: String
        let suspendedOn: CalendarDate?
        let instalments: [Line]
        let excessReason: String?
        let guarantor: String?
        let guarantorPromise: Bool?
        let acceleration: Bool?
    }

    struct SettlementList: Encodable {
        let items: [SettlementResponse]
        let nextCursor: String?
    }

    func register(on routes: RouteTable) {
        routes.on(.post, "/api/v1/settlements", .permitted(.changeCases), use: create)
        routes.on(.get, "/api/v1/settlements", .permitted(.readCases), use: list)
        routes.on(.get, "/api/v1/settlements/:id", .permitted(.readCases), use: show)
        routes.on(.get, "/api/v1/cases/:id/settlements", .permitted(.readCases), use: ofCase)
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body = try await request.decode(as: NewSettlement.self, context: context)
        let settlement = try await settlements.create(
            .init(
                caseID: body.caseId, agreedOn: body.agreedOn, filing: try body.filing.map { try SettlementFiling.parse($0) } ?? .bothFiled,
                terms: body.terms, suspendedOn: body.suspendedOn,
                instalments: body.instalments.map { Instalment(dueOn: $0.dueOn, amount: Money(fen: $0.amountFen)) },
                excessReason: body.excessReason, guarantor: body.guarantor, guarantorPromise: body.guarantorPromise ?? false,
                acceleration: body.acceleration ?? false),
            by: context.acting)
        return try JSON.response(SettlementResponse(settlement, service: settlements), status: .created)
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        var stage: SettlementStage? = nil
        if let text = request.uri.queryParameters.get("stage"), !text.isEmpty {
            do { stage = try SettlementStage.parse(text) } catch {
                throw APIError(.badRequest, code: error.code, message: error.message, field: "stage")
            }
        }
        let items = try await settlements.settlements(stage: stage, by: context.acting)
        return try JSON.response(SettlementList(items: items.map { SettlementResponse($0, service: settlements) }, nextCursor: nil))
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        try JSON.response(
            SettlementResponse(try await settlements.settlement(id: context.pathID, by: context.acting), service: settlements))
    }

    @Sendable func ofCase(_ request: Request, context: AppRequestContext) async throws -> Response {
        let items = try await settlements.settlements(caseID: context.pathID, by: context.acting)
        return try JSON.response(SettlementList(items: items.map { SettlementResponse($0, service: settlements) }, nextCursor: nil))
    }
}

/// A settlement as the API shows it, with its standing today.
struct SettlementResponse: Encodable {
    let id: String
    let caseId: String
    let caseNumber: String
    let debtorNames: String
    let judgeName: String?
    let agreedOn: String
    let filing: String
    let filingLabel: String
    let terms: String
    let suspendedOn: String
    let unperformedAtAgreementFen: Int64
    let totalFen: Int64
    let paidFen: Int64
    let remainingFen: Int64
    /// What the breach concerns: everything left with an acceleration clause, else the
    /// instalments past their day.
    let inBreachFen: Int64
    let excessReason: String?
    let guarantor: String?
    let guarantorPromise: Bool
    let acceleration: Bool
    let lastAgreedDay: String
    /// The last day to apply for resumption (2 years on, 执行和解规定 art. 10), before any move
    /// past a holiday the calendar does not yet know.
    let resumptionLastDay: String
    let stage: String
    let stageLabel: String
    let performedOn: String?
    let resumptionAppliedOn: String?
    let resumedOn: String?
    let instalments: [Line]

    struct Line: Encodable {
        let number: Int
        let dueOn: String
        let amountFen: Int64
        let paidFen: Int64
        let overdue: Bool
    }

    init(_ settlement: SettlementRecord, service: SettlementService) {
        let today = service.today
        let standing = settlement.standing(on: today, calendar: service.calendar)
        let stage = settlement.stage(on: today, calendar: service.calendar)
        let limit = SettlementRules.resumptionLastDay(lastAgreedDay: settlement.lastAgreedDay, calendar: service.calendar)
        id = settlement.id.databaseText
        caseId = settlement.caseID.databaseText
        caseNumber = settlement.caseNumber
        debtorNames = settlement.debtorNames
        judgeName = settlement.judgeName
        agreedOn = settlement.agreedOn.description
        filing = settlement.filing.rawValue
        filingLabel = settlement.filing.chinese
        terms = settlement.terms
        suspendedOn = settlement.suspendedOn.description
        unperformedAtAgreementFen = settlement.unperformedAtAgreement.fen
        totalFen = standing.total.fen
        paidFen = standing.paid.fen
        remainingFen = standing.remaining.fen
        inBreachFen = stage == .breached ? standing.inBreach.fen : 0
        excessReason = settlement.excessReason
        guarantor = settlement.guarantor
        guarantorPromise = settlement.guarantorPromise
        acceleration = settlement.acceleration
        lastAgreedDay = settlement.lastAgreedDay.description
        resumptionLastDay = (limit.extended ?? limit.nominal).description
        self.stage = stage.rawValue
        stageLabel = stage.chinese
        performedOn = settlement.performedOn?.description
        resumptionAppliedOn = settlement.resumptionAppliedOn?.description
        resumedOn = settlement.resumedOn?.description
        instalments = standing.lines.enumerated().map {
            Line(
                number: $0.offset + 1, dueOn: $0.element.instalment.dueOn.description, amountFen: $0.element.instalment.amount.fen,
                paidFen: $0.element.paid.fen, overdue: $0.element.overdue)
        }
    }
}
