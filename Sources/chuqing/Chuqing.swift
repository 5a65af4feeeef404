import ArgumentParser
import ChuqingDomain
import ChuqingPersistence
import ChuqingServer
import ChuqingServices
import Foundation
import Hummingbird
import Logging

/// `chuqing`: the server and its maintenance commands. Commands only parse; the work is done by
/// library functions that tests call directly.
@main
struct Chuqing: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chuqing",
        abstract: "出清 (Chuqing): enforcement-case clearance for county courts.",
        discussion: """
            Settings come from flags, else environment variables (DATABASE_URL, CHUQING_*), else defaults;
            docs/operations.md lists them.
            """,
        subcommands: [Serve.self, Migrate.self, Users.self, Demo.self, Import.self, ExchangeSim.self, GatewaySim.self, Lookups.self]
    )
}

/// Flags shared by every command that opens the database.
struct DatabaseOptions: ParsableArguments {
    @Option(name: .customLong("database-url"), help: "Overrides DATABASE_URL (sqlite:PATH, sqlite::memory:, postgres://…).")
    var databaseURL: String?

    @Option(name: .customLong("log-level"), help: "Overrides CHUQING_LOG_LEVEL (trace … critical).")
    var logLevel: String?

    /// The configuration from the environment with these flags applied; exits with the message
    /// naming the bad setting when one is malformed.
    func configuration() throws -> ServerConfiguration {
        do {
            var configuration = try ServerConfiguration(environment: ProcessInfo.processInfo.environment)
            if let databaseURL { configuration.databaseURL = try DatabaseURL(parsing: databaseURL) }
            if let logLevel { try configuration.setLogLevel(logLevel) }
            return configuration
        } catch {
            throw ValidationError(error.description)
        }
    }

    /// Bootstraps logging, opens the database, runs `body` with its services running. The one
    /// set-up of every command that opens the database, and its one error mapping: a broken rule
    /// or a service's refusal is printed as `Error: <message>` (exit status 1), not as a trace.
    func withDatabase<R: Sendable>(_ body: @escaping @Sendable (Database, ServerConfiguration) async throws -> R) async throws -> R {
        let configuration = try configuration()
        bootstrapLogging(level: configuration.logLevel)
        var logger = Logger(label: "chuqing")
        logger.logLevel = configuration.logLevel
        let database = try await Database.open(configuration.databaseURL, logger: logger)
        do {
            return try await database.withRunning { database in
                try await database.ping(timeout: configuration.databaseTimeout)
                return try await body(database, configuration)
            }
        } catch let error as DomainError {
            throw DataError(error.message)
        } catch let refusal as Refusal {
            throw DataError(refusal.message)
        }
    }
}

func bootstrapLogging(level: Logger.Level) {
    LoggingSystem.bootstrap { label in
        var handler = StreamLogHandler.standardError(label: label)
        handler.logLevel = level
        return handler
    }
}

/// A problem with the data a command was given (a file, a value it read), not with how the command
/// was typed: printed as `Error: …` without the usage text, exit status 1.
struct DataError: Error, CustomStringConvertible {
    let description: String
    init(_ message: String) { description = message }
}
