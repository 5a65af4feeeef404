import ChuqingDomain
import ChuqingPersistence
import ChuqingTestSupport
import Foundation
import Logging
import Testing

@testable import ChuqingServer

@Suite("Configuration")
struct ConfigurationTests {
    /// Issue 18's settings: the push's days, the escalation mode and the bodies.
    @Test
    func theTeamsSettingsAreReadAndBadValuesNamed() throws {
        let defaults = try ServerConfiguration(environment: [:]).pushes
        #expect(defaults == PushSettings(days: 30, escalation: .manual, bodies: ["县纪委监委", "县委组织部"]))
        let set = try ServerConfiguration(environment: [
            "CHUQING_PUSH_DAYS": "15", "CHUQING_ESCALATION": "automatic", "CHUQING_ESCALATION_BODIES": "县纪委监委、县委组织部，县人大常委会",
        ]).pushes
        #expect(set == PushSettings(days: 15, escalation: .automatic, bodies: ["县纪委监委", "县委组织部", "县人大常委会"]))
        for (key, value) in [("CHUQING_PUSH_DAYS", "0"), ("CHUQING_ESCALATION", "sometimes"), ("CHUQING_ESCALATION_BODIES", " , ")] {
            #expect(throws: ConfigurationError.self) { try ServerConfiguration(environment: [key: value]) }
        }
    }

    /// The OpenAPI document's list of deadline kinds is the domain's (Schemathesis found a kind
    /// the document did not name).
    @Test
    func theOpenAPIDocumentNamesEveryDeadlineKind() throws {
        let document = try String(
            contentsOf: TestSupport.repositoryRoot.appendingPathComponent("docs/openapi.yaml"), encoding: .utf8)
        let line = try #require(document.split(separator: "\n").first { $0.contains("enum: [leadVerification") })
        for kind in Deadline.Kind.allCases { #expect(line.contains(kind.rawValue), "docs/openapi.yaml lacks \(kind.rawValue)") }
    }

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
        ("CHUQING_SCHEDULER", "sometimes", "CHUQING_SCHEDULER"),
        ("CHUQING_SCHEDULER_HOUR", "24", "CHUQING_SCHEDULER_HOUR"),
        ("CHUQING_SCHEDULER_WORKERS", "0", "CHUQING_SCHEDULER_WORKERS"),
        ("CHUQING_SCHEDULER_LEASE_SECONDS", "1", "CHUQING_SCHEDULER_LEASE_SECONDS"),
        ("CHUQING_SMS_URL", "ftp://127.0.0.1/messages", "CHUQING_SMS_URL"),
        ("CHUQING_WECHAT_URL", "127.0.0.1:9091", "CHUQING_WECHAT_URL"),
        // a gateway without the court's name to sign its texts with
        ("CHUQING_SMS_URL", "http://127.0.0.1:9091/messages", "CHUQING_SMS_SIGNATURE"),
        ("CHUQING_SMS_SIGNATURE", "【兴国县人民法院】", "CHUQING_SMS_SIGNATURE"),
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
    func theSchedulerAndTheGatewaysAreRead() throws {
        let configuration = try ServerConfiguration(environment: [
            "CHUQING_SCHEDULER": "off", "CHUQING_SCHEDULER_HOUR": "3", "CHUQING_SCHEDULER_WORKERS": "4",
            "CHUQING_SMS_URL": "http://127.0.0.1:9091/messages", "CHUQING_SMS_TOKEN": "t0ken", "CHUQING_SMS_SIGNATURE": "兴国县人民法院",
        ])
        #expect(!configuration.schedulerEnabled)
        #expect(configuration.scheduler.dailyHour == 3)
        #expect(configuration.scheduler.workers == 4)
        #expect(configuration.gateways.endpoints[.sms]?.token == "t0ken")
        #expect(configuration.gateways.endpoints[.wechat] == nil)
        #expect(configuration.gateways.signature == "兴国县人民法院")
        #expect(HTTPMessageGateway(client: .shared, configuration: configuration.gateways).channels == [.sms])
        #expect(try ServerConfiguration(environment: [:]).gateways.endpoints.isEmpty)
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
