/// An exemption from circumstance 1 recorded on the case (法释〔2017〕7号 art. 3): then the debtor is
/// not "able but refusing" and may not be listed under circumstance 1.
public enum ListingExemption: String, CaseIterable, Codable, Sendable {
    /// (1) sufficient, effective guarantee provided.
    case sufficientGuarantee
    /// (2) property already sealed, seized or frozen is enough to pay the debt.
    case enoughPropertySecured
    /// (3) later in the order of performance (e.g. a 一般保证人).
    case laterInOrderOfPerformance
    /// (4) any other case that is not "able but refusing".
    case otherwiseNotAbleButRefusing

    public var chinese: String {
        switch self {
        case .sufficientGuarantee: "已提供充分有效担保"
        case .enoughPropertySecured: "已查封、扣押、冻结的财产足以清偿"
        case .laterInOrderOfPerformance: "属于履行顺位在后、依法尚不能执行的被执行人"
        case .otherwiseNotAbleButRefusing: "其他不属于有履行能力而拒不履行的情形"
        }
    }
}

/// Who is being listed, as far as the listing rules care.
public struct ListingSubject: Sendable, Equatable {
    public let kind: DebtorKind
    public let identifier: DebtorIdentifier
    /// True when the person is not a debtor of the case but the legal representative of an
    /// organisation debtor: only 限制消费 reaches them (法发〔2019〕35号), never the list.
    public let isLegalRepresentativeOnly: Bool

    public init(kind: DebtorKind, identifier: DebtorIdentifier, isLegalRepresentativeOnly: Bool = false) {
        self.kind = kind
        self.identifier = identifier
        self.isLegalRepresentativeOnly = isLegalRepresentativeOnly
    }
}

/// A listing decision (失信决定) checked against 法释〔2017〕7号 (rules.md §1).
public struct ListingDecision: Sendable, Equatable {
    public let circumstances: [DishonestyCircumstance]
    public let decidedOn: CalendarDate
    public let decisionNumber: String
    /// The fixed term's end (art. 2): 2 years from the decision, plus any extension; nil for a
    /// listing under circumstance 1 alone, which stays until a deletion trigger applies.
    public let expiresOn: CalendarDate?
    public let extensionYears: Int
    /// The first day the entry may be published: after a grace period (宽限期, 法发〔2019〕35号 and
    /// the Jiangxi credit-commitment rules) of 1–3 months, else the decision date.
    public let publishableFrom: CalendarDate

    public var hasFixedTerm: Bool { expiresOn != nil }

    /// Checks a decision. A listing naming any of circumstances 2–6 has the 2-year term of art. 2
    /// (extendable by 1–3 years with a reason); one naming circumstance 1 alone has no term.
    public init(
        subject: ListingSubject, circumstances numbers: [Int], decidedOn: CalendarDate, decisionNumber: String,
        exemption: ListingExemption? = nil, extensionYears: Int = 0, extensionReason: String? = nil,
        gracePeriodMonths: Int? = nil, today: CalendarDate
    ) throws(DomainError) {
        guard !numbers.isEmpty else {
            throw DomainError(code: "invalid_circumstance", message: "须至少列明一项失信情形（1–6）", field: "circumstances")
        }
        var circumstances: [DishonestyCircumstance] = []
        for number in numbers {
            let circumstance = try DishonestyCircumstance.number(number)
            if !circumstances.contains(circumstance) { circumstances.append(circumstance) }
        }
        circumstances.sort { $0.rawValue < $1.rawValue }
        let document = decisionNumber.trimmed
        guard !document.isEmpty else {
            throw DomainError(code: "decision_number_required", message: "须填写失信决定书文号", field: "decisionNumber")
        }
        try decidedOn.mustHaveHappened(by: today, "决定日期", field: "decidedOn")
        if subject.isLegalRepresentativeOnly {
            throw DomainError(
                code: "legal_representative_not_listable",
                message: "不能以法定代表人代替单位被执行人纳入失信名单；对法定代表人只能限制消费（法发〔2019〕35号）",
                field: "debtorId")
        }
        // Art. 4: a minor is never listed; age is taken on the decision date (rules.md §7.5), and
        // the 18th birthday itself does not count (民法典 art. 201).
        if case .citizen(let id) = subject.identifier, subject.kind == .person, !id.isAdult(on: decidedOn) {
            let birthday = id.birthDate.adding(months: 12 * 18)
            throw DomainError(
                code: "debtor_is_minor",
                message: "被执行人在决定日 \(decidedOn) 未成年（\(birthday) 满十八周岁，自次日 \(birthday.adding(days: 1)) 起方可纳入；"
                    + "法释〔2017〕7号第四条，民法典第二百零一条）",
                field: "debtorId")
        }
        if circumstances.contains(.ableButRefusing), let exemption {
            throw DomainError(
                code: "exemption_recorded",
                message: "案件已记录「\(exemption.chinese)」，不属于有履行能力而拒不履行，不能依第一条第一项纳入（法释〔2017〕7号第三条）",
                field: "circumstances")
        }
        let fixedTerm = circumstances.contains(where: \.hasFixedTerm)
        if extensionYears != 0 {
            guard fixedTerm else {
                throw DomainError(
                    code: "term_not_allowed",
                    message: "仅依第一条第一项纳入的没有固定期限，不能延长期限（法释〔2017〕7号第二条）", field: "extensionYears")
            }
            guard (1...3).contains(extensionYears) else {
                throw DomainError(code: "invalid_extension", message: "期限只能延长 1 至 3 年（收到 \(extensionYears) 年）", field: "extensionYears")
            }
            guard !(extensionReason?.trimmed ?? "").isEmpty else {
                throw DomainError(
                    code: "extension_needs_reason",
                    message: "延长期限须写明理由（如以暴力、威胁方法妨碍执行情节严重，或具有多项失信行为）", field: "extensionReason")
            }
        }
        if let gracePeriodMonths, !(1...3).contains(gracePeriodMonths) {
            throw DomainError(
                code: "invalid_grace_period", message: "宽限期为 1 至 3 个月（收到 \(gracePeriodMonths) 个月）", field: "gracePeriodMonths")
        }
        self.circumstances = circumstances
        self.decidedOn = decidedOn
        self.decisionNumber = document
        self.extensionYears = extensionYears
        self.expiresOn = fixedTerm ? decidedOn.adding(months: 12 * (2 + extensionYears)) : nil
        self.publishableFrom = gracePeriodMonths.map { decidedOn.adding(months: $0) } ?? decidedOn
    }
}

