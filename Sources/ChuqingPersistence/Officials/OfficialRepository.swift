import ChuqingDomain
import Foundation
import SQLKit

/// Debtors' standings as public officials (`debtor_standings`, migration 0028).
public struct OfficialRepository: Sendable {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    /// The profiles of `debtorIDs`. A debtor whose export said 是否公职人员=是 and whose standings
    /// were never edited reads as a 国家工作人员 of the exported employer.
    static func profiles(debtorIDs: [String], on db: any SQLDatabase) async throws -> [String: OfficialProfile] {
        guard !debtorIDs.isEmpty else { return [:] }
        struct Debtor: Decodable {
            let id: String
            let is_public_official: Bool
            let employer: String?
            let employer_superior: String?
            let standing_verified_by: String?
        }
        struct Standing: Decodable {
            let debtor_id: String
            let standing: String
            let deputy_level: String?
        }
        let ids = SQLList(debtorIDs.map { SQLBind($0) })
        let debtors = try await db.raw(
            "SELECT id, is_public_official, employer, employer_superior, standing_verified_by FROM debtors WHERE id IN (\(ids))"
        ).all(decoding: Debtor.self)
        let standings = try await db.raw(
            "SELECT debtor_id, standing, deputy_level FROM debtor_standings WHERE debtor_id IN (\(ids))"
        ).all(decoding: Standing.self)
        var result: [String: OfficialProfile] = [:]
        for debtor in debtors {
            let own = standings.filter { $0.debtor_id == debtor.id }
            var kinds = try own.map { try Stored.value($0.standing, "debtor_standings.standing") as OfficialStanding }
            if kinds.isEmpty && debtor.is_public_official { kinds = [.stateFunctionary] }
            let level = try own.compactMap(\.deputy_level).first.map {
                try Stored.value($0, "debtor_standings.deputy_level") as DeputyLevel
            }
            result[debtor.id] = OfficialProfile(
                trusted: OfficialStanding.allCases.filter(kinds.contains), deputyLevel: level, employer: debtor.employer,
                superior: debtor.employer_superior, verifiedBy: debtor.standing_verified_by)
        }
        return result
    }

    /// The profile of one debtor (`.none` when the debtor has no standing or does not exist).
    public func profile(debtorID: String) async throws -> OfficialProfile {
        try await Self.profiles(debtorIDs: [debtorID], on: database.sql)[debtorID] ?? .none
    }

    /// Replaces the debtor's standings with `profile`, in the caller's transaction; keeps
    /// `is_public_official` true exactly when a standing is recorded.
    static func replace(debtorID: String, with profile: OfficialProfile, now: Date, on db: any SQLDatabase) async throws {
        try await db.raw("DELETE FROM debtor_standings WHERE debtor_id = \(bind: debtorID)").run()
        for standing in profile.standings {
            try await db.raw(
                """
                INSERT INTO debtor_standings (debtor_id, standing, deputy_level)
                VALUES (\(bind: debtorID), \(bind: standing.rawValue), \(bind: standing == .deputy ? profile.deputyLevel?.rawValue : nil))
                """
            ).run()
        }
        try await db.raw(
            """
            UPDATE debtors SET is_public_official = \(bind: profile.isOfficial), employer = \(bind: profile.employer),
                employer_superior = \(bind: profile.superior), standing_verified_by = \(bind: profile.verifiedBy), updated_at = \(bind: now)
            WHERE id = \(bind: debtorID)
            """
        ).run()
    }
}

/// A push to an employer as stored, with the escalations that followed it.
public struct PushRecord: Sendable, Equatable {
    public let id: UUID
    public let caseID: UUID
    public let caseNumber: String
    public let debtorID: UUID
    public let debtorName: String
    public let recipient: String
    public let sentOn: CalendarDate
    public let dueOn: CalendarDate
    public let letterNumber: String
    public let acknowledgedOn: CalendarDate?
    public let repliedOn: CalendarDate?
    public let reply: String?
    /// Set by the scheduler the day after the deadline when the case was still unperformed.
    public let escalationDueOn: CalendarDate?
    public let escalatedOn: CalendarDate?
    public let performedOn: CalendarDate?
    public let judgeID: UUID?
    public let judgeName: String?
    public let escalations: [Escalation]

