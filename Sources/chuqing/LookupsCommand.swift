import ArgumentParser
import ChuqingDomain
import ChuqingPersistence
import ChuqingServer
import ChuqingServices
import Foundation
import Hummingbird
import Logging

struct Lookups: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Asset look-ups.", subcommands: [RunDue.self])

    struct RunDue: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "run-due",
            abstract: "Run every six-monthly look-up due after 终本 (法〔2016〕373号 art. 9), all enabled categories, and wait for the answers.",
            discussion:
                "Asks the exchange configured by CHUQING_EXCHANGE_URL / CHUQING_EXCHANGES, and the extracts loaded for categories answered by snapshot. Run it daily (cron); a look-up already made in the last six months is not repeated."
        )
        @OptionGroup var options: DatabaseOptions
        @Option(
            name: .customLong("approved-by"),
            help: "The director (username) who approved this run; required when CHUQING_LOOKUP_APPROVAL=director.")
        var approvedBy: String?

        func run() async throws {
            try await options.withDatabase { database, configuration in
                var logger = Logger(label: "chuqing.lookups")
                logger.logLevel = configuration.logLevel
                let done: [StoredLookup]
                done = try await AssetLookupService.standard(database: database, configuration: configuration, logger: logger)
                    .runDue(approvedBy: approvedBy, by: .commandLine)
                let nothing = done.filter { $0.categories.allSatisfy { $0.status == .answered && $0.findings.isEmpty } }.count
                let incomplete = done.filter { $0.categories.contains { $0.status != .answered } }.count
                print("定期查询 \(done.count) 次：未发现财产 \(nothing) 次，有类别失败或超时 \(incomplete) 次")
            }
        }
    }
}
