import ChuqingPersistence
import ChuqingServer
import ChuqingTestSupport
import Foundation
import SQLKit
import Testing

/// The `chuqing` executable as an operator runs it (built beside the tests by
/// `swift build --build-tests`), against a fresh SQLite file.
@Suite("Command line")
struct CommandLineTests {
    static let binary = TestSupport.repositoryRoot.appendingPathComponent(".build/debug/chuqing")

    /// Runs `chuqing arguments…` with `stdin`; returns exit status and combined output. The wait
    /// for the process is on a thread of its own: blocking one of the few threads every async
    /// test shares starved their timers (a 2-second timeout measured 7 s in CI).
    static func run(_ arguments: [String], database: String, stdin: String = "", environment: [String: String] = [:]) async throws -> (
        Int32, String
    ) {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(with: Result { try runBlocking(arguments, database: database, stdin: stdin, environment: environment) })
            }
        }
    }

    private static func runBlocking(_ arguments: [String], database: String, stdin: String, environment: [String: String]) throws -> (
        Int32, String
    ) {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.currentDirectoryURL = TestSupport.repositoryRoot
        var env = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("CHUQING_") && $0.key != "DATABASE_URL" }
        env["DATABASE_URL"] = "sqlite:\(database)"
        env.merge(environment) { $1 }
        process.environment = env
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = output
        try process.run()
        input.fileHandleForWriting.write(Data(stdin.utf8))
        try input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    static func freshDatabase() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("chuqing-cli-\(UUID().uuidString)/cli.sqlite").path
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: binary.path)))
    func anOperatorAddsListsAndDisablesAUser() async throws {
        let database = Self.freshDatabase()
        #expect(try await Self.run(["migrate"], database: database).0 == 0)
        // act
        let (added, addOutput) = try await Self.run(
            [
                "users", "add", "--username", "li.judge", "--display-name", "李法官", "--role", "judge",
                "--password-stdin",
            ], database: database, stdin: "a-long-password\n",
            environment: ["CHUQING_BCRYPT_COST": "10"])
        let (_, listed) = try await Self.run(["users", "list"], database: database)
        let (disabled, _) = try await Self.run(["users", "disable", "li.judge"], database: database)
        let (_, listedAfter) = try await Self.run(["users", "list"], database: database)
        // check
        #expect(added == 0, "\(addOutput)")
        #expect(listed.contains("li.judge\tjudge\t李法官\t-\t正常"))
        #expect(disabled == 0)
        #expect(listedAfter.contains("li.judge\tjudge\t李法官\t-\t已停用"))
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: binary.path)))
    func aLiaisonIsAddedByTownshipNameWithTheUsernameAsDisplayName() async throws {
        let database = Self.freshDatabase()
        #expect(try await Self.run(["migrate"], database: database).0 == 0)
        let (added, output) = try await Self.run(
            ["users", "add", "--username", "zhou", "--role", "liaison", "--township", "高兴镇", "--password-stdin"],
            database: database, stdin: "a-long-password\n", environment: ["CHUQING_BCRYPT_COST": "10"])
        #expect(added == 0, "\(output)")
        let (_, listed) = try await Self.run(["users", "list"], database: database)
        #expect(listed.contains("zhou\tliaison\tzhou\t360732-"), "\(listed)")
        let (unknown, unknownOutput) = try await Self.run(
            ["users", "add", "--username", "qian", "--role", "liaison", "--township", "火星镇", "--password-stdin"],
            database: database, stdin: "a-long-password\n", environment: ["CHUQING_BCRYPT_COST": "10"])
        #expect(unknown != 0)
        #expect(unknownOutput.contains("没有「火星镇」这个乡镇") && unknownOutput.contains("潋江镇（360732-01）"), "\(unknownOutput)")
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: binary.path)))
    func badInputOnTheCommandLineSaysWhatIsAccepted() async throws {
        let database = Self.freshDatabase()
        #expect(try await Self.run(["migrate"], database: database).0 == 0)
        let (status, output) = try await Self.run(
            [
                "users", "add", "--username", "xiao1", "--display-name", "某", "--role", "president",
                "--password-stdin",
            ], database: database, stdin: "a-long-password\n")
        #expect(status != 0)
        #expect(output.contains("未知角色「president」"))
        // a village liaison needs a village; a judge's office phone is checked
        let (village, villageOutput) = try await Self.run(
            [
                "users", "add", "--username", "zeng", "--display-name", "曾", "--role", "liaison",
                "--township", "360732-05", "--liaison-kind", "villageLiaison", "--password-stdin",
            ],
            database: database, stdin: "a-long-password\n")
        #expect(village != 0 && villageOutput.contains("须绑定所属乡镇的一个村（社区）"))
        let (phone, phoneOutput) = try await Self.run(
            [
                "users", "add", "--username", "wang", "--display-name", "王", "--role", "judge",
                "--office-phone", "call me", "--password-stdin",
            ], database: database, stdin: "a-long-password\n")
        #expect(phone != 0 && phoneOutput.contains("电话号码「call me」不合规"))
        let (judge, _) = try await Self.run(
            [
                "users", "add", "--username", "wang", "--display-name", "王", "--role", "judge",
                "--office-phone", "0797-5321001", "--password-stdin",
            ], database: database, stdin: "a-long-password\n")
        #expect(judge == 0)
        let (badEnv, envOutput) = try await Self.run(["migrate"], database: database, environment: ["CHUQING_PORTT": "1"])
        #expect(badEnv != 0)
        #expect(envOutput.contains("CHUQING_PORTT"))
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: binary.path)))
    func aVillageListIsImportedOnceAndABadOneNotAtAll() async throws {
        let database = Self.freshDatabase()
        #expect(try await Self.run(["migrate"], database: database).0 == 0)
        let list = FileManager.default.temporaryDirectory.appendingPathComponent("villages-\(UUID().uuidString).csv")
        try "\u{FEFF}乡镇,村（社区）\n高兴镇,高兴村\n360732-05,长迳村\n潋江镇,\"城东社区\"\n\n".write(to: list, atomically: true, encoding: .utf8)
        let (status, output) = try await Self.run(["import", "villages", list.path], database: database)
        #expect(status == 0 && output.contains("新增村（社区）3 个，已登记的 0 个"), "\(output)")
        let (_, again) = try await Self.run(["import", "villages", list.path], database: database)
        #expect(again.contains("新增村（社区）0 个，已登记的 3 个"))
        try "高兴镇,老营盘村\n高兴乡,上密村\n高兴镇\n".write(to: list, atomically: true, encoding: .utf8)
        let (bad, badOutput) = try await Self.run(["import", "villages", list.path], database: database)
        #expect(bad != 0 && badOutput.contains("第 2 行：没有「高兴乡」这个乡镇") && badOutput.contains("第 3 行：须有两列"))
        let (_, after) = try await Self.run(
            ["import", "villages", list.path.replacingOccurrences(of: ".csv", with: ".none")], database: database)
        #expect(after.contains("读不到文件"))
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: binary.path)))
    func serveRefusesToStartWithPendingMigrations() async throws {
        let database = Self.freshDatabase()
        let (status, output) = try await Self.run(["serve", "--port", "0"], database: database)
        #expect(status != 0)
        #expect(output.contains("尚未应用"))
        #expect(output.contains("chuqing migrate"))
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: binary.path)))
    func demoDataIsLoadedOnceAndOnlyWhenAsked() async throws {
        let database = Self.freshDatabase()
        #expect(try await Self.run(["migrate"], database: database).0 == 0)
        let (_, before) = try await Self.run(["users", "list"], database: database)
        #expect(before.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty)
        let (_, first) = try await Self.run(["demo", "load"], database: database)
        let (_, second) = try await Self.run(["demo", "load"], database: database)
        let (_, after) = try await Self.run(["users", "list"], database: database)
        #expect(first.contains("已载入演示数据"))
        #expect(second.contains("演示数据已存在"))
        #expect(after.split(separator: "\n").count == 6 + DemoData.otherJudges.count + DemoData.otherLiaisons.count)
    }
}

