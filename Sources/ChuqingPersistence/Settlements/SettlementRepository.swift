import ChuqingDomain
import Foundation
import SQLKit

/// A settlement as stored, with its schedule and the case's payments since the agreement.
public struct SettlementRecord: Sendable, Equatable {
    public let id: UUID
    public let caseID: UUID
    public let caseNumber: String
    public let debtorNames: String
    public let judgeID: UUID?
    public let judgeName: String?
    public let agreedOn: CalendarDate
    public let filing: SettlementFiling
    public let terms: String
    /// The 中止 ruling's day (执行和解规定 art. 2).
    public let suspendedOn: CalendarDate
    /// What was left to pay on the day of the agreement.
    public let unperformedAtAgreement: Money
    public let excessReason: String?
    public let guarantor: String?
    /// The guarantor promised to submit to enforcement directly (执行和解规定 art. 18).
    public let guarantorPromise: Bool
    public let acceleration: Bool
    public let schedule: [Instalment]
    /// The case's payments received on or after the agreement and not reversed, in order.
    public let payments: [Instalment]
    public let performedOn: CalendarDate?
    public let resumptionAppliedOn: CalendarDate?
    public let resumedOn: CalendarDate?

    public var total: Money { schedule.reduce(.zero) { $0 + $1.amount } }
    /// The last day of the agreed performance period, from which the 2 years of art. 10 run.
    public var lastAgreedDay: CalendarDate { schedule.last?.dueOn ?? agreedOn }

    /// What was paid under the settlement by the end of `day`.
    public func paid(asOf day: CalendarDate) -> Money {
        payments.filter { $0.dueOn <= day }.reduce(.zero) { $0 + $1.amount }
    }

    /// The schedule on `day`, counting the payments received by then.
    public func standing(on day: CalendarDate, calendar: WorkingDayCalendar) -> ScheduleStanding {
        SettlementRules.standing(schedule, paid: paid(asOf: day), acceleration: acceleration, today: day, calendar: calendar)
    }

    /// The stage on `day` (a settlement made after `day` reads as running on it, which callers avoid).
    public func stage(on day: CalendarDate, calendar: WorkingDayCalendar) -> SettlementStage {
        if let performedOn, performedOn <= day { return .performed }
        if let resumedOn, resumedOn <= day { return .resumed }
        return standing(on: day, calendar: calendar).isBreached ? .breached : .running
    }
}

/// A settlement to write, checked by the service.
public struct NewSettlement: Sendable {
    public let caseID: String
    public let agreedOn: CalendarDate
    public let filing: SettlementFiling
    public let terms: String
    public let suspendedOn: CalendarDate
    public let schedule: [Instalment]
    public let excessReason: String?
    public let guarantor: String?
    public let guarantorPromise: Bool
    public let acceleration: Bool

    public init(
        caseID: String, agreedOn: CalendarDate, filing: SettlementFiling, terms: String, suspendedOn: CalendarDate, schedule: [Instalment],
        excessReason: String?, guarantor: String?, guarantorPromise: Bool, acceleration: Bool
    ) {
        self.caseID = caseID
        self.agreedOn = agreedOn
        self.filing = filing
        self.terms = terms
        self.suspendedOn = suspendedOn
        self.schedule = schedule
        self.excessReason = excessReason
        self.guarantor = guarantor
        self.guarantorPromise = guarantorPromise
        self.acceleration = acceleration
    }
}

/// Settlements (`settlements`, `settlement_instalments`, migration 0030).
public struct SettlementRepository: Sendable {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    private struct Row: Decodable {
        let id: String
        let case_id: String
        let case_number: String
        let judge_id: String?
        let judge_name: String?
        let agreed_on: String
        let filing: String
        let terms: String
        let suspended_on: String
        let unperformed_fen: Int64
        let excess_reason: String?
        let guarantor: String?
        let guarantor_promise: Bool
        let acceleration: Bool
        let performed_on: String?
        let resumption_applied_on: String?
        let resumed_on: String?
    }

    private static let select = """
        SELECT s.id, s.case_id, c.case_number, c.judge_id, u.display_name AS judge_name, s.agreed_on, s.filing, s.terms, s.suspended_on,
               s.unperformed_fen, s.excess_reason, s.guarantor, s.guarantor_promise, s.acceleration, s.performed_on,
               s.resumption_applied_on, s.resumed_on
        FROM settlements s JOIN enforcement_cases c ON c.id = s.case_id LEFT JOIN users u ON u.id = c.judge_id
        """

