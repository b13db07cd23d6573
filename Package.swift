// swift-tools-version:6.2
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "bookedbarber",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "bookedbarber", targets: ["bookedbarber"]),
        .executable(name: "reference-server", targets: ["reference-server"]),
        .executable(name: "loadtest", targets: ["loadtest"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        .package(url: "https://github.com/vapor/jwt-kit", from: "5.8.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-atomics", from: "1.3.0"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.35.2"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.2.0"),
        .package(url: "https://github.com/adam-fowler/compress-nio", from: "1.5.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
    ],
    targets: [
        // Pure domain: values, rules, slot finding. No I/O, no clocks, no concurrency.
        .target(
            name: "BookingCore",
            dependencies: [.product(name: "DequeModule", package: "swift-collections")],
            swiftSettings: swiftSettings
        ),
        // Isolation shells around the core: calendar actors, the sharded router, shop-wide state.
        .target(
            name: "BookingEngine",
            dependencies: [
                "BookingCore",
                .product(name: "Atomics", package: "swift-atomics"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        // zlib from the system (zlib1g-dev): CRC-32 of log records and snapshot compression.
        .systemLibrary(name: "CZlib", providers: [.apt(["zlib1g-dev"])]),
        // Durability: write-ahead log with group commit, snapshots, recovery scans.
        .target(
            name: "BookingLog",
            dependencies: [
                "BookingCore",
                "BookingEngine",
                "CZlib",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // The HTTP front of ../shared/API.md.
        .target(
            name: "BookedBarberHTTP",
            dependencies: [
                "BookingCore",
                "BookingEngine",
                "BookingLog",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "CompressNIO", package: "compress-nio"),
                .product(name: "Mustache", package: "swift-mustache"),
            ],
            resources: [
                .copy("Resources/openapi.json"),
                .copy("Resources/web"),
            ],
            swiftSettings: swiftSettings
        ),
        // The process around the HTTP front: recovery and the log at start, snapshots while
        // serving, the drain at shutdown, the demo shop.
        .target(
            name: "BookedBarberServer",
            dependencies: [
                "BookedBarberHTTP",
                "BookingCore",
                "BookingEngine",
                "BookingLog",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "bookedbarber",
            dependencies: [
                "BookedBarberServer",
                "BookedBarberHTTP",
                "BookingCore",
                "BookingEngine",
                "BookingLog",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            swiftSettings: swiftSettings
        ),
        // Benchmark ceilings: Hummingbird, or bare SwiftNIO, answering a constant JSON body (see BENCHMARKS.md).
        .executableTarget(
            name: "reference-server",
            dependencies: [
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        // The load generator of LoadTests/ (run-50k.sh, smoke.sh); also run by the smoke test.
        .executableTarget(
            name: "loadtest",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
            ],
            path: "LoadTests/Sources/loadtest",
            swiftSettings: swiftSettings
        ),
        // Helpers shared by the test targets: a seeded random generator, the manual clock, the
        // analytics reference.
        .target(
            name: "TestSupport",
            dependencies: ["BookingCore", .product(name: "Logging", package: "swift-log")],
            path: "Tests/TestSupport",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "BookingCoreTests",
            dependencies: ["BookingCore", "TestSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "BookingEngineTests",
            dependencies: ["BookingCore", "BookingEngine", "TestSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "BookingLogTests",
            dependencies: [
                "BookingCore",
                "BookingEngine",
                "BookingLog",
                "TestSupport",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "BookedBarberHTTPTests",
            dependencies: [
                "BookedBarberHTTP",
                "BookedBarberServer",
                // Built for the tests that run the real server process (ServerProcessTests) and
                // the load test's smoke run (LoadSmokeTests).
                "bookedbarber",
                "loadtest",
                "BookingCore",
                "BookingEngine",
                "BookingLog",
                "TestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "CompressNIO", package: "compress-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)
