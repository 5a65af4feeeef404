import ChuqingDomain
import Foundation
import Testing

let today = CalendarDate(year: 2026, month: 11, day: 29)!

@Suite("Case numbers (法〔2015〕137号)")
struct CaseNumberTests {
    @Test(arguments: [
        "（2023）赣0732执1022号", "(2023)赣0732执1022号", "〔2023〕赣0732执1022号", "[2023]赣0732执1022号",
        "【2023】赣0732执1022号", " （2023） 赣0732执1022号 ", "（２０２３）赣0732执1022号",
    ])
    func everyBracketFormIsOneNumber(text: String) throws {
        let number = try CaseNumber(text)
        #expect(number.canonical == "（2023）赣0732执1022号")
        #expect(number.year == 2023)
        #expect(number.courtCode == "赣0732")
        #expect(number.typeCode == "执")
        #expect(number.sequence == 1022)
        #expect(number.isEnforcement)
    }

    @Test
    func resumedEnforcementIsOneTypeCode() throws {
        let number = try CaseNumber("(2024)赣0732执恢88号")
        #expect(number.typeCode == "执恢")
        #expect(number.specialCode == nil)
        #expect(number.sequence == 88)
        #expect(number.canonical == "（2024）赣0732执恢88号")
    }

    @Test(arguments: [
        ("（2019）赣0732民初1103号", "赣0732", "民初", 1103),
        ("（2023）赣07执12号", "赣07", "执", 12),
        ("（2023）赣执监3号", "赣", "执监", 3),
        ("（2023）最高法执监100号", "最高法", "执监", 100),
        ("（2023）赣0732执保12345号", "赣0732", "执保", 12345),
        ("（2020）内01刑终7号", "内01", "刑终", 7),
    ])
    func courtAndTypeCodesAreSplit(text: String, court: String, type: String, sequence: Int) throws {
        let number = try CaseNumber(text)
        #expect(number.courtCode == court)
        #expect(number.typeCode == type)
        #expect(number.sequence == sequence)
    }

    @Test
    func aSpecialisedCodeSitsBeforeTheTypeCode() throws {
        let number = try CaseNumber("（2021）京73知民初45号")
        #expect(number.courtCode == "京73")
        #expect(number.specialCode == "知")
        #expect(number.typeCode == "民初")
    }

    @Test
    func legacyNumbersAreKeptWithoutInventedFields() throws {
        let number = try CaseNumber("(2004)兴法执字第00123号")
        #expect(number.isLegacy)
        #expect(number.canonical == "（2004）兴法执字第00123号")
        #expect(number.year == 2004)
        #expect(number.courtCode == nil && number.typeCode == nil && number.sequence == nil)
        #expect(number.isEnforcement)
    }

    @Test
    func zeroPaddingIsDroppedFromModernNumbers() throws {
        #expect(try CaseNumber("（2023）赣0732执01022号").canonical == "（2023）赣0732执1022号")
    }

    @Test(arguments: [
        "（2023）赣0732执abc号", "2023赣0732执1号", "（2023）赣0732执1", "（2023）赣073执1号", "（2023）X0732执1号",
        "（2023）赣0732恢执1号", "（2023）赣0732执0号", "", "（23）赣0732执1号",
    ])
    func malformedNumbersAreRefused(text: String) {
        do {
            _ = try CaseNumber(text)
            Issue.record("accepted \(text)")
        } catch {
            #expect(error.code == "invalid_case_number")
            #expect(error.message.contains("（2023）赣0732执1022号"))  // says what is accepted
        }
    }
}

@Suite("Citizen ID numbers (GB 11643-1999)")
struct CitizenIDTests {
    @Test(arguments: [
        "11010519491231002X", "440524188001010014", "36073219780312131X", "360732198506302426",
        "360732196211050373", "360732197109090883", "36073219830415009X", "360733199002281554",
    ])
    func validNumbersPass(text: String) throws {
        #expect(try CitizenID(text, today: today).value == text)
    }

    @Test
    func lowerCaseXIsTheSameCheckCharacter() throws {
        #expect(try CitizenID("11010519491231002x", today: today).value == "11010519491231002X")
    }

