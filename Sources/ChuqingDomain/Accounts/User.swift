import Foundation

/// A person who logs in to Chuqing.
public struct User: Sendable, Equatable, Identifiable {
    /// Assigned by the application (ids are not engine-generated, so SQLite and PostgreSQL agree).
    public let id: UUID
    /// Login name.
    public var username: Username
    /// Name shown on screens, e.g. 李法官.
    public var displayName: String
    /// What the user may do.
    public var role: Role
    /// The township a liaison is bound to (code from `townships`); nil for other roles.
    public var townshipCode: String?
    /// A disabled user cannot log in and their sessions stop working.
    public var isDisabled: Bool
    /// For liaisons: commissioner, village liaison or assisting enforcer; nil for other roles.
    public var liaisonKind: LiaisonKind?
    /// The village (id from `villages`) a village liaison or assisting enforcer works in.
    public var villageID: String?
    /// The office phone liaisons see next to a judge's name.
    public var officePhone: String?
    /// The mobile number reminders are sent to by SMS or WeChat; none: the inbox alone.
    public var mobile: String?

    /// Creates a user value; `validate()` checks the cross-field rules.
    public init(
        id: UUID,
        username: Username,
        displayName: String,
        role: Role,
        townshipCode: String? = nil,
        isDisabled: Bool = false,
        liaisonKind: LiaisonKind? = nil,
        villageID: String? = nil,
        officePhone: String? = nil,
        mobile: String? = nil
    ) {
        self.id = id
        self.username = username
        self.displayName = displayName
        self.role = role
        self.townshipCode = townshipCode
        self.isDisabled = isDisabled
        self.liaisonKind = liaisonKind ?? (role == .liaison ? .commissioner : nil)
        self.villageID = villageID
        self.officePhone = officePhone
        self.mobile = mobile
    }

    /// Checks the rules that involve more than one field.
    public func validate() throws(DomainError) {
        let name = displayName.trimmed
        if name.isEmpty || name.count > 40 {
            throw DomainError(
                code: "invalid_display_name",
                message: "姓名须为 1–40 个字符（当前 \(name.count) 个）",
                field: "displayName"
            )
        }
        if role.requiresTownship && townshipCode == nil {
            throw DomainError(
                code: "township_required",
                message: "乡镇联络员必须绑定一个乡镇（township）",
                field: "township"
            )
        }
        if !role.requiresTownship && townshipCode != nil {
            throw DomainError(
                code: "township_not_allowed",
                message: "只有乡镇联络员（liaison）可以绑定乡镇；角色「\(role.rawValue)」不可绑定",
                field: "township"
            )
        }
        if role != .liaison, liaisonKind != nil {
            throw DomainError(code: "liaison_kind_not_allowed", message: "只有乡镇联络员（liaison）有联络员类别", field: "liaisonKind")
        }
        if let liaisonKind {
            if liaisonKind.isBoundToVillage && villageID == nil {
                throw DomainError(
                    code: "village_required",
                    message: "\(liaisonKind.chinese)须绑定所属乡镇的一个村（社区）（village）", field: "village")
            }
            if !liaisonKind.isBoundToVillage && villageID != nil {
                throw DomainError(code: "village_not_allowed", message: "执行专员负责整个乡镇，不绑定村（社区）", field: "village")
            }
        } else if villageID != nil {
            throw DomainError(code: "village_not_allowed", message: "只有联络员和协助执行员绑定村（社区）", field: "village")
        }
        if let officePhone { _ = try PhoneNumber.check(officePhone, field: "officePhone") }
        if let mobile { _ = try MobileNumber.check(mobile, field: "mobile") }
    }
}