extension ListingDecision {
    /// The list is a measure of enforcement (法释〔2017〕7号 art. 1: a debtor who does not perform a
    /// duty fixed by an effective document): a case that is closed other than by 终本 (执行完毕,
    /// 终结执行, 不予执行, 驳回申请, 销案) or has nothing left unperformed gives nothing to refuse
    /// to perform, and the same facts are the deletion triggers of art. 10 (1), (6) and (7).
    public static func checkEnforceable(status: CaseStatus, unperformed: Money, caseNumber: String) throws(DomainError) {
        guard status == .inEnforcement || status == .terminatedThisRound else {
            throw DomainError(
                code: "case_not_in_enforcement",
                message: "案件 \(caseNumber) 已「\(status.chinese)」，没有需要执行的义务，不能纳入失信名单（只有执行中或终本的案件可以纳入）",
                field: "caseId", kind: .conflict)
        }
        guard unperformed > .zero else {
            throw DomainError(
                code: "nothing_unperformed", message: "案件 \(caseNumber) 已无未履行金额，不能纳入失信名单（法释〔2017〕7号第一条）",
                field: "caseId", kind: .conflict)
        }
    }

    /// An earlier entry of the same debtor deleted at an applicant's written request (art. 10(3)).
    public struct DeletionOnRequest: Sendable, Equatable {
        public let applicants: [String]
        public let deletedOn: CalendarDate
        public let caseNumber: String

        public init(applicants: [String], deletedOn: CalendarDate, caseNumber: String) {
            self.applicants = applicants
            self.deletedOn = deletedOn
            self.caseNumber = caseNumber
        }
    }

    /// 法释〔2017〕7号 art. 10, last paragraph: after a deletion at the applicant's request, the same
    /// applicant's new application to list the same debtor within six months is refused. The bar
    /// runs from the deletion to the same day six months on (民法典 art. 201: the deletion day is
    /// not counted), so the first day an application is heard again is the day after.
    public static func checkReapplication(
        applicants: [String], decidedOn: CalendarDate, deletionsOnRequest: [DeletionOnRequest]
    ) throws(DomainError) {
        let names = Set(applicants.map(\.trimmed).filter { !$0.isEmpty })
        for deletion in deletionsOnRequest {
            let barEnds = deletion.deletedOn.adding(months: 6)
            let same = names.intersection(deletion.applicants.map(\.trimmed))
            guard decidedOn <= barEnds, decidedOn >= deletion.deletedOn, let applicant = same.sorted().first else { continue }
            throw DomainError(
                code: "reapplication_barred",
                message:
                    "申请执行人 \(applicant) 已申请删除该被执行人的失信信息（\(deletion.caseNumber)，\(deletion.deletedOn) 删除），"
                    + "六个月内再次申请纳入的不予支持；禁止期至 \(barEnds) 届满，自 \(barEnds.adding(days: 1)) 起可再申请（法释〔2017〕7号第十条）",
                field: "debtorId", kind: .conflict)
        }
    }
}

