import ChuqingDomain
import Foundation
import SQLKit

/// A case of a batch that is not cleared yet: still in the stock, or resumed and in progress.
public struct BatchOpenCase: Sendable, Equatable {
    public let summary: CaseSummary
    public let inProgress: Bool
}

/// Which 终本 cases to add to a batch.
public enum BatchCaseSelection: Sendable {
    /// These cases; all of them or none.
    case ids([String])
    /// Every 终本 case of the batch's court that matches and is in no open batch.
    case filter(BatchCaseFilter)
}

/// A filter for adding cases to a batch.
public struct BatchCaseFilter: Sendable, Codable, Equatable {
    public var filedBefore: CalendarDate?
    public var township: String?
    public var judgeId: UUID?
    public var minTargetFen: Int64?
    public var maxTargetFen: Int64?

    public init() {}
}

/// What adding cases did.
public struct BatchAddResult: Sendable, Equatable {
    public let added: Int
    /// Cases the filter matched that are already in an open batch.
    public let skipped: Int
    public let totalCases: Int
}

/// A measure as stored.
public struct MeasureRecord: Sendable, Equatable {
    public let id: UUID
    public let caseID: UUID
    public let kind: MeasureKind
    public let on: CalendarDate
    public let persons: Int?
    public let count: Int?
    public let amount: Money?
    public let documentNumber: String
    public let judgeName: String?
    /// The look-up finding the measure was taken on, if any.
    public let findingID: UUID?
    /// A fine's, detention's or summons's person: a debtor of the case or another person.
    public let debtorID: UUID?
    public let personName: String?
    public let personKind: SanctionSubject.Kind?
    public let act: String?
    public let days: Int?
    public let deputyPermission: String?
    public let reconsideration: Reconsideration?

    /// A 复议 on a fine or detention (民诉法解释 art. 185).
    public struct Reconsideration: Sendable, Equatable {
        public let appliedOn: CalendarDate
        /// The higher court's last day to decide.
        public let dueOn: CalendarDate
        public let decidedOn: CalendarDate?
        public let outcome: ReconsiderationOutcome?
    }
}

/// Clearance batches, the cases in them, enforcement measures, and progress.
public struct ClearanceRepository: Sendable {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    private struct BatchRow: Decodable {
        let id: String
        let name: String
        let court_code: String
        let starts_on: String
        let deadline: String
        let target_cases: Int
        let target_recovered_fen: Int64?
        let closed_on: String?

        func batch() throws -> ClearanceBatch {
            ClearanceBatch(
                id: try Stored.uuid(id, "clearance_batches.id"), name: name, courtCode: court_code,
                startsOn: try CalendarDate.parse(starts_on),
                deadline: try CalendarDate.parse(deadline), targetCases: target_cases, targetRecoveredFen: target_recovered_fen,
                closedOn: try closed_on.map { try CalendarDate.parse($0) })
        }
    }
    private static let batchColumns = "id, name, court_code, starts_on, deadline, target_cases, target_recovered_fen, closed_on"

    // MARK: Batches

    public func create(
        name: String, courtCode: String, startsOn: CalendarDate, deadline: CalendarDate, targetCases: Int,
        targetRecoveredFen: Int64?, createdBy: UUID, audit: AuditEntry, now: Date
    ) async throws -> ClearanceBatch {
        let name = try ClearanceBatch.validate(
            name: name, startsOn: startsOn, deadline: deadline, targetCases: targetCases,
            targetRecoveredFen: targetRecoveredFen)
        return try await database.transaction { db in
            struct Court: Decodable { let code: String }
            guard try await db.raw("SELECT code FROM courts WHERE code = \(bind: courtCode)").first(decoding: Court.self) != nil else {
                struct Known: Decodable {
                    let code: String
                    let name: String
                }
                let known = try await db.raw("SELECT code, name FROM courts ORDER BY code").all(decoding: Known.self)
                throw DomainError(
                    code: "unknown_court",
                    message: "没有法院代字为「\(courtCode)」的法院；可用：\(known.map { "\($0.code)（\($0.name)）" }.joined(separator: "、"))",
                    field: "courtCode")
            }
            if try await db.raw(
                "SELECT \(unsafeRaw: Self.batchColumns) FROM clearance_batches WHERE court_code = \(bind: courtCode) AND name = \(bind: name)"
            )
            .first(decoding: BatchRow.self) != nil {
                throw DomainError(code: "batch_exists", message: "本院已有名为「\(name)」的批次", field: "name", kind: .conflict)
            }
            let id = UUID()
            try await db.raw(
                """
                INSERT INTO clearance_batches (id, name, court_code, starts_on, deadline, target_cases, target_recovered_fen, created_by, created_at)
                VALUES (\(bind: id), \(bind: name), \(bind: courtCode), \(bind: startsOn.description), \(bind: deadline.description),
                        \(bind: targetCases), \(bind: targetRecoveredFen), \(bind: createdBy.databaseText), \(bind: now))
                """
            ).run()
            try await AuditLogRepository().append(audit, on: db)
            return ClearanceBatch(
                id: id, name: name, courtCode: courtCode, startsOn: startsOn, deadline: deadline, targetCases: targetCases,
                targetRecoveredFen: targetRecoveredFen, closedOn: nil)
        }
    }