    private static func records(_ rows: [Row], on db: any SQLDatabase) async throws -> [SettlementRecord] {
        guard !rows.isEmpty else { return [] }
        struct InstalmentRow: Decodable {
            let settlement_id: String
            let due_on: String
            let amount_fen: Int64
        }
        struct PaymentRow: Decodable {
            let case_id: String
            let received_on: String
            let amount_fen: Int64
        }
        struct DebtorRow: Decodable {
            let case_id: String
            let name: String
        }
        let ids = SQLList(rows.map { SQLBind($0.id) })
        let cases = SQLList(Set(rows.map(\.case_id)).sorted().map { SQLBind($0) })
        let instalments = try await db.raw(
            "SELECT settlement_id, due_on, amount_fen FROM settlement_instalments WHERE settlement_id IN (\(ids)) ORDER BY position"
        ).all(decoding: InstalmentRow.self)
        let payments = try await db.raw(
            """
            SELECT case_id, received_on, amount_fen FROM payments WHERE reversed_at IS NULL AND case_id IN (\(cases))
            ORDER BY received_on, recorded_at
            """
        ).all(decoding: PaymentRow.self)
        let debtors = try await db.raw(
            """
            SELECT cd.case_id, d.name FROM case_debtors cd JOIN debtors d ON d.id = cd.debtor_id WHERE cd.case_id IN (\(cases))
            ORDER BY cd.position
            """
        ).all(decoding: DebtorRow.self)
        func date(_ text: String?, _ column: String) throws -> CalendarDate? { try text.map { try Stored.date($0, column) } }
        return try rows.map { row in
            let agreedOn = try Stored.date(row.agreed_on, "settlements.agreed_on")
            return SettlementRecord(
                id: try Stored.uuid(row.id, "settlements.id"), caseID: try Stored.uuid(row.case_id, "settlements.case_id"),
                caseNumber: row.case_number, debtorNames: debtors.filter { $0.case_id == row.case_id }.map(\.name).joined(separator: "、"),
                judgeID: try row.judge_id.map { try Stored.uuid($0, "enforcement_cases.judge_id") }, judgeName: row.judge_name,
                agreedOn: agreedOn, filing: try Stored.value(row.filing, "settlements.filing"), terms: row.terms,
                suspendedOn: try Stored.date(row.suspended_on, "settlements.suspended_on"),
                unperformedAtAgreement: Money(fen: row.unperformed_fen), excessReason: row.excess_reason, guarantor: row.guarantor,
                guarantorPromise: row.guarantor_promise, acceleration: row.acceleration,
                schedule: try instalments.filter { $0.settlement_id == row.id }.map {
                    Instalment(dueOn: try Stored.date($0.due_on, "settlement_instalments.due_on"), amount: Money(fen: $0.amount_fen))
                },
                payments: try payments.filter { $0.case_id == row.case_id }.compactMap {
                    let day = try Stored.date($0.received_on, "payments.received_on")
                    return day >= agreedOn ? Instalment(dueOn: day, amount: Money(fen: $0.amount_fen)) : nil
                },
                performedOn: try date(row.performed_on, "settlements.performed_on"),
                resumptionAppliedOn: try date(row.resumption_applied_on, "settlements.resumption_applied_on"),
                resumedOn: try date(row.resumed_on, "settlements.resumed_on"))
        }
    }

    /// Every settlement the reader may see (a judge: on their own cases), the earliest agreement first.
    public func settlements(visibleToJudge judge: UUID?) async throws -> [SettlementRecord] {
        let db = database.sql
        let rows: [Row]
        if let judge {
            rows = try await db.raw(
                "\(unsafeRaw: Self.select) WHERE c.judge_id = \(bind: judge.databaseText) ORDER BY s.agreed_on, c.case_number"
            ).all(decoding: Row.self)
        } else {
            rows = try await db.raw("\(unsafeRaw: Self.select) ORDER BY s.agreed_on, c.case_number").all(decoding: Row.self)
        }
        return try await Self.records(rows, on: db)
    }

    /// The settlements of one case, the earliest first.
    public func settlements(caseID: String) async throws -> [SettlementRecord] {
        try await Self.settlements(caseID: caseID, on: database.sql)
    }

    static func settlements(caseID: String, on db: any SQLDatabase) async throws -> [SettlementRecord] {
        let rows = try await db.raw("\(unsafeRaw: Self.select) WHERE s.case_id = \(bind: caseID) ORDER BY s.agreed_on, s.created_at").all(
            decoding: Row.self)
        return try await Self.records(rows, on: db)
    }

