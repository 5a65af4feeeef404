import ChuqingDomain
import ChuqingPersistence
import Foundation
import Hummingbird

/// `/api/v1/cases`: search, read, payments, transitions and resumption.
///
/// Judges see the cases assigned to them; the director, clerks, auditors and the admin see all.
/// Liaisons see none of this (a later capability gives them their township's debtors).
struct CaseController {
    let database: Database
    let now: @Sendable () -> Date
    /// For the deletion deadlines of dishonest-debtor entries that a payment or a closing triggers.
    let calendar: WorkingDayCalendar

    static let readers: Set<Role> = [.admin, .director, .judge, .clerk, .auditor]
    static let writers: Set<Role> = [.director, .judge]

    struct CaseList: Encodable {
        let items: [CaseSummary]
        let nextCursor: String?
    }

    struct PaymentRequest: Decodable {
        let amountFen: Int64
        let receivedOn: CalendarDate
        let method: String
    }

    struct TransitionRequest: Decodable {
        let to: String
        let on: CalendarDate
        let reason: String?
        let conditions: TerminationConditions?
    }

    struct ResumeRequest: Decodable {
        let on: CalendarDate
        let caseNumber: CaseNumber
    }

    var repository: CaseRepository { CaseRepository(database: database) }

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
    }

    /// Checks a hand-entered case with the same rules as an export row.
    func validate(_ body: NewCaseRequest, user: User, today: CalendarDate) async throws -> NewCase {
        guard body.caseNumber.isEnforcement else {
            throw DomainError(code: "not_enforcement_case", message: "案号 \(body.caseNumber) 不是执行案件（类型代字应为执、执恢、执保等）", field: "caseNumber")
        }
        struct Code: Decodable {
            let code: String
            let name: String
        }
        guard
            let court = try await database.sql.raw("SELECT code, name FROM courts WHERE code = \(bind: body.courtCode)").first(
                decoding: Code.self)
        else {
            throw DomainError(code: "unknown_court", message: "没有代字为「\(body.courtCode)」的法院", field: "courtCode")
        }
        if let caseCourt = body.caseNumber.courtCode, caseCourt != court.code {
            throw DomainError(code: "court_mismatch", message: "案号中的法院代字 \(caseCourt) 与 courtCode \(court.code) 不符", field: "courtCode")
        }
        try body.filedOn.mustHaveHappened(by: today, "立案日期", field: "filedOn")
        guard body.targetFen > 0 else {
            throw DomainError(code: "invalid_amount", message: "执行标的金额须大于 0（单位：分）", field: "targetFen")
        }
        let applicants = body.applicants.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard !applicants.isEmpty else {
            throw DomainError(code: "applicant_required", message: "至少一名申请执行人", field: "applicants")
        }
        guard !body.debtors.isEmpty else {
            throw DomainError(code: "debtor_required", message: "至少一名被执行人", field: "debtors")
        }
        let townships = try await SQLTownshipRepository().all(on: database.sql)
        var debtors: [ImportedDebtor] = []
        for (index, debtor) in body.debtors.enumerated() {
            let field = "debtors[\(index)]"
            let kind = try DebtorKind.parse(debtor.kind, field: "\(field).kind")
            let identifier = try DebtorIdentifier.parse(debtor.idNumber, kind: kind, today: today, field: "\(field).idNumber")
            let name = debtor.name.trimmingCharacters(in: .whitespaces)
            guard !name.isEmpty else { throw DomainError(code: "invalid_name", message: "被执行人姓名/名称不能为空", field: "\(field).name") }
            if kind.isOrganization && (debtor.legalRepresentative ?? "").isEmpty {
                throw DomainError(
                    code: "legal_representative_required", message: "法人和非法人组织须填写法定代表人或负责人", field: "\(field).legalRepresentative")
            }
            var townshipCode: String?
            if let given = debtor.township, !given.isEmpty {
                guard let township = townships.first(where: { $0.code == given || $0.name == given }) else {
                    throw DomainError(code: "unknown_township", message: "没有「\(given)」这个乡镇；请用乡镇编码或全称", field: "\(field).township")
                }
                townshipCode = township.code
            }
            let official = debtor.isPublicOfficial ?? false
            if official && (debtor.employer ?? "").isEmpty {
                throw DomainError(code: "employer_required", message: "公职人员须填写工作单位", field: "\(field).employer")
            }
            debtors.append(
                ImportedDebtor(
                    kind: kind, name: name, identifier: identifier, legalRepresentative: debtor.legalRepresentative,
                    address: debtor.address, townshipCode: townshipCode, phone: debtor.phone,
                    isPublicOfficial: official, employer: official ? debtor.employer : nil))
        }
        var judgeID = body.judgeID ?? (user.role == .judge ? user.id : nil)
        var judgeName: String?
        if let id = judgeID {
            guard let judge = try await SQLUserRepository().find(id: id, on: database.sql), judge.user.role == .judge,
                !judge.user.isDisabled
            else {
                throw DomainError(code: "unknown_judge", message: "judgeID 不是在用的承办法官账号", field: "judgeID")
            }
            if user.role == .judge && id != user.id {
                throw DomainError(code: "judge_assigns_self", message: "承办法官只能登记由自己承办的案件；指派他人请由执行局长操作", field: "judgeID")
            }
            judgeName = judge.user.displayName
            judgeID = id
        }
        let basis =
            (try? CaseNumber(body.judgment.documentNumber).canonical) ?? body.judgment.documentNumber.trimmingCharacters(in: .whitespaces)
        guard !basis.isEmpty, !body.judgment.issuedBy.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw DomainError(code: "judgment_required", message: "须填写执行依据文号和做出执行依据单位", field: "judgment")
        }
        let fields = ImportedCase(
            caseNumber: body.caseNumber, courtCode: court.code, filedOn: body.filedOn, judgeName: judgeName,
            status: .inEnforcement, closedOn: nil, basisNumber: basis, basisIssuer: body.judgment.issuedBy,
            duty: body.judgment.duty, applicants: applicants, target: Money(fen: body.targetFen), performed: .zero)
        return NewCase(fields: fields, debtors: debtors, judgeID: judgeID)
    }

    func register(on routes: RouteTable) {
        routes.on(.get, "/api/v1/cases", .roles(Self.readers)) { request, context in
            let user = try context.requireSession().user
            var filter = try Self.filter(from: request)
            if user.role == .judge { filter.visibleToJudge = user.id }
            let limit = try Self.limit(request)
            let page = try await repository.search(filter, limit: limit, after: request.uri.queryParameters.get("cursor"))
            return try JSON.response(CaseList(items: page.items, nextCursor: page.nextCursor))
        }
        routes.on(.post, "/api/v1/cases", .roles(Self.writers)) { request, context in
            let user = try context.requireSession().user
            let body = try await request.decodeJSON(NewCaseRequest.self, context: context)
            let instant = now()
            let newCase = try await validate(body, user: user, today: ShanghaiClock.today(instant))
            let detail = try await repository.create(
                newCase, actor: context.caseActor,
                audit: context.actor.audit("case.create", entity: "case", id: nil, detail: body.caseNumber.canonical, at: instant),
                now: instant)
            return try JSON.response(detail, status: .created)
        }
        routes.on(.get, "/api/v1/cases/:id", .roles(Self.readers)) { _, context in
            try JSON.response(try await visibleCase(context))
        }
        routes.on(.patch, "/api/v1/cases/:id", .roles(Self.writers)) { request, context in
            let user = try context.requireSession().user
            let current = try await visibleCase(context)
            let changes = try await request.decodeJSON(CaseChanges.self, context: context)
            if user.role == .judge, let judge = changes.judgeID, judge != user.id {
                throw APIError(.forbidden, code: "forbidden", message: "改派承办法官须由执行局长操作")
            }
            let instant = now()
            let detail = try await repository.update(
                caseID: current.summary.id, changes, actor: context.caseActor,
                audit: context.actor.audit(
                    "case.update", entity: "case", id: current.summary.id, detail: current.summary.caseNumber, at: instant),
                now: instant)
            return try JSON.response(detail)
        }
        routes.on(.post, "/api/v1/cases/:id/payments", .roles(Self.writers)) { request, context in
            let current = try await visibleCase(context)
            let body = try await request.decodeJSON(PaymentRequest.self, context: context)
            let method = try CaseRepository.PaymentMethod.parse(body.method)
            let instant = now()
            try Self.notInFuture(body.receivedOn, field: "receivedOn", today: ShanghaiClock.today(instant))
            let detail = try await repository.addPayment(
                caseID: current.summary.id, amount: Money(fen: body.amountFen), receivedOn: body.receivedOn, method: method,
                actor: context.caseActor,
                audit: context.actor.audit(
                    "case.payment", entity: "case", id: current.summary.id,
                    detail: "\(current.summary.caseNumber) \(Money(fen: body.amountFen).formatted)", at: instant),
                now: instant)
            await recordBlacklistTriggers(caseID: current.summary.id, on: body.receivedOn, context: context)
            return try JSON.response(detail, status: .created)
        }
        routes.on(.post, "/api/v1/cases/:id/transitions", .roles(Self.writers)) { request, context in
            let current = try await visibleCase(context)
            let body = try await request.decodeJSON(TransitionRequest.self, context: context)
            let target = try Self.transitionTarget(body.to)
            let instant = now()
            try Self.notInFuture(body.on, field: "on", today: ShanghaiClock.today(instant))
            let detail = try await repository.transition(
                caseID: current.summary.id, to: target, on: body.on, reason: body.reason ?? "", conditions: body.conditions,
                actor: context.caseActor,
                audit: context.actor.audit(
                    "case.transition", entity: "case", id: current.summary.id,
                    detail: "\(current.summary.caseNumber) → \(target.chinese)", at: instant),
                now: instant)
            await recordBlacklistTriggers(caseID: current.summary.id, on: body.on, context: context)
            return try JSON.response(detail)
        }
        routes.on(.post, "/api/v1/cases/:id/resume", .roles(Self.writers)) { request, context in
            let current = try await visibleCase(context)
            let body = try await request.decodeJSON(ResumeRequest.self, context: context)
            let instant = now()
            try Self.notInFuture(body.on, field: "on", today: ShanghaiClock.today(instant))
            let detail = try await repository.resume(
                caseID: current.summary.id, as: body.caseNumber, on: body.on, actor: context.caseActor,
                audit: context.actor.audit(
                    "case.resume", entity: "case", id: current.summary.id,
                    detail: "\(current.summary.caseNumber) → \(body.caseNumber.canonical)", at: instant),
                now: instant)
            return try JSON.response(detail, status: .created)
        }
    }

    /// The `:id` case if this user may see it; 404 otherwise (existence does not leak).
    func visibleCase(_ context: AppRequestContext) async throws -> CaseDetail {
        try await Self.visibleCase(context, database: database)
    }

    static func visibleCase(_ context: AppRequestContext, database: Database) async throws -> CaseDetail {
        try await visibleCase(id: context.parameters.get("id"), context, database: database)
    }

    /// The case `id` if this user may see it (a judge: their own cases); 404 otherwise.
    static func visibleCase(id: String?, _ context: AppRequestContext, database: Database) async throws -> CaseDetail {
        let user = try context.requireSession().user
        guard let id, let detail = try await CaseRepository(database: database).detail(id: id.lowercased()) else {
            throw APIError.notFound
        }
        if user.role == .judge && detail.judgeID != user.id.databaseText { throw APIError.notFound }
        return detail
    }

    /// After a payment or a status change: the dishonest-debtor entries of the case whose deletion
    /// the case's record now triggers get their trigger and due date (法释〔2017〕7号 art. 10).
    /// The payment or change is saved already; if a trigger cannot be recorded (a payment dated in a
    /// year the working-day calendar does not cover), the request still succeeds, the failure is
    /// logged, and the entry waits for the trigger to be recorded by hand, which names the problem.
    func recordBlacklistTriggers(caseID: String, on date: CalendarDate, context: AppRequestContext) async {
        let instant = now()
        do {
            try await BlacklistRepository(database: database).recordTriggersShownByCase(
                caseID: caseID, on: date, calendar: calendar,
                audit: { entry, trigger in
                    context.actor.audit(
                        "blacklist.trigger", entity: "blacklist_entry", id: entry.id, detail: "\(trigger.chinese)（自动）", at: instant)
                })
        } catch {
            context.logger.warning("deletion trigger not recorded automatically", metadata: ["case": "\(caseID)", "error": "\(error)"])
        }
    }

    /// Payments, transitions and resumptions record what has happened: a date after today (in
    /// China) is a typing mistake, refused rather than stored.
    static func notInFuture(_ date: CalendarDate, field: String, today: CalendarDate) throws(DomainError) {
        try date.mustHaveHappened(by: today, "日期", field: field)
    }

    /// The API's names for the targets of `transitions`.
    static func transitionTarget(_ text: String) throws -> CaseStatus {
        let allowed: [CaseStatus] = [.fullyEnforced, .terminatedThisRound, .terminated, .refused, .rejected, .withdrawn]
        guard let status = CaseStatus(rawValue: text), allowed.contains(status) else {
            throw APIError(
                .unprocessableContent, code: "unknown_status",
                message: "to 只能是 \(allowed.map(\.rawValue).joined(separator: "、"))（收到「\(text)」）", field: "to")
        }
        return status
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

extension AppRequestContext {
    /// The acting user, for a case's history.
    var caseActor: CaseRepository.Actor { CaseRepository.Actor(id: user?.id, username: user?.username.value) }
}