    @Test
    func aWrongCheckCharacterNamesTheRightOne() {
        do {
            _ = try CitizenID("360732198506302420", today: today)
            Issue.record("accepted a wrong check character")
        } catch {
            #expect(error.code == "citizen_id_check_failed")
            #expect(error.message.contains("应为 6"))
        }
    }

    @Test
    func fifteenDigitNumbersAreUpgraded() throws {
        let id = try CitizenID("110105491231002", today: today)
        #expect(id.value == "11010519491231002X")
        #expect(id.wasUpgraded)
    }

    @Test
    func birthDateSexAndAge() throws {
        let id = try CitizenID("360732198506302426", today: today)
        #expect(id.birthDate == CalendarDate(year: 1985, month: 6, day: 30))
        #expect(id.sex == .female)
        #expect(id.age(on: CalendarDate(year: 2025, month: 6, day: 29)!) == 39)
        #expect(id.age(on: CalendarDate(year: 2025, month: 6, day: 30)!) == 40)
        #expect(try CitizenID("36073219780312131X", today: today).sex == .male)
    }

    @Test
    func the29thOfFebruaryExistsOnlyInLeapYears() throws {
        // 2008 is a leap year, 1900 is not (divisible by 100, not by 400), 2000 is.
        _ = try CitizenID(Self.withCheck("36073220080229001"), today: today)
        _ = try CitizenID(Self.withCheck("36073220000229001"), today: today)
        #expect(throws: DomainError.self) { try CitizenID(Self.withCheck("36073219000229001"), today: today) }
        #expect(throws: DomainError.self) { try CitizenID(Self.withCheck("36073220230229001"), today: today) }
    }

    @Test
    func nobodyIsBornInTheFuture() {
        #expect(throws: DomainError.self) { try CitizenID(Self.withCheck("36073220261230001"), today: today) }
    }

    @Test
    func retiredRegionCodesAreStillValid() throws {
        // 赣县 (360721) became 赣县区 (360704); IDs keep the old code.
        let id = try CitizenID(Self.withCheck("36072119700101001"), today: today)
        #expect(id.regionCode == "360721")
    }

    @Test
    func maskingHidesBirthMonthAndDay() throws {
        #expect(try CitizenID("360732198506302426", today: today).masked == "3607321985****2426")
    }

    @Test(arguments: ["36073219850630242", "3607321985063024266", "36073219850A302426", "360732198506302421Y", ""])
    func malformedNumbersAreRefused(text: String) {
        #expect(throws: DomainError.self) { try CitizenID(text, today: today) }
    }

    /// Appends the GB 11643 check character to 17 digits (for building test numbers).
    static func withCheck(_ digits: String) -> String {
        let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
        let sum = zip(digits, weights).reduce(0) { $0 + Int(String($1.0))! * $1.1 }
        return digits + String(Array("10X98765432")[sum % 11])
    }
}

@Suite("Credit codes (GB 32100-2015) and organisation codes (GB 11714)")
struct CreditCodeTests {
    @Test(arguments: ["91110108551385082Q", "913607321000001390", "91360732MA35C2Q11A", "92360732L00428712J"])
    func validCodesPass(text: String) throws {
        #expect(try CreditCode(text).value == text)
    }

    @Test
    func theModThirtyOneZeroCaseGivesZero() throws {
        // Σ mod 31 = 0 here: the check is '0', where alphabet[31 − 0] would be out of range.
        #expect(try CreditCode("913607321000001390").value.last == "0")
    }

    @Test
    func lowerCaseIsAccepted() throws {
        #expect(try CreditCode("91360732ma35c2q11a").value == "91360732MA35C2Q11A")
    }

    @Test(arguments: ["91110108551385082I", "9111010855138508OQ", "91110108551385082S", "9136073ZMA35C2Q11A"])
    func lettersOutsideTheAlphabetAreRefused(text: String) {
        do {
            _ = try CreditCode(text)
            Issue.record("accepted \(text)")
        } catch {
            #expect(error.code == "invalid_credit_code")
        }
    }

    @Test
    func aWrongCheckCharacterNamesTheRightOne() {
        do {
            _ = try CreditCode("91110108551385082R")
            Issue.record("accepted a wrong check")
        } catch {
            #expect(error.code == "credit_code_check_failed")
            #expect(error.message.contains("应为 Q"))
        }
    }

