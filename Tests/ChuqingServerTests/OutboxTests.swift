import ChuqingDomain
import ChuqingPersistence
import ChuqingServices
import ChuqingTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Synchronization
import Testing

@testable import ChuqingServer

/// A gateway simulator on a free loopback port, for the body's duration.
func withGatewaySim<R: Sendable>(
    _ configure: (inout GatewaySimulator) -> Void = { _ in },
    _ body: @escaping @Sendable (URL, GatewaySimulator.Log) async throws -> R
) async throws -> R {
    var simulator = GatewaySimulator()
    configure(&simulator)
    var logger = Logger(label: "gateway-sim.tests")
    logger.logLevel = .critical
    let log = GatewaySimulator.Log()
    let app = Application(
        router: simulator.router(log: log), configuration: .init(address: .hostname("127.0.0.1", port: 0)), logger: logger)
    return try await app.test(.live) { client in
        try await body(URL(string: "http://127.0.0.1:\(client.port!)/messages")!, log)
    }
}

/// Issue 17 item 4: reminders delivered through the court's gateways, each once.
@Suite("Reminders through the outbox")
struct OutboxTests {
    /// A gateway in the test's hands: fails the first `failFirst` calls, refuses `refusing`, and
    /// takes each idempotency key once (a repeat answers with the first message's id).
    final class FakeGateway: MessageGateway {
        let failFirst: Int
        let refusing: Set<String>
        let calls = Mutex<[String]>([])
        let taken = Mutex<[String: String]>([:])

        init(failFirst: Int = 0, refusing: Set<String> = []) {
            self.failFirst = failFirst
            self.refusing = refusing
        }

        var channels: [MessageChannel] { [.sms] }

        func deliver(_ message: GatewayMessage) async -> GatewayAnswer {
            let n = calls.withLock {
                $0.append(message.idempotencyKey)
                return $0.count
            }
            if n <= failFirst { return .failed(reason: "第 \(n) 次：网关繁忙") }
            if refusing.contains(message.recipient) { return .rejected(reason: "号码无法送达") }
            return .accepted(
                messageID: taken.withLock { taken in
                    if let id = taken[message.idempotencyKey] { return id }
                    taken[message.idempotencyKey] = "m\(taken.count + 1)"
                    return "m\(taken.count)"
                })
        }
    }

    static func remindKind(_ reminders: Reminders, user: UUID) -> JobKind {
        JobKind(name: "test.remind", chinese: "测试提醒", isDaily: false) { context in
            let added = try await reminders.send(
                NewReminder(
                    userID: user, kind: "test", title: "测试提醒", body: "（2022）赣0732执3301号 应于 2026-03-05 前删除", link: "/blacklist#due",
                    dueOn: nil, dedupeKey: "test:\(user.databaseText)"),
                in: context)
            return JobOutcome(added ? "已提醒" : "已提醒过")
        }
    }

    static func user(_ database: Database, mobile: String?) async throws -> UUID {
        let user = User(
            id: UUID(), username: try Username("u-\(UUID().databaseText.prefix(8))"), displayName: "测试院领导", role: .director, mobile: mobile)
        try await UserRepository().insert(user, passwordHash: "x", isDemo: false, createdAt: TestSupport.fixedNow, on: database.sql)
        return user.id
    }

    static func outbox(_ database: Database) async throws -> [OutboxMessage] {
        try await OutboxRepository(database: database).messages(limit: 100)
    }