    public func batches() async throws -> [ClearanceBatch] {
        try await database.sql.raw("SELECT \(unsafeRaw: Self.batchColumns) FROM clearance_batches ORDER BY starts_on DESC, name")
            .all(decoding: BatchRow.self).map { try $0.batch() }
    }

    public func batch(id: String) async throws -> ClearanceBatch? {
        try await database.sql.raw("SELECT \(unsafeRaw: Self.batchColumns) FROM clearance_batches WHERE id = \(bind: id)")
            .first(decoding: BatchRow.self)?.batch()
    }

    /// Closes a batch: its cases may then join another batch.
    public func close(batchID: String, on date: CalendarDate, audit: AuditEntry) async throws -> ClearanceBatch {
        try await database.transaction { db in
            guard
                let batch = try await db.raw("SELECT \(unsafeRaw: Self.batchColumns) FROM clearance_batches WHERE id = \(bind: batchID)")
                    .first(decoding: BatchRow.self)?.batch()
            else { throw CaseNotFound() }
            guard batch.isOpen else {
                throw DomainError(code: "batch_closed", message: "批次「\(batch.name)」已于 \(batch.closedOn!) 结束", kind: .conflict)
            }
            guard date >= batch.startsOn else {
                throw DomainError(code: "date_before_start", message: "结束日期 \(date) 早于批次开始日期 \(batch.startsOn)", field: "on")
            }
            try await db.raw("UPDATE clearance_batches SET closed_on = \(bind: date.description) WHERE id = \(bind: batchID)").run()
            try await db.raw("UPDATE batch_cases SET open_case_id = NULL WHERE batch_id = \(bind: batchID)").run()
            try await AuditLogRepository().append(audit, on: db)
            return ClearanceBatch(
                id: batch.id, name: batch.name, courtCode: batch.courtCode, startsOn: batch.startsOn, deadline: batch.deadline,
                targetCases: batch.targetCases, targetRecoveredFen: batch.targetRecoveredFen, closedOn: date)
        }
    }

    // MARK: Cases in a batch

