import ChuqingDomain
import Foundation
import SQLKit

/// Who made a change, as a case's history records it (nil: the command line).
public struct HistoryAuthor: Sendable {
    public let id: UUID?
    public let username: String?

    public init(id: UUID?, username: String?) {
        self.id = id
        self.username = username
    }
}

/// Enforcement cases: search, the full case, and the changes made in Chuqing (payments,
/// transitions, resumption), each written with its history entry in one transaction.
public struct CaseRepository: Sendable {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    private struct SummaryRow: Decodable {
        let id: String
        let case_number: String
        let court_code: String
        let court_name: String
        let filed_on: String
        let closed_on: String?
        let status: String
        let target_fen: Int64
        let performed_fen: Int64
        let judge_name: String?
        let township_name: String?
    }

    /// What is performed on the case `c` (the alias the query gives it) as of `date`, or by now when
    /// nil: the one definition that the case page, the API, notices, bulletins and exports read
    /// (issue 16 item 4; a published 未履行金额 that is too high is a ground for correction, 法释
    /// 〔2017〕7号 art. 11). It is what the export said was performed, plus the payments recorded
    /// in Chuqing on the case and on every 执恢 case that carries on its enforcement (a successor's
    /// imported amount already holds what was paid before it was opened), less reversed ones.
    /// PostgreSQL's SUM of BIGINT is NUMERIC: cast back so both engines return an integer.
    public static func performed(asOf date: CalendarDate? = nil) -> SQLQueryString {
        let received: SQLQueryString = date.map { " AND p.received_on <= \(bind: $0.description)" } ?? ""
        return """
            CAST(c.imported_performed_fen + COALESCE((SELECT SUM(p.amount_fen) FROM payments p
                WHERE p.reversed_at IS NULL\(received) AND p.case_id IN (
                    SELECT s.id FROM enforcement_cases s
                    WHERE s.id = c.id OR (s.chain_root_id = COALESCE(c.chain_root_id, c.id) AND s.chain_position > c.chain_position))
            ), 0) AS BIGINT)
            """
    }

    private static var summarySelect: SQLQueryString {
        """
        SELECT c.id, c.case_number, c.court_code, ct.name AS court_name, c.filed_on, c.closed_on, c.status, c.target_fen,
               \(performed()) AS performed_fen, c.judge_name, t.name AS township_name
        FROM enforcement_cases c JOIN courts ct ON ct.code = c.court_code LEFT JOIN townships t ON t.code = c.township_code
        """
    }

    /// Cases matching `filter`, newest filing first, `limit` at most, after `cursor` (the last
    /// case's `filedOn~id` from the previous page) or from `offset` (the page's numbered pages).
    public func search(_ filter: CaseFilter, limit: Int, after cursor: String?, offset: Int = 0) async throws -> (
        items: [CaseSummary], nextCursor: String?
    ) {
        var conditions = Self.conditions(filter)
        if let cursor {
            let parts = cursor.split(separator: "~", maxSplits: 1).map(String.init)
            guard parts.count == 2 else {
                throw DomainError(code: "invalid_cursor", message: "cursor 无效：请使用上一页返回的 nextCursor", field: "cursor")
            }
            conditions.append("(c.filed_on < \(bind: parts[0]) OR (c.filed_on = \(bind: parts[0]) AND c.id < \(bind: parts[1])))")
        }
        var query = Self.summarySelect
        if !conditions.isEmpty { query += " WHERE " + conditions.joined(separator: " AND ") }
        query += " ORDER BY c.filed_on DESC, c.id DESC LIMIT \(literal: limit + 1)"
        if offset > 0 { query += " OFFSET \(literal: offset)" }
        var rows = try await database.sql.raw(query).all(decoding: SummaryRow.self)
        let hasMore = rows.count > limit
        if hasMore { rows.removeLast() }
        let debtors = try await debtors(ofCases: rows.map(\.id), on: database.sql)
        let items = try rows.map { try Self.summary($0, debtors: debtors[$0.id] ?? []) }
        let next = hasMore ? rows.last.map { "\($0.filed_on)~\($0.id)" } : nil
        return (items, next)
    }

