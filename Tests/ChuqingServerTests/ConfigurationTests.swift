import ChuqingPersistence
import Foundation
import Logging
import Testing

@testable import ChuqingServer

@Suite("Configuration")
struct ConfigurationTests {
    @Test
    func defaultsAreTheEmbeddedDatabaseOnLoopback() throws {
        let configuration = try ServerConfiguration(environment: [:])
        #expect(configuration.databaseURL == .sqliteFile(path: "var/chuqing.sqlite"))
        #expect(configuration.hostname == "127.0.0.1")
        #expect(configuration.port == 8080)
        #expect(configuration.logLevel == .info)
    }

    @Test
    func theEnvironmentIsRead() throws {
        let configuration = try ServerConfiguration(environment: [
            "DATABASE_URL": "postgres://chuqing:s%40cret@db.local:6543/court?sslmode=require",
            "CHUQING_PORT": "9090", "CHUQING_LOG_LEVEL": "DEBUG", "CHUQING_SECURE_COOKIES": "true", "CHUQING_LOOKUP_APPROVAL": "Director",
        ])
        #expect(configuration.lookupApproval == .director)
        #expect(try ServerConfiguration(environment: [:]).lookupApproval == .none)
        #expect(
            configuration.databaseURL
                == .postgres(
                    .init(
                        host: "db.local", port: 6543, username: "chuqing", password: "s@cret",
                        database: "court", sslMode: .require)))
        #expect(configuration.port == 9090)
        #expect(configuration.logLevel == .debug)
        #expect(configuration.secureCookies)
        #expect(!configuration.databaseURL.description.contains("s@cret"))  // safe to log
    }

    @Test(arguments: [
        ("CHUQING_PROT", "8080", "CHUQING_PROT"),
        ("CHUQING_PORT", "eighty", "CHUQING_PORT"),
        ("CHUQING_PORT", "70000", "CHUQING_PORT"),
        ("CHUQING_LOG_LEVEL", "loud", "CHUQING_LOG_LEVEL"),
        ("CHUQING_SECURE_COOKIES", "maybe", "CHUQING_SECURE_COOKIES"),
        ("CHUQING_BCRYPT_COST", "4", "CHUQING_BCRYPT_COST"),
        ("CHUQING_IDLE_DAYS", "0", "CHUQING_IDLE_DAYS"),
        ("CHUQING_LOOKUP_APPROVAL", "judge", "CHUQING_LOOKUP_APPROVAL"),
        ("DATABASE_URL", "mysql://x@y/z", "DATABASE_URL"),
        ("DATABASE_URL", "postgres://host-without-user/db", "DATABASE_URL"),
        ("DATABASE_URL", "postgres://u@h:5432/", "DATABASE_URL"),
        ("DATABASE_URL", "postgres://u@h/db?sslmode=sometimes", "DATABASE_URL"),
        ("DATABASE_URL", "sqlite:", "DATABASE_URL"),
    ])
    func aBadSettingStopsStartUpNamingTheSetting(name: String, value: String, named: String) {
        do {
            _ = try ServerConfiguration(environment: [name: value])
            Issue.record("\(name)=\(value) was accepted")
        } catch {
            #expect(error.setting == named)
            #expect(error.description.contains(named))
            #expect(error.description.contains(value))
        }
    }

    @Test
    func flagsAreCheckedLikeTheEnvironment() {
        var configuration = ServerConfiguration()
        #expect(throws: ConfigurationError.self) { try configuration.setPort("http") }
        #expect(throws: ConfigurationError.self) { try configuration.setHostname("") }
        #expect(throws: ConfigurationError.self) { try configuration.setLogLevel("verbose") }
    }

    @Test
    func resourcesAreFoundOrNamedWhenMissing() throws {
        #expect(throws: ConfigurationError.self) {
            try ResourceLocator.home(configured: FileManager.default.temporaryDirectory)
        }
    }
}
