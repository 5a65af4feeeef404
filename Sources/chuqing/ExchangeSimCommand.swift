import ArgumentParser
import ChuqingDomain
import ChuqingPersistence
import ChuqingServer
import ChuqingServices
import Foundation
import Hummingbird
import Logging

struct ExchangeSim: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "exchange-sim",
        abstract: "Serve a simulated data exchange for all 13 categories on loopback (tests, demo, benchmarks).",
        discussion:
            "Speaks docs/connector-protocol.md at POST /categories/{code}/query. Point Chuqing at it with CHUQING_EXCHANGE_URL=http://127.0.0.1:PORT."
    )
    @Option(help: "Port to listen on (127.0.0.1).") var port = 9090
    @Option(name: .customLong("default-latency"), help: "Milliseconds before each answer (default 20).") var defaultLatency = 20
    @Option(help: "CODE=MS: this category answers after MS milliseconds (repeatable).") var latency: [String] = []
    @Option(name: .customLong("failure-rate"), help: "CODE=R: this share (0–1) of answers are an error page or garbage (repeatable).")
    var failureRate: [String] = []
    @Option(help: "CODE: this category never answers (repeatable).") var hang: [String] = []

    func run() async throws {
        var simulator = ExchangeSimulator()
        guard (0...600_000).contains(defaultLatency) else { throw ValidationError("--default-latency 须为 0–600000 毫秒") }
        simulator.defaultLatency = .milliseconds(defaultLatency)
        for item in latency {
            let (code, value) = try Self.pair(item, option: "--latency")
            guard let ms = Int(value), (0...600_000).contains(ms) else { throw ValidationError("--latency \(item)：毫秒数须为 0–600000 的整数") }
            simulator.latency[code] = .milliseconds(ms)
        }
        for item in failureRate {
            let (code, value) = try Self.pair(item, option: "--failure-rate")
            guard let rate = Double(value), (0...1).contains(rate) else { throw ValidationError("--failure-rate \(item)：比例须为 0 到 1 之间的数") }
            simulator.failureRate[code] = rate
        }
        simulator.hanging = Set(hang)
        var logger = Logger(label: "chuqing.exchange-sim")
        logger.logLevel = .warning
        print("模拟数据交换接口：http://127.0.0.1:\(port)（Ctrl-C 停止）")
        try await simulator.application(port: port, logger: logger).runService()
    }

    static func pair(_ text: String, option: String) throws -> (String, String) {
        let parts = text.split(separator: "=", maxSplits: 1).map(String.init)
        guard parts.count == 2, !parts[0].isEmpty else { throw ValidationError("\(option) \(text)：格式须为 类别代码=值（如 realEstate=200）") }
        return (parts[0], parts[1])
    }
}