    /// Adds 终本 cases of the batch's court to an open batch. A case already in an open batch,
    /// of another court or not 终本 is refused: a list is added whole or not at all; a filter
    /// skips cases already in an open batch and says how many.
    public func addCases(
        batchID: String, _ selection: BatchCaseSelection, team: Team?, addedBy: UUID, audit: AuditEntry,
        now: Date
    ) async throws -> BatchAddResult {
        try await database.transaction { db in
            guard
                let batch = try await db.raw("SELECT \(unsafeRaw: Self.batchColumns) FROM clearance_batches WHERE id = \(bind: batchID)")
                    .first(decoding: BatchRow.self)?.batch()
            else { throw CaseNotFound() }
            guard batch.isOpen else {
                throw DomainError(code: "batch_closed", message: "批次「\(batch.name)」已结束，不能再加入案件", kind: .conflict)
            }
            struct Candidate: Decodable {
                let id: String
                let case_number: String
                let court_code: String
                let status: String
                let open_batch: String?
                let official: Int
                let resumed_from_id: String?
            }
            let select: SQLQueryString = """
                SELECT c.id, c.case_number, c.court_code, c.status, b.name AS open_batch, c.resumed_from_id,
                       (SELECT COUNT(*) FROM case_debtors cd JOIN debtors d ON d.id = cd.debtor_id
                        WHERE cd.case_id = c.id AND d.is_public_official = \(bind: true)) AS official
                FROM enforcement_cases c
                LEFT JOIN batch_cases bc ON bc.open_case_id = c.id
                LEFT JOIN clearance_batches b ON b.id = bc.batch_id
                """
            // A 执恢 case that went 终本 again belongs with the case it was resumed from: when that
            // one is in an open batch, counting it in a second batch would count one debt twice.
            func heldByOrigin(_ candidate: Candidate) async throws -> ClearanceBatch? {
                guard let origin = candidate.resumed_from_id else { return nil }
                return try await self.openBatch(holding: origin, on: db)
            }
            var toAdd: [Candidate] = []
            var skipped = 0
            switch selection {
            case .ids(let ids):
                guard !ids.isEmpty else {
                    throw DomainError(code: "no_cases", message: "caseIds 为空：请列出要加入的案件", field: "caseIds")
                }
                let unique = Array(Set(ids.map { $0.lowercased() }))
                let found = try await db.raw(select + " WHERE c.id IN (\(binds: unique))").all(decoding: Candidate.self)
                var problems: [String] = []
                var heldElsewhere = false
                let foundIDs = Set(found.map(\.id))
                for id in unique where !foundIDs.contains(id) { problems.append("没有 id 为 \(id) 的案件") }
                for candidate in found {
                    if candidate.court_code != batch.courtCode {
                        problems.append("\(candidate.case_number) 不是本批次法院（\(batch.courtCode)）的案件")
                    } else if candidate.status != CaseStatus.terminatedThisRound.rawValue {
                        let status = CaseStatus(rawValue: candidate.status)?.chinese ?? candidate.status
                        problems.append("\(candidate.case_number) 的状态为「\(status)」，只有终本案件可以加入出清批次")
                    } else if let other = candidate.open_batch {
                        problems.append("\(candidate.case_number) 已在未结束的批次「\(other)」中；一个案件只能在一个未结束的批次中")
                    } else if let other = try await heldByOrigin(candidate) {
                        problems.append("\(candidate.case_number) 是恢复执行后再次终本的案件，其原案件已在未结束的批次「\(other.name)」中")
                        heldElsewhere = true
                    }
                }
                if !problems.isEmpty {
                    let conflict = heldElsewhere || found.contains { $0.open_batch != nil }
                    throw DomainError(
                        code: conflict ? "case_in_open_batch" : "case_not_eligible",
                        message: "未加入任何案件：" + problems.prefix(20).joined(separator: "；")
                            + (problems.count > 20 ? "；等 \(problems.count) 个问题" : ""),
                        field: "caseIds", kind: conflict ? .conflict : .invalid)
                }
                toAdd = found
            case .filter(let filter):
                var conditions: [SQLQueryString] = [
                    "c.court_code = \(bind: batch.courtCode)", "c.status = \(bind: CaseStatus.terminatedThisRound.rawValue)",
                ]
                if let before = filter.filedBefore { conditions.append("c.filed_on < \(bind: before.description)") }
                if let township = filter.township {
                    conditions.append(
                        "c.township_code IN (SELECT code FROM townships WHERE code = \(bind: township) OR name = \(bind: township))")
                }
                if let judge = filter.judgeId { conditions.append("c.judge_id = \(bind: judge.databaseText)") }
                if let min = filter.minTargetFen { conditions.append("c.target_fen >= \(bind: min)") }
                if let max = filter.maxTargetFen { conditions.append("c.target_fen <= \(bind: max)") }
                let matched = try await db.raw(select + " WHERE " + conditions.joined(separator: " AND ")).all(decoding: Candidate.self)
                for candidate in matched where candidate.open_batch == nil {
                    if try await heldByOrigin(candidate) == nil { toAdd.append(candidate) }
                }
                skipped = matched.count - toAdd.count
            }
            let rows: [[any Encodable & Sendable]] = toAdd.map { candidate in
                let assigned = team ?? (candidate.official > 0 ? .publicOfficials : .general)
                return [batchID, candidate.id, assigned.rawValue, now, addedBy.databaseText, candidate.id]
            }
            try await MultiRowInsert.run(
                into: "batch_cases", columns: ["batch_id", "case_id", "team", "added_at", "added_by", "open_case_id"],
                rows: rows, on: db)
            try await AuditLogRepository().append(audit, on: db)
            struct N: Decodable { let n: Int }
            let total =
                try await db.raw("SELECT COUNT(*) AS n FROM batch_cases WHERE batch_id = \(bind: batchID)").first(decoding: N.self)?.n ?? 0
            return BatchAddResult(added: toAdd.count, skipped: skipped, totalCases: total)
        }
    }

