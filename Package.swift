// swift-tools-version: 6.1
// Chuqing (出清): enforcement-case clearance for county courts.
//
// The targets are the layers, and the dependency rule runs one way:
//   ChuqingDomain (pure values and rules, Foundation only)
//     ← ChuqingPersistence (SQLKit over SQLite and PostgreSQL)
//     ← ChuqingDocuments (canonical XML, XSD, XSLT through libxml2/libxslt)
//     ← ChuqingServices (every operation, once: permission, rules, change and audit entry in one
//                        transaction; called by the API, the pages and the command line alike)
//     ← ChuqingServer (Hummingbird 2: API, pages, middleware; decode, call a service, encode)
//     ← chuqing (the executable: swift-argument-parser commands)
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny")
]

let package = Package(
    name: "chuqing",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "chuqing", targets: ["chuqing"]),
        .library(name: "ChuqingDomain", targets: ["ChuqingDomain"]),
        .library(name: "ChuqingPersistence", targets: ["ChuqingPersistence"]),
        .library(name: "ChuqingDocuments", targets: ["ChuqingDocuments"]),
        .library(name: "ChuqingServices", targets: ["ChuqingServices"]),
        .library(name: "ChuqingServer", targets: ["ChuqingServer"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/vapor/sql-kit.git", from: "3.36.0"),
        .package(url: "https://github.com/vapor/sqlite-kit.git", from: "4.5.2"),
        .package(url: "https://github.com/vapor/postgres-kit.git", from: "2.17.0"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/weichsel/ZIPFoundation.git", from: "0.9.20"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.0"),
    ],
    targets: [
        // libxml2 and libxslt, found with pkg-config (Debian: libxml2-dev, libxslt1-dev).
        .systemLibrary(
            name: "CLibXML2",
            pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"])]
        ),
        .systemLibrary(
            name: "CLibXSLT",
            pkgConfig: "libexslt",
            providers: [.apt(["libxslt1-dev"])]
        ),
        .target(
            name: "ChuqingDomain",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "ChuqingPersistence",
            dependencies: [
                "ChuqingDomain",
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "SQLiteKit", package: "sqlite-kit"),
                .product(name: "PostgresKit", package: "postgres-kit"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "ChuqingDocuments",
            dependencies: [
                "ChuqingDomain", "CLibXML2", "CLibXSLT",
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "ChuqingServices",
            dependencies: [
                "ChuqingDomain",
                "ChuqingPersistence",
                "ChuqingDocuments",
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "SQLKit", package: "sql-kit"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "ChuqingServer",
            dependencies: [
                "ChuqingDomain",
                "ChuqingPersistence",
                "ChuqingDocuments",
                "ChuqingServices",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "chuqing",
            dependencies: [
                "ChuqingServer",
                "ChuqingServices",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ChuqingDomainTests",
            dependencies: ["ChuqingDomain"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ChuqingDocumentsTests",
            dependencies: ["ChuqingDocuments", "ChuqingTestSupport", .product(name: "ZIPFoundation", package: "ZIPFoundation")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ChuqingPersistenceTests",
            dependencies: ["ChuqingPersistence", "ChuqingTestSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ChuqingServerTests",
            dependencies: [
                "ChuqingServer",
                "ChuqingPersistence",
                "ChuqingServices",
                "ChuqingTestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            swiftSettings: swiftSettings
        ),
        // Shared by the test targets: the two engines, fresh databases, fixed clocks.
        .target(
            name: "ChuqingTestSupport",
            dependencies: [
                "ChuqingPersistence",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Tests/ChuqingTestSupport",
            swiftSettings: swiftSettings
        ),
    ]
)