    /// The cases `ids` (those that exist, and only a judge's own when `visibleToJudge`), in
    /// case-number order, read in chunks that stay under both engines' bind limits.
    public func summaries(ids: [String], visibleToJudge judge: UUID? = nil) async throws -> [CaseSummary] {
        var rows: [SummaryRow] = []
        for start in stride(from: 0, to: ids.count, by: 1_000) {
            var query = Self.summarySelect + " WHERE c.id IN (\(binds: Array(ids[start..<min(ids.count, start + 1_000)])))"
            if let judge { query += " AND c.judge_id = \(bind: judge.databaseText)" }
            rows += try await database.sql.raw(query).all(decoding: SummaryRow.self)
        }
        rows.sort { $0.case_number < $1.case_number }
        let debtors = try await debtors(ofCases: rows.map(\.id), on: database.sql)
        return try rows.map { try Self.summary($0, debtors: debtors[$0.id] ?? []) }
    }

    /// How many cases match `filter` (the list's 共 N 件).
    public func count(_ filter: CaseFilter) async throws -> Int {
        let conditions = Self.conditions(filter)
        var query: SQLQueryString = "SELECT COUNT(*) AS n FROM enforcement_cases c"
        if !conditions.isEmpty { query += " WHERE " + conditions.joined(separator: " AND ") }
        struct N: Decodable { let n: Int }
        return try await database.sql.raw(query).first(decoding: N.self)?.n ?? 0
    }

    private static func conditions(_ filter: CaseFilter) -> [SQLQueryString] {
        var conditions: [SQLQueryString] = []
        if let number = filter.caseNumber { conditions.append("c.case_number = \(bind: number.canonical)") }
        // The search box, from `case_search` (migration 0022: FTS5 trigram on SQLite, pg_trgm on
        // PostgreSQL, both answering LIKE from an index): a UNION of one indexed look-up per
        // column, so neither planner falls back to scanning the table for an OR.
        if let text = filter.text {
            var parts: [SQLQueryString] = [
                "SELECT case_id FROM case_search WHERE numbers LIKE \(bind: "%" + text.text + "%")",
                "SELECT case_id FROM case_search WHERE names LIKE \(bind: "%" + text.text + "%")",
            ]
            if let suffix = text.idSuffix {
                parts.append("SELECT case_id FROM case_search WHERE ids LIKE \(bind: "%" + suffix + "|%")")
            }
            conditions.append("c.id IN (" + parts.joined(separator: " UNION ") + ")")
        }
        if let status = filter.status { conditions.append("c.status = \(bind: status.rawValue)") }
        if let township = filter.townshipCode { conditions.append("c.township_code = \(bind: township)") }
        if let judge = filter.judgeID { conditions.append("c.judge_id = \(bind: judge.databaseText)") }
        if let judge = filter.visibleToJudge { conditions.append("c.judge_id = \(bind: judge.databaseText)") }
        if let from = filter.filedFrom { conditions.append("c.filed_on >= \(bind: from.description)") }
        if let to = filter.filedTo { conditions.append("c.filed_on <= \(bind: to.description)") }
        if let min = filter.minTargetFen { conditions.append("c.target_fen >= \(bind: min)") }
        if let max = filter.maxTargetFen { conditions.append("c.target_fen <= \(bind: max)") }
        // Debtor filters as IN (…) rather than a correlated EXISTS: the planner then starts from
        // the debtor's index (id_number, name) instead of probing every case (3.9 s against
        // 0.x ms at a million cases on SQLite; docs/performance.md).
        if let name = filter.debtorName {
            conditions.append(
                """
                c.id IN (SELECT cd.case_id FROM debtors d JOIN case_debtors cd ON cd.debtor_id = d.id WHERE d.name = \(bind: name))
                """)
        }
        if let idNumber = filter.idNumber {
            conditions.append(
                """
                c.id IN (SELECT cd.case_id FROM debtors d JOIN case_debtors cd ON cd.debtor_id = d.id WHERE d.id_number = \(bind: idNumber))
                """)
        }
        return conditions
    }

    /// The case with this id, in full.
    public func detail(id: String) async throws -> CaseDetail? {
        try await detail(id: id, on: database.sql)
    }

