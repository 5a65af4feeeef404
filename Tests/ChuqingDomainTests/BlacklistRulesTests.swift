import ChuqingDomain
import Foundation
import Testing

func d(_ text: String) -> CalendarDate { try! CalendarDate.parse(text) }

enum CalendarFixture {
    static let shipped: WorkingDayCalendar = {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let text = try! String(contentsOf: root.appendingPathComponent("Templates/calendar/working-days.csv"), encoding: .utf8)
        return try! WorkingDayCalendar.parse(text)
    }()
}

@Suite("Working-day calendar (calendar.md)")
struct WorkingDayCalendarTests {
    let calendar = CalendarFixture.shipped

    @Test func theWorkedExamplesOfCalendarMd() throws {
        #expect(try calendar.adding(workingDays: 3, to: d("2025-09-30")) == d("2025-10-11"))  // make-up Saturday is day 3
        #expect(try calendar.adding(workingDays: 3, to: d("2026-02-12")) == d("2026-02-24"))  // 春节 skipped
    }

    @Test func weekendsHolidaysAndMakeUpDays() throws {
        #expect(try calendar.isWorkingDay(d("2026-11-27")))  // Friday
        #expect(try !calendar.isWorkingDay(d("2026-11-28")))  // Saturday
        #expect(try calendar.isWorkingDay(d("2026-10-10")))  // Saturday, make-up
        #expect(try !calendar.isWorkingDay(d("2026-10-05")))  // Monday, 国庆节
        #expect(try calendar.isHoliday(d("2024-02-12")))
        #expect(try !calendar.isHoliday(d("2024-02-24")))  // an ordinary Saturday
        #expect(try calendar.adding(workingDays: 3, to: d("2026-11-26")) == d("2026-12-01"))  // Thu → Fri, Mon, Tue
    }

    @Test func calendarDayPeriodsEndOnTheNextWorkingDay() throws {
        // 15 days from 2026-09-16 end on 10-01 (国庆节) → the next working day is 10-08
        #expect(try calendar.adding(calendarDays: 15, to: d("2026-09-16")) == d("2026-10-08"))
        // ending on a make-up Saturday: that Saturday stands
        #expect(try calendar.adding(calendarDays: 10, to: d("2026-09-30")) == d("2026-10-10"))
        // ending on an ordinary Sunday: Monday
        #expect(try calendar.adding(calendarDays: 10, to: d("2026-11-19")) == d("2026-11-30"))
    }

    @Test func aDeadlineIntoAnUncoveredYearIsRefusedNotGuessed() {
        do {
            _ = try calendar.adding(workingDays: 3, to: d("2026-12-30"))
            Issue.record("2027 is not in the data")
        } catch {
            #expect(error.code == "calendar_not_covered")
            #expect(error.message.contains("2027"))
        }
    }

    @Test func badDataNamesItsLine() {
        #expect(throws: DomainError.self) { try WorkingDayCalendar.parse("covers,2026\n2026-02-30,off,春节\n") }
        do {
            _ = try WorkingDayCalendar.parse("covers,2026\n2027-01-01,off,元旦\n", source: "x.csv")
        } catch {
            #expect(error.message.hasPrefix("x.csv 第 2 行"))
        }
        #expect(throws: DomainError.self) { try WorkingDayCalendar.parse("2026-01-01,holiday,元旦\n") }
    }
}