    @Test(arguments: TestEngine.available)
    func aFailingGatewayIsAskedAgainWithBackoffAndTheMessageIsSentOnce(engine: TestEngine) async throws {
        try await engine.withDatabase { database in
            let clock = Mutex(TestSupport.fixedNow)
            let now: @Sendable () -> Date = { clock.withLock { $0 } }
            let gateway = FakeGateway(failFirst: 2)
            let reminders = Reminders(gateway: gateway, signature: "兴国县人民法院")
            let user = try await Self.user(database, mobile: "13807970001")
            let scheduler = SchedulerTests.scheduler(
                database, kinds: [reminders.deliveryKind, Self.remindKind(reminders, user: user)], clock: now)
            let jobs = JobRepository(database: database)
            try await jobs.enqueue(kind: "test.remind", dueAt: now(), maxAttempts: 3, createdBy: "test", dedupeKey: nil, now: now())
            #expect(try await scheduler.runDue() == 2)  // the reminder, and its delivery's first attempt (failed)
            var messages = try await Self.outbox(database)
            #expect(messages.count == 1)
            #expect(messages[0].state == .pending)
            #expect(messages[0].recipient == "13807970001")
            #expect(messages[0].text.hasPrefix("【兴国县人民法院】测试提醒："))
            let delivery = try #require(try await jobs.jobs(state: .queued, limit: 10, offset: 0).jobs.first)
            #expect(delivery.kind == Reminders.deliveryKind)
            #expect(delivery.lastError?.contains("网关繁忙") == true)
            #expect(delivery.dueAt == now().addingTimeInterval(30))
            clock.withLock { $0 = $0.addingTimeInterval(30) }
            #expect(try await scheduler.runDue() == 1)  // the second attempt fails too
            clock.withLock { $0 = $0.addingTimeInterval(60) }
            #expect(try await scheduler.runDue() == 1)  // the third is taken
            messages = try await Self.outbox(database)
            #expect(messages[0].state == .sent)
            #expect(messages[0].gatewayMessageID == "m1")
            #expect(try await jobs.job(id: delivery.id)?.state == .done)
            // every attempt carried the same key; the reminding job run again reminds no one
            #expect(Set(gateway.calls.withLock { $0 }) == [messages[0].idempotencyKey])
            try await jobs.enqueue(kind: "test.remind", dueAt: now(), maxAttempts: 3, createdBy: "test", dedupeKey: nil, now: now())
            #expect(try await scheduler.runDue() == 1)
            #expect(try await Self.outbox(database).count == 1)
            #expect(gateway.calls.withLock { $0.count } == 3)
        }
    }

    /// The process that asked the gateway died before recording its answer: the job is taken
    /// again after its lease and asks with the same key; the gateway sends nothing twice.
    @Test(arguments: TestEngine.available)
    func aDeliveryWhoseProcessDiedAsksAgainWithTheSameKeyAndNothingIsSentTwice(engine: TestEngine) async throws {
        try await withGatewaySim { url, log in
            try await engine.withDatabase { database in
                let clock = Mutex(TestSupport.fixedNow)
                let now: @Sendable () -> Date = { clock.withLock { $0 } }
                let gateway = HTTPMessageGateway(
                    client: .shared,
                    configuration: GatewayConfiguration(endpoints: [.sms: .init(url: url, token: nil)], signature: "兴国县人民法院"))
                let reminders = Reminders(gateway: gateway, signature: "兴国县人民法院")
                let user = try await Self.user(database, mobile: "13807970002")
                let kinds = [reminders.deliveryKind, Self.remindKind(reminders, user: user)]
                let scheduler = SchedulerTests.scheduler(database, kinds: kinds, clock: now, lease: 60)
                let jobs = JobRepository(database: database)
                try await jobs.enqueue(kind: "test.remind", dueAt: now(), maxAttempts: 3, createdBy: "test", dedupeKey: nil, now: now())
                #expect(try await scheduler.runDue(limit: 1) == 1)  // the reminder; its delivery is queued
                // the dying process: takes the delivery, asks the gateway, never records the answer
                let taken = try await jobs.claim(limit: 10, lease: 60, now: now())
                #expect(taken.count == 1)
                let answer = try await reminders.deliveryKind.prepare?(JobContext(database: database, job: taken[0], now: now()))
                #expect(answer as? GatewayAnswer == .accepted(messageID: "sim-1"))
                #expect(log.messageCount == 1)
                #expect(try await Self.outbox(database).first?.state == .pending)
                // after the lease, another process takes it and asks again: the same message
                clock.withLock { $0 = $0.addingTimeInterval(61) }
                let survivor = SchedulerTests.scheduler(database, kinds: kinds, clock: now, lease: 60)
                #expect(try await survivor.runDue() == 1)
                let message = try #require(try await Self.outbox(database).first)
                #expect(message.state == .sent)
                #expect(message.gatewayMessageID == "sim-1")
                #expect(log.messageCount == 1)
                #expect(log.requestCount == 2)
                #expect(try await jobs.job(id: taken[0].id)?.result?.contains("sim-1") == true)
            }
        }
    }