/// What makes a deletion due (法释〔2017〕7号 art. 10), in the API's names.
public enum DeletionTrigger: String, CaseIterable, Codable, Sendable {
    case performedInFull, settlementPerformed, applicantRequest, noAssetsAfterLookups, suspended, refused, terminated, termExpired
    /// Art. 2 ¶2: a fixed-term entry deleted before its term ends, because the debtor performs
    /// actively or corrects the conduct (the court's decision, with its reason).
    case earlyDeletion

    public var chinese: String {
        switch self {
        case .performedInFull: "已履行完毕"
        case .settlementPerformed: "执行和解协议已履行完毕"
        case .applicantRequest: "申请执行人书面申请删除并经人民法院审查同意"
        case .noAssetsAfterLookups: "终结本次执行程序后经两次以上网络查询未发现财产且申请执行人未提供有效线索"
        case .suspended: "因审判监督或破产程序中止执行"
        case .refused: "人民法院裁定不予执行"
        case .terminated: "人民法院裁定终结执行"
        case .termExpired: "失信期限届满"
        case .earlyDeletion: "积极履行或者主动纠正失信行为，提前删除"
        }
    }

    /// When a deletion becomes due: within 3 working days of the trigger (art. 10), or of the end
    /// of a fixed term — the only trigger a fixed-term entry has (art. 10, last paragraph; rules.md
    /// §7.9: paying in full does not end a fixed term early).
    public static func deletionDue(
        _ trigger: DeletionTrigger, on date: CalendarDate, expiresOn: CalendarDate?,
        calendar: WorkingDayCalendar
    ) throws(DomainError) -> CalendarDate {
        if let expiresOn {
            // Art. 2 ¶2: the court may end a fixed term early; the deletion is then due like any
            // other, 3 working days after the decision.
            if trigger == .earlyDeletion { return try calendar.adding(workingDays: 3, to: date) }
            guard trigger == .termExpired else {
                throw DomainError(
                    code: "fixed_term_entry",
                    message: "该失信信息有固定期限（至 \(expiresOn)），「\(trigger.chinese)」不引起删除，期限届满后三个工作日内删除（法释〔2017〕7号第十条）；"
                        + "被执行人积极履行或主动纠正的，可决定提前删除（earlyDeletion，第二条第二款）",
                    field: "trigger")
            }
            guard date >= expiresOn else {
                throw DomainError(code: "term_not_expired", message: "失信期限至 \(expiresOn) 届满，\(date) 尚未届满", field: "on")
            }
            // Counted from the end of the term, not from the day someone noticed it.
            return try calendar.adding(workingDays: 3, to: expiresOn)
        } else if trigger == .termExpired || trigger == .earlyDeletion {
            throw DomainError(
                code: "no_fixed_term",
                message: "该失信信息没有固定期限，\(trigger == .termExpired ? "不会届满" : "无所谓提前删除")；请选择第十条所列的删除事由", field: "trigger")
        }
        return try calendar.adding(workingDays: 3, to: date)
    }

    /// Art. 10 (4): the case is terminated this round (终本), at least two network look-ups since
    /// then found no property, and nobody has supplied a valid lead since (rules.md §1, §2: the
    /// product counts the look-ups). A look-up "found nothing" only if every category it asked
    /// answered, with no finding: a department that failed or did not answer proves nothing.
    /// Returns why the trigger is not shown, or nil when it is.
    public static func noAssetsRefusal(caseStatus: CaseStatus, lookupsFindingNothing: Int, validLeads: Int) -> String? {
        guard caseStatus == .terminatedThisRound else {
            return "案件当前状态是「\(caseStatus.chinese)」，不是终结本次执行程序"
        }
        guard lookupsFindingNothing >= 2 else {
            return "终本后经网络查控（总对总、点对点）各财产类别均已答复且未发现财产的查询只有 \(lookupsFindingNothing) 次，须两次以上"
        }
        guard validLeads == 0 else {
            return "终本后有 \(validLeads) 条关于财产的线索或举报经核实有效"
        }
        return nil
    }
}

extension DeletionTrigger {
    /// Reads a trigger by its API name.
    public static func parse(_ text: String, field: String = "trigger") throws(DomainError) -> DeletionTrigger {
        guard let trigger = DeletionTrigger(rawValue: text.trimmed) else {
            throw DomainError(
                code: "unknown_trigger",
                message: "trigger「\(text)」无法识别；可用：\(allCases.map(\.rawValue).joined(separator: "、"))",
                field: field)
        }
        return trigger
    }
}

extension ListingExemption {
    /// Reads an exemption (art. 3) by its API name.
    public static func parse(_ text: String, field: String = "exemption") throws(DomainError) -> ListingExemption {
        guard let value = ListingExemption(rawValue: text.trimmed) else {
            throw DomainError(
                code: "unknown_exemption",
                message: "exemption「\(text)」无法识别；可用：\(allCases.map { "\($0.rawValue)（\($0.chinese)）" }.joined(separator: "、"))",
                field: field)
        }
        return value
    }
}
