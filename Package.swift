// swift-tools-version:6.0
import PackageDescription

// mediate has no package dependencies: the only outside piece is the system SQLite.
let package = Package(
    name: "mediate",
    products: [
        .executable(name: "mediate", targets: ["mediate"])
    ],
    targets: [
        // The system SQLite (libsqlite3-dev), seen only by MediateStore.
        .systemLibrary(
            name: "CSQLite",
            pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"])]
        ),
        // Pure domain: the state machine, policy, time, and small self-made tools
        // (SHA-256, CSV, JSON, text width). No I/O, no clock of its own.
        .target(name: "MediateCore"),
        // SQLite layer, migrations from Schema/, the case store, verify, reports.
        .target(
            name: "MediateStore",
            dependencies: ["MediateCore", "CSQLite"]
        ),
        // Argument parsing, commands, localised output.
        .target(
            name: "MediateCLI",
            dependencies: ["MediateCore", "MediateStore"]
        ),
        .executableTarget(name: "mediate", dependencies: ["MediateCLI"]),
        .testTarget(name: "MediateCoreTests", dependencies: ["MediateCore"]),
        .testTarget(
            name: "MediateTests",
            dependencies: ["MediateCore", "MediateStore", "MediateCLI", "mediate"]
        ),
    ]
)