    public struct Escalation: Sendable, Equatable {
        public let id: UUID
        public let body: String
        public let letterNumber: String
        public let producedOn: CalendarDate
        /// Nil when the scheduler produced it.
        public let producedBy: String?
    }

    public func stage(today: CalendarDate) -> PushStage {
        OfficialPushRules.stage(dueOn: dueOn, performed: performedOn != nil, escalated: escalatedOn != nil, today: today)
    }
}

/// A push to write: its letter already built and validated.
public struct NewPush: Sendable {
    public let caseID: String
    public let debtorID: String
    public let recipient: String
    public let sentOn: CalendarDate
    public let dueOn: CalendarDate
    public let letterNumber: String
    public let letterXML: String

    public init(
        caseID: String, debtorID: String, recipient: String, sentOn: CalendarDate, dueOn: CalendarDate, letterNumber: String,
        letterXML: String
    ) {
        self.caseID = caseID
        self.debtorID = debtorID
        self.recipient = recipient
        self.sentOn = sentOn
        self.dueOn = dueOn
        self.letterNumber = letterNumber
        self.letterXML = letterXML
    }
}

extension OfficialRepository {
    private struct PushRow: Decodable {
        let id: String
        let case_id: String
        let case_number: String
        let debtor_id: String
        let debtor_name: String
        let recipient: String
        let sent_on: String
        let due_on: String
        let letter_number: String
        let acknowledged_on: String?
        let replied_on: String?
        let reply: String?
        let escalation_due_on: String?
        let escalated_on: String?
        let performed_on: String?
        let judge_id: String?
        let judge_name: String?
    }

    private static let selectPushes = """
        SELECT p.id, p.case_id, c.case_number, p.debtor_id, d.name AS debtor_name, p.recipient, p.sent_on, p.due_on, p.letter_number,
               p.acknowledged_on, p.replied_on, p.reply, p.escalation_due_on, p.escalated_on, p.performed_on, c.judge_id,
               u.display_name AS judge_name
        FROM official_pushes p JOIN enforcement_cases c ON c.id = p.case_id JOIN debtors d ON d.id = p.debtor_id
        LEFT JOIN users u ON u.id = c.judge_id
        """

    private static func records(_ rows: [PushRow], on db: any SQLDatabase) async throws -> [PushRecord] {
        guard !rows.isEmpty else { return [] }
        struct EscalationRow: Decodable {
            let id: String
            let push_id: String
            let body: String
            let letter_number: String
            let produced_on: String
            let produced_by_name: String?
        }
        let ids = SQLList(rows.map { SQLBind($0.id) })
        let escalations = try await db.raw(
            """
            SELECT e.id, e.push_id, e.body, e.letter_number, e.produced_on, u.display_name AS produced_by_name
            FROM official_escalations e LEFT JOIN users u ON u.id = e.produced_by WHERE e.push_id IN (\(ids)) ORDER BY e.letter_number
            """
        ).all(decoding: EscalationRow.self)
        func date(_ text: String?, _ column: String) throws -> CalendarDate? { try text.map { try Stored.date($0, column) } }
        return try rows.map { row in
            PushRecord(
                id: try Stored.uuid(row.id, "official_pushes.id"), caseID: try Stored.uuid(row.case_id, "official_pushes.case_id"),
                caseNumber: row.case_number, debtorID: try Stored.uuid(row.debtor_id, "official_pushes.debtor_id"),
                debtorName: row.debtor_name,
                recipient: row.recipient, sentOn: try Stored.date(row.sent_on, "official_pushes.sent_on"),
                dueOn: try Stored.date(row.due_on, "official_pushes.due_on"), letterNumber: row.letter_number,
                acknowledgedOn: try date(row.acknowledged_on, "official_pushes.acknowledged_on"),
                repliedOn: try date(row.replied_on, "official_pushes.replied_on"), reply: row.reply,
                escalationDueOn: try date(row.escalation_due_on, "official_pushes.escalation_due_on"),
                escalatedOn: try date(row.escalated_on, "official_pushes.escalated_on"),
                performedOn: try date(row.performed_on, "official_pushes.performed_on"),
                judgeID: try row.judge_id.map { try Stored.uuid($0, "enforcement_cases.judge_id") }, judgeName: row.judge_name,
                escalations: try escalations.filter { $0.push_id == row.id }.map {
                    PushRecord.Escalation(
                        id: try Stored.uuid($0.id, "official_escalations.id"), body: $0.body, letterNumber: $0.letter_number,
                        producedOn: try Stored.date($0.produced_on, "official_escalations.produced_on"), producedBy: $0.produced_by_name)
                })
        }
    }

