import ChuqingDomain
import Testing

@Suite("Notice eligibility, procedures and notifications (法释〔2017〕7号)")
struct NoticeRulesTests {
    func entry(
        publishableFrom: String = "2026-01-05", expiresOn: String? = nil, deletionDueOn: String? = nil, removal: String? = nil,
        removedOn: String? = nil, inIssue: Bool = false
    ) -> NoticeEligibility.Entry {
        NoticeEligibility.Entry(
            courtCode: "赣0732", publishableFrom: d(publishableFrom), expiresOn: expiresOn.map(d),
            deletionDueOn: deletionDueOn.map(d), removal: removal, removedOn: removedOn.map(d), inIssueOfKind: inIssue)
    }

    @Test func exposureTakesListedEntriesPastTheirGracePeriodOnce() {
        let today = d("2026-03-02")
        func refusal(_ entry: NoticeEligibility.Entry, correction: Bool = false) -> String? {
            NoticeEligibility.refusal(entry, kind: .blacklist, today: today, lastCreditRepairOn: nil, isCorrection: correction)
        }
        #expect(refusal(entry()) == nil)
        #expect(refusal(entry(publishableFrom: "2026-03-02")) == nil)  // the grace period's last day has passed
        #expect(refusal(entry(publishableFrom: "2026-03-03"))?.contains("宽限期") == true)
        #expect(refusal(entry(expiresOn: "2026-03-02"))?.contains("届满") == true)
        #expect(refusal(entry(deletionDueOn: "2026-03-04"))?.contains("删除事由") == true)
        #expect(refusal(entry(removal: "deleted", removedOn: "2026-02-01")) != nil)
        #expect(refusal(entry(removal: "revoked", removedOn: "2026-02-01")) != nil)
        #expect(refusal(entry(inIssue: true))?.contains("已列入") == true)
        #expect(refusal(entry(inIssue: true), correction: true) == nil)
    }

    @Test func creditRepairTakesEntriesDeletedSinceTheLastIssue() {
        let today = d("2026-03-02")
        func refusal(_ entry: NoticeEligibility.Entry, last: String?) -> String? {
            NoticeEligibility.refusal(entry, kind: .creditRepair, today: today, lastCreditRepairOn: last.map(d), isCorrection: false)
        }
        #expect(refusal(entry(removal: "deleted", removedOn: "2026-02-20"), last: nil) == nil)
        #expect(refusal(entry(removal: "deleted", removedOn: "2026-02-20"), last: "2026-02-20") == nil)  // the same day counts
        #expect(refusal(entry(removal: "deleted", removedOn: "2026-02-19"), last: "2026-02-20")?.contains("早于上一期") == true)
        #expect(refusal(entry(), last: nil)?.contains("尚未删除") == true)
        #expect(refusal(entry(removal: "revoked", removedOn: "2026-02-20"), last: nil) != nil)  // a wrong listing is not "repaired"
        #expect(refusal(entry(removal: "deleted", removedOn: "2026-02-20", inIssue: true), last: nil) != nil)
    }

    @Test func anIssueMovesForwardOnly() throws {
        #expect(throws: Never.self) { try NoticeIssueState.composed.checkEditable() }
        #expect(throws: DomainError.self) { try NoticeIssueState.published.checkEditable() }
        #expect(throws: DomainError.self) { try NoticeIssueState.composed.checkPublishable() }
        #expect(throws: DomainError.self) { try NoticeIssueState.published.checkPublishable() }
        #expect(throws: DomainError.self) { try NoticeIssueState.approved.checkApprovable() }
        #expect(NoticeHeader.title(courtName: "兴国县人民法院", kind: .creditRepair, year: 2026, number: 3) == "兴国县人民法院信用修复公告（2026年第3期）")
    }

