// swift-tools-version: 6.1
// Chuqing's benchmarks: a package of its own that depends on the main one by path, so the main
// build does not carry ordo-one/benchmark and its dependencies.
//
//   cd Benchmarks && swift package benchmark
//
// Results and how to read them: ../docs/performance.md.
import PackageDescription

// A path dependency is known by its folder's name, which is whatever the checkout is called.
let main = Context.packageDirectory.split(separator: "/").dropLast().last.map { String($0).lowercased() } ?? "chuqing"

let package = Package(
    name: "chuqing-benchmarks",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(path: ".."),
        // MallocInterposer only: the default RuntimeInterposer trait needs a package this
        // machine does not mirror.
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "PlatformBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "ChuqingDomain", package: main),
                .product(name: "ChuqingPersistence", package: main),
            ],
            path: "Benchmarks/PlatformBenchmarks",
            plugins: [
                .plugin(name: "BenchmarkPlugin", package: "benchmark")
            ]
        ),
        .executableTarget(
            name: "CaseSearchBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "ChuqingDomain", package: main),
                .product(name: "ChuqingPersistence", package: main),
            ],
            path: "Benchmarks/CaseSearchBenchmarks",
            plugins: [
                .plugin(name: "BenchmarkPlugin", package: "benchmark")
            ]
        ),
        .executableTarget(
            name: "NoticeRenderBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "ChuqingDomain", package: main),
                .product(name: "ChuqingDocuments", package: main),
            ],
            path: "Benchmarks/NoticeRenderBenchmarks",
            plugins: [
                .plugin(name: "BenchmarkPlugin", package: "benchmark")
            ]
        ),
        .executableTarget(
            name: "SchedulerDrain",
            dependencies: [
                .product(name: "ChuqingDomain", package: main),
                .product(name: "ChuqingPersistence", package: main),
                .product(name: "ChuqingServices", package: main),
            ],
            path: "Benchmarks/SchedulerDrain"
        ),
    ]
)