    /// Every push the reader may see (a judge: on their own cases), earliest deadline first.
    public func pushes(visibleToJudge judge: UUID?) async throws -> [PushRecord] {
        let db = database.sql
        let rows: [PushRow]
        if let judge {
            rows = try await db.raw(
                "\(unsafeRaw: Self.selectPushes) WHERE c.judge_id = \(bind: judge.databaseText) ORDER BY p.due_on, c.case_number"
            ).all(decoding: PushRow.self)
        } else {
            rows = try await db.raw("\(unsafeRaw: Self.selectPushes) ORDER BY p.due_on, c.case_number").all(decoding: PushRow.self)
        }
        return try await Self.records(rows, on: db)
    }

    /// The pushes of one case.
    public func pushes(caseID: String) async throws -> [PushRecord] {
        let db = database.sql
        let rows = try await db.raw("\(unsafeRaw: Self.selectPushes) WHERE p.case_id = \(bind: caseID) ORDER BY p.sent_on").all(
            decoding: PushRow.self)
        return try await Self.records(rows, on: db)
    }

    public func push(id: String) async throws -> PushRecord? {
        let db = database.sql
        let rows = try await db.raw("\(unsafeRaw: Self.selectPushes) WHERE p.id = \(bind: id)").all(decoding: PushRow.self)
        return try await Self.records(rows, on: db).first
    }

    /// Pushes past their deadline on `today` with neither escalation nor performance recorded.
    public func overdue(today: CalendarDate) async throws -> [PushRecord] {
        let db = database.sql
        let rows = try await db.raw(
            """
            \(unsafeRaw: Self.selectPushes)
            WHERE p.due_on < \(bind: today.description) AND p.escalated_on IS NULL AND p.performed_on IS NULL ORDER BY p.due_on
            """
        ).all(decoding: PushRow.self)
        return try await Self.records(rows, on: db)
    }

    /// How many pushes a case already has (for the next letter's number).
    public func pushCount(caseID: String) async throws -> Int {
        struct Row: Decodable { let n: Int }
        return try await database.sql.raw("SELECT COUNT(*) AS n FROM official_pushes WHERE case_id = \(bind: caseID)").first(
            decoding: Row.self)?.n ?? 0
    }

    /// The letter as sent: a push's 通报函 or one of its 移送函.
    public func letterXML(pushID: String, escalationID: String?) async throws -> String? {
        struct Row: Decodable { let letter_xml: String }
        if let escalationID {
            return try await database.sql.raw(
                "SELECT letter_xml FROM official_escalations WHERE id = \(bind: escalationID) AND push_id = \(bind: pushID)"
            ).first(decoding: Row.self)?.letter_xml
        }
        return try await database.sql.raw("SELECT letter_xml FROM official_pushes WHERE id = \(bind: pushID)").first(decoding: Row.self)?
            .letter_xml
    }

