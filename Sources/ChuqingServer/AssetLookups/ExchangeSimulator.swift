import ChuqingDomain
import Crypto
import Foundation
import Hummingbird
import Logging
import NIOCore

/// `chuqing exchange-sim`: a stand-in for the departments' exchanges, a real HTTP server on
/// loopback speaking the connector protocol (docs/connector-protocol.md) for all 13 categories.
/// Answers are made up but stable: the same person always owns the same things. Latency, failure
/// rate and departments that never answer are set per category, for tests, the demo and the
/// benchmarks.
public struct ExchangeSimulator: Sendable {
    public var latency: [String: Duration] = [:]
    public var defaultLatency: Duration = .milliseconds(20)
    /// 0…1: the share of questions answered with an error page or garbage.
    public var failureRate: [String: Double] = [:]
    /// Categories that never answer…
    public var hanging: Set<String> = []
    /// …holding the request this long (a server stopping waits for its requests: tests keep it short).
    public var hangFor: Duration = .seconds(3600)

    public init() {}

    struct Query: Decodable {
        struct Debtor: Decodable {
            let name: String
            let idNumber: String
        }
        let debtor: Debtor
    }

    /// The server's router (also used in-process by tests).
    public func router() -> Router<BasicRequestContext> {
        let router = Router()
        router.get("/healthz") { _, _ in "ok" }
        router.post("/categories/:code/query") { request, context -> Response in
            let code = context.parameters.get("code") ?? ""
            if hanging.contains(code) {
                // Never answers: the connection stays open until the client gives up.
                try await Task.sleep(for: hangFor)
            }
            try await Task.sleep(for: latency[code] ?? defaultLatency)
            if Double.random(in: 0..<1) < failureRate[code, default: 0] {
                if Bool.random() {
                    return Response(
                        status: .serviceUnavailable, headers: [.contentType: "text/html; charset=utf-8"],
                        body: .init(byteBuffer: ByteBuffer(string: "<!DOCTYPE html><html><body><h1>503 系统维护中</h1></body></html>")))
                }
                return Response(
                    status: .ok, headers: [.contentType: "application/json"],
                    body: .init(byteBuffer: ByteBuffer(string: "{\"findings\": [{\"kind\"")))
            }
            let query = try await request.decode(as: Query.self, context: context)
            let findings = Self.findings(category: code, idNumber: query.debtor.idNumber, name: query.debtor.name)
            let data = try JSONSerialization.data(withJSONObject: ["findings": findings], options: [.sortedKeys])
            return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
        }
        return router
    }

    public func application(hostname: String = "127.0.0.1", port: Int, logger: Logger) -> some ApplicationProtocol {
        Application(router: router(), configuration: .init(address: .hostname(hostname, port: port), serverName: nil), logger: logger)
    }

    /// What a category holds on a person: nothing for about a quarter of people, otherwise one or
    /// two findings, from a digest of the category and the ID number.
    static func findings(category: String, idNumber: String, name: String) -> [[String: Any]] {
        let bytes = Array(SHA256.hash(data: Data("\(category):\(idNumber)".utf8)))
        guard bytes[0] % 4 != 0 else { return [] }
        let count = 1 + Int(bytes[1] % 2)
        return (0..<count).map { index in
            let n = Int(bytes[2 + index]) << 8 | Int(bytes[10 + index])
            let value = Int64(n % 5_000 + 100) * 10_000
            func finding(_ kind: AssetFinding.Kind, _ description: String, _ identifier: String?, _ value: Int64?) -> [String: Any] {
                var item: [String: Any] = ["kind": kind.rawValue, "description": description, "holder": name]
                if let identifier { item["identifier"] = identifier }
                if let value { item["valueFen"] = value }
                return item
            }
            switch category {
            case "realEstate":
                return finding(
                    .realEstate, "兴国县潋江镇某小区住宅，建筑面积 \(60 + n % 90) 平方米", "赣（20\(15 + n % 10)）兴国县不动产权第\(1_000_000 + n)号", value * 20)
            case "marketRegulation":
                return finding(.equity, "兴国县某商贸有限公司 \(10 + n % 80)% 股权", "91360732MA\(String(n, radix: 36).uppercased())", value * 5)
            case "vehicles": return finding(.vehicle, "小型普通客车", "赣B\(String(format: "%05d", n % 100_000))", value * 3)
            case "housingFund": return finding(.housingFund, "住房公积金账户余额", "GJJ\(n)", value / 4)
            case "socialInsurance": return finding(.employer, "在兴国县某建材公司参保缴费", nil, nil)
            case "medicalInsurance": return finding(.medicalInsurance, "职工医保在保，单位：兴国县某建材公司", nil, nil)
            case "tax": return finding(.salary, "申报工资薪金所得，月均 \(3_000 + n % 5_000) 元", nil, Int64(3_000 + n % 5_000) * 100)
            case "marriage": return finding(.marriage, "已婚登记", "J\(n)", nil)
            case "householdRegistration": return finding(.residence, "户籍地：兴国县某乡镇某村", nil, nil)
            case "utilities": return finding(.utilityAccount, "用电户，近三个月有用电记录，地址：兴国县潋江镇", "\(3_600_000_000 + n)", nil)
            case "bankDeposits": return finding(.deposit, "活期存款", "6217 **** **** \(String(format: "%04d", n % 10_000))", value / 10)
            case "securities": return finding(.securities, "A 股账户持仓", "A\(String(format: "%09d", n))", value / 2)
            case "publicResources": return finding(.governmentPayment, "政府采购合同尚未支付的款项", "XGCG-\(n)", value)
            default: return finding(.other, "其他财产", nil, nil)
            }
        }
    }
}