    /// The open batch holding this case or a case it was resumed from, if any.
    func openBatch(holding caseID: String, on db: any SQLDatabase) async throws -> ClearanceBatch? {
        try await db.raw(
            """
            WITH RECURSIVE origin (id, resumed_from_id) AS (
                SELECT id, resumed_from_id FROM enforcement_cases WHERE id = \(bind: caseID)
                UNION ALL
                SELECT c.id, c.resumed_from_id FROM origin JOIN enforcement_cases c ON c.id = origin.resumed_from_id
            )
            SELECT \(unsafeRaw: Self.batchColumns.split(separator: ",").map { "b." + $0.trimmed }.joined(separator: ", "))
            FROM origin JOIN batch_cases bc ON bc.open_case_id = origin.id JOIN clearance_batches b ON b.id = bc.batch_id
            """
        ).first(decoding: BatchRow.self)?.batch()
    }

    // MARK: Measures

    /// Records a measure on a case that is 执行中 or 终本 (the campaign works on 终本 cases); a
    /// case closed for good takes no more measures. A measure on `findingID` must fit what was
    /// found, on a look-up of this case (`FindingMeasures`).
    public func recordMeasure(
        caseID: String, _ measure: Measure, findingID: String? = nil, judgeID: UUID?, author: HistoryAuthor,
        audit: AuditEntry, now: Date
    ) async throws -> MeasureRecord {
        try await database.transaction { db in
            struct Row: Decodable {
                let status: String
                let case_number: String
            }
            guard
                let row = try await db.raw("SELECT status, case_number FROM enforcement_cases WHERE id = \(bind: caseID)")
                    .first(decoding: Row.self)
            else { throw CaseNotFound() }
            let status = try CaseStatus.parse(row.status)
            guard status == .inEnforcement || status == .terminatedThisRound else {
                throw DomainError(
                    code: "case_closed",
                    message: "案件 \(row.case_number) 已「\(status.chinese)」，不能再记录执行措施；如有新财产线索，请恢复执行",
                    kind: .conflict)
            }
            var onWhat = ""
            if let findingID {
                guard let finding = try await AssetLookupRepository.finding(id: findingID, on: db), finding.caseID.databaseText == caseID
                else {
                    throw DomainError(code: "unknown_finding", message: "本案的财产查询中没有编号为「\(findingID)」的查询结果", field: "findingId")
                }
                try FindingMeasures.check(measure, on: finding.kind, foundOn: CalendarDate(dayOf: finding.foundAt))
                onWhat = "，对象：\(finding.kind.chinese) \(finding.description)"
            }
            let id = UUID().databaseText
            let subject = measure.subject
            if let subject, let actKey = measure.actKey {
                try await Self.checkNotSanctionedTwice(measure, subject: subject, actKey: actKey, caseID: caseID, on: db)
            }
            do {
                try await db.raw(
                    """
                    INSERT INTO measures (id, case_id, kind, taken_on, persons, item_count, amount_fen, document_number, judge_id, recorded_by, recorded_at,
                                          finding_id, debtor_id, person_name, person_kind, person_key, act, act_key, days, deputy_permission)
                    VALUES (\(bind: id), \(bind: caseID), \(bind: measure.kind.rawValue), \(bind: measure.on.description), \(bind: measure.persons),
                            \(bind: measure.count), \(bind: measure.amountFen), \(bind: measure.documentNumber), \(bind: judgeID?.databaseText),
                            \(bind: author.id?.databaseText), \(bind: now), \(bind: findingID?.lowercased()), \(bind: subject?.debtorID?.databaseText),
                            \(bind: subject?.name), \(bind: subject?.kind.rawValue), \(bind: subject?.key), \(bind: measure.act), \(bind: measure.actKey),
                            \(bind: measure.days), \(bind: measure.deputyPermission))
                    """
                ).run()
            } catch  where DatabaseErrors.isUniqueViolation(error) {
                // Another judge recorded the same sanction between the check and the insert.
                throw Self.sanctionedTwice(measure, earlier: nil)
            }
            let figure =
                switch measure.kind.quantity {
                case .persons: "\(measure.persons ?? 0)\(measure.kind.unit)"
                case .count: "\(measure.count ?? 0)\(measure.kind.unit)"
                case .amount: Money(fen: measure.amountFen ?? 0).formatted
                }
            try await CaseRepository(database: database).history(
                caseID: caseID, on: measure.on, author: author, event: "measure", from: nil, to: nil, reason: "",
                detail: "执行措施：\(measure.kind.chinese) \(figure)（\(measure.documentNumber)）\(onWhat)", now: now, db: db)
            try await AuditLogRepository().append(audit, on: db)
            return try await self.measures(caseID: caseID, on: db).first { $0.id.databaseText == id }!
        }
    }

