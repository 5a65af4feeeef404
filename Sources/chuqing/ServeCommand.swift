import ArgumentParser
import ChuqingDomain
import ChuqingPersistence
import ChuqingServer
import ChuqingServices
import Foundation
import Hummingbird
import Logging

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Serve the web pages and the API.")

    @OptionGroup var options: DatabaseOptions

    @Option(help: "Address to listen on (CHUQING_HOSTNAME; default 127.0.0.1).")
    var hostname: String?

    @Option(help: "Port to listen on (CHUQING_PORT; default 8080).")
    var port: String?

    @Flag(help: "Apply pending migrations before serving instead of refusing to start.")
    var migrate = false

    func run() async throws {
        var configuration = try options.configuration()
        do {
            if let hostname { try configuration.setHostname(hostname) }
            if let port { try configuration.setPort(port) }
        } catch {
            throw ValidationError(error.description)
        }
        bootstrapLogging(level: configuration.logLevel)
        let built = try await buildApplication(AppArguments(configuration: configuration, migrate: migrate))
        do {
            try await built.application.runService()
        } catch {
            // Start-up failures (dead database, pending or edited migrations) end here with the reason.
            await built.database.close()
            FileHandle.standardError.write(Data("启动失败：\(error)\n".utf8))
            throw ExitCode.failure
        }
        await built.database.close()
    }
}
