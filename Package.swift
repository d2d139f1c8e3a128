// swift-tools-version:6.1
import PackageDescription

// mediate has no package dependencies: the only outside pieces are system C libraries,
// the system SQLite always and, with the PostgreSQL trait, the system libpq.
let package = Package(
    name: "mediate",
    products: [
        .executable(name: "mediate", targets: ["mediate"])
    ],
    traits: [
        // `swift build --traits PostgreSQL`: a second engine for a district on one
        // server, through the system libpq (libpq-dev). Off by default, so that the
        // default build needs only libsqlite3-dev.
        .trait(name: "PostgreSQL")
    ],
    targets: [
        // The system SQLite (libsqlite3-dev), seen only by MediateStore.
        .systemLibrary(
            name: "CSQLite",
            pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"])]
        ),
        // The system libpq (libpq-dev), seen only by MediateStore, and only with the
        // PostgreSQL trait.
        .systemLibrary(
            name: "CLibPQ",
            pkgConfig: "libpq",
            providers: [.apt(["libpq-dev"])]
        ),
        // Pure domain: the state machine, policy, time, and small self-made tools
        // (SHA-256, CSV, JSON, text width). No I/O, no clock of its own.
        .target(name: "MediateCore"),
        // The SQL layer (SQLite, and PostgreSQL with the trait), migrations from
        // Schema/, the case store, verify, reports.
        .target(
            name: "MediateStore",
            dependencies: [
                "MediateCore", "CSQLite",
                .target(name: "CLibPQ", condition: .when(traits: ["PostgreSQL"])),
            ]
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
