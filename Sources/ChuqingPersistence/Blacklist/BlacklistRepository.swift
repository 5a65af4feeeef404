import ChuqingDomain
import Foundation
import SQLKit

/// A dishonest-debtor list entry as stored and served.
public struct BlacklistEntry: Sendable, Equatable {
    /// How an entry left the list.
    public enum Removal: String, Sendable {
        /// 删除 (art. 10): the debtor performed, or another ground of deletion was shown.
        case deleted
        /// 撤销 (art. 9): the listing was wrong.
        case revoked
    }

    public let id: UUID
    public let caseID: UUID
    public let caseNumber: String
    public let debtorID: UUID
    public let debtorName: String
    public let circumstances: [DishonestyCircumstance]
    public let decidedOn: CalendarDate
    public let decisionNumber: String
    public let expiresOn: CalendarDate?
    public let publishableFrom: CalendarDate
    public let deletionTrigger: DeletionTrigger?
    public let triggeredOn: CalendarDate?
    public let deletionDueOn: CalendarDate?
    public let deletedOn: CalendarDate?
    public let removal: Removal?
    public let removalReason: String?
    /// Why the court decided an early deletion (art. 2 ¶2), or the applicant's written request
    /// (art. 10(3)); nil for the other triggers.
    public let triggerReason: String?
    /// With a 宽限期 nothing about the entry leaves the court before it ends (issue 16 item 3):
    /// the day its listing notifications are held until, while they are held; nil once produced,
    /// or when there was no grace period.
    public let notificationsHeldUntil: CalendarDate?
}

/// Listing decisions and their deletion, following 法释〔2017〕7号 (rules in `ChuqingDomain/Blacklist`).
public struct BlacklistRepository: Sendable {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    static let select = """
        SELECT e.id, e.case_id, c.case_number, e.debtor_id, d.name AS debtor_name, e.circumstances, e.decided_on, e.decision_number,
               e.expires_on, e.publishable_from, e.deletion_trigger, e.triggered_on, e.deletion_due_on, e.deleted_on,
               e.removal, e.removal_reason, e.trigger_reason,
               (SELECT COUNT(*) FROM blacklist_notifications n WHERE n.entry_id = e.id AND n.event = 'listed') AS listed_notifications
        FROM blacklist_entries e JOIN enforcement_cases c ON c.id = e.case_id JOIN debtors d ON d.id = e.debtor_id
        """

    struct Row: Decodable {
        let id: String
        let case_id: String
        let case_number: String
        let debtor_id: String
        let debtor_name: String
        let circumstances: String
        let decided_on: String
        let decision_number: String
        let expires_on: String?
        let publishable_from: String
        let deletion_trigger: String?
        let triggered_on: String?
        let deletion_due_on: String?
        let deleted_on: String?
        let removal: String?
        let removal_reason: String?
        let trigger_reason: String?
        let listed_notifications: Int

        func entry() throws -> BlacklistEntry {
            func day(_ text: String?, _ column: String) throws -> CalendarDate? {
                try text.map { try Stored.date($0, "blacklist_entries.\(column)") }
            }
            let decided = try Stored.date(decided_on, "blacklist_entries.decided_on")
            let publishable = try Stored.date(publishable_from, "blacklist_entries.publishable_from")
            return BlacklistEntry(
                id: try Stored.uuid(id, "blacklist_entries.id"), caseID: try Stored.uuid(case_id, "blacklist_entries.case_id"),
                caseNumber: case_number, debtorID: try Stored.uuid(debtor_id, "blacklist_entries.debtor_id"), debtorName: debtor_name,
                circumstances: try circumstances.split(separator: ",").map { text in
                    guard let number = Int(text), let circumstance = DishonestyCircumstance(rawValue: number) else {
                        throw UnreadableStoredValue(column: "blacklist_entries.circumstances", value: circumstances)
                    }
                    return circumstance
                },
                decidedOn: try Stored.date(decided_on, "blacklist_entries.decided_on"), decisionNumber: decision_number,
                expiresOn: try day(expires_on, "expires_on"),
                publishableFrom: try Stored.date(publishable_from, "blacklist_entries.publishable_from"),
                deletionTrigger: try deletion_trigger.map { try Stored.value($0, "blacklist_entries.deletion_trigger") },
                triggeredOn: try day(triggered_on, "triggered_on"), deletionDueOn: try day(deletion_due_on, "deletion_due_on"),
                deletedOn: try day(deleted_on, "deleted_on"),
                removal: try removal.map { try Stored.value($0, "blacklist_entries.removal") },
                removalReason: removal_reason, triggerReason: trigger_reason,
                notificationsHeldUntil: listed_notifications == 0 && removal == nil && publishable > decided ? publishable : nil)
        }
    }