    @Test(arguments: TestEngine.available)
    func aRefusedNumberIsRecordedAndNotAskedAgainAndWithoutAGatewayTheInboxAlone(engine: TestEngine) async throws {
        try await engine.withDatabase { database in
            let now: @Sendable () -> Date = { TestSupport.fixedNow }
            let gateway = FakeGateway(refusing: ["13807970003"])
            let refused = try await Self.user(database, mobile: "13807970003")
            let withoutMobile = try await Self.user(database, mobile: nil)
            let reminders = Reminders(gateway: gateway, signature: "兴国县人民法院")
            let unconfigured = try await Self.user(database, mobile: "13807970004")
            let scheduler = SchedulerTests.scheduler(
                database,
                kinds: [
                    reminders.deliveryKind, Self.remindKind(reminders, user: refused),
                    JobKind(name: "test.remind2", chinese: "", isDaily: false) { context in
                        // a user without a mobile, and one with a mobile but no gateway configured
                        try await reminders.send(
                            NewReminder(userID: withoutMobile, kind: "test", title: "t", body: "b", link: nil, dueOn: nil, dedupeKey: "a"),
                            in: context)
                        try await Reminders().send(
                            NewReminder(userID: unconfigured, kind: "test", title: "t", body: "b", link: nil, dueOn: nil, dedupeKey: "b"),
                            in: context)
                        return JobOutcome("")
                    },
                ], clock: now)
            let jobs = JobRepository(database: database)
            try await jobs.enqueue(kind: "test.remind", dueAt: now(), maxAttempts: 3, createdBy: "test", dedupeKey: nil, now: now())
            try await jobs.enqueue(kind: "test.remind2", dueAt: now(), maxAttempts: 3, createdBy: "test", dedupeKey: nil, now: now())
            #expect(try await scheduler.runDue() == 3)
            let messages = try await Self.outbox(database)
            #expect(messages.count == 1)
            #expect(messages[0].state == .rejected)
            #expect(messages[0].reason == "号码无法送达")
            #expect(try await jobs.counts()[.done] == 3)
            #expect(try await scheduler.runDue() == 0)
            #expect(gateway.calls.withLock { $0.count } == 1)
            for user in [refused, withoutMobile, unconfigured] {
                #expect(try await InboxRepository(database: database).unreadCount(userID: user) == 1)
            }
        }
    }