    func detail(id: String, on db: any SQLDatabase) async throws -> CaseDetail? {
        guard let row = try await db.raw(Self.summarySelect + " WHERE c.id = \(bind: id)").first(decoding: SummaryRow.self)
        else {
            return nil
        }
        struct Extra: Decodable {
            let applicants: String
            let imported_performed_fen: Int64
            let judge_id: String?
            let document_number: String
            let issued_by: String
            let effective_on: String?
            let duty: String?
            let resumed_from_id: String?
        }
        let extra = try await db.raw(
            """
            SELECT c.applicants, c.imported_performed_fen, c.judge_id, j.document_number, j.issued_by, j.effective_on, j.duty, c.resumed_from_id
            FROM enforcement_cases c JOIN judgments j ON j.id = c.judgment_id WHERE c.id = \(bind: id)
            """
        ).first(decoding: Extra.self)!
        struct LinkRow: Decodable {
            let id: String
            let case_number: String
            func link() throws -> CaseDetail.Link {
                .init(
                    id: try Stored.uuid(id, "enforcement_cases.id"),
                    caseNumber: try Stored.caseNumber(case_number, "enforcement_cases.case_number"))
            }
        }
        let from =
            try await extra.resumed_from_id.asyncMap { fromID in
                try await db.raw("SELECT id, case_number FROM enforcement_cases WHERE id = \(bind: fromID)").first(decoding: LinkRow.self)
            } ?? nil
        let asCase = try await db.raw("SELECT id, case_number FROM enforcement_cases WHERE resumed_from_id = \(bind: id)").first(
            decoding: LinkRow.self)
        struct PaymentRow: Decodable {
            let id: String
            let amount_fen: Int64
            let received_on: String
            let method: String
            let excess_reason: String?
            let reversed_at: Date?
            let reversed_by: String?
            let reversal_reason: String?
        }
        let payments = try await db.raw(
            """
            SELECT p.id, p.amount_fen, p.received_on, p.method, p.excess_reason, p.reversed_at,
                   COALESCE(u.display_name, u.username) AS reversed_by, p.reversal_reason
            FROM payments p LEFT JOIN users u ON u.id = p.reversed_by
            WHERE p.case_id = \(bind: id) ORDER BY p.received_on, p.id
            """
        )
        .all(decoding: PaymentRow.self)
        struct HistoryRow: Decodable {
            let occurred_at: Date
            let on_date: String?
            let actor_username: String?
            let event: String
            let from_status: String?
            let to_status: String?
            let reason: String
            let detail: String
        }
        let history = try await db.raw(
            """
            SELECT h.occurred_at, h.on_date, COALESCE(u.display_name, h.actor_username) AS actor_username, h.event, h.from_status,
                   h.to_status, h.reason, h.detail
            FROM case_history h LEFT JOIN users u ON u.id = h.actor_id
            WHERE h.case_id = \(bind: id) ORDER BY h.occurred_at, h.id
            """
        ).all(decoding: HistoryRow.self)
        let debtors = try await debtors(ofCases: [id], on: db)[id] ?? []
        return CaseDetail(
            summary: try Self.summary(row, debtors: debtors),
            judgment: .init(
                documentNumber: extra.document_number, issuedBy: extra.issued_by,
                effectiveOn: try extra.effective_on.map { try Stored.date($0, "judgments.effective_on") }, duty: extra.duty),
            applicants: extra.applicants.split(separator: "、").map(String.init),
            importedPerformed: Money(fen: extra.imported_performed_fen),
            judgeID: try extra.judge_id.map { try Stored.uuid($0, "enforcement_cases.judge_id") },
            resumedFrom: try from.map { try $0.link() },
            resumedAs: try asCase.map { try $0.link() },
            payments: try payments.map { p in
                .init(
                    id: try Stored.uuid(p.id, "payments.id"), amount: Money(fen: p.amount_fen),
                    receivedOn: try Stored.date(p.received_on, "payments.received_on"),
                    method: try Stored.value(p.method, "payments.method"), excessReason: p.excess_reason,
                    reversal: p.reversed_at.map { .init(at: $0, by: p.reversed_by, reason: p.reversal_reason ?? "") })
            },
            history: try history.map {
                .init(
                    occurredAt: $0.occurred_at, on: try $0.on_date.map { try Stored.date($0, "case_history.on_date") },
                    actor: $0.actor_username, event: $0.event,
                    from: try $0.from_status.map { try Stored.value($0, "case_history.from_status") },
                    to: try $0.to_status.map { try Stored.value($0, "case_history.to_status") }, reason: $0.reason, detail: $0.detail)
            })
    }