    /// A listing request before the domain checks it.
    public struct NewListing: Sendable {
        public var caseID: UUID
        public var debtorID: UUID
        public var circumstances: [Int]
        public var decidedOn: CalendarDate
        public var decisionNumber: String
        public var exemption: ListingExemption?
        public var extensionYears: Int
        public var extensionReason: String?
        public var gracePeriodMonths: Int?

        public init(
            caseID: UUID, debtorID: UUID, circumstances: [Int], decidedOn: CalendarDate, decisionNumber: String,
            exemption: ListingExemption?, extensionYears: Int, extensionReason: String?, gracePeriodMonths: Int?
        ) {
            self.caseID = caseID
            self.debtorID = debtorID
            self.circumstances = circumstances
            self.decidedOn = decidedOn
            self.decisionNumber = decisionNumber
            self.exemption = exemption
            self.extensionYears = extensionYears
            self.extensionReason = extensionReason
            self.gracePeriodMonths = gracePeriodMonths
        }
    }

    /// Records a listing decision on a debtor of the case; 409 when that debtor is listed in that
    /// case already (one entry per debtor per case).
    public func create(
        _ listing: NewListing, createdBy: UUID, audit: AuditEntry, today: CalendarDate, now: Date,
        notify: @escaping NotificationRenderer
    ) async throws -> BlacklistEntry {
        try await database.transaction { db in
            struct Debtor: Decodable {
                let id: String
                let kind: String
                let name: String
                let id_number: String
                let linked: Int
            }
            guard
                let debtor = try await db.raw(
                    """
                    SELECT d.id, d.kind, d.name, d.id_number,
                           (SELECT COUNT(*) FROM case_debtors cd WHERE cd.case_id = \(bind: listing.caseID) AND cd.debtor_id = d.id) AS linked
                    FROM debtors d WHERE d.id = \(bind: listing.debtorID)
                    """
                ).first(decoding: Debtor.self)
            else { throw CaseNotFound() }
            struct Representative: Decodable { let n: Int }
            let isRepresentative =
                try await db.raw(
                    """
                    SELECT COUNT(*) AS n FROM case_debtors cd JOIN debtors o ON o.id = cd.debtor_id
                    WHERE cd.case_id = \(bind: listing.caseID) AND o.kind <> 'person' AND o.legal_representative = \(bind: debtor.name)
                    """
                ).first(decoding: Representative.self)?.n ?? 0
            if debtor.linked == 0 && isRepresentative == 0 {
                throw DomainError(code: "not_a_debtor_of_case", message: "\(debtor.name) 不是该案的被执行人，不能在该案中纳入失信名单", field: "debtorId")
            }
            let kind = try DebtorKind.parse(debtor.kind)
            let subject = ListingSubject(
                kind: kind, identifier: try DebtorIdentifier.parse(debtor.id_number, kind: kind, today: today),
                isLegalRepresentativeOnly: debtor.linked == 0)
            let decision = try ListingDecision(
                subject: subject, circumstances: listing.circumstances, decidedOn: listing.decidedOn,
                decisionNumber: listing.decisionNumber,
                exemption: listing.exemption, extensionYears: listing.extensionYears, extensionReason: listing.extensionReason,
                gracePeriodMonths: listing.gracePeriodMonths, today: today)
            struct Existing: Decodable { let id: String }
            // One current entry per debtor per case; a deleted or revoked one stays on record and
            // does not stand in the way of a new decision when a circumstance recurs (art. 10 ¶3).
            if try await db.raw(
                """
                SELECT id FROM blacklist_entries
                WHERE case_id = \(bind: listing.caseID) AND debtor_id = \(bind: listing.debtorID) AND removal IS NULL
                """
            )
            .first(decoding: Existing.self) != nil {
                throw DomainError(
                    code: "already_listed",
                    message: "\(debtor.name) 已因该案纳入失信名单且尚未删除；同一案件对同一被执行人同时只有一条有效的失信信息",
                    field: "debtorId", kind: .conflict)
            }
            try ListingDecision.checkReapplication(
                applicants: try await Self.applicants(ofCase: listing.caseID.databaseText, on: db), decidedOn: decision.decidedOn,
                deletionsOnRequest: try await Self.deletionsOnRequest(debtorID: listing.debtorID.databaseText, on: db))
            let id = UUID().databaseText
            try await db.raw(
                """
                INSERT INTO blacklist_entries (id, case_id, debtor_id, circumstances, decided_on, decision_number, expires_on, extension_years,
                    extension_reason, publishable_from, created_by, created_at)
                VALUES (\(bind: id), \(bind: listing.caseID), \(bind: listing.debtorID),
                        \(bind: decision.circumstances.map { String($0.rawValue) }.joined(separator: ",")), \(bind: decision.decidedOn.description),
                        \(bind: decision.decisionNumber), \(bind: decision.expiresOn?.description), \(bind: decision.extensionYears),
                        \(bind: listing.extensionReason?.trimmed), \(bind: decision.publishableFrom.description), \(bind: createdBy.databaseText), \(bind: now))
                """
            ).run()
            // A grace period holds the notifications as it holds publication (issue 16 item 3):
            // `BlacklistNotifications.releaseHeld` produces them when it ends.
            if decision.publishableFrom <= decision.decidedOn {
                try await BlacklistNotifications.write(
                    entryID: id, event: .listed, date: decision.decidedOn, now: now, on: db, render: notify)
            }
            try await AuditLogRepository().append(audit, on: db)
            return try await Self.entry(id, on: db)
        }
    }