    /// Writes a push, its case history line and its audit entry; 409 when the debtor was already
    /// pushed on this case.
    public func insert(_ push: NewPush, author: HistoryAuthor, audit: AuditEntry, now: Date) async throws -> String {
        let id = UUID().databaseText
        try await database.transaction { db in
            do {
                try await db.raw(
                    """
                    INSERT INTO official_pushes (id, case_id, debtor_id, recipient, sent_on, due_on, letter_number, letter_xml, created_by, created_at)
                    VALUES (\(bind: id), \(bind: push.caseID), \(bind: push.debtorID), \(bind: push.recipient), \(bind: push.sentOn.description),
                            \(bind: push.dueOn.description), \(bind: push.letterNumber), \(bind: push.letterXML), \(bind: author.id?.databaseText),
                            \(bind: now))
                    """
                ).run()
            } catch  where DatabaseErrors.isUniqueViolation(error) {
                throw DomainError(
                    code: "already_pushed", message: "该被执行人在本案中已向工作单位发出过通报函；如需补充，请登记单位回复或办理移送", field: "debtorId",
                    kind: .conflict)
            }
            try await CaseRepository(database: database).history(
                caseID: push.caseID, on: push.sentOn, author: author, event: "official_push", from: nil, to: nil, reason: "",
                detail: "向\(push.recipient)发出失信情况通报函（\(push.letterNumber)），限 \(push.dueOn) 前履行", now: now, db: db)
            try await AuditLogRepository().append(audit, on: db)
        }
        return id
    }

    /// Records the employer's acknowledgement (`reply` nil) or its reply.
    public func recordReply(pushID: String, acknowledgedOn: CalendarDate?, repliedOn: CalendarDate?, reply: String?, audit: AuditEntry)
        async throws
    {
        try await database.transaction { db in
            if let acknowledgedOn {
                try await db.raw(
                    "UPDATE official_pushes SET acknowledged_on = \(bind: acknowledgedOn.description) WHERE id = \(bind: pushID)"
                )
                .run()
            }
            if let repliedOn {
                try await db.raw(
                    "UPDATE official_pushes SET replied_on = \(bind: repliedOn.description), reply = \(bind: reply) WHERE id = \(bind: pushID)"
                ).run()
            }
            try await AuditLogRepository().append(audit, on: db)
        }
    }

    /// Marks a push due for escalation on `today` (once).
    public func markDue(pushID: String, today: CalendarDate) async throws -> Bool {
        struct Row: Decodable { let id: String }
        return try await database.sql.raw(
            """
            UPDATE official_pushes SET escalation_due_on = \(bind: today.description)
            WHERE id = \(bind: pushID) AND escalation_due_on IS NULL AND escalated_on IS NULL AND performed_on IS NULL RETURNING id
            """
        ).first(decoding: Row.self) != nil
    }

    /// Records that the case was performed in full by `on`.
    public func markPerformed(pushID: String, on: CalendarDate) async throws {
        try await database.sql.raw(
            "UPDATE official_pushes SET performed_on = \(bind: on.description) WHERE id = \(bind: pushID) AND performed_on IS NULL"
        ).run()
    }