    public func measures(caseID: String) async throws -> [MeasureRecord] {
        try await measures(caseID: caseID, on: database.sql)
    }

    /// 民诉法解释 art. 184: the same act is not fined, or detained, twice (a fine and a detention
    /// together are allowed: art. 183).
    static func checkNotSanctionedTwice(
        _ measure: Measure, subject: SanctionSubject, actKey: String, caseID: String, on db: any SQLDatabase
    )
        async throws
    {
        struct Earlier: Decodable {
            let document_number: String
            let taken_on: String
        }
        if let earlier = try await db.raw(
            """
            SELECT document_number, taken_on FROM measures
            WHERE case_id = \(bind: caseID) AND kind = \(bind: measure.kind.rawValue) AND person_key = \(bind: subject.key) AND act_key = \(bind: actKey)
            """
        ).first(decoding: Earlier.self) {
            throw sanctionedTwice(measure, earlier: "\(earlier.taken_on) \(earlier.document_number)")
        }
    }

    static func sanctionedTwice(_ measure: Measure, earlier: String?) -> DomainError {
        DomainError(
            code: "same_act_sanctioned",
            message:
                "对\(measure.subject?.name ?? "")的同一妨害执行行为「\(measure.act ?? "")」已经\(measure.kind.chinese)\(earlier.map { "（\($0)）" } ?? "")，不得连续适用（民诉法解释第一百八十四条）；有新的妨害行为的，请写明新的行为",
            field: "act", kind: .conflict)
    }

    private func measures(caseID: String, on db: any SQLDatabase) async throws -> [MeasureRecord] {
        struct Row: Decodable {
            let id: String
            let case_id: String
            let kind: String
            let taken_on: String
            let persons: Int?
            let item_count: Int?
            let amount_fen: Int64?
            let document_number: String
            let judge_name: String?
            let finding_id: String?
            let debtor_id: String?
            let person_name: String?
            let person_kind: String?
            let act: String?
            let days: Int?
            let deputy_permission: String?
            let reconsideration_applied_on: String?
            let reconsideration_due_on: String?
            let reconsideration_decided_on: String?
            let reconsideration_outcome: String?
        }
        return try await db.raw(
            """
            SELECT m.id, m.case_id, m.kind, m.taken_on, m.persons, m.item_count, m.amount_fen, m.document_number, u.display_name AS judge_name,
                   m.finding_id, m.debtor_id, m.person_name, m.person_kind, m.act, m.days, m.deputy_permission, m.reconsideration_applied_on,
                   m.reconsideration_due_on, m.reconsideration_decided_on, m.reconsideration_outcome
            FROM measures m LEFT JOIN users u ON u.id = m.judge_id WHERE m.case_id = \(bind: caseID) ORDER BY m.taken_on, m.recorded_at
            """
        ).all(decoding: Row.self).map { row in
            var reconsideration: MeasureRecord.Reconsideration? = nil
            if let applied = row.reconsideration_applied_on, let due = row.reconsideration_due_on {
                reconsideration = .init(
                    appliedOn: try Stored.date(applied, "measures.reconsideration_applied_on"),
                    dueOn: try Stored.date(due, "measures.reconsideration_due_on"),
                    decidedOn: try row.reconsideration_decided_on.map { try Stored.date($0, "measures.reconsideration_decided_on") },
                    outcome: try row.reconsideration_outcome.map { try Stored.value($0, "measures.reconsideration_outcome") })
            }
            return MeasureRecord(
                id: try Stored.uuid(row.id, "measures.id"), caseID: try Stored.uuid(row.case_id, "measures.case_id"),
                kind: try Stored.value(row.kind, "measures.kind"), on: try Stored.date(row.taken_on, "measures.taken_on"),
                persons: row.persons, count: row.item_count, amount: row.amount_fen.map(Money.init(fen:)),
                documentNumber: row.document_number,
                judgeName: row.judge_name, findingID: try row.finding_id.map { try Stored.uuid($0, "measures.finding_id") },
                debtorID: try row.debtor_id.map { try Stored.uuid($0, "measures.debtor_id") }, personName: row.person_name,
                personKind: try row.person_kind.map { try Stored.value($0, "measures.person_kind") }, act: row.act, days: row.days,
                deputyPermission: row.deputy_permission, reconsideration: reconsideration)
        }
    }