    static func applicants(ofCase caseID: String, on db: any SQLDatabase) async throws -> [String] {
        struct Row: Decodable { let applicants: String }
        let row = try await db.raw("SELECT applicants FROM enforcement_cases WHERE id = \(bind: caseID)").first(decoding: Row.self)
        return row?.applicants.split(separator: "、").map(String.init) ?? []
    }

    /// The debtor's entries deleted at an applicant's request (art. 10(3)), with that case's applicants.
    static func deletionsOnRequest(debtorID: String, on db: any SQLDatabase) async throws -> [ListingDecision.DeletionOnRequest] {
        struct Row: Decodable {
            let applicants: String
            let deleted_on: String
            let case_number: String
        }
        return try await db.raw(
            """
            SELECT c.applicants, e.deleted_on, c.case_number FROM blacklist_entries e JOIN enforcement_cases c ON c.id = e.case_id
            WHERE e.debtor_id = \(bind: debtorID) AND e.deletion_trigger = \(bind: DeletionTrigger.applicantRequest.rawValue)
              AND e.removal = 'deleted' AND e.deleted_on IS NOT NULL
            """
        ).all(decoding: Row.self).map {
            .init(
                applicants: $0.applicants.split(separator: "、").map(String.init),
                deletedOn: try Stored.date($0.deleted_on, "blacklist_entries.deleted_on"), caseNumber: $0.case_number)
        }
    }

    public func entry(id: String) async throws -> BlacklistEntry? {
        try await database.sql.raw(SQLQueryString(Self.select) + " WHERE e.id = \(bind: id)").first(decoding: Row.self)?.entry()
    }

