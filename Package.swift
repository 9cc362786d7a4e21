// swift-tools-version:6.0
// chaoslab: a chaos-engineering bootcamp in a box.
// Modules point one way:
//   chaoslab (the command line) -> LabServer (HTTP) -> LabDomain (workspaces, teams; no HTTP server)
//   LabDomain -> LabEngine (labs and systems, runner, grading), Sandbox (processes) -> FaultProxy (-> CFastLane), CSpawn; LabStore (SQLite)
// The demo shop (demo-services/) knows nothing of chaoslab: four executables, storefront, checkout,
// cache and ads, each on its service's library (StorefrontService, …) on ShopKit, what the four share;
// only storefront and checkout, which call other services, link ShopDependencyClient (AsyncHTTPClient).
// The sandbox runs whatever a system file (demo-services/system/shop.yaml by default) says: for the
// shop, the executables built beside chaoslab.
import PackageDescription

let argumentParser: Target.Dependency = .product(name: "ArgumentParser", package: "swift-argument-parser")

let package = Package(
    name: "chaoslab",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "chaoslab", targets: ["chaoslab"]),
        .executable(name: "storefront", targets: ["storefront"]),
        .executable(name: "checkout", targets: ["checkout"]),
        .executable(name: "cache", targets: ["cache"]),
        .executable(name: "ads", targets: ["ads"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.2.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.3"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/JohnSundell/Ink", from: "0.6.0"),
    ],
    targets: [
        // The command line: start, labs, validate, run, status, fault, halt, summary, team, ….
        .executableTarget(name: "chaoslab", dependencies: [
            "LabServer", "LabDomain", "LabEngine", "Sandbox", "CSpawn",
            // The demo services the sandbox runs, built with chaoslab (`swift run chaoslab start`).
            "storefront", "checkout", "cache", "ads",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "Yams", package: "Yams"),
        ]),
        // HTTP: the lab JSON API, the Toxiproxy-compatible API and the web pages; composition root of the adapters.
        .target(name: "LabServer", dependencies: [
            "LabDomain", "LabEngine", "Sandbox", "FaultProxy", "LabStore",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "Prometheus", package: "swift-prometheus"),
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "Mustache", package: "swift-mustache"),
            .product(name: "Ink", package: "Ink"),
        ], resources: [.copy("Web/Templates"), .copy("Web/Assets")]),
        // The lab server's domain, with no HTTP server in it: workspaces (a sandbox, its proxies, its fault
        // board and run coordinator), game-day teams and their people, the labs' self-test. Throws LabError.
        .target(name: "LabDomain", dependencies: [
            "LabEngine", "Sandbox", "FaultProxy", "LabStore",
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
            .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ]),
        // Lab and system files (model, loading and validation), experiment runner, probes, classification,
        // grading. No HTTP, NIO or GRDB.
        .target(name: "LabEngine", dependencies: [
            "DemoShopSystem",
            .product(name: "Yams", package: "Yams"),
            .product(name: "Histogram", package: "hdrhistogram-swift"),
        ]),
        // The demo shop's system file (shop.yaml), shipped with the build: the default system.
        .target(name: "DemoShopSystem", path: "demo-services/system", resources: [.copy("shop.yaml")]),
        // Runs a system's services as child processes (or reaches them at an address), a fault proxy per
        // edge, health checks, restarts; no orphans.
        .target(name: "Sandbox", dependencies: [
            "CSpawn", "FaultProxy",
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
        ]),
        // vfork and execve with a clean signal mask and PR_SET_PDEATHSIG armed in the child, so that any
        // program the sandbox starts dies with its launcher; and a constructor that arms it in a process
        // that links it and is started with CHAOSLAB_PARENT_PID (a lab server started by a test).
        .target(name: "CSpawn"),
        // Linux's epoll and eventfd for the fault proxy's fast path (Swift's Glibc module has neither).
        .target(name: "CFastLane"),
        // The SwiftNIO TCP fault proxy and its faults; while no toxic is in force, connections
        // are forwarded on its fast path (CFastLane) instead of the channel pipeline.
        .target(name: "FaultProxy", dependencies: [
            "CFastLane",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
        ]),
        // SQLite through GRDB: learners, runs, events, answers, observations, scores.
        .target(name: "LabStore", dependencies: [
            .product(name: "GRDB", package: "GRDB.swift"),
        ]),
        // What the four services share: ShopService and its options, the application builder
        // (runShopService, which takes a service's ShopServiceRoutes), JSON logs, metrics, the error, metrics and
        // injected-errors middleware, service faults, knobs, ops endpoints. No HTTP client. Knows nothing of chaoslab.
        .target(name: "ShopKit", dependencies: [
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Metrics", package: "swift-metrics"),
            .product(name: "Prometheus", package: "swift-prometheus"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ], path: "demo-services/ShopKit"),
        // What crosses the wire between services: products and their catalogue, carts and orders, ads, the session id.
        .target(name: "ShopModel", dependencies: [
            .product(name: "Hummingbird", package: "hummingbird"),
        ], path: "demo-services/ShopModel"),
        // Calls to a dependency over HTTP (DependencyClient, DependencyError), on the process's one HTTP client.
        .target(name: "ShopDependencyClient", dependencies: [
            "ShopKit",
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "Hummingbird", package: "hummingbird"),
        ], path: "demo-services/ShopDependencyClient"),
        // One library per service, its composition root (StorefrontRoutes, …) and its own routes and parts.
        .target(name: "StorefrontService", dependencies: [
            "ShopKit", "ShopModel", "ShopDependencyClient",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "Logging", package: "swift-log"),
        ], path: "demo-services/StorefrontService"),
        .target(name: "CheckoutService", dependencies: [
            "ShopKit", "ShopModel", "ShopDependencyClient",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "Logging", package: "swift-log"),
        ], path: "demo-services/CheckoutService"),
        .target(name: "CacheService", dependencies: [
            "ShopKit",
            .product(name: "Hummingbird", package: "hummingbird"),
        ], path: "demo-services/CacheService"),
        .target(name: "AdsService", dependencies: [
            "ShopKit", "ShopModel",
            .product(name: "Hummingbird", package: "hummingbird"),
        ], path: "demo-services/AdsService"),
        // The four services' executables: command-line options, then ShopKit's runShopService with the
        // service's routes. Each links CSpawn for its parent-death constructor (no code of it is called).
        .executableTarget(name: "storefront", dependencies: ["StorefrontService", "ShopKit", "CSpawn", argumentParser], path: "demo-services/storefront"),
        .executableTarget(name: "checkout", dependencies: ["CheckoutService", "ShopKit", "CSpawn", argumentParser], path: "demo-services/checkout"),
        .executableTarget(name: "cache", dependencies: ["CacheService", "ShopKit", "CSpawn", argumentParser], path: "demo-services/cache"),
        .executableTarget(name: "ads", dependencies: ["AdsService", "ShopKit", "CSpawn", argumentParser], path: "demo-services/ads"),

        .testTarget(name: "FaultProxyTests", dependencies: ["FaultProxy", "TestSupport", .product(name: "NIOEmbedded", package: "swift-nio")]),
        .testTarget(name: "LabEngineTests", dependencies: ["LabEngine"], resources: [.copy("Fixtures")]),
        // The demo shop's services in process, on real ports: every route of the four, their knobs and faults.
        .testTarget(name: "DemoShopTests", dependencies: [
            "ShopKit", "ShopModel", "StorefrontService", "CheckoutService", "CacheService", "AdsService",
            "LabEngine", "TestSupport",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HummingbirdTesting", package: "hummingbird"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .testTarget(name: "LabStoreTests", dependencies: ["LabStore", .product(name: "GRDB", package: "GRDB.swift")]),
        // Real processes for tests: launch chaoslab (or a service), wait for its output and its exit.
        .target(name: "TestSupport", dependencies: ["Sandbox"], path: "Tests/TestSupport"),
        .testTarget(name: "SandboxTests", dependencies: ["Sandbox", "LabDomain", "TestSupport"]),
        .testTarget(name: "EndToEndTests", dependencies: [
            "Sandbox", "LabServer", "LabDomain", "LabEngine", "FaultProxy", "TestSupport",
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
        ], exclude: ["Scripts"]),  // Python scripts the tests run by path (the Toxiproxy client, the schema check)
        // The domain without HTTP: the fault vocabulary across the modules, secrets.
        .testTarget(name: "LabDomainTests", dependencies: ["LabDomain", "LabEngine", "FaultProxy"]),
        // The lab server's routes in process (app.test(.router)) on sandboxes that never start.
        .testTarget(name: "LabServerTests", dependencies: [
            "LabServer", "LabDomain", "LabEngine", "LabStore", "Sandbox",
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HummingbirdTesting", package: "hummingbird"),
        ]),
        // A real browser for tests: chromedriver and headless Chromium driven over W3C WebDriver (run scripts/setup.sh).
        .testTarget(name: "BrowserTests", dependencies: [
            "TestSupport",
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HummingbirdTesting", package: "hummingbird"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
        ]),
    ]
)
