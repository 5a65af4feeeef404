import AsyncHTTPClient
import ChuqingDomain
import ChuqingPersistence
import ChuqingServices
import Foundation
import Logging
import NIOCore
import ServiceLifecycle

/// An answer from a department.
struct ConnectorAnswer: Sendable {
    let findings: [AssetFinding]
    /// SHA-256 of the answer as received, for the audit trail.
    let digest: String
    /// Where a snapshot answer was read from.
    var source: String? = nil
}

/// Why a department's answer could not be used.
struct ConnectorFailure: Error, Sendable {
    let reason: String
    let digest: String?
}

/// Something that answers a data category's questions.
protocol AssetConnector: Sendable {
    func ask(_ category: DataCategory, about subject: AssetLookupRepository.Subject, within budget: Duration) async throws
        -> ConnectorAnswer
}

/// The HTTP JSON exchange (docs/connector-protocol.md): `POST {url}` with the subject, answered
/// with `{"findings": […]}`. A department's real exchange and `chuqing exchange-sim` alike.
struct ExchangeConnector: AssetConnector {
    let client: HTTPClient
    let configuration: ExchangeConfiguration

    /// Answers are small; anything beyond this is not an answer.
    static let maxAnswerBytes = 4 << 20

    func ask(_ category: DataCategory, about subject: AssetLookupRepository.Subject, within budget: Duration) async throws
        -> ConnectorAnswer
    {
        guard let endpoint = configuration.endpoint(for: category.code) else {
            throw ConnectorFailure(reason: "未配置该类别的数据交换地址（CHUQING_EXCHANGE_URL 或 CHUQING_EXCHANGES）", digest: nil)
        }
        var request = HTTPClientRequest(url: endpoint.url.absoluteString)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "Accept", value: "application/json")
        if let token = endpoint.token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        let body = try JSONEncoder().encode(ExchangeQuery(category: category.code, subject: subject))
        request.body = .bytes(ByteBuffer(bytes: body))
        let response: HTTPClientResponse
        let received: ByteBuffer
        do {
            // The runner's own deadline ends the attempt; the client's, a second later, is a safety net.
            let milliseconds = budget.components.seconds * 1000 + budget.components.attoseconds / 1_000_000_000_000_000
            response = try await client.execute(request, timeout: .milliseconds(max(1, milliseconds) + 1000))
            received = try await response.body.collect(upTo: Self.maxAnswerBytes)
        } catch let error as CancellationError {
            throw error
        } catch let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout {
            throw LookupRunner.DeadlinePassed()
        } catch {
            throw ConnectorFailure(reason: "无法连接数据交换接口：\(Self.describe(error))", digest: nil)
        }
        let data = Data(buffer: received)
        let digest = Digest.sha256Hex(data)
        guard response.status == .ok else {
            let head = String(decoding: data.prefix(80), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            throw ConnectorFailure(reason: "部门系统答复 HTTP \(response.status.code)\(head.isEmpty ? "" : "：\(head)")", digest: digest)
        }
        do {
            return ConnectorAnswer(findings: try ExchangeAnswer.findings(data), digest: digest)
        } catch {
            throw ConnectorFailure(reason: error.reason, digest: digest)
        }
    }

    static func describe(_ error: any Error) -> String {
        if let error = error as? HTTPClientError {
            switch error {
            case .connectTimeout: return "连接超时"
            case .deadlineExceeded, .readTimeout: return "等待答复超时"
            case .remoteConnectionClosed: return "对方关闭了连接"
            default: return "\(error)"
            }
        }
        return String(describing: error)
    }
}

/// Answers from the extract files departments hand over (`chuqing import snapshot`): the rows of
/// the category's current extract whose ID number is the debtor's. The digest covers the
/// extract's own SHA-256 and the rows given, so the audit can tell which extract answered.
struct SnapshotConnector: AssetConnector {
    let snapshots: SnapshotRepository