    /// Writes the 移送函 of a push and marks it escalated on `on`; 409 when it already was.
    public func escalate(
        pushID: String, caseID: String, letters: [(body: String, number: String, xml: String)], on: CalendarDate, producedBy: UUID?,
        author: HistoryAuthor, audit: AuditEntry, now: Date
    ) async throws {
        try await database.transaction { db in
            struct Row: Decodable { let id: String }
            guard
                try await db.raw(
                    """
                    UPDATE official_pushes SET escalated_on = \(bind: on.description), escalation_due_on = COALESCE(escalation_due_on, \(bind: on.description))
                    WHERE id = \(bind: pushID) AND escalated_on IS NULL RETURNING id
                    """
                ).first(decoding: Row.self) != nil
            else {
                throw DomainError(code: "already_escalated", message: "该通报已移送，不能重复移送", kind: .conflict)
            }
            for letter in letters {
                try await db.raw(
                    """
                    INSERT INTO official_escalations (id, push_id, body, letter_number, letter_xml, produced_on, produced_by, created_at)
                    VALUES (\(bind: UUID().databaseText), \(bind: pushID), \(bind: letter.body), \(bind: letter.number), \(bind: letter.xml),
                            \(bind: on.description), \(bind: producedBy?.databaseText), \(bind: now))
                    """
                ).run()
            }
            try await CaseRepository(database: database).history(
                caseID: caseID, on: on, author: author, event: "official_escalation", from: nil, to: nil, reason: "",
                detail: "逾期未履行，移送\(letters.map(\.body).joined(separator: "、"))（\(letters.map(\.number).joined(separator: "、"))）", now: now,
                db: db)
            try await AuditLogRepository().append(audit, on: db)
        }
    }
}

/// A debtor with a public standing on a case still open, not yet pushed to their employer.
public struct PushCandidate: Sendable, Equatable {
    public let caseID: UUID
    public let caseNumber: String
    public let debtorID: UUID
    public let debtorName: String
    public let employer: String?
}

extension OfficialRepository {
    /// The team's candidates (a judge: on their own cases), by case number, at most `limit`: a
    /// case performed in full (with its 执恢 successors, `CaseRepository.performed`) is left out.
    public func candidates(visibleToJudge judge: UUID?, limit: Int) async throws -> [PushCandidate] {
        struct Row: Decodable {
            let case_id: String
            let case_number: String
            let debtor_id: String
            let name: String
            let employer: String?
        }
        var query: SQLQueryString = """
            SELECT c.id AS case_id, c.case_number, d.id AS debtor_id, d.name, d.employer
            FROM case_debtors cd JOIN enforcement_cases c ON c.id = cd.case_id JOIN debtors d ON d.id = cd.debtor_id
            WHERE (d.is_public_official OR EXISTS (SELECT 1 FROM debtor_standings s WHERE s.debtor_id = d.id))
              AND c.status IN ('inEnforcement', 'terminatedThisRound')
              AND NOT EXISTS (SELECT 1 FROM official_pushes p WHERE p.case_id = c.id AND p.debtor_id = d.id)
              AND c.target_fen >
            """ + CaseRepository.performed()
        if let judge { query = query + " AND c.judge_id = \(bind: judge.databaseText)" }
        return try await database.sql.raw(query + " ORDER BY c.case_number, d.name LIMIT \(bind: limit)").all(decoding: Row.self).map {
            PushCandidate(
                caseID: try Stored.uuid($0.case_id, "case_debtors.case_id"), caseNumber: $0.case_number,
                debtorID: try Stored.uuid($0.debtor_id, "case_debtors.debtor_id"), debtorName: $0.name, employer: $0.employer)
        }
    }
}

extension OfficialRepository {
    /// The debtors of the batch's cases pushed to their employers by `asOf`, and those escalated
    /// by then (each debtor once, however many of their cases).
    public func batchWork(batchID: String, asOf: CalendarDate) async throws -> BatchProgress.TeamWork {
        struct Row: Decodable {
            let pushed: Int
            let escalated: Int
        }
        let day = asOf.description
        let row = try await database.sql.raw(
            """
            SELECT COUNT(DISTINCT CASE WHEN p.sent_on <= \(bind: day) THEN p.debtor_id END) AS pushed,
                   COUNT(DISTINCT CASE WHEN p.escalated_on <= \(bind: day) THEN p.debtor_id END) AS escalated
            FROM official_pushes p JOIN batch_cases bc ON bc.case_id = p.case_id WHERE bc.batch_id = \(bind: batchID)
            """
        ).first(decoding: Row.self)
        return BatchProgress.TeamWork(officialsPushed: row?.pushed ?? 0, officialsEscalated: row?.escalated ?? 0)
    }
}