    /// Every entry (of this judge's cases, when given), newest decision first (at most `limit`).
    public func all(visibleToJudge judge: UUID? = nil, limit: Int = 200) async throws -> [BlacklistEntry] {
        try await database.sql.raw(
            SQLQueryString(Self.select) + Self.judgeFilter(judge, prefix: " WHERE")
                + " ORDER BY e.decided_on DESC, e.id LIMIT \(literal: limit)"
        )
        .all(decoding: Row.self).map { try $0.entry() }
    }

    private static func judgeFilter(_ judge: UUID?, prefix: String) -> SQLQueryString {
        guard let judge else { return "" }
        return SQLQueryString(prefix) + " c.judge_id = \(bind: judge.databaseText)"
    }

    /// Entries whose deletion is due and not done, the most urgent first (the director's list).
    public func dueDeletions(visibleToJudge judge: UUID? = nil) async throws -> [BlacklistEntry] {
        try await database.sql.raw(
            SQLQueryString(Self.select) + " WHERE e.deletion_due_on IS NOT NULL AND e.deleted_on IS NULL"
                + Self.judgeFilter(judge, prefix: " AND") + " ORDER BY e.deletion_due_on"
        )
        .all(decoding: Row.self).map { try $0.entry() }
    }

    /// Records `termExpired` on every entry still on the list whose fixed term ended by `today`
    /// and that has no trigger yet: the deletion is due 3 working days after the term's last day
    /// (art. 10, last paragraph), whether or not anyone noticed. Returns the entries changed.
    @discardableResult
    public func recordExpiredTerms(
        today: CalendarDate, calendar: WorkingDayCalendar, audit: (BlacklistEntry) -> AuditEntry
    ) async throws -> [BlacklistEntry] {
        let expired = try await database.sql.raw(
            SQLQueryString(Self.select)
                + " WHERE e.expires_on IS NOT NULL AND e.expires_on <= \(bind: today.description) AND e.deletion_trigger IS NULL AND e.removal IS NULL"
        )
        .all(decoding: Row.self).map { try $0.entry() }
        var changed: [BlacklistEntry] = []
        for entry in expired {
            guard let lastDay = entry.expiresOn else { continue }
            // A reader must not fail because of one entry: another request may have recorded the
            // trigger a moment ago, or the working-day calendar may not cover the days after the
            // term yet. The entry then waits for the trigger by hand, which names the problem.
            do {
                changed.append(
                    try await recordTrigger(
                        entryID: entry.id.databaseText, .termExpired, on: lastDay, calendar: calendar, audit: audit(entry), today: today))
            } catch is DomainError {
                continue
            }
        }
        return changed
    }

    /// Records a deletion trigger (art. 10) and when the deletion is due. A trigger that the
    /// case's own record contradicts is refused: 执行完毕 needs the case performed, 不予执行 and
    /// 终结执行 need the case closed that way.
    public func recordTrigger(
        entryID: String, _ trigger: DeletionTrigger, on date: CalendarDate, reason: String? = nil, calendar: WorkingDayCalendar,
        audit: AuditEntry, today: CalendarDate
    ) async throws -> BlacklistEntry {
        try await database.transaction { db in
            try await Self.recordTrigger(
                entryID: entryID, trigger, on: date, reason: reason, calendar: calendar, audit: audit, today: today, db: db)
        }
    }