    @Test func onlyARejectedRequestGoesToReconsiderationAndInTime() throws {
        let calendar = CalendarFixture.shipped
        func check(_ kind: BlacklistProcedureKind, _ outcome: ProcedureOutcome?, served: String, applied: String) -> String? {
            do {
                try Reconsideration.check(
                    reviewing: kind, outcome: outcome, decidedOn: outcome == nil ? nil : d("2026-02-10"), servedOn: d(served),
                    appliedOn: d(applied), calendar: calendar)
                return nil
            } catch { return error.code }
        }
        #expect(check(.objection, .rejected, served: "2026-02-11", applied: "2026-02-24") == nil)
        #expect(check(.objection, .rejected, served: "2026-02-11", applied: "2026-02-25") == "reconsideration_late")
        #expect(check(.objection, .rejected, served: "2026-02-09", applied: "2026-02-12") == "date_too_early")
        #expect(check(.objection, .rejected, served: "2026-02-11", applied: "2026-02-10") == "date_too_early")
        #expect(check(.objection, .upheld, served: "2026-02-11", applied: "2026-02-12") == "request_not_rejected")
        #expect(check(.objection, nil, served: "2026-02-11", applied: "2026-02-12") == "request_not_rejected")
        #expect(check(.correction, .rejected, served: "2026-02-11", applied: "2026-02-12") == "not_a_correction_request")
    }

    @Test func theTwoClocksOfTheProcedures() throws {
        let calendar = CalendarFixture.shipped
        // revocation and correction: 3 working days (art. 9)
        #expect(try BlacklistProcedureKind.revocation.dueOn(aroseOn: d("2025-09-30"), calendar: calendar) == d("2025-10-11"))
        #expect(try BlacklistProcedureKind.correction.dueOn(aroseOn: d("2026-11-25"), calendar: calendar) == d("2026-11-30"))
        // a request is reviewed within 15 days, calendar days (art. 12); a last day on a holiday moves on
        #expect(try BlacklistProcedureKind.objection.dueOn(aroseOn: d("2026-03-02"), calendar: calendar) == d("2026-03-17"))
        #expect(try BlacklistProcedureKind.objection.dueOn(aroseOn: d("2026-02-02"), calendar: calendar) == d("2026-02-24"))
        #expect(throws: DomainError.self) { try BlacklistProcedureKind.objection.dueOn(aroseOn: d("2026-12-25"), calendar: calendar) }
        #expect(ObjectionGround.notListable.remedy == .revocation)
        // 复议: 10 days from service to apply, 15 from the application to decide (art. 12)
        #expect(try Reconsideration.lastDayToApply(servedOn: d("2026-03-02"), calendar: calendar) == d("2026-03-12"))
        #expect(try Reconsideration.lastDayToApply(servedOn: d("2026-02-11"), calendar: calendar) == d("2026-02-24"))  // 02-21 in 春节
        #expect(try BlacklistProcedureKind.reconsideration.dueOn(aroseOn: d("2026-02-24"), calendar: calendar) == d("2026-03-11"))
        #expect(ObjectionGround.wrongData.remedy == .correction)
        #expect(ObjectionGround.shouldBeDeleted.remedy == nil)
    }

    @Test func publicOfficialsEmployersAreNotified() {
        #expect(
            ListNotification.recipients(isPublicOfficial: false, employer: "兴国县某局").map(\.kind) == ["creditPlatform", "creditPlatform"])
        let official = ListNotification.recipients(isPublicOfficial: true, employer: "兴国县某局")
        #expect(official.last?.kind == "employer")
        #expect(official.last?.name == "兴国县某局")
        #expect(ListNotification.recipients(isPublicOfficial: true, employer: " ").last?.name.contains("未登记") == true)
    }

    @Test func aNoticeShowsAPersonMaskedAndOnlyToVillageLevel() throws {
        let subject = NoticeSubject(
            kind: .person, name: "陈某生", identifier: .citizen(try CitizenID("36073219780312131X", today: d("2026-03-02"))),
            legalRepresentative: "不应出现", township: "潋江镇", village: "城东村", on: d("2026-03-11"))
        #expect(subject.publishedID == "3607321978****131X")
        #expect(subject.age == 47)  // born 1978-03-12: 47 on the issue's date 2026-03-11, the day before the birthday
        let nextDay = NoticeSubject(
            kind: .person, name: "陈某生", identifier: .citizen(try CitizenID("36073219780312131X", today: d("2026-03-02"))),
            legalRepresentative: nil, township: nil, village: nil, on: d("2026-03-12"))
        #expect(nextDay.age == 48)
        #expect(nextDay.address == nil)
        #expect(subject.sex == "男")
        #expect(subject.address == "潋江镇城东村")
        #expect(subject.legalRepresentative == nil)
    }
}
