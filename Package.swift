// swift-tools-version: 6.0
import PackageDescription

/// A release build carries the Swift runtime and Foundation in the binary: an installed copy needs
/// none of the toolchain's shared libraries, a run starts ~5 ms sooner and holds ~3 MB less (no
/// symbols bound across twenty libraries). Foundation's static archives need their C parts named
/// (these are the toolchain's archive names: a toolchain that renames them fails this link, in
/// CI's install test). SwiftPM's `--static-swift-stdlib` would build every module a second time.
/// For a crash report the runtime wants `swift-backtrace` beside the binary: `install.sh` puts
/// the toolchain's static one there.
let staticRuntimeInRelease: [LinkerSetting] = [
    .unsafeFlags(["-static-stdlib", "-lCoreFoundation", "-l_FoundationICU", "-l_FoundationCShims", "-l_FoundationCollections",
                   "-lswiftSynchronization"],
                 .when(platforms: [.linux], configuration: .release)),
]

let package = Package(
    name: "marginwatch",
    products: [
        .executable(name: "marginwatch", targets: ["marginwatch"]),
        .library(name: "MarginKit", targets: ["MarginKit"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
        // Binance live (BinanceLink only): WebSocket marks, signed REST, HMAC-SHA256.
        .package(url: "https://github.com/vapor/websocket-kit", from: "2.16.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
    ],
    targets: [
        // The margin engine, portfolio files and reports. Pure Swift: never imports ncurses.
        .target(
            name: "MarginKit",
            dependencies: [
                .product(name: "Yams", package: "Yams"),
                .product(name: "DequeModule", package: "swift-collections"),
            ],
            linkerSettings: [.linkedLibrary("m")]
        ),
        // ncursesw, wrapped for Swift; imported by TerminalUI only.
        .systemLibrary(name: "Cncurses", pkgConfig: "ncursesw", providers: [.apt(["libncursesw5-dev"])]),
        // The live monitor: frames, views, keys, and the one ncurses owner (Screen).
        .target(
            name: "TerminalUI",
            dependencies: ["MarginKit", "Cncurses", .product(name: "DequeModule", package: "swift-collections")]
        ),
        // The network side of Binance: the mark-price WebSocket, signed REST, reconnects. Kept out of
        // MarginKit so the engine, the fuzzers and the benchmarks never link a network stack.
        .target(
            name: "BinanceLink",
            dependencies: [
                "MarginKit",
                .product(name: "WebSocketKit", package: "websocket-kit"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        // Command-line wiring only: parse arguments, call MarginKit, print, exit.
        .executableTarget(
            name: "marginwatch",
            dependencies: [
                "MarginKit",
                "TerminalUI",
                "BinanceLink",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            linkerSettings: staticRuntimeInRelease
        ),
        // Release-build micro-benchmarks, run by Scripts/bench.sh.
        .executableTarget(name: "MarginBench", dependencies: ["MarginKit", "TerminalUI"], linkerSettings: staticRuntimeInRelease),
        // libFuzzer targets (Scripts/fuzz.sh builds them with -sanitize=fuzzer; no main of its own).
        .executableTarget(name: "MarginFuzz", dependencies: ["FuzzChecks"]),
        // What each fuzz target checks; also replayed over every saved crash input by the tests.
        .target(name: "FuzzChecks", dependencies: ["MarginKit", "TerminalUI"]),
        .testTarget(name: "MarginKitTests", dependencies: ["MarginKit"]),
        .testTarget(name: "BinanceLinkTests", dependencies: ["BinanceLink", "MarginKit"]),
        .testTarget(name: "TerminalUITests", dependencies: ["TerminalUI", "MarginKit", "FuzzChecks"]),
    ]
)