@Suite("Interrupted import")
struct InterruptedImportTests {
    /// The export as CSV text.
    static func csv(_ records: [CSVReader.Record]) -> String {
        records.map { $0.fields.map { "\"\($0.replacingOccurrences(of: "\"", with: "\"\""))\"" }.joined(separator: ",") }
            .joined(separator: "\n") + "\n"
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: CommandLineTests.binary.path)))
    func aKilledImportLeavesNoHalfWrittenCaseAndCanBeRunAgain() async throws {
        // setup: a file big enough to kill the import half-way
        // Big enough, and in small enough transactions, that the kill lands half-way even when the
        // rest of the suite, running in parallel, delays this test's polling by seconds.
        let total = 6000
        let records = DemoCases.records(count: total, seed: 99)
        struct N: Decodable { let n: Int }
        /// Starts the import into a fresh database and kills it once some cases have landed.
        func interruptedImport() async throws -> (database: String, file: URL, db: Database, landed: Int) {
            let database = CommandLineTests.freshDatabase()
            #expect(try await CommandLineTests.run(["migrate"], database: database).0 == 0)
            let file = URL(fileURLWithPath: database).deletingLastPathComponent().appendingPathComponent("export.csv")
            try Self.csv(records).write(to: file, atomically: true, encoding: .utf8)
            let process = Process()
            process.executableURL = CommandLineTests.binary
            // Transactions of 5 cases: the kill lands between two of 1,200 commits.
            process.arguments = ["import", "cases", "--chunk-size", "5", file.path]
            process.environment = ["DATABASE_URL": "sqlite:\(database)", "PATH": "/usr/bin:/bin"]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            let db = try await Database.open(.sqliteFile(path: database), logger: TestSupport.logger)
            func count() async throws -> Int {
                try await db.sql.raw("SELECT COUNT(*) AS n FROM enforcement_cases").first(decoding: N.self)!.n
            }
            try process.run()
            let deadline = ContinuousClock.now + .seconds(60)
            while try await count() < 20 && ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(20))
            }
            kill(process.processIdentifier, SIGKILL)
            await withCheckedContinuation { continuation in
                Thread.detachNewThread {
                    process.waitUntilExit()
                    continuation.resume()
                }
            }
            return (database, file, db, try await count())
        }
        // act: kill it once some cases have landed. On a 2-core machine running the whole suite
        // this test's polling was once starved until the import had finished (6000 of 6000): that
        // run interrupted nothing, so it is made again, at most three times.
        var run = try await interruptedImport()
        for _ in 0..<2 where run.landed == total {
            await run.db.close()
            run = try await interruptedImport()
        }
        let (database, file, db, _) = run
        func count(_ sql: String) async throws -> Int {
            try await db.sql.raw(SQLQueryString(sql)).first(decoding: N.self)!.n
        }
        // check: whatever landed is whole
        let landed = try await count("SELECT COUNT(*) AS n FROM enforcement_cases")
        #expect(landed > 0 && landed < total, "the import was not interrupted half-way (\(landed) of \(total))")
        #expect(
            try await count(
                "SELECT COUNT(*) AS n FROM enforcement_cases c WHERE NOT EXISTS (SELECT 1 FROM case_debtors d WHERE d.case_id = c.id)") == 0
        )
        #expect(
            try await count(
                "SELECT COUNT(*) AS n FROM enforcement_cases c WHERE NOT EXISTS (SELECT 1 FROM case_history h WHERE h.case_id = c.id)") == 0
        )
        // act again: simply run it again
        let (status, output) = try await CommandLineTests.run(["import", "cases", file.path], database: database)
        // check: every case exactly once
        #expect(status == 0, "\(output)")
        #expect(output.contains("新增 \(total - landed) 件"))
        #expect(output.contains("未变 \(landed) 件"))
        #expect(try await count("SELECT COUNT(*) AS n FROM enforcement_cases") == total)
        await db.close()
    }
}
