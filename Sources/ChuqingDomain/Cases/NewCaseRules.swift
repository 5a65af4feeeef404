import Foundation

/// The rules a new enforcement case must meet, whether a person types it (the API) or the court's
/// export brings it (the import): each rule once, here. The API stops at the first broken rule;
/// the import reports every broken rule of a row, so each rule is its own function that names the
/// field it is about.
public enum NewCaseRules {
    /// Only enforcement cases (执、执恢、执保 …) enter Chuqing.
    public static func enforcementNumber(_ number: CaseNumber, field: String) throws(DomainError) {
        guard number.isEnforcement else {
            throw DomainError(
                code: "not_enforcement_case", message: "案号 \(number) 不是执行案件（类型代字应为执、执恢、执保等）", field: field)
        }
    }

    /// The court code inside the case number, when it has one, is the court's.
    public static func courtMatches(_ number: CaseNumber, court: Court, field: String) throws(DomainError) {
        if let inNumber = number.courtCode, inNumber != court.code {
            throw DomainError(
                code: "court_mismatch", message: "案号中的法院代字 \(inNumber) 与法院 \(court.name)（\(court.code)）不符", field: field)
        }
    }

    /// The amount the judgment orders is more than nothing.
    public static func target(_ target: Money, field: String) throws(DomainError) {
        guard target.fen > 0 else {
            throw DomainError(code: "invalid_amount", message: "执行标的金额须大于 0（单位：分；页面和导入以元计）", field: field)
        }
    }

    /// At least one applicant; blank names are dropped.
    public static func applicants(_ given: [String], field: String) throws(DomainError) -> [String] {
        let names = given.map(\.trimmed).filter { !$0.isEmpty }
        guard !names.isEmpty else {
            throw DomainError(code: "applicant_required", message: "至少一名申请执行人", field: field)
        }
        return names
    }

    /// The judgment the case enforces: its document number (a case number is put in its canonical
    /// form) and who issued it.
    public static func basis(documentNumber: String, issuedBy: String, field: String) throws(DomainError) -> (
        number: String, issuer: String
    ) {
        let number = (try? CaseNumber(documentNumber).canonical) ?? documentNumber.trimmed
        let issuer = issuedBy.trimmed
        guard !number.isEmpty, !issuer.isEmpty else {
            throw DomainError(code: "judgment_required", message: "须填写执行依据文号和做出执行依据单位", field: field)
        }
        return (number, issuer)
    }

    /// A legal person or other organisation has a legal representative or person in charge.
    public static func legalRepresentative(_ given: String?, kind: DebtorKind, field: String) throws(DomainError) -> String? {
        let value = given?.trimmed ?? ""
        if kind.isOrganization && value.isEmpty {
            throw DomainError(code: "legal_representative_required", message: "法人和非法人组织须填写法定代表人或负责人", field: field)
        }
        return value.isEmpty ? nil : value
    }

    /// A public official's employer is known: the court writes to it (rules-next.md, 公职人员).
    /// An employer given for anyone else is not kept.
    public static func employer(_ given: String?, isPublicOfficial: Bool, field: String) throws(DomainError) -> String? {
        let value = given?.trimmed ?? ""
        if isPublicOfficial && value.isEmpty {
            throw DomainError(code: "employer_required", message: "公职人员须填写工作单位", field: field)
        }
        return isPublicOfficial ? value : nil
    }

    /// A debtor as a person typed it, before the rules.
    public struct DebtorInput: Sendable {
        public var kind: String
        public var name: String
        public var idNumber: String
        public var legalRepresentative: String?
        public var address: String?
        public var phone: String?
        public var township: String?
        public var isPublicOfficial: Bool
        public var employer: String?

        public init(
            kind: String, name: String, idNumber: String, legalRepresentative: String?, address: String?, phone: String?,
            township: String?, isPublicOfficial: Bool, employer: String?
        ) {
            self.kind = kind
            self.name = name
            self.idNumber = idNumber
            self.legalRepresentative = legalRepresentative
            self.address = address
            self.phone = phone
            self.township = township
            self.isPublicOfficial = isPublicOfficial
            self.employer = employer
        }
    }

    /// One debtor, every rule; `field` is the debtor's place in the request (`debtors[0]`).
    public static func debtor(
        _ input: DebtorInput, townships: TownshipDirectory, today: CalendarDate, field: String
    ) throws(DomainError) -> ImportedDebtor {
        let kind = try DebtorKind.parse(input.kind, field: "\(field).kind")
        let identifier = try DebtorIdentifier.parse(input.idNumber, kind: kind, today: today, field: "\(field).idNumber")
        let name = input.name.trimmed
        guard !name.isEmpty else {
            throw DomainError(code: "invalid_name", message: "被执行人姓名/名称不能为空", field: "\(field).name")
        }
        let representative = try legalRepresentative(input.legalRepresentative, kind: kind, field: "\(field).legalRepresentative")
        var townshipCode: String?
        if let given = input.township, !given.trimmed.isEmpty {
            townshipCode = try townships.resolve(given, field: "\(field).township").code
        }
        let employer = try employer(input.employer, isPublicOfficial: input.isPublicOfficial, field: "\(field).employer")
        return ImportedDebtor(
            kind: kind, name: name, identifier: identifier, legalRepresentative: representative, address: input.address,
            townshipCode: townshipCode, phone: input.phone, isPublicOfficial: input.isPublicOfficial, employer: employer)
    }
}