    public func settlement(id: String) async throws -> SettlementRecord? {
        let db = database.sql
        return try await Self.records(
            try await db.raw("\(unsafeRaw: Self.select) WHERE s.id = \(bind: id)").all(decoding: Row.self), on: db
        ).first
    }

    /// The case's settlement that is neither performed nor resumed, if any.
    static func running(caseID: String, on db: any SQLDatabase) async throws -> SettlementRecord? {
        try await settlements(caseID: caseID, on: db).last { $0.performedOn == nil && $0.resumedOn == nil }
    }

    /// Writes a settlement, its schedule, the case's history line (中止) and the audit entry. The
    /// case must be in enforcement (a 终本 case is resumed as 执恢 first: 终结本次 is not a
    /// settlement outcome, 执行和解规定 art. 2) and have no running settlement.
    public func insert(_ settlement: NewSettlement, author: HistoryAuthor, audit: AuditEntry, now: Date) async throws -> String {
        let id = UUID().databaseText
        let cases = CaseRepository(database: database)
        try await database.transaction { db in
            guard let current = try await cases.detail(id: settlement.caseID, on: db) else { throw CaseNotFound() }
            guard current.summary.status == .inEnforcement else {
                throw DomainError(
                    code: "case_not_in_enforcement",
                    message:
                        "案件当前状态为「\(current.summary.status.chinese)」，只有执行中的案件可以登记执行和解\(current.summary.status == .terminatedThisRound ? "；终本案件请先恢复执行（立执恢案件），在执恢案件中登记和解" : "")",
                    field: "caseId", kind: .conflict)
            }
            let unperformed = current.summary.unperformed
            let total = settlement.schedule.reduce(Money.zero) { $0 + $1.amount }
            try SettlementRules.checkTotal(total, unperformed: unperformed, excessReason: settlement.excessReason)
            do {
                try await db.raw(
                    """
                    INSERT INTO settlements (id, case_id, agreed_on, filing, terms, suspended_on, unperformed_fen, total_fen, excess_reason,
                        guarantor, guarantor_promise, acceleration, last_due_on, created_by, created_at)
                    VALUES (\(bind: id), \(bind: settlement.caseID), \(bind: settlement.agreedOn.description), \(bind: settlement.filing.rawValue),
                            \(bind: settlement.terms), \(bind: settlement.suspendedOn.description), \(bind: unperformed.fen), \(bind: total.fen),
                            \(bind: settlement.excessReason), \(bind: settlement.guarantor), \(bind: settlement.guarantorPromise),
                            \(bind: settlement.acceleration), \(bind: settlement.schedule.last!.dueOn.description), \(bind: author.id?.databaseText),
                            \(bind: now))
                    """
                ).run()
            } catch  where DatabaseErrors.isUniqueViolation(error) {
                throw DomainError(
                    code: "settlement_running", message: "本案已有正在履行的和解协议；请登记其履行，或在违约后恢复执行", field: "caseId", kind: .conflict)
            }
            for (position, instalment) in settlement.schedule.enumerated() {
                try await db.raw(
                    """
                    INSERT INTO settlement_instalments (settlement_id, position, due_on, amount_fen)
                    VALUES (\(bind: id), \(bind: position + 1), \(bind: instalment.dueOn.description), \(bind: instalment.amount.fen))
                    """
                ).run()
            }
            try await cases.history(
                caseID: settlement.caseID, on: settlement.agreedOn, author: author, event: "settlement", from: nil, to: nil, reason: "",
                detail:
                    "执行和解（\(settlement.filing.chinese)），分 \(settlement.schedule.count) 期共 \(total.formatted)，最后一期 \(settlement.schedule.last!.dueOn)；\(settlement.suspendedOn) 裁定中止执行",
                now: now, db: db)
            try await AuditLogRepository().append(audit, on: db)
        }
        return id
    }

