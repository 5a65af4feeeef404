import ArgumentParser
import ChuqingServer
import Foundation
import Hummingbird
import Logging

struct GatewaySim: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gateway-sim",
        abstract: "Serve a simulated SMS and WeChat gateway on loopback (tests, demo).",
        discussion:
            "Speaks docs/gateway-protocol.md at POST /messages and lists what it took at GET /messages. Point Chuqing at it with CHUQING_SMS_URL=http://127.0.0.1:PORT/messages (and CHUQING_SMS_SIGNATURE)."
    )
    @Option(help: "Port to listen on (127.0.0.1).") var port = 9091
    @Option(help: "Milliseconds before each answer, after the message is taken (default 0).") var latency = 0
    @Option(name: .customLong("failure-rate"), help: "This share (0–1) of requests are answered 503 without taking the message.")
    var failureRate = 0.0
    @Option(help: "A mobile number the gateway does not serve, answered 422 (repeatable).") var refuse: [String] = []
    @Option(help: "The token requests must carry (Authorization: Bearer …).") var token: String?

    func run() async throws {
        guard (0...600_000).contains(latency) else { throw ValidationError("--latency 须为 0–600000 毫秒") }
        guard (0...1).contains(failureRate) else { throw ValidationError("--failure-rate 须为 0 到 1 之间的数") }
        var simulator = GatewaySimulator()
        simulator.latency = .milliseconds(latency)
        simulator.failureRate = failureRate
        simulator.refusing = Set(refuse)
        simulator.token = token
        var logger = Logger(label: "chuqing.gateway-sim")
        logger.logLevel = .warning
        print("模拟短信、政务微信网关：http://127.0.0.1:\(port)/messages（Ctrl-C 停止）")
        try await simulator.application(port: port, logger: logger).runService()
    }
}