    /// The debtors of each case, in their order on the case.
    private func debtors(ofCases ids: [String], on db: any SQLDatabase) async throws -> [String: [DebtorSummary]] {
        guard !ids.isEmpty else { return [:] }
        struct CaseID: Decodable { let case_id: String }
        let rows = try await db.raw(
            """
            SELECT cd.case_id, \(unsafeRaw: DebtorSummaryColumns.select)
            FROM case_debtors cd JOIN debtors d ON d.id = cd.debtor_id LEFT JOIN townships t ON t.code = d.township_code
            WHERE cd.case_id IN (\(binds: ids)) ORDER BY cd.case_id, cd.position
            """
        ).all()
        var debtors: [String: [DebtorSummary]] = [:]
        for row in rows {
            debtors[try row.decode(model: CaseID.self).case_id, default: []].append(
                try row.decode(model: DebtorSummaryColumns.self).summary())
        }
        return debtors
    }

    private static func summary(_ row: SummaryRow, debtors: [DebtorSummary]) throws -> CaseSummary {
        CaseSummary(
            id: try Stored.uuid(row.id, "enforcement_cases.id"),
            caseNumber: try Stored.caseNumber(row.case_number, "enforcement_cases.case_number"),
            court: Court(code: row.court_code, name: row.court_name), filedOn: try Stored.date(row.filed_on, "enforcement_cases.filed_on"),
            closedOn: try row.closed_on.map { try Stored.date($0, "enforcement_cases.closed_on") },
            status: try Stored.value(row.status, "enforcement_cases.status"), target: Money(fen: row.target_fen),
            performed: Money(fen: row.performed_fen), judgeName: row.judge_name, township: row.township_name, debtors: debtors)
    }

    // MARK: Changes

    /// Records a payment on a case (checked against the case by `Payment`, and against what is
    /// left to pay inside the transaction, so two clerks cannot overpay it between them).
    public func addPayment(
        caseID: String, _ payment: Payment, amountField: String = "amountFen", author: HistoryAuthor, audit: AuditEntry, now: Date
    ) async throws -> CaseDetail {
        try await database.transaction { db in
            guard let current = try await self.detail(id: caseID, on: db) else { throw CaseNotFound() }
            // A running settlement may expect more than the judgment's unperformed amount (its
            // excess was explained when it was made), and then a payment up to it needs no reason.
            let settlementRemaining = try await SettlementRepository.remaining(caseID: caseID, on: db)
            try payment.checkWithin(unperformed: max(current.summary.unperformed, settlementRemaining), amountField: amountField)
            try await db.raw(
                """
                INSERT INTO payments (id, case_id, amount_fen, received_on, method, excess_reason, recorded_by, recorded_at)
                VALUES (\(bind: UUID().databaseText), \(bind: caseID), \(bind: payment.amount.fen), \(bind: payment.receivedOn.description),
                        \(bind: payment.method.rawValue), \(bind: payment.excessReason), \(bind: author.id?.databaseText), \(bind: now))
                """
            ).run()
            let excess = payment.excessReason.map { "；超出部分：\($0)" } ?? ""
            try await self.history(
                caseID: caseID, on: payment.receivedOn, author: author, event: "payment", from: nil, to: nil, reason: "",
                detail: "履行 \(payment.amount.formatted)（\(payment.method.chinese)）\(excess)", now: now, db: db)
            try await AuditLogRepository().append(audit, on: db)
            try await SettlementRepository.closeIfPerformed(caseID: caseID, author: author, now: now, cases: self, on: db)
            return try await self.detail(id: caseID, on: db)!
        }
    }

    /// The case a payment was recorded on.
    public func caseOfPayment(_ paymentID: String) async throws -> String? {
        struct Row: Decodable { let case_id: String }
        return try await database.sql.raw("SELECT case_id FROM payments WHERE id = \(bind: paymentID)").first(decoding: Row.self)?.case_id
    }