    /// `recordTrigger` inside the caller's transaction.
    static func recordTrigger(
        entryID: String, _ trigger: DeletionTrigger, on date: CalendarDate, reason: String? = nil, calendar: WorkingDayCalendar,
        audit: AuditEntry, today: CalendarDate, db: any SQLDatabase
    ) async throws -> BlacklistEntry {
        let entry = try await Self.entry(entryID, on: db)
        try Self.checkOnList(entry)
        guard entry.deletionTrigger == nil else {
            throw DomainError(
                code: "trigger_recorded",
                message:
                    "已记录删除事由（\(entry.deletionTrigger!.chinese)），应于 \(entry.deletionDueOn?.description ?? "") 前删除",
                kind: .conflict)
        }
        try date.mustHaveHappened(by: today, "事由发生日期", field: "on")
        let decided = entry.decidedOn
        guard date >= decided else {
            throw DomainError(code: "date_before_listing", message: "事由发生日期 \(date) 早于纳入日期 \(decided)", field: "on")
        }
        guard let (status, unperformed) = try await Self.caseState(entry.caseID.databaseText, on: db) else { throw CaseNotFound() }
        switch trigger {
        case .performedInFull, .settlementPerformed:
            guard status == .fullyEnforced || unperformed <= 0 else {
                throw DomainError(
                    code: "trigger_not_shown",
                    message: "案件 \(entry.caseNumber) 尚未履行完毕（状态「\(status.chinese)」，未履行 \(Money(fen: unperformed).formatted)）",
                    field: "trigger")
            }
        case .refused, .terminated:
            let needed: CaseStatus = trigger == .refused ? .refused : .terminated
            guard status == needed else {
                throw DomainError(
                    code: "trigger_not_shown", message: "案件 \(entry.caseNumber) 的状态是「\(status.chinese)」，不是「\(needed.chinese)」",
                    field: "trigger")
            }
        case .noAssetsAfterLookups:
            let evidence = try await Self.postTerminationEvidence(
                caseID: entry.caseID.databaseText, debtorID: entry.debtorID.databaseText, on: db)
            if let refusal = DeletionTrigger.noAssetsRefusal(
                caseStatus: status, lookupsFindingNothing: evidence.lookupsFindingNothing,
                validLeads: evidence.validLeads)
            {
                throw DomainError(code: "trigger_not_shown", message: "案件 \(entry.caseNumber)：\(refusal)", field: "trigger")
            }
        case .earlyDeletion:
            guard !(reason?.trimmed ?? "").isEmpty else {
                throw DomainError(
                    code: "reason_required", message: "提前删除须写明理由（如被执行人已积极履行全部义务、主动纠正失信行为）（法释〔2017〕7号第二条第二款）",
                    field: "reason")
            }
        case .applicantRequest, .suspended, .termExpired:
            break
        }
        let due = try DeletionTrigger.deletionDue(
            trigger, on: date, expiresOn: entry.expiresOn,
            calendar: calendar)
        // Art. 10(3): the applicant asks in writing; the record names that request (the date is
        // the trigger's). Checked after the fixed-term rule, which refuses the trigger outright.
        if trigger == .applicantRequest, (reason?.trimmed ?? "").isEmpty {
            throw DomainError(
                code: "reason_required",
                message: "申请执行人申请删除须写明其书面申请（文书名称及日期，如「钟某华申请删除失信信息申请书 2026-02-10」）（法释〔2017〕7号第十条第三项）",
                field: "reason")
        }
        try await db.raw(
            """
            UPDATE blacklist_entries SET deletion_trigger = \(bind: trigger.rawValue), triggered_on = \(bind: date.description),
                deletion_due_on = \(bind: due.description), trigger_reason = \(bind: trigger == .earlyDeletion || trigger == .applicantRequest ? reason?.trimmed : nil)
            WHERE id = \(bind: entryID)
            """
        ).run()
        try await AuditLogRepository().append(audit, on: db)
        return try await Self.entry(entryID, on: db)
    }

