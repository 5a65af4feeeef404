import ChuqingDomain
import ChuqingServices
import Foundation
import Testing

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
