import ChuqingDomain
import ChuqingServices
import Foundation
import Testing

@testable import ChuqingPersistence
@testable import ChuqingServer

/// Page models built by pure functions, checked without a server or a database.
@Suite("Page models")
struct PageModelTests {
    static func user(_ role: Role) throws -> User {
        User(id: UUID(), username: try Username("u-\(role.rawValue)"), displayName: "某某", role: role)
    }

    static let filed = CalendarDate(year: 2026, month: 1, day: 31)!
    static let today = CalendarDate(year: 2026, month: 6, day: 1)!

    @Test func aCaseInEnforcementOffersEveryClosingAndTheEarliestTerminationDate() throws {
        // act
        let actions = try #require(
            CasePages.actions(
                caseID: "c1", status: .inEnforcement, filedOn: Self.filed, isResumed: false, user: try Self.user(.judge), today: Self.today,
                form: [:]))
        // check: 法〔2016〕373号 art. 1(4), more than three months after filing: 31 Jan + 3 months is 30 April, so 1 May
        #expect(actions.targets.map(\.value) == Lifecycle.allowedTransitions(from: .inEnforcement).map(\.rawValue))
        #expect(actions.canTransition && !actions.canResume && actions.canMeasure)
        #expect(actions.earliestTermination == "2026-05-01")
        #expect(actions.today == "2026-06-01")
        #expect(actions.methods.map(\.label) == ["自动履行", "扣划", "拍卖", "和解分期"])
    }

    @Test func aTerminatedCaseIsResumedOnceAndNeverTransitioned() throws {
        let judge = try Self.user(.judge)
        // act
        let open = try #require(
            CasePages.actions(
                caseID: "c1", status: .terminatedThisRound, filedOn: Self.filed, isResumed: false, user: judge, today: Self.today, form: [:]
            ))
        let resumed = try #require(
            CasePages.actions(
                caseID: "c1", status: .terminatedThisRound, filedOn: Self.filed, isResumed: true, user: judge, today: Self.today, form: [:])
        )
        // check
        #expect(open.canResume && !open.canTransition && open.targets.isEmpty)
        #expect(!resumed.canResume)
    }

    @Test func onlyThoseWhoMayChangeCasesGetTheForms() throws {
        for role in Role.allCases {
            let actions = CasePages.actions(
                caseID: "c1", status: .inEnforcement, filedOn: Self.filed, isResumed: false, user: try Self.user(role), today: Self.today,
                form: [:])
            #expect((actions != nil) == [.director, .judge].contains(role), "\(role)")
        }
    }

    @Test func aRefusedFormKeepsWhatWasTypedButNotTheToken() throws {
        // act
        let actions = try #require(
            CasePages.actions(
                caseID: "c1", status: .inEnforcement, filedOn: Self.filed, isResumed: false, user: try Self.user(.director),
                today: Self.today,
                form: ["to": "withdrawn", "method": "auction", "propertyInvestigationExhausted": "on", CSRFMiddleware.fieldName: "t"]))
        // check
        #expect(actions.targets.filter(\.selected).map(\.value) == ["withdrawn"])
        #expect(actions.methods.filter(\.selected).map(\.value) == ["auction"])
        #expect(actions.checked["propertyInvestigationExhausted"] == true && actions.checked["noticeServedAndReportOrdered"] == false)
        #expect(actions.form[CSRFMiddleware.fieldName] == nil && actions.form["to"] == "withdrawn")
    }

    @Test func theNavigationFollowsThePermissionTable() {
        for role in Role.allCases {
            let items = Navigation.items(for: role).map(\.label)
            #expect(items.contains("用户管理") == role.may(.manageUsers), "\(role)")
            #expect(items.contains("查找名单") == role.may(.submitLeads), "\(role)")
            #expect(items.contains("查询日志") == role.may(.auditLookups), "\(role)")
            #expect(items.first == "首页")
        }
    }
}

/// The permission check every service method begins with.
@Suite("Who may act")
struct ActingUserTests {
    @Test func theCommandLineMayDoEverythingAndNobodyLoggedInMayDoNothing() throws {
        for permission in Permission.allCases {
            #expect(throws: Never.self) { try ActingUser.commandLine.require(permission) }
            #expect(throws: Refusal.forbidden) { try ActingUser(user: nil, address: "10.0.0.1", requestID: "r").require(permission) }
        }
    }

    @Test func aUserMayDoWhatTheirRoleHolds() throws {
        for role in Role.allCases {
            let user = try PageModelTests.user(role)
            for acting in [ActingUser(user: user, address: nil, requestID: nil), .commandLine(as: user)] {
                for permission in Permission.allCases {
                    if role.may(permission) {
                        #expect(throws: Never.self) { try acting.require(permission) }
                    } else {
                        #expect(throws: Refusal.forbidden, "\(role) \(permission)") { try acting.require(permission) }
                    }
                }
            }
        }
    }

    @Test func onlyAJudgeIsLimitedToTheirOwnCases() throws {
        for role in Role.allCases {
            let user = try PageModelTests.user(role)
            #expect(user.judgeScope == (role == .judge ? user.id : nil))
        }
    }
}