    /// The journey over HTTP: the admin gives the director a mobile number; the overdue deletion's
    /// reminder reaches the director by SMS and WeChat through the gateway, once each.
    @Test(arguments: TestEngine.available)
    func theDirectorsOverdueReminderGoesOutByBothChannelsOnce(engine: TestEngine) async throws {
        try await withGatewaySim { url, log in
            let clock = Mutex(TestSupport.fixedNow)
            try await withApp(
                engine, now: { clock.withLock { $0 } },
                configure: {
                    $0.gateways = GatewayConfiguration(
                        endpoints: [.sms: .init(url: url, token: nil), .wechat: .init(url: url, token: nil)], signature: "兴国县人民法院")
                }
            ) { client, world in
                let admin = try await world.token(.admin)
                let users = try await client.execute(uri: "/api/v1/users", method: .get, headers: bearer(admin))
                let director = try #require(
                    (users.json["items"] as? [[String: Any]])?.first { $0["username"] as? String == "u-director" }?["id"] as? String)
                let bad = try await client.execute(
                    uri: "/api/v1/users/\(director)", method: .patch, headers: bearer(admin), body: jsonBody(["mobile": "0797-5321001"]))
                #expect(bad.errorCode == "invalid_mobile")
                #expect((bad.json["error"] as? [String: Any])?["field"] as? String == "mobile")
                let empty = try await client.execute(
                    uri: "/api/v1/users/\(director)", method: .patch, headers: bearer(admin), body: jsonBody([:]))
                #expect(empty.errorCode == "nothing_to_change")
                let set = try await client.execute(
                    uri: "/api/v1/users/\(director)", method: .patch, headers: bearer(admin), body: jsonBody(["mobile": "138 0797 0005"]))
                #expect(set.json["mobile"] as? String == "13807970005", "\(set.text)")
                #expect(set.json["officePhone"] is NSNull || set.json["officePhone"] == nil)

                let (chen, _, _) = try await NoticeTests.listThree(client, world)
                let trigger = try await NoticeTests.post(
                    client, "/api/v1/blacklist-entries/\(chen)/deletion-triggers", try await world.token(.director),
                    ["trigger": "applicantRequest", "on": "2026-03-02", "reason": "申请执行人删除失信信息申请书（2026-03-02）"])
                #expect(trigger.status == .ok || trigger.status == .created, "\(trigger.json)")
                clock.withLock { $0 = CalendarDate(year: 2026, month: 3, day: 6)!.start.addingTimeInterval(2 * 3600) }
                try await world.runScheduler()
                try await world.runScheduler()
                let messages = try await Self.outbox(world.database)
                #expect(messages.count == 2, "\(messages.map(\.text))")
                #expect(Set(messages.map(\.channel)) == [.sms, .wechat])
                #expect(messages.allSatisfy { $0.state == .sent && $0.recipient == "13807970005" })
                #expect(messages.allSatisfy { $0.text.hasPrefix("【兴国县人民法院】失信名单删除已逾期：") })
                #expect(log.messageCount == 2)
                let jobs = try await client.execute(uri: "/api/v1/jobs", method: .get, headers: bearer(try await world.token(.admin)))
                let outbox = try #require(jobs.json["outbox"] as? [String: Any])
                #expect(outbox["channels"] as? [String] == ["sms", "wechat"])
                #expect((outbox["counts"] as? [String: Int])?["sent"] == 2)
                let page = try await client.execute(uri: "/admin/jobs", method: .get, headers: [.cookie: try await world.cookie(.admin)])
                #expect(page.text.contains("138****0005"))
                #expect(!page.text.contains("13807970005"))
                #expect(page.text.contains("短信、政务微信网关"))
            }
        }
    }

    /// The admin's users form: a mobile number that is not one is refused at its field with what
    /// was typed kept; a good one is saved and listed masked.
    @Test(arguments: TestEngine.available)
    func theUsersFormTakesAMobileNumberOrSaysWhatIsAccepted(engine: TestEngine) async throws {
        try await withApp(engine) { client, world in
            let admin = try await world.cookie(.admin)
            func create(_ username: String, mobile: String) async throws -> TestResponse {
                try await client.execute(
                    uri: "/admin/users", method: .post, headers: [.contentType: "application/x-www-form-urlencoded", .cookie: admin],
                    body: PageTests.form([
                        "_csrf": PageTests.csrf(for: admin), "username": username, "displayName": "黄法官", "role": "judge",
                        "password": "long-enough-pw", "mobile": mobile,
                    ]))
            }
            let refused = try await create("huang.judge", mobile: "1380797")
            #expect(refused.status == .unprocessableContent)
            #expect(refused.text.contains("手机号码「1380797」不合规"))
            // the control is marked and keeps what was typed
            #expect(refused.text.contains("name=\"mobile\" aria-invalid=\"true\""))
            #expect(refused.text.contains("value=\"1380797\""))
            #expect(try await world.accounts.allUsers(by: .commandLine).contains { $0.username.value == "huang.judge" } == false)
            let saved = try await create("huang.judge", mobile: "138-0797-0007")
            #expect(saved.status == .ok)
            #expect(saved.text.contains("手机 138****0007"))
            let user = try #require(try await world.accounts.allUsers(by: .commandLine).first { $0.username.value == "huang.judge" })
            #expect(user.mobile == "13807970007")
        }
    }
}
