import ArgumentParser
import ChuqingDomain
import ChuqingPersistence
import ChuqingServer
import ChuqingServices
import Foundation
import Hummingbird
import Logging

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Apply pending database migrations (Migrations/*.sql).")

    @OptionGroup var options: DatabaseOptions

    @Flag(help: "Only list what is applied and what is pending.")
    var status = false

    func run() async throws {
        let status = self.status
        try await options.withDatabase { database, configuration in
            let home = try ResourceLocator.home(configured: configuration.home)
            let migrator = try Migrator(database: database, directory: home.appendingPathComponent("Migrations"))
            if status {
                for record in try await migrator.applied() {
                    print("已应用  \(String(format: "%04d", record.version))_\(record.name)  \(record.appliedAt)")
                }
                for migration in try await migrator.pending() {
                    print("待应用  \(migration.fileName)")
                }
                return
            }
            let applied = try await migrator.migrate()
            print(
                applied.isEmpty
                    ? "数据库已是最新（\(database.engine.rawValue)）。"
                    : "已应用 \(applied.count) 个迁移：\(applied.map(\.fileName).joined(separator: "、"))")
        }
    }
}