    /// Records the deletion triggers that a case's own record now shows, on every entry of the case
    /// — and of the 终本 cases it resumed (a 执恢 case carries on the original's enforcement, so
    /// its payment in full ends the original's listing) — that has no fixed term, no trigger yet
    /// and is still on the list: 执行完毕 or nothing left to pay → performed in full; 不予执行 →
    /// refused; 终结执行 → terminated (art. 10 (1), (6), (7)). Called after a payment or a status
    /// change, with that event's date; returns the entries changed.
    @discardableResult
    public func recordTriggersShownByCase(
        caseID: String, on date: CalendarDate, calendar: WorkingDayCalendar,
        audit: (BlacklistEntry, DeletionTrigger) -> AuditEntry
    ) async throws -> [BlacklistEntry] {
        guard let (status, unperformed) = try await Self.caseState(caseID, on: database.sql) else { return [] }
        // A case closed by its settlement's performance shows that trigger (法释〔2017〕7号 art.
        // 10(2)); its unperformed amount may be more than nothing, the applicant having given it up.
        let settled = try await SettlementRepository.settlements(caseID: caseID, on: database.sql).contains { $0.performedOn != nil }
        let trigger: DeletionTrigger? =
            switch status {
            case .fullyEnforced: settled ? .settlementPerformed : .performedInFull
            case .refused: .refused
            case .terminated: .terminated
            default: unperformed <= 0 ? .performedInFull : nil
            }
        guard let trigger else { return [] }
        let chain = try await Self.ancestors(of: caseID, on: database.sql)
        let open = try await database.sql.raw(
            SQLQueryString(Self.select) + """
                 WHERE e.case_id IN (\(binds: chain)) AND e.expires_on IS NULL AND e.deletion_trigger IS NULL AND e.removal IS NULL
                """
        ).all(decoding: Row.self).map { try $0.entry() }
        var changed: [BlacklistEntry] = []
        for entry in open where entry.decidedOn <= date {
            changed.append(
                try await recordTrigger(
                    entryID: entry.id.databaseText, trigger, on: date, calendar: calendar, audit: audit(entry, trigger), today: date)
            )
        }
        return changed
    }

    /// After a payment is reversed: the entries of the case's chain still on the list whose
    /// `performedInFull` or `settlementPerformed` trigger the case no longer shows (something is left to pay again) lose
    /// that trigger and its due date, so no deletion happens on a payment that did not happen.
    /// Returns the entries changed, as they were before.
    @discardableResult
    static func withdrawTriggers(
        caseID: String, audit: (BlacklistEntry) -> AuditEntry, on db: any SQLDatabase
    ) async throws -> [BlacklistEntry] {
        guard let (status, unperformed) = try await caseState(caseID, on: db), status != .fullyEnforced, unperformed > 0 else {
            return []
        }
        // Neither full performance nor a settlement performed (the reversal reopened it) is shown.
        let withdrawn = [DeletionTrigger.performedInFull, .settlementPerformed]
        let chain = try await ancestors(of: caseID, on: db)
        let shown = try await db.raw(
            SQLQueryString(select) + """
                 WHERE e.case_id IN (\(binds: chain)) AND e.deletion_trigger IN (\(binds: withdrawn.map(\.rawValue)))
                   AND e.removal IS NULL
                """
        ).all(decoding: Row.self).map { try $0.entry() }
        for entry in shown {
            try await db.raw(
                """
                UPDATE blacklist_entries SET deletion_trigger = NULL, triggered_on = NULL, deletion_due_on = NULL
                WHERE id = \(bind: entry.id.databaseText)
                """
            ).run()
            try await AuditLogRepository().append(audit(entry), on: db)
        }
        return shown
    }

    /// The case and every case it resumed, following `resumed_from_id` back to the first 终本.
    static func ancestors(of caseID: String, on db: any SQLDatabase) async throws -> [String] {
        struct Row: Decodable { let resumed_from_id: String? }
        var chain = [caseID]
        while chain.count < 50,
            let previous = try await db.raw("SELECT resumed_from_id FROM enforcement_cases WHERE id = \(bind: chain.last!)")
                .first(decoding: Row.self)?.resumed_from_id
        {
            chain.append(previous)
        }
        return chain
    }