    /// A 复议 waiting for the higher court's decision.
    public struct PendingReconsideration: Sendable, Equatable {
        public let caseID: UUID
        public let caseNumber: String
        public let kind: MeasureKind
        public let personName: String
        public let dueOn: CalendarDate
    }

    /// The 复议 applied for and not yet decided (a judge: on their own cases).
    public func pendingReconsiderations(visibleToJudge judge: UUID?) async throws -> [PendingReconsideration] {
        struct Row: Decodable {
            let case_id: String
            let case_number: String
            let kind: String
            let person_name: String?
            let reconsideration_due_on: String
        }
        var query: SQLQueryString = """
            SELECT m.case_id, c.case_number, m.kind, m.person_name, m.reconsideration_due_on
            FROM measures m JOIN enforcement_cases c ON c.id = m.case_id
            WHERE m.reconsideration_applied_on IS NOT NULL AND m.reconsideration_decided_on IS NULL
            """
        if let judge { query = query + " AND c.judge_id = \(bind: judge.databaseText)" }
        return try await database.sql.raw(query + " ORDER BY m.reconsideration_due_on").all(decoding: Row.self).map {
            PendingReconsideration(
                caseID: try Stored.uuid($0.case_id, "measures.case_id"), caseNumber: $0.case_number,
                kind: try Stored.value($0.kind, "measures.kind"), personName: $0.person_name ?? "",
                dueOn: try Stored.date($0.reconsideration_due_on, "measures.reconsideration_due_on"))
        }
    }

    /// One measure, for its 复议.
    public func measure(id: String) async throws -> MeasureRecord? {
        struct Row: Decodable { let case_id: String }
        guard let row = try await database.sql.raw("SELECT case_id FROM measures WHERE id = \(bind: id)").first(decoding: Row.self) else {
            return nil
        }
        return try await measures(caseID: row.case_id).first { $0.id.databaseText == id }
    }

    /// Records a 复议 application on a fine or detention, due for decision on `dueOn`.
    public func applyForReconsideration(measureID: String, appliedOn: CalendarDate, dueOn: CalendarDate, audit: AuditEntry) async throws {
        try await database.transaction { db in
            struct Row: Decodable { let id: String }
            let changed = try await db.raw(
                """
                UPDATE measures SET reconsideration_applied_on = \(bind: appliedOn.description), reconsideration_due_on = \(bind: dueOn.description)
                WHERE id = \(bind: measureID) AND reconsideration_applied_on IS NULL RETURNING id
                """
            ).first(decoding: Row.self)
            guard changed != nil else {
                throw DomainError(code: "already_applied", message: "该决定已申请过复议（民事诉讼法第一百一十九条：可以申请复议一次）", kind: .conflict)
            }
            try await AuditLogRepository().append(audit, on: db)
        }
    }

    /// Records the higher court's decision on a 复议.
    public func decideReconsideration(measureID: String, decidedOn: CalendarDate, outcome: ReconsiderationOutcome, audit: AuditEntry)
        async throws
    {
        try await database.transaction { db in
            struct Row: Decodable { let id: String }
            let changed = try await db.raw(
                """
                UPDATE measures SET reconsideration_decided_on = \(bind: decidedOn.description), reconsideration_outcome = \(bind: outcome.rawValue)
                WHERE id = \(bind: measureID) AND reconsideration_applied_on IS NOT NULL AND reconsideration_decided_on IS NULL RETURNING id
                """
            ).first(decoding: Row.self)
            guard changed != nil else {
                throw DomainError(code: "no_pending_reconsideration", message: "该决定没有待决定的复议申请", kind: .conflict)
            }
            try await AuditLogRepository().append(audit, on: db)
        }
    }

