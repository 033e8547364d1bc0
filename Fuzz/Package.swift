// swift-tools-version: 6.0
// libFuzzer harnesses for Fairlead's untrusted-input parsers. Not part of the main
// package's build: scripts/fuzz builds one with -sanitize=fuzzer,address and runs it.
import PackageDescription

let harness: [String] = ["FuzzCSV", "FuzzProfile", "FuzzXGBoost", "FuzzLightGBM", "FuzzONNX", "FuzzHistory"]

let package = Package(
    name: "FairleadFuzz",
    platforms: [.macOS(.v13)],
    products: harness.map { .executable(name: $0, targets: [$0]) },
    dependencies: [.package(name: "Fairlead", path: "..")],
    targets: [
        .target(name: "FuzzSupport", dependencies: [.product(name: "Fairlead", package: "Fairlead")]),
    ] + harness.map { name in
        .executableTarget(
            name: name,
            dependencies: ["FuzzSupport", .product(name: "Fairlead", package: "Fairlead")],
            swiftSettings: [.unsafeFlags(["-parse-as-library"])]
        )
    }
)