    func ask(_ category: DataCategory, about subject: AssetLookupRepository.Subject, within budget: Duration) async throws
        -> ConnectorAnswer
    {
        guard let (snapshot, findings) = try await snapshots.answer(category: category.code, idNumber: subject.idNumber) else {
            throw ConnectorFailure(reason: "该类别尚未导入数据提取文件（chuqing import snapshot \(category.code) 文件）", digest: nil)
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let answer = try encoder.encode(SnapshotAnswer(snapshot: snapshot.digest, findings: findings))
        return ConnectorAnswer(findings: findings, digest: Digest.sha256Hex(answer), source: snapshot.source)
    }

    private struct SnapshotAnswer: Encodable {
        let snapshot: String
        let findings: [AssetFinding]
    }
}

/// What the court sends an exchange about one category.
struct ExchangeQuery: Codable, Sendable {
    let category: String
    let lookupId: String
    let caseNumber: String
    let legalBasis: String
    let debtor: Debtor

    struct Debtor: Codable, Sendable {
        let name: String
        let idNumber: String
        let kind: String
    }

    init(category: String, subject: AssetLookupRepository.Subject) {
        self.category = category
        lookupId = subject.lookupId
        caseNumber = subject.caseNumber
        legalBasis = subject.legalBasis
        debtor = Debtor(name: subject.name, idNumber: subject.idNumber, kind: subject.kind)
    }
}

/// Asks every pending category of a look-up at once. Each category has its own time budget
/// (`DataCategory.timeoutMilliseconds`) within which it is tried up to `1 + retries` times; a
/// department that does not answer uses up its own budget and ends "timed out", never delaying
/// the others. Each category's ending is recorded as it comes, so the look-up's page fills in.
struct LookupRunner: LookupDispatcher {
    let repository: AssetLookupRepository
    let connectors: [DataCategory.Connector: any AssetConnector]
    let logger: Logger
    let now: @Sendable () -> Date
    /// The look-ups started and not yet taken up by `LookupRunnerService`.
    let queue = LookupQueue()

    struct DeadlinePassed: Error {}

    /// The runner the server and the command line use: the configured exchanges and the loaded
    /// extracts.
    static func standard(database: Database, configuration: ServerConfiguration, logger: Logger, now: @escaping @Sendable () -> Date)
        -> LookupRunner
    {
        LookupRunner(
            repository: AssetLookupRepository(database: database),
            connectors: [
                .exchange: ExchangeConnector(client: .shared, configuration: configuration.exchange),
                .snapshot: SnapshotConnector(snapshots: SnapshotRepository(database: database)),
            ],
            logger: logger, now: now)
    }

    /// Asks again every category a stopped server left pending (a look-up is recorded before it
    /// is asked, so nothing started is lost; the department is simply asked again).
    func resumeUnfinished() async {
        do {
            let unfinished = try await repository.unfinished()
            if !unfinished.isEmpty { logger.notice("resuming asset look-ups left unfinished", metadata: ["count": "\(unfinished.count)"]) }
            for id in unfinished { start(lookupID: id) }
        } catch {
            logger.error("unfinished asset look-ups could not be listed", metadata: ["error": "\(error)"])
        }
    }

    /// Runs the look-up's pending categories (all of them, or `only`), returning when every one
    /// has ended.
    func run(lookupID: String, only: String? = nil) async {
        // A stopping server starts nothing more: what is pending is asked at the next start.
        guard !Task.isCancelled else { return }
        do {
            guard let subject = try await repository.subject(lookupID: lookupID) else { return }
            let categories = try await repository.pending(lookupID: lookupID).filter { only == nil || $0.code == only }
            await withTaskGroup(of: Void.self) { group in
                for category in categories {
                    group.addTask { await ask(category, about: subject, lookupID: lookupID) }
                }
            }
        } catch {
            logger.error("asset look-up could not run", metadata: ["lookup": "\(lookupID)", "error": "\(error)"])
        }
    }

    /// Queues the look-up for `LookupRunnerService` and returns at once.
    func start(lookupID: String, only: String? = nil) {
        queue.continuation.yield(LookupQueue.Job(lookupID: lookupID, only: only))
    }

