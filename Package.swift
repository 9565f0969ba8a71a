// swift-tools-version: 6.0
import PackageDescription

let strict: [SwiftSetting] = [
  .enableUpcomingFeature("InternalImportsByDefault"),
  .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
  name: "hmm-check",
  platforms: [.macOS(.v15)],
  products: [
    .executable(name: "hmm-check", targets: ["hmm-check"])
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0")
  ],
  targets: [
    .systemLibrary(
      name: "CZ3",
      pkgConfig: "z3",
      providers: [.apt(["libz3-dev"])]
    ),
    .target(
      name: "HMMModel",
      resources: [.embedInCode("Kernel/prelude.hmm")],
      swiftSettings: strict
    ),
    .target(
      name: "Explorer",
      dependencies: ["HMMModel", "CZ3"],
      swiftSettings: strict
    ),
    .target(
      name: "Report",
      dependencies: ["HMMModel", "Explorer"],
      swiftSettings: strict
    ),
    .executableTarget(
      name: "hmm-check",
      dependencies: [
        "Report", "HMMModel", "Explorer",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ],
      swiftSettings: strict
    ),
    .testTarget(name: "HMMModelTests", dependencies: ["HMMModel"], swiftSettings: strict),
    .testTarget(name: "ExplorerTests", dependencies: ["Explorer", "HMMModel"], swiftSettings: strict),
    .testTarget(
      name: "ReportTests", dependencies: ["Report", "Explorer", "HMMModel"],
      swiftSettings: strict),
  ],
  swiftLanguageModes: [.v6]
)
