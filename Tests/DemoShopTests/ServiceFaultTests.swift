import Hummingbird
import HummingbirdTesting
import TestSupport
import Testing

@testable import ShopKit
@testable import ShopModel

extension LiveService {
    /// Starts a service fault: `PUT /admin/faults/{kind}`, checked to answer 200.
    func putFault(_ kind: String, _ json: String) async throws {
        let response = try await put("/admin/faults/\(kind)", body: json)
        #expect(response.status == .ok, "PUT /admin/faults/\(kind) \(json): \(response.text)")
    }

    /// The faults in force: `GET /admin/faults`.
    func faults() async throws -> ServiceFaultsSnapshot {
        try await get("/admin/faults").json(ServiceFaultsSnapshot.self)
    }

    /// The gauge `shop_fault_active{kind=…}`.
    func faultGauge(_ kind: String) async throws -> Double {
        try await metric("shop_fault_active", ["kind": kind])
    }
}

/// Errors and empty answers injected through `/admin/faults`, their removal, their expiry and bad requests.
@Suite struct ServiceFaultTests {
    static let injectedError = #"{"error":"injected fault: errors","status":500}"#

    @Test(arguments: ShopService.allCases)
    func aServiceStartsWithoutFaults(service: ShopService) async throws {
        try await Shop.withService(service, OpsTests.unusedDependencies) { live in
            let none = #"{"cpu":null,"empty":null,"errors":null,"memory":null}"#
            #expect(try await live.get("/admin/faults").text == none)
            let metrics = try await live.get("/metrics").text
            #expect(metrics.contains(#"shop_fault_active{kind="errors"}"#))
            #expect(metrics.contains(#"shop_fault_active{kind="empty"}"#) == (service == .ads))
            #expect(try await live.faultGauge("errors") == 0)
        }
    }