    // MARK: Progress

    /// The batch's progress as of the end of `asOf`. Payments and measures count from the batch's
    /// start, on the batch's cases and on the 执恢 cases they were resumed as.
    /// The open cases of one row of a batch's breakdown (issue 16 item 19), by the same figures
    /// as the progress, so the drill-down counts what the row counts.
    public func openCases(
        batchID: String, group: BatchGroup, key: String, asOf: CalendarDate, visibleToJudge judge: UUID?
    ) async throws -> [BatchOpenCase]? {
        guard let batch = try await batch(id: batchID) else { return nil }
        let open = BatchProgress.openCases(try await figures(batch: batch, asOf: asOf), group: group, key: key, asOf: asOf)
        let inProgress = Dictionary(open.map { ($0.caseID.lowercased(), $0.inProgress) }, uniquingKeysWith: { first, _ in first })
        return try await CaseRepository(database: database).summaries(ids: open.map(\.caseID), visibleToJudge: judge).map {
            BatchOpenCase(summary: $0, inProgress: inProgress[$0.id.databaseText] ?? false)
        }
    }

    public func progress(batchID: String, asOf: CalendarDate) async throws -> BatchProgress? {
        guard let batch = try await batch(id: batchID) else { return nil }
        let figures = try await figures(batch: batch, asOf: asOf)
        var progress = BatchProgress.compute(batch: batch, cases: figures, asOf: asOf)
        progress.network = try await NetworkRepository(database: database).batchFigures(batchID: batch.id.databaseText, asOf: asOf).map {
            .init(
                township: $0.township, leadsSubmitted: $0.figures.leadsSubmitted, leadsVerified: $0.figures.leadsVerified,
                leadsLeadingToRecovery: $0.figures.leadsLeadingToRecovery, visits: $0.figures.visits)
        }
        progress.teams = try await OfficialRepository(database: database).batchWork(batchID: batch.id.databaseText, asOf: asOf)
        return progress
    }