@Suite("Listing decisions (法释〔2017〕7号)")
struct ListingDecisionTests {
    /// Issue 16 item 10: six months after a deletion at the applicant's request, for that applicant only.
    @Test func theSameApplicantIsBarredForSixMonthsAfterADeletionAtTheirRequest() throws {
        let deletion = ListingDecision.DeletionOnRequest(applicants: ["钟某华"], deletedOn: d("2026-02-12"), caseNumber: "（2023）赣0732执1022号")
        func check(_ applicants: [String], _ on: String) throws {
            try ListingDecision.checkReapplication(applicants: applicants, decidedOn: d(on), deletionsOnRequest: [deletion])
        }
        #expect(throws: DomainError.self) { try check(["钟某华"], "2026-03-02") }
        #expect(throws: DomainError.self) { try check(["某银行", "钟某华"], "2026-08-12") }  // the bar's last day
        let error = #expect(throws: DomainError.self) { try check(["钟某华"], "2026-02-12") }
        #expect(error?.code == "reapplication_barred" && error?.message.contains("2026-08-12 届满") == true)
        #expect(error?.message.contains("2026-08-13 起可再申请") == true)
        try check(["钟某华"], "2026-08-13")
        try check(["另一申请人"], "2026-03-02")  // another applicant may apply
        // a month-end deletion: six months on is the last day of a shorter month
        let august = ListingDecision.DeletionOnRequest(applicants: ["甲"], deletedOn: d("2026-08-31"), caseNumber: "x")
        #expect(throws: DomainError.self) {
            try ListingDecision.checkReapplication(applicants: ["甲"], decidedOn: d("2027-02-28"), deletionsOnRequest: [august])
        }
        try ListingDecision.checkReapplication(applicants: ["甲"], decidedOn: d("2027-03-01"), deletionsOnRequest: [august])
    }

    static let adult = ListingSubject(kind: .person, identifier: .citizen(try! CitizenID("36073219780312131X", today: d("2026-11-29"))))
    // born 2008-07-15: 18 on 2026-07-15
    static let youth = ListingSubject(kind: .person, identifier: .citizen(try! CitizenID(Self.idBorn("20080715"), today: d("2026-11-29"))))
    static let today = d("2026-11-29")

    /// A valid citizen ID of 兴国 born on `yyyymmdd`.
    static func idBorn(_ yyyymmdd: String) -> String {
        let body = "360732" + yyyymmdd + "123"
        return body + String(CitizenID.checkCharacter(for: body))
    }

    static func decide(
        _ circumstances: [Int], subject: ListingSubject = adult, on: String = "2026-09-01", exemption: ListingExemption? = nil,
        extension years: Int = 0, reason: String? = nil, grace: Int? = nil
    ) throws(DomainError) -> ListingDecision {
        try ListingDecision(
            subject: subject, circumstances: circumstances, decidedOn: d(on), decisionNumber: "（2026）赣0732执1022号之一",
            exemption: exemption, extensionYears: years, extensionReason: reason, gracePeriodMonths: grace, today: today)
    }

    @Test func termsFollowArticle2() throws {
        #expect(try Self.decide([1]).expiresOn == nil)
        #expect(try Self.decide([4]).expiresOn == d("2028-09-01"))
        #expect(try Self.decide([1, 2], extension: 3, reason: "暴力抗拒执行，情节严重").expiresOn == d("2031-09-01"))
        #expect(try Self.decide([5], grace: 2).publishableFrom == d("2026-11-01"))
    }

    @Test func aMinorIsNeverListedAndAgeIsTakenOnTheDecisionDate() throws {
        do {
            _ = try Self.decide([1], subject: Self.youth, on: "2026-07-14")
            Issue.record("a 17-year-old was listed")
        } catch {
            #expect(error.code == "debtor_is_minor")
        }
        // the 18th birthday itself is not counted (民法典 art. 201): of full age from the next day
        do {
            _ = try Self.decide([1], subject: Self.youth, on: "2026-07-15")
            Issue.record("listed on the 18th birthday")
        } catch {
            #expect(error.code == "debtor_is_minor")
            #expect(error.message.contains("2026-07-16"))
        }
        #expect(try Self.decide([1], subject: Self.youth, on: "2026-07-16").decidedOn == d("2026-07-16"))
    }

    @Test func fullAgeStartsTheDayAfterThe18thBirthday() throws {
        let today = d("2026-11-29")
        let leapling = try CitizenID(Self.idBorn("20080229"), today: today)
        #expect(!leapling.isAdult(on: d("2026-02-28")))  // the period's end in a common year
        #expect(leapling.isAdult(on: d("2026-03-01")))
        let plain = try CitizenID(Self.idBorn("20081231"), today: today)
        #expect(!plain.isAdult(on: d("2026-12-31")))
        #expect(plain.isAdult(on: d("2027-01-01")))
    }

    @Test(arguments: [
        ([0], 0, nil as String?, nil as ListingExemption?, nil as Int?, "invalid_circumstance"),
        ([7], 0, nil, nil, nil, "invalid_circumstance"),
        ([1], 1, "理由", nil, nil, "term_not_allowed"),
        ([2], 4, "理由", nil, nil, "invalid_extension"),
        ([2], 1, nil, nil, nil, "extension_needs_reason"),
        ([1], 0, nil, .enoughPropertySecured, nil, "exemption_recorded"),
        ([3], 0, nil, nil, 4, "invalid_grace_period"),
    ])
    func badDecisionsAreRefusedWithTheRule(
        circumstances: [Int], years: Int, reason: String?, exemption: ListingExemption?, grace: Int?, code: String
    ) {
        do {
            _ = try Self.decide(circumstances, exemption: exemption, extension: years, reason: reason, grace: grace)
            Issue.record("accepted: \(circumstances)")
        } catch {
            #expect(error.code == code)
        }
    }

    @Test func anExemptionDoesNotStopOtherCircumstances() throws {
        #expect(try Self.decide([4], exemption: .sufficientGuarantee).circumstances == [.violatingPropertyReporting])
    }

    @Test func theLegalRepresentativeIsNotListedInTheOrganisationsPlace() {
        let representative = ListingSubject(
            kind: .person, identifier: .citizen(try! CitizenID("360732198506302426", today: d("2026-11-29"))),
            isLegalRepresentativeOnly: true)
        #expect(throws: DomainError.self) { try Self.decide([1], subject: representative) }
    }

    @Test func bothVocabulariesOfCircumstancesAreRead() throws {
        #expect(try DishonestyCircumstance.parse("违反限制高消费令的") == .violatingConsumptionRestriction)  // 2013
        #expect(try DishonestyCircumstance.parse("其他有履行能力而拒不履行生效法律文书确定义务的") == .ableButRefusing)  // 2013, sixth
        #expect(try DishonestyCircumstance.parse("6") == .refusingSettlementWithoutReason)
    }
}

