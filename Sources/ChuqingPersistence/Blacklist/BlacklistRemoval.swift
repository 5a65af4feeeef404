import ChuqingDomain
import Foundation
import SQLKit

/// A revocation, correction or correction request on an entry, with its deadline.
public struct BlacklistProcedure: Sendable, Equatable {
    public let id: UUID
    public let entryID: UUID
    public let caseNumber: String
    public let debtorName: String
    public let kind: BlacklistProcedureKind
    /// A correction request's ground (arts. 11–12).
    public let ground: ObjectionGround?
    public let aroseOn: CalendarDate
    public let dueOn: CalendarDate
    public let reason: String
    public let decidedOn: CalendarDate?
    public let outcome: ProcedureOutcome?
    public let decisionNote: String?
    /// A 复议's correction request (art. 12).
    public let parentID: UUID?
    /// A 复议: the day the rejection it reviews was served.
    public let servedOn: CalendarDate?
}

/// Taking entries off the list: deletion once a trigger is recorded (art. 10), revocation and
/// correction (art. 9), and correction requests (arts. 11–12). Nothing is erased: a removed entry
/// keeps its row, marked, and leaves the public pages.
extension BlacklistRepository {
    /// Marks the entry deleted on `date`. Its deletion trigger must be recorded first (that is
    /// what makes the deletion lawful and dates its deadline); the notifications of the deletion
    /// are produced in the same transaction.
    public func markDeleted(
        entryID: String, on date: CalendarDate, audit: AuditEntry, today: CalendarDate, now: Date,
        notify: @escaping NotificationRenderer
    ) async throws -> BlacklistEntry {
        try await database.transaction { db in
            let entry = try await Self.entry(entryID, on: db)
            try Self.checkOnList(entry)
            guard let triggeredOn = entry.triggeredOn else {
                throw DomainError(
                    code: "no_deletion_trigger",
                    message: "尚未记录删除事由；请先记录法释〔2017〕7号第十条所列事由（deletion-triggers），再删除", kind: .conflict)
            }
            try Self.checkDate(date, notBefore: triggeredOn, what: "删除事由发生日", today: today)
            try await db.raw(
                """
                UPDATE blacklist_entries SET removal = 'deleted', deleted_on = \(bind: date.description) WHERE id = \(bind: entry.id.databaseText)
                """
            ).run()
            try await BlacklistNotifications.write(
                entryID: entry.id.databaseText, event: .deleted, date: date, now: now, on: db, render: notify)
            try await AuditLogRepository().append(audit, on: db)
            return try await Self.entry(entry.id.databaseText, on: db)
        }
    }

    /// Opens a revocation, correction or correction request on an entry that is still on the list,
    /// with its deadline: 3 working days, or 15 days for reviewing a request.
    public func openProcedure(
        entryID: String, kind: BlacklistProcedureKind, ground: ObjectionGround?, aroseOn date: CalendarDate,
        reason: String, calendar: WorkingDayCalendar, createdBy: UUID, audit: AuditEntry, today: CalendarDate,
        now: Date
    ) async throws -> BlacklistProcedure {
        let reason = reason.trimmed
        guard !reason.isEmpty else {
            throw DomainError(code: "reason_required", message: "请写明事由（如何被发现有误、申请人的理由）", field: "reason")
        }
        if kind == .objection && ground == nil { _ = try ObjectionGround.parse(nil) }
        guard kind != .reconsideration else {
            throw DomainError(
                code: "reconsideration_needs_request",
                message: "复议针对一项被驳回的纠正申请：请在该纠正申请上申请复议（/api/v1/blacklist-procedures/{id}/reconsideration）", field: "kind")
        }
        let due = try kind.dueOn(aroseOn: date, calendar: calendar)
        return try await database.transaction { db in
            let entry = try await Self.entry(entryID, on: db)
            try Self.checkOnList(entry)
            try Self.checkDate(date, notBefore: entry.decidedOn, what: "纳入日期", today: today)
            let id = UUID().databaseText
            try await db.raw(
                """
                INSERT INTO blacklist_procedures (id, entry_id, kind, ground, arose_on, due_on, reason, created_by, created_at)
                VALUES (\(bind: id), \(bind: entry.id.databaseText), \(bind: kind.rawValue), \(bind: kind == .objection ? ground?.rawValue : nil),
                        \(bind: date.description), \(bind: due.description), \(bind: reason), \(bind: createdBy.databaseText), \(bind: now))
                """
            ).run()
            try await AuditLogRepository().append(audit, on: db)
            return try await Self.procedure(id, on: db)
        }
    }