    /// After a payment, in its transaction: a running settlement whose schedule is now paid is
    /// performed on the day of the payment that completed it, and the case closes as 执行完毕
    /// (执行和解规定 art. 8, "performance closes the case").
    static func closeIfPerformed(caseID: String, author: HistoryAuthor, now: Date, cases: CaseRepository, on db: any SQLDatabase)
        async throws
    {
        guard let settlement = try await running(caseID: caseID, on: db) else { return }
        var paid = Money.zero
        var completedOn: CalendarDate?
        for payment in settlement.payments {
            paid = paid + payment.amount
            if paid >= settlement.total {
                completedOn = payment.dueOn
                break
            }
        }
        guard let completedOn else { return }
        try await db.raw(
            "UPDATE settlements SET performed_on = \(bind: completedOn.description) WHERE id = \(bind: settlement.id.databaseText)"
        ).run()
        try await db.raw(
            """
            UPDATE enforcement_cases SET status = \(bind: CaseStatus.fullyEnforced.rawValue), closed_on = \(bind: completedOn.description),
                updated_at = \(bind: now)
            WHERE id = \(bind: caseID)
            """
        ).run()
        try await cases.history(
            caseID: caseID, on: completedOn, author: author, event: "transition", from: CaseStatus.inEnforcement.rawValue,
            to: CaseStatus.fullyEnforced.rawValue, reason: "执行和解协议履行完毕",
            detail: "和解协议 \(settlement.total.formatted) 已履行完毕 → \(CaseStatus.fullyEnforced.chinese)", now: now, db: db)
    }

    /// After a payment is reversed, in its transaction: a settlement that the payment completed is
    /// running again and its case is back in enforcement (中止), so the case does not stay closed
    /// on money that never came.
    static func reopenIfUnpaid(caseID: String, author: HistoryAuthor, now: Date, cases: CaseRepository, on db: any SQLDatabase) async throws
    {
        guard let settlement = try await settlements(caseID: caseID, on: db).last, settlement.performedOn != nil else { return }
        let paid = settlement.payments.reduce(Money.zero) { $0 + $1.amount }
        guard paid < settlement.total else { return }
        try await db.raw("UPDATE settlements SET performed_on = NULL WHERE id = \(bind: settlement.id.databaseText)").run()
        try await db.raw(
            """
            UPDATE enforcement_cases SET status = \(bind: CaseStatus.inEnforcement.rawValue), closed_on = NULL, updated_at = \(bind: now)
            WHERE id = \(bind: caseID)
            """
        ).run()
        try await cases.history(
            caseID: caseID, on: nil, author: author, event: "transition", from: CaseStatus.fullyEnforced.rawValue,
            to: CaseStatus.inEnforcement.rawValue, reason: "履行记录撤销",
            detail: "和解协议尚欠 \((settlement.total - paid).formatted)，恢复为和解履行中（中止执行）", now: now, db: db)
    }

    /// What a running settlement still expects, which a payment may reach without saying why it
    /// exceeds the judgment's unperformed amount (a schedule with 迟延履行利息, already explained).
    static func remaining(caseID: String, on db: any SQLDatabase) async throws -> Money {
        guard let settlement = try await running(caseID: caseID, on: db) else { return .zero }
        return max(.zero, settlement.total - settlement.payments.reduce(.zero) { $0 + $1.amount })
    }

    /// Records the resumption after a breach (恢复执行): the settlement ends and the case is no
    /// longer 中止; what was paid stays counted (执行和解规定 art. 12).
    public func resume(
        settlementID: String, caseID: String, appliedOn: CalendarDate, on date: CalendarDate, inBreach: Money, author: HistoryAuthor,
        audit: AuditEntry, now: Date
    ) async throws {
        try await database.transaction { db in
            try await db.raw(
                """
                UPDATE settlements SET resumption_applied_on = \(bind: appliedOn.description), resumed_on = \(bind: date.description)
                WHERE id = \(bind: settlementID) AND resumed_on IS NULL AND performed_on IS NULL
                """
            ).run()
            try await CaseRepository(database: database).history(
                caseID: caseID, on: date, author: author, event: "resumed", from: nil, to: nil, reason: "和解协议违约",
                detail: "申请执行人 \(appliedOn) 申请恢复执行，违约金额 \(inBreach.formatted)；恢复执行原生效法律文书，已履行部分予以扣除", now: now, db: db)
            try await AuditLogRepository().append(audit, on: db)
        }
    }

    /// The batch's settlements agreed by `asOf`.
    public func settlements(batchID: String) async throws -> [SettlementRecord] {
        let db = database.sql
        let rows = try await db.raw(
            """
            \(unsafeRaw: Self.select) JOIN batch_cases bc ON bc.case_id = s.case_id WHERE bc.batch_id = \(bind: batchID)
            ORDER BY s.agreed_on
            """
        ).all(decoding: Row.self)
        return try await Self.records(rows, on: db)
    }
}
