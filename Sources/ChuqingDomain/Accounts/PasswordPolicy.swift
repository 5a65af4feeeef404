/// What a password must be before it is hashed and stored.
///
/// Length is what matters against guessing (NIST SP 800-63B §5.1.1.2): at least 10 characters,
/// at most 72 bytes because bcrypt ignores everything after the 72nd byte, and no composition rules.
public enum PasswordPolicy {
    /// Shortest accepted password, in characters.
    public static let minimumLength = 10
    /// Longest accepted password, in UTF-8 bytes (bcrypt's limit).
    public static let maximumBytes = 72

    /// Throws a `DomainError` naming the rule when `password` is not acceptable.
    public static func check(_ password: String, field: String = "password") throws(DomainError) {
        if password.count < minimumLength {
            throw DomainError(
                code: "password_too_short",
                message: "密码太短：至少需要 \(minimumLength) 个字符（当前 \(password.count) 个）",
                field: field
            )
        }
        if password.utf8.count > maximumBytes {
            throw DomainError(
                code: "password_too_long",
                message: "密码太长：最多 \(maximumBytes) 字节（当前 \(password.utf8.count) 字节）",
                field: field
            )
        }
    }
}