extension PageModelTests {
    static func detail(status: CaseStatus, target: Int64, performed: Int64, payments: [CaseDetail.Payment] = []) throws -> CaseDetail {
        let debtor = DebtorSummary(
            id: UUID(), kind: .organization, name: "兴国某某建材有限公司", idNumber: "91360732MA35XXXX0X", legalRepresentative: "刘某",
            township: "潋江镇", isPublicOfficial: false, employer: nil)
        let summary = CaseSummary(
            id: UUID(), caseNumber: try CaseNumber("（2026）赣0732执12号"), court: Court(code: "赣0732", name: "兴国县人民法院"),
            filedOn: filed, closedOn: status == .inEnforcement ? nil : today, status: status, target: Money(fen: target),
            performed: Money(fen: performed), judgeName: "钟法官", township: "潋江镇", debtors: [debtor])
        return CaseDetail(
            summary: summary, judgment: .init(documentNumber: "（2025）赣0732民初1号", issuedBy: "兴国县人民法院", effectiveOn: nil, duty: nil),
            applicants: ["甲", "乙"], importedPerformed: .zero, judgeID: nil, resumedFrom: nil, resumedAs: nil, payments: payments,
            history: [
                .init(
                    occurredAt: Date(timeIntervalSince1970: 1_780_000_000), on: today, actor: nil, event: "transition",
                    from: .inEnforcement,
                    to: status, reason: "无财产", detail: "执行中 → 终结本次执行程序")
            ])
    }

    @Test func theCasePageShowsYuanChineseNamesAndOnlyTheFormsTheUserMayUse() throws {
        // arrange
        let payment = CaseDetail.Payment(id: UUID(), amount: Money(fen: 1_234_567), receivedOn: Self.today, method: .deduction)
        let detail = try Self.detail(status: .terminatedThisRound, target: 5_000_000, performed: 1_234_567, payments: [payment])
        let clerk = try Self.user(.clerk)
        let page = PageChrome(title: "t", user: clerk, csrf: "", current: .cases, flash: nil)
        // act
        let model = CasePages.caseModel(detail, measures: [], page: page, user: clerk, today: Self.today, form: [:])
        let judgeModel = CasePages.caseModel(detail, measures: [], page: page, user: try Self.user(.judge), today: Self.today, form: [:])
        // check: money in 元 with two decimals, names as a person reads them
        #expect(model.caseNumber == "（2026）赣0732执12号" && model.court == "兴国县人民法院（赣0732）")
        #expect(model.status == "终结本次执行程序" && model.closedOn == "2026-06-01" && model.filedOn == "2026-01-31")
        #expect(model.target == "¥50,000.00" && model.performed == "¥12,345.67" && model.unperformed == "¥37,654.33")
        #expect(model.performance == "部分履行" && model.applicants == "甲、乙" && model.duty == "—")
        #expect(model.payments.map(\.method) == ["扣划"] && model.payments.map(\.amount) == ["¥12,345.67"])
        #expect(model.debtors.map(\.kind) == ["法人"] && model.debtors.first?.url == "/debtors/\(detail.summary.debtors[0].id.databaseText)")
        #expect(model.history.map(\.actor) == ["系统"] && model.history.map(\.text) == ["执行中 → 终结本次执行程序：无财产"])
        // a clerk reads the case but changes nothing and does not see its look-ups (Permission.readLookups)
        #expect(model.actions == nil && model.lookupsURL == nil)
        #expect(judgeModel.actions?.canResume == true && judgeModel.lookupsURL == "/cases/\(detail.summary.id.databaseText)/lookups")
    }

    @Test func anOverpaidCaseLeavesNothingUnperformedAndTheDebtorPageAddsUpTheCases() throws {
        // arrange: one case overpaid (a deduction larger than the rest), one half paid
        let over = try Self.detail(status: .fullyEnforced, target: 100_000, performed: 150_000)
        let half = try Self.detail(status: .inEnforcement, target: 300_000, performed: 150_000)
        let debtor = DebtorDetail(
            id: UUID(), kind: .person, name: "张三", idNumber: "360732197803121314", idType: "citizenID", legalRepresentative: nil,
            address: nil, phone: nil, township: nil, village: nil, isPublicOfficial: true, employer: "某局",
            official: try OfficialProfile(standings: [.stateFunctionary], deputyLevel: nil, employer: "某局", superior: nil, verifiedBy: nil),
            hasPhoto: false,
            cases: [over.summary, half.summary], payments: [], history: [])
        let auditor = try Self.user(.auditor)
        // act
        let model = DebtorPages.debtorModel(
            debtor, network: nil, page: PageChrome(title: "t", user: auditor, csrf: "", current: .cases, flash: nil), user: auditor)
        // check
        #expect(over.summary.unperformed == .zero && over.summary.performance == .full)
        #expect(model.totalUnperformed == "¥1,500.00")
        #expect(model.kind == "自然人" && model.employer == "某局" && model.address == "—")
        #expect(model.photoFormURL == nil && model.cases.map(\.status) == ["执行完毕", "执行中"])
    }

    @Test func aMeasureReadsInItsUnitAndAmountsInYuan() throws {
        func record(_ kind: MeasureKind, persons: Int? = nil, count: Int? = nil, fen: Int64? = nil) -> MeasureRecord {
            MeasureRecord(
                id: UUID(), caseID: UUID(), kind: kind, on: Self.today, persons: persons, count: count, amount: fen.map(Money.init(fen:)),
                documentNumber: "（2026）赣0732执12号之一", judgeName: nil, findingID: nil, debtorID: nil, personName: nil, personKind: nil,
                act: nil,
                days: nil, deputyPermission: nil, reconsideration: nil)
        }
        // act
        let rows = [
            CasePages.measureRow(record(.detention, persons: 2)), CasePages.measureRow(record(.freezing, count: 3, fen: 1_250_000)),
            CasePages.measureRow(record(.fine, fen: 500_000)),
        ]
        // check
        #expect(rows.map(\.kind) == ["拘留", "冻结", "罚款"])
        #expect(rows.map(\.figure) == ["2 人", "3 \(MeasureKind.freezing.unit)，¥12,500.00", "¥5,000.00"])
        #expect(rows.allSatisfy { $0.on == "2026-06-01" && $0.judge == "" })
    }
}
