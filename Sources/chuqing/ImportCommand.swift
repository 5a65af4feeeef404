import ArgumentParser
import ChuqingDomain
import ChuqingPersistence
import ChuqingServer
import ChuqingServices
import Foundation
import Hummingbird
import Logging

struct Import: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Import data files.", subcommands: [Cases.self, Villages.self, Snapshot.self])

    struct Snapshot: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Load a department's extract file for a data category; the snapshot connector answers look-ups from it.",
            discussion:
                "UTF-8 CSV, first row the column names: 证件号码,姓名或名称,财产种类,描述 (required), 标识,价值（元）,权利人 (optional); English names idNumber,name,kind,description,identifier,valueYuan,holder also work. All or nothing: a bad row refuses the file, naming every bad row. The new extract replaces the category's previous one. See docs/connector-protocol.md."
        )
        @OptionGroup var options: DatabaseOptions
        @Argument(help: "The data category's code (realEstate, utilities…).") var category: String
        @Argument(help: "The CSV file.") var file: String
        @Option(name: .customLong("extracted-on"), help: "The day the department made the extract (YYYY-MM-DD; default today).")
        var extractedOn: String?

        func run() async throws {
            guard let data = FileManager.default.contents(atPath: file) else { throw DataError("读不到文件「\(file)」") }
            let day: CalendarDate?
            do { day = try extractedOn.map { try CalendarDate.parse($0, field: "--extracted-on") } } catch let error as DomainError {
                throw DataError(error.message)
            }
            let result = try await options.withDatabase { database, configuration in
                return try await AssetLookupService.standard(
                    database: database, configuration: configuration, logger: Logger(label: "chuqing.snapshots")
                ).loadExtract(
                    data, category: category, fileName: URL(fileURLWithPath: file).lastPathComponent, extractedOn: day, by: .commandLine
                )
            }
            print("已导入「\(category)」的数据提取文件：\(result.snapshot.rows) 行，提取日期 \(result.snapshot.extractedOn)，SHA-256 \(result.snapshot.digest)")
            if !result.categoryUsesSnapshot {
                print(
                    "注意：该类别目前由数据交换接口答复；要改由提取文件答复，请管理员把连接器改为 snapshot（PATCH /api/v1/data-categories/\(category) {\"connector\": \"snapshot\"}）"
                )
            }
        }
    }

    struct Villages: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Register the villages (行政村/社区) of the county's townships from a CSV list.",
            discussion:
                "UTF-8 CSV, one village a row: 乡镇,村（社区）. The township by name (高兴镇) or code (360732-05); a first row 乡镇,村（社区） is skipped. All or nothing; villages already registered are left as they are, so the same list can be imported again."
        )
        @OptionGroup var options: DatabaseOptions
        @Argument(help: "The CSV file.") var file: String

        func run() async throws {
            guard let data = FileManager.default.contents(atPath: file) else { throw DataError("读不到文件「\(file)」") }
            var text = String(decoding: data, as: UTF8.self)
            if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
            let records: [CSVReader.Record]
            do { records = try CSVReader.records(text) } catch let error as CSVReader.UnterminatedQuote {
                throw DataError("第 \(error.row) 行的引号没有闭合")
            }
            let result = try await options.withDatabase { database, _ in
                return try await NetworkService(database: database, debtors: DebtorService(database: database))
                    .importVillages(records, source: file, by: .commandLine)
            }
            print("新增村（社区）\(result.added) 个，已登记的 \(result.existing) 个未重复登记")
        }
    }

    struct Cases: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import a court's case export (CSV or XLSX, format of shared/formats/case-export.md).",
            discussion:
                "Idempotent by case number: running the same file again changes nothing. Cases are written in transactions of --chunk-size cases, so an interrupted import leaves only whole cases and can simply be run again."
        )
        @OptionGroup var options: DatabaseOptions
        @Argument(help: "The XLSX file, or CSV (UTF-8, with or without BOM).") var file: String
        @Flag(name: .customLong("dry-run"), help: "Check and count, write nothing.") var dryRun = false
        @Flag(name: .customLong("all-or-nothing"), help: "Write nothing unless every row is valid.") var allOrNothing = false
        @Option(name: .customLong("chunk-size"), help: "Cases per transaction, 1–5000 (default 500).") var chunkSize = 500
        @Option(name: .customLong("as"), help: "Import with this user's rights (a judge: only their own cases); default: the whole court.")
        var asUser: String?

        func validate() throws {
            guard (1...5_000).contains(chunkSize) else {
                throw ValidationError("--chunk-size 须为 1 至 5000（收到 \(chunkSize)）")
            }
        }

        func run() async throws {
            guard let data = FileManager.default.contents(atPath: file) else { throw DataError("读不到文件「\(file)」") }
            let file: CaseExportFile
            do { file = try CaseExportFile(data) } catch {
                throw DataError(error.message)
            }
            let showProgress = isatty(STDERR_FILENO) == 1
            let asUser = asUser
            let dryRun = dryRun
            let allOrNothing = allOrNothing
            let chunkSize = chunkSize
            let report = try await options.withDatabase { database, configuration in
                var actor = ActingUser.commandLine
                if let asUser {
                    guard let username = try? Username(asUser),
                        let stored = try await UserRepository().find(username: username, on: database.sql), !stored.user.isDisabled
                    else {
                        throw DataError("--as \(asUser)：没有这个在用的账号")
                    }
                    guard stored.user.may(.importCases) else {
                        throw DataError("--as \(asUser)：\(stored.user.role.chineseName)无权导入案件（可导入：执行局长、承办法官、书记员）")
                    }
                    actor = .commandLine(as: stored.user)
                }
                // the working days date the deletion triggers an export's closed cases record
                let home = try ResourceLocator.home(configured: configuration.home)
                let calendar = try WorkingDayCalendar.load(home.appendingPathComponent("Templates/calendar/working-days.csv"))
                return try await ImportService(database: database, cases: CaseService(database: database, calendar: calendar)).importCases(
                    file, options: CaseImportOptions(dryRun: dryRun, allOrNothing: allOrNothing), casesPerChunk: chunkSize,
                    progress: showProgress ? ProgressBar.draw : nil, by: actor)
            }
            if showProgress { FileHandle.standardError.write(Data("\n".utf8)) }
            print("按 \(file.format) 读取。")
            print(
                "读取 \(report.rowsRead) 行：新增 \(report.casesCreated) 件，更新 \(report.casesUpdated) 件，未变 \(report.unchanged) 件，拒绝 \(report.rowsRejected) 行\(report.committed ? "" : "（未写入数据库）")"
            )
            for warning in report.warnings { print("提示：\(warning)") }
            for rejection in report.rejections {
                print("第 \(rejection.row) 行，\(rejection.column)「\(rejection.value)」：\(rejection.reason)")
            }
            if report.rowsRejected > 0 { throw ExitCode(2) }
        }
    }
}

/// A one-line progress bar on standard error, for terminals.
enum ProgressBar {
    @Sendable static func draw(done: Int, total: Int) {
        let width = 30
        let filled = total == 0 ? width : done * width / total
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        FileHandle.standardError.write(Data("\r导入中 \(bar) \(done)/\(total) 件".utf8))
    }
}
