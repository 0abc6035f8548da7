// swift-tools-version:6.0
import PackageDescription

// Module layout and import rules: see README "Architecture".
// Protocol libraries (GBCore, SIP, GB28181, Media) depend on Foundation and SwiftNIO only.
let package = Package(
    name: "gbshare",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "gbshare", targets: ["gbshare"]),
        .executable(name: "gbshare-bench", targets: ["gbshare-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/vapor/vapor.git", from: "4.115.0"),
        .package(url: "https://github.com/vapor/fluent.git", from: "4.12.0"),
        .package(url: "https://github.com/vapor/fluent-kit.git", from: "1.52.0"),
        .package(url: "https://github.com/vapor/fluent-sqlite-driver.git", from: "4.8.0"),
        .package(url: "https://github.com/vapor/fluent-postgres-driver.git", from: "2.10.0"),
        .package(url: "https://github.com/vapor/sql-kit.git", from: "3.32.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.80.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.0"..<"4.0.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-collections.git", from: "1.1.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation.git", from: "0.9.19"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
    ],
    targets: [
        .target(
            name: "GBCore",
            resources: [.copy("Resources/divisions.csv")]
        ),
        .target(
            name: "SIP",
            dependencies: [
                "GBCore",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "GB28181",
            dependencies: [
                "GBCore", "SIP",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            exclude: ["CASCADE.md"]
        ),
        .target(
            name: "Media",
            dependencies: [
                "GBCore",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "DequeModule", package: "swift-collections"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Simulated GB/T 28181 devices (demos, acceptance tests, load): not part of the platform library.
        .target(
            name: "GBSimulator",
            dependencies: [
                "GBCore", "SIP", "GB28181", "Media",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            resources: [.copy("Resources/clip-720p25.h264"), .copy("Resources/clip-720p25.h265"), .copy("Resources/README.md")]
        ),
        .target(
            name: "Directory",
            dependencies: [
                "GBCore",
                .product(name: "FluentKit", package: "fluent-kit"),
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "Sharing",
            dependencies: [
                "GBCore", "Directory",
                .product(name: "FluentKit", package: "fluent-kit"),
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "App",
            dependencies: [
                "GBCore", "Directory", "Sharing", "SIP", "GB28181", "Media",
                .product(name: "Vapor", package: "vapor"),
                .product(name: "Fluent", package: "fluent"),
                .product(name: "FluentSQLiteDriver", package: "fluent-sqlite-driver"),
                .product(name: "FluentPostgresDriver", package: "fluent-postgres-driver"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            resources: [.copy("Console")]
        ),
        .executableTarget(
            name: "gbshare",
            dependencies: [
                "App", "Directory", "GBCore", "GBSimulator", "Media", "SIP",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "gbshare-bench",
            dependencies: [
                "App", "GBCore", "Directory", "Sharing", "Media", "SIP", "GB28181", "GBSimulator",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "FluentSQLiteDriver", package: "fluent-sqlite-driver"),
                .product(name: "FluentPostgresDriver", package: "fluent-postgres-driver"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "GBCoreTests", dependencies: ["GBCore"]),
        .testTarget(name: "SIPTests", dependencies: ["SIP", "GBCore",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
        ]),
        .testTarget(name: "GB28181Tests", dependencies: ["GB28181", "GBSimulator", "SIP", "GBCore",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
        ]),
        .testTarget(name: "GBSimulatorTests", dependencies: ["GBSimulator", "GB28181", "Media", "SIP", "GBCore",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
        ]),
        .testTarget(name: "MediaTests", dependencies: ["Media", "GBCore",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
        ]),
        .testTarget(
            name: "DirectoryTests",
            dependencies: [
                "Directory", "GBCore",
                .product(name: "FluentSQLiteDriver", package: "fluent-sqlite-driver"),
                .product(name: "FluentPostgresDriver", package: "fluent-postgres-driver"),
            ]
        ),
        .testTarget(
            name: "SharingTests",
            dependencies: [
                "Sharing", "Directory", "GBCore",
                .product(name: "FluentSQLiteDriver", package: "fluent-sqlite-driver"),
                .product(name: "FluentPostgresDriver", package: "fluent-postgres-driver"),
            ]
        ),
        .testTarget(
            name: "AppTests",
            dependencies: [
                "App", "Directory", "GBCore",
                .product(name: "VaporTesting", package: "vapor"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