@Suite("Deletion triggers (art. 10)")
struct DeletionTriggerTests {
    let calendar = CalendarFixture.shipped

    @Test func aTriggerMakesDeletionDueInThreeWorkingDays() throws {
        #expect(
            try DeletionTrigger.deletionDue(.performedInFull, on: d("2025-09-30"), expiresOn: nil, calendar: calendar) == d("2025-10-11"))
        #expect(
            try DeletionTrigger.deletionDue(.noAssetsAfterLookups, on: d("2026-02-12"), expiresOn: nil, calendar: calendar)
                == d("2026-02-24"))
    }

    @Test func aFixedTermEntryIsDeletedOnlyWhenTheTermEnds() throws {
        do {
            _ = try DeletionTrigger.deletionDue(.performedInFull, on: d("2026-03-02"), expiresOn: d("2027-09-01"), calendar: calendar)
            Issue.record("a fixed-term entry was deleted on payment")
        } catch {
            #expect(error.code == "fixed_term_entry")
        }
        #expect(throws: DomainError.self) {
            try DeletionTrigger.deletionDue(.termExpired, on: d("2026-03-02"), expiresOn: d("2026-09-01"), calendar: calendar)
        }
        // counted from the end of the term (09-25, 中秋), not from the day it was noticed:
        // 09-26 and 09-27 are off, 09-28, 09-29 and 09-30 are working days 1–3
        #expect(
            try DeletionTrigger.deletionDue(.termExpired, on: d("2026-09-30"), expiresOn: d("2026-09-25"), calendar: calendar)
                == d("2026-09-30"))
        #expect(throws: DomainError.self) {
            try DeletionTrigger.deletionDue(.termExpired, on: d("2026-09-30"), expiresOn: nil, calendar: calendar)
        }
    }

    @Test func theCourtMayEndAFixedTermEarly() throws {
        // art. 2 ¶2: due 3 working days after the decision, before the term ends
        #expect(
            try DeletionTrigger.deletionDue(.earlyDeletion, on: d("2026-03-02"), expiresOn: d("2027-09-01"), calendar: calendar)
                == d("2026-03-05"))
        // an entry without a fixed term has nothing to end early
        do {
            _ = try DeletionTrigger.deletionDue(.earlyDeletion, on: d("2026-03-02"), expiresOn: nil, calendar: calendar)
            Issue.record("an open-ended entry was deleted early")
        } catch {
            #expect(error.code == "no_fixed_term")
        }
    }
}
