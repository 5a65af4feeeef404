import ChuqingDomain
import Foundation
import Testing

@Suite("Settlement rules (执行和解规定, rules-next §2)")
struct SettlementRulesTests {
    let calendar = CalendarFixture.shipped

    /// A due day on a 节假日 moves to the next working day (民法典 art. 203): 2026-04-04 is 清明.
    @Test func anInstalmentDueOnAHolidayIsInTimeOnTheNextWorkingDay() {
        #expect(SettlementRules.payableBy(d("2026-04-04"), calendar: calendar) == d("2026-04-07"))
        let schedule = [Instalment(dueOn: d("2026-04-04"), amount: Money(fen: 100))]
        #expect(
            !SettlementRules.standing(schedule, paid: .zero, acceleration: false, today: d("2026-04-07"), calendar: calendar).isBreached)
        #expect(SettlementRules.standing(schedule, paid: .zero, acceleration: false, today: d("2026-04-08"), calendar: calendar).isBreached)
        // a year the calendar does not cover: only weekends are known (2027-01-02 is a Saturday)
        #expect(SettlementRules.payableBy(d("2027-01-02"), calendar: calendar) == d("2027-01-04"))
    }

    /// Payments meet the instalments in order; without an acceleration clause a breach concerns
    /// the instalments past their day, with one everything left (rules-next §2 rule 12).
    @Test func aBreachWithoutAccelerationConcernsOnlyTheInstalmentMissed() {
        let schedule = [
            Instalment(dueOn: d("2026-03-10"), amount: Money(fen: 1_000)), Instalment(dueOn: d("2026-04-10"), amount: Money(fen: 1_000)),
            Instalment(dueOn: d("2026-05-11"), amount: Money(fen: 1_000)),
        ]
        let partly = SettlementRules.standing(
            schedule, paid: Money(fen: 1_500), acceleration: false, today: d("2026-04-13"), calendar: calendar)
        #expect(partly.lines.map(\.paid.fen) == [1_000, 500, 0])
        #expect(partly.lines.map(\.overdue) == [false, true, false])
        #expect(partly.inBreach.fen == 500)
        #expect(partly.next?.instalment.dueOn == d("2026-04-10"))
        let accelerated = SettlementRules.standing(
            schedule, paid: Money(fen: 1_500), acceleration: true, today: d("2026-04-13"), calendar: calendar)
        #expect(accelerated.inBreach.fen == 1_500)
        let paid = SettlementRules.standing(
            schedule, paid: Money(fen: 3_000), acceleration: false, today: d("2026-06-01"), calendar: calendar)
        #expect(paid.isPerformed && !paid.isBreached && paid.inBreach == .zero)
    }

    /// 2 years from the last agreed day (art. 10): the same day two years on, 29 February to 28
    /// February (民法典 art. 202), moved past rest days.
    @Test func theResumptionPeriodEndsOnTheSameDayTwoYearsOnOrTheMonthsLastDay() {
        // 2024-02-29 + 2 years: 2026-02-28, a Saturday but a make-up working day (调休上班), so it stays
        let leap = SettlementRules.resumptionLastDay(lastAgreedDay: d("2024-02-29"), calendar: calendar)
        #expect(leap.nominal == d("2026-02-28"))
        #expect(leap.extended == d("2026-02-28"))
        // 2024-03-07 + 2 years: Saturday 2026-03-07, so Monday 2026-03-09
        #expect(SettlementRules.resumptionLastDay(lastAgreedDay: d("2024-03-07"), calendar: calendar).extended == d("2026-03-09"))
        // into a year the calendar does not cover: the nominal day alone is known
        let later = SettlementRules.resumptionLastDay(lastAgreedDay: d("2026-05-11"), calendar: calendar)
        #expect(later.nominal == d("2028-05-11"))
        #expect(later.extended == nil)
    }

    /// Day 731 and the days after the nominal end.
    @Test func anApplicationAfterTheLastDayIsTimeBarred() throws {
        let schedule = [Instalment(dueOn: d("2024-01-10"), amount: Money(fen: 100))]
        func check(_ applied: String) throws(DomainError) {
            let standing = SettlementRules.standing(schedule, paid: .zero, acceleration: false, today: d(applied), calendar: calendar)
            try SettlementRules.checkResumption(
                stage: .breached, standing: standing, lastAgreedDay: d("2024-01-10"), appliedOn: d(applied), agreedOn: d("2023-06-01"),
                calendar: calendar)
        }
        try check("2026-01-10")
        try check("2026-01-12")  // the Saturday's period ends on Monday
        #expect(throws: DomainError.self) { try check("2026-01-13") }
        do { try check("2026-06-01") } catch { #expect(error.code == "resumption_time_barred") }
        // performed: never resumed
        #expect(throws: DomainError.self) {
            try SettlementRules.checkResumption(
                stage: .performed,
                standing: SettlementRules.standing(
                    schedule, paid: Money(fen: 100), acceleration: false, today: d("2024-02-01"), calendar: calendar),
                lastAgreedDay: d("2024-01-10"), appliedOn: d("2024-02-01"), agreedOn: d("2023-06-01"), calendar: calendar)
        }
    }
}