    private func ask(_ category: DataCategory, about subject: AssetLookupRepository.Subject, lookupID: String) async {
        let clock = ContinuousClock()
        let deadline = clock.now + .milliseconds(category.timeoutMilliseconds)
        var attempts = 0
        var outcome: CategoryOutcome = .timedOut(reason: "\(category.timeoutMilliseconds) 毫秒内未答复")
        while !Task.isCancelled {
            let remaining = deadline - clock.now
            guard remaining > .zero else { break }
            attempts += 1
            do {
                guard let connector = connectors[category.connector] else {
                    throw ConnectorFailure(reason: "没有可用的「\(category.connector.chinese)」连接器", digest: nil)
                }
                let answer = try await Self.within(remaining) { try await connector.ask(category, about: subject, within: remaining) }
                outcome = .answered(findings: answer.findings, digest: answer.digest, source: answer.source)
                break
            } catch is DeadlinePassed {
                // A department that does not answer has had its whole budget: no retry.
                outcome = .timedOut(reason: "\(category.timeoutMilliseconds) 毫秒内未答复（第 \(attempts) 次）")
                break
            } catch let failure as ConnectorFailure {
                outcome = .failed(reason: attempts > 1 ? "\(failure.reason)（共尝试 \(attempts) 次）" : failure.reason, digest: failure.digest)
            } catch {
                outcome = .failed(reason: String(describing: error), digest: nil)
            }
            guard attempts <= category.retries else { break }
            // A short pause before trying again, within what is left of the budget.
            let pause = min(Duration.milliseconds(100 * attempts), (deadline - clock.now) / 4)
            if pause > .zero { try? await Task.sleep(for: pause) }
        }
        // The server is stopping: the category stays pending and is asked again at the next start
        // (`resumeUnfinished`), rather than being recorded as failed by the stop.
        if Task.isCancelled { return }
        await recordEnding(outcome, of: category.code, lookupID: lookupID, attempts: attempts)
    }

    /// Records a category's ending, trying again when the database fails for a moment (a full
    /// pool on a loaded server, a restart): the department has answered, and an ending left
    /// unrecorded would hold the look-up "running" until the next server start.
    private func recordEnding(_ outcome: CategoryOutcome, of category: String, lookupID: String, attempts: Int) async {
        for attempt in 1...Self.recordingAttempts {
            do {
                try await repository.record(lookupID: lookupID, category: category, outcome, attempts: attempts, now: now())
                return
            } catch {
                logger.error(
                    "asset look-up answer not recorded",
                    metadata: ["lookup": "\(lookupID)", "category": "\(category)", "attempt": "\(attempt)", "error": "\(error)"])
                guard attempt < Self.recordingAttempts, !Task.isCancelled else { return }
                try? await Task.sleep(for: .milliseconds(min(250 << (attempt - 1), 8_000)))
            }
        }
    }

    /// How many times an ending is written before it is left for the next start's resumption:
    /// pauses of 0.25, 0.5, 1, 2, 4, 8 and 8 s, so about 24 s, a database restart's length.
    static let recordingAttempts = 8

    /// `operation`'s result if it comes within `budget`; `DeadlinePassed` otherwise (the
    /// operation is cancelled).
    static func within<T: Sendable>(_ budget: Duration, _ operation: @escaping @Sendable () async throws -> T) async throws -> T {
        try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask { try await operation() }
            group.addTask {
                try await Task.sleep(for: budget)
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let value = first else { throw DeadlinePassed() }
            return value
        }
    }
}

/// The look-ups requests have started, in the order they were started.
struct LookupQueue: Sendable {
    struct Job: Sendable {
        let lookupID: String
        let only: String?
    }

    let jobs: AsyncStream<Job>
    let continuation: AsyncStream<Job>.Continuation

    init() {
        (jobs, continuation) = AsyncStream.makeStream(of: Job.self)
    }
}

/// Runs the look-ups requests start, each as a child task, in the application's service group:
/// no look-up runs outside it, and a graceful shutdown stops them; what a stop leaves pending is
/// asked again at the next start.
struct LookupRunnerService: Service {
    let runner: LookupRunner

    func run() async throws {
        await cancelWhenGracefulShutdown {
            await withDiscardingTaskGroup { group in
                for await job in runner.queue.jobs {
                    group.addTask { await runner.run(lookupID: job.lookupID, only: job.only) }
                }
            }
        }
    }
}
