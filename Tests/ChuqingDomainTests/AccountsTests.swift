import ChuqingDomain
import Foundation
import Testing

@Suite("Accounts")
struct AccountsTests {
    @Test(arguments: ["judge", " Judge ", "DIRECTOR"])
    func roleNamesParseCaseInsensitively(text: String) throws {
        _ = try Role.parse(text)
    }

    @Test
    func anUnknownRoleListsTheAcceptedOnes() {
        do {
            _ = try Role.parse("president")
            Issue.record("accepted an unknown role")
        } catch {
            #expect(error.code == "unknown_role")
            #expect(error.field == "role")
            for role in Role.allCases { #expect(error.message.contains(role.rawValue)) }
        }
    }

    @Test(arguments: ["li.judge", "Wang_01", "abc"])
    func validUsernamesAreNormalised(text: String) throws {
        let name = try Username(text)
        #expect(name.value == text.lowercased())
    }

    @Test(arguments: ["ab", "1abc", "李法官", "a b", String(repeating: "a", count: 33), ""])
    func invalidUsernamesAreRefused(text: String) {
        #expect(throws: DomainError.self) { try Username(text) }
    }

    @Test
    func passwordsMustBeLongEnoughForBcrypt() throws {
        #expect(throws: DomainError.self) { try PasswordPolicy.check("short") }
        #expect(throws: DomainError.self) { try PasswordPolicy.check(String(repeating: "密", count: 25)) }  // 75 bytes
        try PasswordPolicy.check("correct horse")
    }

    @Test
    func onlyLiaisonsAreBoundToATownship() throws {
        let liaisonWithout = User(id: UUID(), username: try Username("li1"), displayName: "王", role: .liaison)
        let judgeWith = User(id: UUID(), username: try Username("ju1"), displayName: "李", role: .judge, townshipCode: "360732-01")
        #expect(throws: DomainError(code: "township_required", message: "乡镇联络员必须绑定一个乡镇（township）", field: "township")) {
            try liaisonWithout.validate()
        }
        #expect(throws: DomainError.self) { try judgeWith.validate() }
        var liaison = liaisonWithout
        liaison.townshipCode = "360732-01"
        try liaison.validate()
    }

    @Test
    func aDisplayNameIsRequired() throws {
        let user = User(id: UUID(), username: try Username("cl1"), displayName: "  ", role: .clerk)
        #expect(throws: DomainError.self) { try user.validate() }
    }
}