    /// The status and what is left to pay (target − performed, as the case read model counts it)
    /// of the case where enforcement now stands: the case itself, or the last 执恢 case that
    /// resumed it.
    static func caseState(_ caseID: String, on db: any SQLDatabase) async throws -> (CaseStatus, Int64)? {
        struct Next: Decodable { let id: String }
        var current = caseID
        for _ in 0..<50 {
            guard
                let next = try await db.raw("SELECT id FROM enforcement_cases WHERE resumed_from_id = \(bind: current)")
                    .first(decoding: Next.self)?.id
            else { break }
            current = next
        }
        struct Row: Decodable {
            let status: String
            let unperformed: Int64
        }
        guard
            let row = try await db.raw(
                """
                SELECT c.status, c.target_fen - \(CaseRepository.performed()) AS unperformed
                FROM enforcement_cases c WHERE c.id = \(bind: current)
                """
            ).first(decoding: Row.self)
        else { return nil }
        return (try CaseStatus.parse(row.status), row.unperformed)
    }

    /// Since the current case of `caseID`'s chain was terminated this round, as 法释〔2017〕7号
    /// art. 10(4) reads: the look-ups of the debtor on any case of the chain through the network
    /// channels (总对总, 点对点; manual enquiries do not count) whose every *property* category
    /// answered and found nothing (an information category — 婚姻, 户籍, 社保, 水电气 — finding
    /// something does not count against it), and the verified leads and tips about property: a
    /// lead of a property kind, or a lead or tip whose verification led to a measure or payment.
    /// A verified lead on whereabouts does not block the trigger.
    static func postTerminationEvidence(caseID: String, debtorID: String, on db: any SQLDatabase) async throws
        -> (lookupsFindingNothing: Int, validLeads: Int)
    {
        var chain = [caseID]
        struct Link: Decodable { let id: String }
        while let next = try await db.raw("SELECT id FROM enforcement_cases WHERE resumed_from_id = \(bind: chain.last!)").first(
            decoding: Link.self)?.id,
            chain.count < 50
        {
            chain.append(next)
        }
        struct Closed: Decodable { let closed_on: String? }
        guard
            let closed = try await db.raw("SELECT closed_on FROM enforcement_cases WHERE id = \(bind: chain.last!)").first(
                decoding: Closed.self)?.closed_on,
            let day = try? CalendarDate.parse(closed)
        else { return (0, 0) }
        // From the start of the termination day, China Standard Time.
        let since = day.start
        struct N: Decodable { let n: Int }
        let lookups =
            try await db.raw(
                """
                SELECT COUNT(*) AS n FROM asset_lookups l
                WHERE l.debtor_id = \(bind: debtorID) AND l.case_id IN (\(binds: chain)) AND l.status = 'completed' AND l.requested_at >= \(bind: since)
                  AND \(AssetLookupRepository.foundNoProperty)
                """
            ).first(decoding: N.self)?.n ?? 0
        let leads =
            try await db.raw(
                """
                SELECT (SELECT COUNT(*) FROM leads WHERE debtor_id = \(bind: debtorID) AND status = 'verified' AND received_at >= \(bind: since)
                          AND (kind IN (\(binds: Lead.Kind.allCases.filter(\.isAboutProperty).map(\.rawValue)))
                               OR outcome_kind IN ('measure', 'payment')))
                     + (SELECT COUNT(*) FROM tips WHERE debtor_id = \(bind: debtorID) AND status = 'verified' AND received_at >= \(bind: since)
                          AND outcome_kind IN ('measure', 'payment')) AS n
                """
            ).first(decoding: N.self)?.n ?? 0
        return (lookups, leads)
    }

    /// Refuses any change to an entry that has left the list.
    static func checkOnList(_ entry: BlacklistEntry) throws(DomainError) {
        if let removal = entry.removal, let on = entry.deletedOn {
            throw DomainError(
                code: removal == .revoked ? "already_revoked" : "already_deleted",
                message: "该失信信息已于 \(on) \(removal == .revoked ? "撤销" : "删除")；如被执行人再次具有失信情形，应重新作出纳入决定", kind: .conflict)
        }
    }

}