    /// Reverses a payment recorded in error: it stays on record with who reversed it and why, the
    /// history says so, no figure counts it any more, and a 执恢 case opened after it no longer
    /// carries it over. A deletion trigger that the payment's full performance recorded by itself
    /// is withdrawn while its entry is still on the list (`BlacklistRepository.withdrawTriggers`),
    /// all in one transaction.
    public func reversePayment(
        _ paymentID: String, reason: String, author: HistoryAuthor, audit: AuditEntry,
        triggerAudit: @escaping @Sendable (BlacklistEntry) -> AuditEntry, now: Date
    ) async throws -> CaseDetail {
        try await database.transaction { db in
            struct Row: Decodable {
                let case_id: String
                let amount_fen: Int64
                let received_on: String
                let recorded_at: Date
                let reversed_at: Date?
            }
            guard
                let payment = try await db.raw(
                    "SELECT case_id, amount_fen, received_on, recorded_at, reversed_at FROM payments WHERE id = \(bind: paymentID)"
                ).first(decoding: Row.self)
            else { throw CaseNotFound() }
            guard payment.reversed_at == nil else {
                throw DomainError(code: "payment_already_reversed", message: "这笔履行记录已撤销，不能再次撤销", kind: .conflict)
            }
            try await db.raw(
                """
                UPDATE payments SET reversed_at = \(bind: now), reversed_by = \(bind: author.id?.databaseText),
                    reversal_reason = \(bind: reason)
                WHERE id = \(bind: paymentID)
                """
            ).run()
            // A 执恢 case opened after the payment took it over in its imported amount.
            try await db.raw(
                """
                UPDATE enforcement_cases SET imported_performed_fen = imported_performed_fen - \(bind: payment.amount_fen)
                WHERE chain_root_id = (SELECT COALESCE(o.chain_root_id, o.id) FROM enforcement_cases o WHERE o.id = \(bind: payment.case_id))
                  AND chain_position > (SELECT o.chain_position FROM enforcement_cases o WHERE o.id = \(bind: payment.case_id))
                  AND created_at > \(bind: payment.recorded_at) AND imported_performed_fen >= \(bind: payment.amount_fen)
                """
            ).run()
            try await self.history(
                caseID: payment.case_id, on: nil, author: author, event: "payment_reversed", from: nil, to: nil, reason: reason,
                detail: "撤销履行 \(Money(fen: payment.amount_fen).formatted)（到账日期 \(payment.received_on)）", now: now, db: db)
            try await AuditLogRepository().append(audit, on: db)
            try await SettlementRepository.reopenIfUnpaid(caseID: payment.case_id, author: author, now: now, cases: self, on: db)
            try await BlacklistRepository.withdrawTriggers(caseID: payment.case_id, audit: triggerAudit, on: db)
            return try await self.detail(id: payment.case_id, on: db)!
        }
    }

    /// Moves a case to `target` on `date`, if the lifecycle allows it.
    public func transition(
        caseID: String, to target: CaseStatus, on date: CalendarDate, reason: String,
        conditions: TerminationConditions?, author: HistoryAuthor, audit: AuditEntry, now: Date
    ) async throws -> CaseDetail {
        try await database.transaction { db in
            guard let current = try await self.detail(id: caseID, on: db) else { throw CaseNotFound() }
            let status = current.summary.status
            try Lifecycle.checkTransition(from: status, to: target, on: date, filedOn: current.summary.filedOn, conditions: conditions)
            // 终结本次 is not an outcome of a settlement (执行和解规定 art. 2): while one runs the case
            // is 中止, and it ends performed or resumed.
            if target == .terminatedThisRound, try await SettlementRepository.running(caseID: caseID, on: db) != nil {
                throw DomainError(
                    code: "settlement_running",
                    message: "本案因执行和解中止执行，不能终结本次执行程序；和解履行完毕即执行完毕，违约的可依申请恢复执行", field: "to", kind: .conflict)
            }
            try await db.raw(
                """
                UPDATE enforcement_cases SET status = \(bind: target.rawValue), closed_on = \(bind: date.description), updated_at = \(bind: now)
                WHERE id = \(bind: caseID)
                """
            ).run()
            try await self.history(
                caseID: caseID, on: date, author: author, event: "transition", from: status.rawValue, to: target.rawValue,
                reason: reason, detail: "\(status.chinese) → \(target.chinese)", now: now, db: db)
            try await AuditLogRepository().append(audit, on: db)
            return try await self.detail(id: caseID, on: db)!
        }
    }

