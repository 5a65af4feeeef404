import ArgumentParser
import ChuqingDomain
import ChuqingPersistence
import ChuqingServer
import ChuqingServices
import Foundation
import Hummingbird
import Logging

struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Demo data for trying Chuqing out.", subcommands: [Load.self, Export.self])

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write generated cases as a case-export CSV (for trying the importer and for benchmarks); touches no database.")
        @Option(help: "How many cases.") var count = 400
        @Option(help: "Seed of the generator (the same seed gives the same file).") var seed: UInt64 = 20_260_913
        @Argument(help: "Where to write the CSV.") var file: String

        func run() async throws {
            var text = ""
            for record in DemoCases.records(count: count, seed: seed) {
                text += record.fields.map { "\"\($0.replacingOccurrences(of: "\"", with: "\"\""))\"" }.joined(separator: ",") + "\n"
            }
            try text.write(toFile: file, atomically: true, encoding: .utf8)
            print("已写出 \(count) 件案件到 \(file)")
        }
    }

    struct Load: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Load the demo data (once; later runs change nothing) and print the demo logins.")
        @OptionGroup var options: DatabaseOptions

        func run() async throws {
            try await options.withDatabase { database, configuration in
                let accounts = AccountService(
                    database: database, hasher: PasswordHasher(cost: configuration.bcryptCost),
                    sessionLifetime: configuration.sessionLifetime)
                let loaded = try await DemoData.load(into: accounts, database: database, home: configuration.home)
                print(loaded ? "已载入演示数据。" : "演示数据已存在，未重复载入。")
                print("演示账号（仅用于演示数据库）：")
                for login in DemoData.logins {
                    print(
                        "  \(login.role.chineseName.padding(toLength: 6, withPad: "　", startingAt: 0))  用户名 \(login.username.padding(toLength: 9, withPad: " ", startingAt: 0))  密码 \(login.password)"
                    )
                }
                print("  其他承办法官：\(DemoData.otherJudges.map { "\($0.name)（\($0.username)）" }.joined(separator: "、"))，密码同 judge")
                print(
                    "  高兴镇其他联络员：\(DemoData.otherLiaisons.map { "\($0.name)（\($0.kind.chinese)，\($0.village)，\($0.username)）" }.joined(separator: "、"))，密码同 liaison"
                )
            }
        }
    }
}
