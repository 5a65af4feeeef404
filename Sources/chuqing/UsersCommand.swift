import ArgumentParser
import ChuqingDomain
import ChuqingPersistence
import ChuqingServer
import ChuqingServices
import Foundation
import Hummingbird
import Logging

struct Users: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Manage users.",
        subcommands: [Add.self, Disable.self, Enable.self, List.self]
    )

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a user; the password is read from standard input.")
        @OptionGroup var options: DatabaseOptions
        @Option(help: "Login name: 3–32 lower-case letters, digits, . _ -") var username: String
        @Option(name: .customLong("display-name"), help: "Name shown on screens, e.g. 李法官 (default: the username).")
        var displayName: String?
        @Option(help: "One of: \(Role.allCases.map(\.rawValue).joined(separator: ", ")).") var role: String
        @Option(help: "Township code or name, for liaisons only (e.g. 360732-05 or 潋江镇).") var township: String?
        @Option(name: .customLong("liaison-kind"), help: "For liaisons: commissioner (default), villageLiaison or assistant.")
        var liaisonKind: String?
        @Option(help: "For village liaisons and assisting enforcers: the id of a village of the township.") var village: String?
        @Option(name: .customLong("office-phone"), help: "The office phone liaisons see (judges), e.g. 0797-5321001.") var officePhone:
            String?
        @Option(help: "The mobile number reminders are sent to by SMS or WeChat, e.g. 13807970001.") var mobile: String?
        @Flag(name: .customLong("password-stdin"), help: "Read the password from standard input (required).") var passwordStdin = false

        func validate() throws {
            guard passwordStdin else { throw ValidationError("请用 --password-stdin 从标准输入提供密码（不在命令行上出现）") }
        }

        func run() async throws {
            guard let password = readLine(strippingNewline: true), !password.isEmpty else {
                throw ValidationError("标准输入中没有密码")
            }
            let input = NewUser(
                username: username, displayName: displayName ?? username, role: role, township: township, password: password,
                liaisonKind: liaisonKind, village: village, officePhone: officePhone,
                mobile: mobile)
            try await options.withDatabase { database, configuration in
                let accounts = AccountService(
                    database: database, hasher: PasswordHasher(cost: configuration.bcryptCost),
                    sessionLifetime: configuration.sessionLifetime)
                let user = try await accounts.createUser(input, by: .commandLine)
                print("已新增用户 \(user.username)（\(user.role.chineseName)），id \(user.id.databaseText)")
            }
        }
    }

    struct Disable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Disable a user and end their sessions.")
        @OptionGroup var options: DatabaseOptions
        @Argument(help: "Login name.") var username: String

        func run() async throws {
            try await setDisabled(true, username: username, options: options)
        }
    }

    struct Enable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Enable a disabled user again.")
        @OptionGroup var options: DatabaseOptions
        @Argument(help: "Login name.") var username: String

        func run() async throws {
            try await setDisabled(false, username: username, options: options)
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List users.")
        @OptionGroup var options: DatabaseOptions

        func run() async throws {
            try await options.withDatabase { database, configuration in
                let accounts = AccountService(
                    database: database, hasher: PasswordHasher(cost: configuration.bcryptCost),
                    sessionLifetime: configuration.sessionLifetime)
                for user in try await accounts.allUsers(by: .commandLine) {
                    print(
                        "\(user.username)\t\(user.role.rawValue)\t\(user.displayName)\t\(user.townshipCode ?? "-")\t\(user.isDisabled ? "已停用" : "正常")"
                    )
                }
            }
        }
    }

    static func setDisabled(_ disabled: Bool, username: String, options: DatabaseOptions) async throws {
        try await options.withDatabase { database, configuration in
            let accounts = AccountService(
                database: database, hasher: PasswordHasher(cost: configuration.bcryptCost),
                sessionLifetime: configuration.sessionLifetime)
            let user = try await accounts.setDisabled(disabled, username: username, by: .commandLine)
            print("已\(disabled ? "停用" : "启用")用户 \(user.username)")
        }
    }
}