    /// Records a 复议 application against the rejected correction request `requestID`, due 15 days
    /// after it was received (art. 12); it carries the request's ground, which decides its remedy.
    public func openReconsideration(
        requestID: String, servedOn: CalendarDate, appliedOn: CalendarDate, reason: String, calendar: WorkingDayCalendar,
        createdBy: UUID, audit: AuditEntry, today: CalendarDate, now: Date
    ) async throws -> BlacklistProcedure {
        let reason = reason.trimmed
        guard !reason.isEmpty else {
            throw DomainError(code: "reason_required", message: "请写明复议的理由（申请书所述）", field: "reason")
        }
        try servedOn.mustHaveHappened(by: today, "送达日期", field: "servedOn")
        try appliedOn.mustHaveHappened(by: today, "申请日期", field: "on")
        let due = try BlacklistProcedureKind.reconsideration.dueOn(aroseOn: appliedOn, calendar: calendar)
        return try await database.transaction { db in
            let request = try await Self.procedure(requestID.lowercased(), on: db)
            try Reconsideration.check(
                reviewing: request.kind, outcome: request.outcome, decidedOn: request.decidedOn, servedOn: servedOn,
                appliedOn: appliedOn, calendar: calendar)
            let existing = try await db.raw(
                "SELECT id FROM blacklist_procedures WHERE parent_id = \(bind: request.id.databaseText)"
            ).first(decoding: IDRow.self)
            guard existing == nil else {
                throw DomainError(code: "already_reconsidered", message: "该纠正申请的驳回决定已申请过复议", kind: .conflict)
            }
            try Self.checkOnList(try await Self.entry(request.entryID.databaseText, on: db))
            let id = UUID().databaseText
            try await db.raw(
                """
                INSERT INTO blacklist_procedures (id, entry_id, kind, ground, arose_on, due_on, reason, created_by, created_at, parent_id, served_on)
                VALUES (\(bind: id), \(bind: request.entryID.databaseText), \(bind: BlacklistProcedureKind.reconsideration.rawValue),
                        \(bind: request.ground?.rawValue), \(bind: appliedOn.description), \(bind: due.description), \(bind: reason),
                        \(bind: createdBy.databaseText), \(bind: now), \(bind: request.id.databaseText), \(bind: servedOn.description))
                """
            ).run()
            try await AuditLogRepository().append(audit, on: db)
            return try await Self.procedure(id, on: db)
        }
    }

    private struct IDRow: Decodable { let id: String }