    /// Resumes a 终本 case (恢复执行): opens the linked 执恢 case, with the same judgment, applicants,
    /// debtors and amounts; the original leaves the 终本 stock.
    public func resume(caseID: String, as newNumber: CaseNumber, on date: CalendarDate, author: HistoryAuthor, audit: AuditEntry, now: Date)
        async throws -> CaseDetail
    {
        try await database.transaction { db in
            guard let current = try await self.detail(id: caseID, on: db) else { throw CaseNotFound() }
            let original = current.summary.caseNumber
            try Lifecycle.checkResume(
                status: current.summary.status, alreadyResumedAs: current.resumedAs?.caseNumber.canonical, original: original,
                newNumber: newNumber)
            struct Existing: Decodable { let id: String }
            if try await db.raw("SELECT id FROM enforcement_cases WHERE case_number = \(bind: newNumber.canonical)").first(
                decoding: Existing.self) != nil
            {
                throw DomainError(code: "case_number_taken", message: "案号 \(newNumber.canonical) 已存在", field: "caseNumber", kind: .conflict)
            }
            let newID = UUID().databaseText
            try await db.raw(
                """
                INSERT INTO enforcement_cases (id, case_number, court_code, filed_on, status, judgment_id, applicants, target_fen,
                    imported_performed_fen, judge_name, judge_id, township_code, resumed_from_id, chain_root_id, chain_position,
                    created_at, updated_at)
                SELECT \(bind: newID), \(bind: newNumber.canonical), court_code, \(bind: date.description), 'inEnforcement', judgment_id,
                    applicants, target_fen, imported_performed_fen, judge_name, judge_id, township_code, id, COALESCE(chain_root_id, id),
                    chain_position + 1, \(bind: now), \(bind: now)
                FROM enforcement_cases WHERE id = \(bind: caseID)
                """
            ).run()
            try await db.raw(
                """
                INSERT INTO case_debtors (case_id, debtor_id, position)
                SELECT \(bind: newID), debtor_id, position FROM case_debtors WHERE case_id = \(bind: caseID)
                """
            ).run()
            // Amounts already paid carry over (执行和解规定 art. 17: paid amounts are deducted).
            try await db.raw(
                """
                UPDATE enforcement_cases SET imported_performed_fen = imported_performed_fen
                    + COALESCE((SELECT SUM(amount_fen) FROM payments WHERE case_id = \(bind: caseID) AND reversed_at IS NULL), 0)
                WHERE id = \(bind: newID)
                """
            ).run()
            try await self.history(
                caseID: caseID, on: date, author: author, event: "resumed", from: nil, to: nil, reason: "",
                detail: "恢复执行，立 \(newNumber.canonical)", now: now, db: db)
            try await self.history(
                caseID: newID, on: date, author: author, event: "opened_as_resumption", from: nil, to: "inEnforcement",
                reason: "", detail: "由 \(original.canonical) 恢复执行", now: now, db: db)
            try await AuditLogRepository().append(audit, on: db)
            return try await self.detail(id: newID, on: db)!
        }
    }

    func history(
        caseID: String, on date: CalendarDate?, author: HistoryAuthor, event: String, from: String?, to: String?,
        reason: String, detail: String, now: Date, db: any SQLDatabase
    ) async throws {
        try await db.raw(
            """
            INSERT INTO case_history (id, case_id, occurred_at, on_date, actor_id, actor_username, event, from_status, to_status, reason, detail)
            VALUES (\(bind: UUID().databaseText), \(bind: caseID), \(bind: now), \(bind: date?.description), \(bind: author.id?.databaseText),
                    \(bind: author.username), \(bind: event), \(bind: from), \(bind: to), \(bind: reason), \(bind: detail))
            """
        ).run()
    }
}

/// No case with that id.
public struct CaseNotFound: Error {}

extension Optional {
    /// `map` for an async transform.
    public func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        switch self {
        case .some(let value): try await transform(value)
        case .none: nil
        }
    }
}