    /// Each case of the batch, with its resumption chain, payments and measures: the chains with
    /// each case's team, township and judge (a recursive CTE over `resumed_from_id`); then payments
    /// and measures summed per case for the chains' case ids, as bound `IN (…)` lists of at most
    /// 5,000. Not a join with the CTE: PostgreSQL cannot estimate a recursive CTE's rows (it
    /// guessed 20,410 for 500) and answered with a hash join over every payment — 1.7 s against
    /// index scans on `payments_case` and `measures_case` (docs/performance.md).
    func figures(batch: ClearanceBatch, asOf: CalendarDate) async throws -> [BatchCaseFigures] {
        let db = database.sql
        let chain: SQLQueryString = """
            WITH RECURSIVE chain (root_id, id, depth) AS (
                SELECT case_id, case_id, 0 FROM batch_cases WHERE batch_id = \(bind: batch.id)
                UNION ALL
                SELECT chain.root_id, c.id, chain.depth + 1 FROM chain JOIN enforcement_cases c ON c.resumed_from_id = chain.id
            )
            """
        struct Link: Decodable {
            let root_id: String
            let id: String
            let depth: Int
            let status: String
            let filed_on: String
            let closed_on: String?
            let team: String
            let township_code: String?
            let township_name: String?
            let judge_id: String?
            let judge_name: String?
        }
        let links = try await db.raw(
            chain + """
                SELECT chain.root_id, chain.id, chain.depth, c.status, c.filed_on, c.closed_on, bc.team,
                       root.township_code, t.name AS township_name, root.judge_id, u.display_name AS judge_name
                FROM chain
                JOIN enforcement_cases c ON c.id = chain.id
                JOIN batch_cases bc ON bc.batch_id = \(bind: batch.id) AND bc.case_id = chain.root_id
                JOIN enforcement_cases root ON root.id = chain.root_id
                LEFT JOIN townships t ON t.code = root.township_code LEFT JOIN users u ON u.id = root.judge_id
                ORDER BY chain.root_id, chain.depth
                """
        ).all(decoding: Link.self)
        let rootOf = Dictionary(links.map { ($0.id, $0.root_id) }, uniquingKeysWith: { first, _ in first })
        let caseIDs = links.map(\.id)
        let chunks = stride(from: 0, to: caseIDs.count, by: 5_000).map { Array(caseIDs[$0..<min(caseIDs.count, $0 + 5_000)]) }
        struct Paid: Decodable {
            let case_id: String
            let fen: Int64
        }
        // Payments and measures are independent: on PostgreSQL they run at once on two pooled
        // connections (on SQLite they queue for the one connection, as everything does).
        async let paidRows: [Paid] = {
            var paid: [Paid] = []
            for chunk in chunks {
                paid += try await db.raw(
                    """
                    SELECT p.case_id, CAST(SUM(p.amount_fen) AS BIGINT) AS fen FROM payments p
                    WHERE p.case_id IN (\(binds: chunk)) AND p.reversed_at IS NULL
                      AND p.received_on >= \(bind: batch.startsOn.description) AND p.received_on <= \(bind: asOf.description)
                    GROUP BY p.case_id
                    """
                ).all(decoding: Paid.self)
            }
            return paid
        }()
        // One column per kind, in the unit the kind is counted in (persons, items or 分).
        let columns = MeasureKind.allCases.map { kind -> SQLQueryString in
            let unit: SQLQueryString =
                switch kind.quantity {
                case .persons: "m.persons"
                case .count: "m.item_count"
                case .amount: "m.amount_fen"
                }
            return "CAST(SUM(CASE WHEN m.kind = \(bind: kind.rawValue) THEN \(unit) ELSE 0 END) AS BIGINT) AS \(ident: kind.rawValue)"
        }.joined(separator: ", ")
        struct Done: Decodable {
            let case_id: String
            let search: Int64?, summons: Int64?, detention: Int64?, fine: Int64?, vehicleSeizure: Int64?, sealing: Int64?
            let freezing: Int64?, deduction: Int64?, consumptionRestriction: Int64?

            func total(_ kind: MeasureKind) -> Int64 {
                switch kind {
                case .search: search ?? 0
                case .summons: summons ?? 0
                case .detention: detention ?? 0
                case .fine: fine ?? 0
                case .vehicleSeizure: vehicleSeizure ?? 0
                case .sealing: sealing ?? 0
                case .freezing: freezing ?? 0
                case .deduction: deduction ?? 0
                case .consumptionRestriction: consumptionRestriction ?? 0
                }
            }
        }
        async let doneRows: [Done] = {
            var done: [Done] = []
            for chunk in chunks {
                done += try await db.raw(
                    """
                    SELECT m.case_id, \(columns) FROM measures m
                    WHERE m.case_id IN (\(binds: chunk))
                      AND m.taken_on >= \(bind: batch.startsOn.description) AND m.taken_on <= \(bind: asOf.description)
                    GROUP BY m.case_id
                    """
                ).all(decoding: Done.self)
            }
            return done
        }()
        let (paid, done) = try await (paidRows, doneRows)

        var chains: [String: [Clearance.ChainCase]] = [:]
        for link in links {
            chains[link.root_id, default: []].append(
                Clearance.ChainCase(
                    status: try CaseStatus.parse(link.status), filedOn: try CalendarDate.parse(link.filed_on),
                    closedOn: try link.closed_on.map { try CalendarDate.parse($0) }))
        }
        let paidByRoot = Dictionary(paid.compactMap { row in rootOf[row.case_id].map { ($0, row.fen) } }, uniquingKeysWith: +)
        var measuresByRoot: [String: [MeasureKind: Int64]] = [:]
        for row in done {
            guard let root = rootOf[row.case_id] else { continue }
            for kind in MeasureKind.allCases where row.total(kind) != 0 {
                measuresByRoot[root, default: [:]][kind, default: 0] += row.total(kind)
            }
        }
        var roots: [Link] = []
        for link in links where link.depth == 0 { roots.append(link) }
        return try roots.map { root in
            BatchCaseFigures(
                caseID: root.root_id, team: try Team.parse(root.team), townshipCode: root.township_code,
                townshipName: root.township_name, judgeID: root.judge_id, judgeName: root.judge_name,
                chain: chains[root.root_id] ?? [], recoveredFen: paidByRoot[root.root_id] ?? 0,
                measures: measuresByRoot[root.root_id] ?? [:])
        }
    }
}
