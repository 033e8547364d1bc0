// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "Fairlead",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "FairleadCore", targets: ["FairleadCore"]),
        .library(name: "Fairlead", targets: ["Fairlead"]),
        .executable(name: "fairlead", targets: ["fairlead"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/JohnSundell/Plot", from: "0.14.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        // postgres-nio's own dependencies, named for the types the sources use directly:
        // TLS settings (NIOSSL) and the logger postgres-nio and the service take (Logging).
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        // Hummingbird's own: the service names NIO's errors (a body past its limit, the HTTP parser's refusals).
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-protobuf", from: "1.39.0"),
        // Already swift-nio's; the core's greedy allocations take its Heap.
        .package(url: "https://github.com/apple/swift-collections", from: "1.1.0"),
        // The HTTP service only (FairleadServe); the core and the library never import them.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        // Hummingbird's own: the request and response parts a connection's handlers see.
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.35.2"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
    ],
    targets: [
        // The OpenBLAS C API (CBLAS plus the few LAPACK routines we call).
        // Only FairleadCore imports it.
        .systemLibrary(
            name: "COpenBLAS",
            pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev"])]
        ),
        // zlib, for reading .csv.gz; only FairleadCore imports it.
        .systemLibrary(
            name: "CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        // The ONNX schema (onnx-ml.proto) as Swift, generated once by protoc-gen-swift and
        // committed (docs/models.md says how); only the ONNX model loader imports it.
        .target(
            name: "_ONNXSchema",
            dependencies: [.product(name: "SwiftProtobuf", package: "swift-protobuf")]
        ),
        // The single-precision distance screen of the k-d tree's nearest-neighbour search,
        // with AVX2 chosen at run time (a C target: Swift has no per-function CPU target);
        // only FairleadCore imports it.
        .target(
            name: "_DistanceKernels",
            path: "Sources/_DistanceKernels"
        ),
        .target(
            name: "FairleadCore",
            dependencies: ["COpenBLAS", "CZlib", "_ONNXSchema", "_DistanceKernels",
                           .product(name: "HeapModule", package: "swift-collections")]
        ),
        .target(
            name: "Fairlead",
            dependencies: [
                "FairleadCore",
                .product(name: "Yams", package: "Yams"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Plot", package: "Plot"),
            ]
        ),
        // PostgreSQL as a source (streamed rows, pushdown); its own target so that a
        // library user who embeds the audit does not build SwiftNIO (DESIGN.md).
        .target(
            name: "FairleadPostgres",
            dependencies: [
                "Fairlead",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // `fairlead serve`: explanations over HTTP (Hummingbird, Prometheus).
        .target(
            name: "FairleadServe",
            dependencies: [
                "Fairlead",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                // The parser's errors, to log and count the requests it refuses.
                .product(name: "NIOHTTP1", package: "swift-nio"),
                // The HTTP parts after Hummingbird's codec, to close a connection after an answer that leaves a body unread.
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .executableTarget(
            name: "fairlead",
            dependencies: [
                "Fairlead",
                "FairleadPostgres",
                "FairleadServe",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Workloads timed by scripts/bench-vs-peers; never run by the tests.
        .executableTarget(
            name: "fairlead-bench",
            dependencies: ["FairleadCore"],
            path: "Benchmarks/fairlead-bench"
        ),
        // What more than one test target uses (comparing reports to rounding, seeded random
        // numbers, the leads' consent values).
        .target(
            name: "FairleadTestSupport",
            path: "Tests/FairleadTestSupport"
        ),
        .testTarget(
            name: "FairleadCoreTests",
            // _ONNXSchema and SwiftProtobuf: tests that change one field of an ONNX fixture.
            dependencies: ["FairleadCore", "FairleadTestSupport", "_ONNXSchema", .product(name: "SwiftProtobuf", package: "swift-protobuf")],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "FairleadTests",
            dependencies: ["Fairlead", "FairleadTestSupport"]
        ),
        .testTarget(
            name: "FairleadPostgresTests",
            dependencies: ["FairleadPostgres"]
        ),
        .testTarget(
            name: "FairleadServeTests",
            dependencies: [
                "FairleadServe",
                "FairleadTestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ]
        ),
        .testTarget(
            name: "fairleadCLITests",
            dependencies: ["fairlead", "FairleadTestSupport"]
        ),
    ]
)