    /// Decides a procedure. An upheld revocation takes the entry off the list as revoked; an
    /// upheld correction is recorded with what was corrected; an upheld request starts its remedy
    /// (revocation or correction, due 3 working days after the decision) or, on the ground that
    /// the entry should have been deleted, records `trigger` as the deletion trigger.
    public func decideProcedure(
        id: String, outcome: ProcedureOutcome, on date: CalendarDate, note: String?, trigger: DeletionTrigger?,
        calendar: WorkingDayCalendar, decidedBy: UUID, audit: AuditEntry, today: CalendarDate, now: Date,
        notify: @escaping NotificationRenderer
    ) async throws -> BlacklistProcedure {
        let note = note?.trimmed
        return try await database.transaction { db -> BlacklistProcedure in
            let procedure = try await Self.procedure(id.lowercased(), on: db)
            guard procedure.outcome == nil else {
                throw DomainError(code: "already_decided", message: "该程序已于 \(procedure.decidedOn?.description ?? "") 作出决定", kind: .conflict)
            }
            try Self.checkDate(date, notBefore: procedure.aroseOn, what: "受理日期", today: today)
            let kind = procedure.kind
            if outcome == .upheld && kind == .correction && (note ?? "").isEmpty {
                throw DomainError(code: "correction_note_required", message: "更正须写明更正的内容（note）", field: "note")
            }
            if outcome == .upheld && (kind == .objection || kind == .reconsideration) && procedure.ground == .shouldBeDeleted
                && trigger == nil
            {
                throw DomainError(
                    code: "trigger_required",
                    message: "以「应予删除」为由的纠正申请（或其复议）成立时，须写明删除事由 trigger（\(DeletionTrigger.allCases.map(\.rawValue).joined(separator: "、"))）",
                    field: "trigger")
            }
            try await db.raw(
                """
                UPDATE blacklist_procedures SET decided_on = \(bind: date.description), outcome = \(bind: outcome.rawValue),
                    decision_note = \(bind: note) WHERE id = \(bind: procedure.id)
                """
            ).run()
            if outcome == .upheld {
                switch kind {
                case .revocation:
                    let entry = try await Self.entry(procedure.entryID.databaseText, on: db)
                    try Self.checkOnList(entry)
                    try await db.raw(
                        """
                        UPDATE blacklist_entries SET removal = 'revoked', deleted_on = \(bind: date.description),
                            removal_reason = \(bind: "撤销：" + procedure.reason) WHERE id = \(bind: entry.id.databaseText)
                        """
                    ).run()
                    try await BlacklistNotifications.write(
                        entryID: entry.id.databaseText, event: .revoked, date: date, now: now, on: db, render: notify)
                case .correction:
                    break
                case .objection, .reconsideration:
                    // An upheld 复议 sets the rejection aside: the request's remedy opens as if it
                    // had been upheld (art. 12).
                    let ground = try ObjectionGround.parse(procedure.ground?.rawValue)
                    if let remedy = ground.remedy {
                        try await db.raw(
                            """
                            INSERT INTO blacklist_procedures (id, entry_id, kind, arose_on, due_on, reason, created_by, created_at)
                            VALUES (\(bind: UUID().databaseText), \(bind: procedure.entryID), \(bind: remedy.rawValue), \(bind: date.description),
                                    \(bind: try remedy.dueOn(aroseOn: date, calendar: calendar).description),
                                    \(bind: (kind == .objection ? "纠正申请成立：" : "复议成立：") + procedure.reason), \(bind: decidedBy.databaseText), \(bind: now))
                            """
                        ).run()
                    } else if let trigger {
                        // Same checks as any trigger, in this transaction: a trigger that does not
                        // apply (a fixed-term entry, a case not performed) refuses the decision too.
                        let triggerAudit = AuditEntry(
                            occurredAt: audit.occurredAt, actorID: audit.actorID, actorUsername: audit.actorUsername,
                            action: "blacklist.trigger", entity: "blacklist_entry", entityID: procedure.entryID.databaseText,
                            detail: trigger.chinese, address: audit.address, requestID: audit.requestID)
                        // The decision's note is its reason (an early deletion needs one), else the
                        // request's own reason (an applicant's request names its document).
                        _ = try await Self.recordTrigger(
                            entryID: procedure.entryID.databaseText, trigger, on: date, reason: note ?? procedure.reason,
                            calendar: calendar,
                            audit: triggerAudit, today: today, db: db)
                    }
                }
            }
            try await AuditLogRepository().append(audit, on: db)
            return try await Self.procedure(procedure.id.databaseText, on: db)
        }
    }