    @Test func errorsAtRateOneFailBusinessRoutesButNotOpsOrAdmin() async throws {
        try await Shop.withService(.cache) { cache in
            try await cache.putFault("errors", #"{"rate": 1, "duration_ms": 30000}"#)

            let failed = try await cache.put("/kv/greeting", body: "hello")
            #expect(failed.status == .internalServerError)
            #expect(failed.text == Self.injectedError)
            #expect(try await cache.get("/healthz").status == .ok)
            #expect(try await cache.get("/admin/config").status == .ok)
            let shown = try await cache.faults()
            #expect(shown.errors?.rate == 1)
            #expect((20_000...30_000).contains(shown.errors?.expiresInMs ?? 0), "a 30 s fault, read a moment later")
            #expect(try await cache.faultGauge("errors") == 1)
            #expect(try await cache.metric("http_requests_total", ["route": "/kv/{key}", "status": "500"]) == 1)
        }
    }

    @Test func aQuarterRateFailsExactlyEveryFourthRequest() async throws {
        try await Shop.withService(.ads) { ads in
            try await ads.putFault("errors", #"{"rate": 0.25, "duration_ms": 30000}"#)
            var failed: [Int] = []
            for n in 1...100 where try await ads.get("/ads?context=home").status == .internalServerError {
                failed.append(n)
            }
            #expect(failed.count == 25)
            #expect(failed == Array(stride(from: 4, through: 100, by: 4)))
        }
    }

    @Test func emptyMakesAdsAnswer200WithNoAds() async throws {
        try await Shop.withService(.ads) { ads in
            try await ads.putFault("empty", #"{"duration_ms": 30000}"#)
            let answer = try await ads.get("/ads?context=home")
            #expect(answer.status == .ok)
            #expect(answer.text == #"{"ads":[]}"#)
            #expect(try await ads.faults().empty != nil)
            #expect(try await ads.faultGauge("empty") == 1)
        }
    }

    @Test(arguments: [ShopService.storefront, .checkout, .cache])
    func emptyIsOnlyForAds(service: ShopService) async throws {
        try await Shop.withService(service, OpsTests.unusedDependencies) { live in
            let message = "fault 'empty' is only for ads; \(service.rawValue) knows errors, cpu, memory"
            let put = try await live.put("/admin/faults/empty", body: #"{"duration_ms": 30000}"#)
            #expect(put.status == .notFound)
            #expect(put.errorMessage == message)
            #expect(try await live.delete("/admin/faults/empty").errorMessage == message)
        }
    }

    @Test func deleteEndsOneFaultThenAll() async throws {
        try await Shop.withService(.ads) { ads in
            try await ads.putFault("errors", #"{"rate": 1, "duration_ms": 30000}"#)
            try await ads.putFault("empty", #"{"duration_ms": 30000}"#)

            #expect(try await ads.delete("/admin/faults/errors").status == .noContent)
            #expect(try await ads.get("/ads").text == #"{"ads":[]}"#)
            #expect(try await ads.faultGauge("errors") == 0)

            #expect(try await ads.delete("/admin/faults").status == .noContent)
            #expect(try await ads.get("/ads").json(AdsAnswer.self).ads.count == 1)
            #expect(try await ads.faults() == ServiceFaultsSnapshot())
            #expect(try await ads.faultGauge("empty") == 0)
            #expect(try await ads.delete("/admin/faults/errors").status == .noContent, "ending no fault is fine")
        }
    }

    @Test func faultsExpireByThemselves() async throws {
        try await Shop.withService(.ads) { ads in
            try await ads.putFault("empty", #"{"duration_ms": 500}"#)
            let started = try await ads.put("/admin/faults/errors", body: #"{"rate": 1, "duration_ms": 500}"#)
            #expect(try started.json(ServiceFaultsSnapshot.self).errors?.rate == 1)

            #expect(try await eventually {
                let answer = try await ads.get("/ads")
                guard answer.status == .ok else { return false }
                return try answer.json(AdsAnswer.self).ads.count == 1
            })
            #expect(try await ads.faults() == ServiceFaultsSnapshot())
            #expect(try await eventually { try await ads.faultGauge("errors") == 0 })
            #expect(try await eventually { try await ads.faultGauge("empty") == 0 })
        }
    }

    @Test func unknownKindIs404() async throws {
        try await Shop.withService(.ads) { ads in
            let message = "unknown fault 'disk'; ads knows errors, cpu, memory, empty"
            let put = try await ads.put("/admin/faults/disk", body: #"{"duration_ms": 30000}"#)
            #expect(put.status == .notFound)
            #expect(put.errorMessage == message)
            #expect(try await ads.delete("/admin/faults/disk").errorMessage == message)
        }
    }

    @Test(arguments: [
        ("errors", #"{"duration_ms": 1000}"#,
         "missing field 'rate' in PUT /admin/faults/errors: a number from 0 to 1"),
        ("errors", #"{"rate": 1.5, "duration_ms": 1000}"#,
         "field 'rate' in PUT /admin/faults/errors must be a number from 0 to 1, got 1.5"),
        ("errors", #"{"rate": "0.5", "duration_ms": 1000}"#,
         "field 'rate' in PUT /admin/faults/errors must be a number from 0 to 1, got a string"),
        ("errors", #"{"rate": null, "duration_ms": 1000}"#,
         "field 'rate' in PUT /admin/faults/errors must be a number from 0 to 1, got null"),
        ("errors", #"{"rate": 0.5, "duration_ms": 3600001}"#,
         "field 'duration_ms' in PUT /admin/faults/errors must be a whole number from 1 to 3600000, got 3600001"),
        ("errors", #"{"rate": 0.5, "duration_ms": 1000, "extra": true}"#,
         "unknown field 'extra' in PUT /admin/faults/errors; expected rate, duration_ms"),
        ("errors", #"{}"#,
         "missing field 'rate' in PUT /admin/faults/errors: a number from 0 to 1; "
            + "missing field 'duration_ms' in PUT /admin/faults/errors: a whole number from 1 to 3600000"),
        ("errors", #"[0.5]"#,
         #"body of PUT /admin/faults/errors must be a JSON object, e.g. {"rate": 0.5, "duration_ms": 30000}"#),
        ("cpu", #"{"cores": 2.5, "duration_ms": 1000}"#,
         "field 'cores' in PUT /admin/faults/cpu must be a whole number from 1 to 8, got 2.5"),
        ("cpu", #"{"cores": 9, "duration_ms": 1000}"#,
         "field 'cores' in PUT /admin/faults/cpu must be a whole number from 1 to 8, got 9"),
        ("memory", #"{"mb": 0, "duration_ms": 1000}"#,
         "field 'mb' in PUT /admin/faults/memory must be a whole number from 1 to 4096, got 0"),
        ("memory", #"{"mb": 10}"#,
         "missing field 'duration_ms' in PUT /admin/faults/memory: a whole number from 1 to 3600000"),
        ("empty", #"{"duration_ms": 0}"#,
         "field 'duration_ms' in PUT /admin/faults/empty must be a whole number from 1 to 3600000, got 0"),
    ])
    func badBodiesAreRejectedNamingTheField(kind: String, body: String, message: String) async throws {
        try await Shop.withService(.ads) { ads in
            let response = try await ads.put("/admin/faults/\(kind)", body: body)
            #expect(response.status == .badRequest)
            #expect(try response.json(ErrorBody.self) == ErrorBody(error: message, status: 400))
            #expect(try await ads.faults() == ServiceFaultsSnapshot(), "a rejected body starts nothing")
        }
    }
}

/// CPU and memory faults, measured on this very process; serialized so that each sees only its own load.
@Suite(.serialized) struct ResourceFaultTests {
    static let mebibyte = 1024 * 1024

    // One core only, and briefly: the burner runs inside the test process, beside every other test.
    @Test func cpuFaultBurnsCoresUntilRemovedThenItsThreadsExit() async throws {
        try await Shop.withService(.cache) { cache in
            let processBefore = ProcessProbe.cpuTime()
            try await cache.putFault("cpu", #"{"cores": 1, "duration_ms": 30000}"#)

            #expect(await eventually { ProcessProbe.threads(named: CPUBurner.threadName).count == 1 })
            let burner = CPUBurner.threadName
            #expect(await eventually { ProcessProbe.cpuTime(ofThreadsNamed: burner) >= .milliseconds(100) })
            #expect(ProcessProbe.cpuTime() - processBefore >= .milliseconds(100))
            #expect(try await cache.faults().cpu?.cores == 1)
            #expect(try await cache.faultGauge("cpu") == 1)

            #expect(try await cache.delete("/admin/faults/cpu").status == .noContent)
            #expect(await eventually { ProcessProbe.threads(named: CPUBurner.threadName).isEmpty })
            #expect(try await cache.faultGauge("cpu") == 0)
        }
    }

    @Test func cpuFaultThreadsExitWhenItExpires() async throws {
        try await Shop.withService(.cache) { cache in
            try await cache.putFault("cpu", #"{"cores": 1, "duration_ms": 800}"#)
            #expect(await eventually { ProcessProbe.threads(named: CPUBurner.threadName).count == 1 })

            #expect(await eventually { ProcessProbe.threads(named: CPUBurner.threadName).isEmpty })
            #expect(try await cache.faults().cpu == nil)
            #expect(try await eventually { try await cache.faultGauge("cpu") == 0 })
        }
    }

    @Test func memoryFaultHoldsResidentMemoryUntilRemoved() async throws {
        try await Shop.withService(.cache) { cache in
            let asked = 128 * Self.mebibyte
            let before = try ProcessProbe.residentBytes()
            try await cache.putFault("memory", #"{"mb": 128, "duration_ms": 30000}"#)

            let during = try ProcessProbe.residentBytes()
            let grown = during - before
            #expect(grown >= asked * 9 / 10, "resident size grew by \(grown / Self.mebibyte) MB")
            #expect(grown <= asked + 64 * Self.mebibyte)
            #expect(try await cache.faults().memory?.mb == 128)
            #expect(try await cache.faultGauge("memory") == 1)

            #expect(try await cache.delete("/admin/faults/memory").status == .noContent)
            #expect(try await eventually { try ProcessProbe.residentBytes() <= during - asked * 9 / 10 })
            #expect(try await cache.faultGauge("memory") == 0)
        }
    }

    @Test func memoryFaultIsFreedWhenItExpires() async throws {
        try await Shop.withService(.cache) { cache in
            let asked = 64 * Self.mebibyte
            try await cache.putFault("memory", #"{"mb": 64, "duration_ms": 600}"#)
            let during = try ProcessProbe.residentBytes()

            #expect(try await eventually { try ProcessProbe.residentBytes() <= during - asked * 9 / 10 })
            #expect(try await cache.faults().memory == nil)
            #expect(try await cache.faultGauge("memory") == 0)
        }
    }
}