    @Test
    func legacyOrganisationCodesAreChecked() throws {
        #expect(try OrganizationCode("55138508-2").value == "551385082")
        #expect(try OrganizationCode("551385082").description == "55138508-2")
        #expect(try OrganizationCode("MA35C2Q1-1").value == "MA35C2Q11")
        #expect(throws: DomainError.self) { try OrganizationCode("55138508-3") }
        #expect(throws: DomainError.self) { try OrganizationCode("5513850") }
    }
}

@Suite("Money in 分")
struct MoneyTests {
    @Test(arguments: [
        ("120000", 12_000_000), ("120,000.00", 12_000_000), ("50000.5", 5_000_050), ("455000.5", 45_500_050),
        ("0", 0), ("0.01", 1), ("1,000", 100_000), ("¥86,500", 8_650_000), ("7000元", 700_000), ("1,234,567.89", 123_456_789),
    ])
    func yuanTextBecomesExactFen(text: String, fen: Int64) throws {
        #expect(try Money.parseYuan(text).fen == fen)
    }

    @Test(arguments: ["-5", "1.234", "12,00", "1,0000", "abc", "", "1.", ".5", "1e5", "12 000"])
    func malformedAmountsAreRefused(text: String) {
        #expect(throws: DomainError.self) { try Money.parseYuan(text) }
    }

    @Test
    func aNegativeAmountSaysSo() {
        do {
            _ = try Money.parseYuan("-5")
            Issue.record("accepted")
        } catch { #expect(error.code == "negative_amount") }
    }

    @Test
    func formatsForScreensAndReports() {
        #expect(Money(fen: 12_000_000).formatted == "¥120,000.00")
        #expect(Money(fen: 5_000_050).formatted == "¥50,000.50")
        #expect(Money(fen: 5).formatted == "¥0.05")
        #expect(Money(fen: 12_000_000).wanYuan == "12万元")
        #expect(Money(fen: 3_071_890_000).wanYuan == "3071.89万元")
        #expect(Money(fen: 3_071_800_000).wanYuan == "3071.8万元")
        #expect(Money(fen: 4_999).wanYuan == "0万元")
        #expect(Money(fen: 5_000).wanYuan == "0.01万元")
        #expect(Money(fen: 12_000_000).plainYuan == "120000.00")
    }
}

@Suite("Calendar dates")
struct CalendarDateTests {
    @Test(arguments: ["2023-03-14", "2023/3/14", "2023年3月14日", "20230314", "2023.3.14", " 2023-3-14 "])
    func exportDateFormsParse(text: String) throws {
        #expect(try CalendarDate.parse(text) == CalendarDate(year: 2023, month: 3, day: 14))
    }

    @Test(arguments: ["2023-02-30", "2023-13-01", "20230230", "2100-02-29", "14/03/2023", "2023-3", "昨天"])
    func impossibleOrUnknownDatesAreRefused(text: String) {
        #expect(throws: DomainError.self) { try CalendarDate.parse(text) }
    }

    @Test
    func dayArithmeticRoundTrips() {
        let date = CalendarDate(year: 2024, month: 2, day: 28)!
        #expect(date.adding(days: 1) == CalendarDate(year: 2024, month: 2, day: 29))
        #expect(date.adding(days: 2) == CalendarDate(year: 2024, month: 3, day: 1))
        #expect(CalendarDate(dayNumber: 0) == CalendarDate(year: 1970, month: 1, day: 1))
        #expect(CalendarDate(year: 2023, month: 11, day: 30)!.adding(months: 3) == CalendarDate(year: 2024, month: 2, day: 29))
        for n in stride(from: -50_000, to: 50_000, by: 997) {
            #expect(CalendarDate(dayNumber: n).dayNumber == n)
        }
    }
}

@Suite("Trimming input")
struct TrimmingTests {
    @Test(arguments: [
        (" 张三 ", "张三"), ("\u{3000}钟某华\u{3000}", "钟某华"), ("\t\r\n兴国县\n", "兴国县"),
        ("", ""), ("  \u{3000} ", ""), ("陈 某生", "陈 某生"), ("a", "a"),
    ])
    func leadingAndTrailingWhiteSpaceGoesInnerStays(input: String, expected: String) {
        #expect(input.trimmed == expected)
    }
}