    private static let procedureSelect = """
        SELECT p.id, p.entry_id, c.case_number, d.name AS debtor_name, p.kind, p.ground, p.arose_on, p.due_on, p.reason, p.decided_on,
               p.outcome, p.decision_note, p.parent_id, p.served_on
        FROM blacklist_procedures p JOIN blacklist_entries e ON e.id = p.entry_id
        JOIN enforcement_cases c ON c.id = e.case_id JOIN debtors d ON d.id = e.debtor_id
        """

    private struct ProcedureRow: Decodable {
        let id: String
        let entry_id: String
        let case_number: String
        let debtor_name: String
        let kind: String
        let ground: String?
        let arose_on: String
        let due_on: String
        let reason: String
        let decided_on: String?
        let outcome: String?
        let decision_note: String?
        let parent_id: String?
        let served_on: String?

        func procedure() throws -> BlacklistProcedure {
            BlacklistProcedure(
                id: try Stored.uuid(id, "blacklist_procedures.id"), entryID: try Stored.uuid(entry_id, "blacklist_procedures.entry_id"),
                caseNumber: case_number, debtorName: debtor_name, kind: try Stored.value(kind, "blacklist_procedures.kind"),
                ground: try ground.map { try Stored.value($0, "blacklist_procedures.ground") },
                aroseOn: try Stored.date(arose_on, "blacklist_procedures.arose_on"),
                dueOn: try Stored.date(due_on, "blacklist_procedures.due_on"),
                reason: reason, decidedOn: try decided_on.map { try Stored.date($0, "blacklist_procedures.decided_on") },
                outcome: try outcome.map { try Stored.value($0, "blacklist_procedures.outcome") }, decisionNote: decision_note,
                parentID: try parent_id.map { try Stored.uuid($0, "blacklist_procedures.parent_id") },
                servedOn: try served_on.map { try Stored.date($0, "blacklist_procedures.served_on") })
        }
    }

    /// The procedures of one entry, oldest first.
    public func procedures(entryID: String) async throws -> [BlacklistProcedure] {
        try await database.sql.raw(
            SQLQueryString(Self.procedureSelect) + " WHERE p.entry_id = \(bind: entryID.lowercased()) ORDER BY p.arose_on, p.id"
        )
        .all(decoding: ProcedureRow.self).map { try $0.procedure() }
    }

    /// Procedures not yet decided, the most urgent first (the director's list).
    public func openProcedures(visibleToJudge judge: UUID? = nil) async throws -> [BlacklistProcedure] {
        var query = SQLQueryString(Self.procedureSelect) + " WHERE p.outcome IS NULL"
        if let judge { query = query + " AND c.judge_id = \(bind: judge.databaseText)" }
        return try await database.sql.raw(query + " ORDER BY p.due_on, p.id").all(decoding: ProcedureRow.self).map { try $0.procedure() }
    }

    public func procedure(id: String) async throws -> BlacklistProcedure? {
        try await database.sql.raw(SQLQueryString(Self.procedureSelect) + " WHERE p.id = \(bind: id.lowercased())")
            .first(decoding: ProcedureRow.self)?.procedure()
    }

    private static func procedure(_ id: String, on db: any SQLDatabase) async throws -> BlacklistProcedure {
        guard let row = try await db.raw(SQLQueryString(procedureSelect) + " WHERE p.id = \(bind: id)").first(decoding: ProcedureRow.self)
        else {
            throw CaseNotFound()
        }
        return try row.procedure()
    }

    static func entry(_ id: String, on db: any SQLDatabase) async throws -> BlacklistEntry {
        guard
            let entry = try await db.raw(SQLQueryString(select) + " WHERE e.id = \(bind: id.lowercased())").first(decoding: Row.self)?
                .entry()
        else {
            throw CaseNotFound()
        }
        return entry
    }

    private static func checkDate(_ date: CalendarDate, notBefore earliest: CalendarDate, what: String, today: CalendarDate)
        throws(DomainError)
    {
        try date.mustHaveHappened(by: today, what, field: "on")
        guard date >= earliest else {
            throw DomainError(code: "date_too_early", message: "日期 \(date) 早于\(what) \(earliest)", field: "on")
        }
    }
}
