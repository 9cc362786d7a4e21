import ArgumentParser
import LabEngine
import LabServer

struct FaultCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fault",
        abstract: "Add and list faults by hand.",
        subcommands: [Add.self, List.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Inject a fault on one dependency edge.",
            discussion: """
                Edges: storefront-ads, storefront-checkout, storefront-cache, checkout-cache (or \
                'storefront->ads' in quotes: unquoted, the shell reads > as a redirection). Every fault \
                expires after its --ttl; `chaoslab halt` removes all.

                  chaoslab fault add storefront-ads blackhole --ttl 30s
                  chaoslab fault add checkout-cache latency --latency-ms 1000 --jitter-ms 100
                """)

        @OptionGroup var server: ServerOptions
        @Argument(help: "The edge, e.g. storefront-ads.") var edge: String
        @Argument(help: "blackhole, refuse or latency.") var type: String
        @Option(help: "Added latency in milliseconds (latency faults).") var latencyMs: Int?
        @Option(help: "Random jitter in milliseconds, up to the latency (latency faults).") var jitterMs: Int?
        @Option(help: "Time to live, e.g. 30s, 2m, 500ms.") var ttl: String = "30s"

        func validate() throws {
            guard ["blackhole", "refuse", "latency"].contains(type) else {
                throw ValidationError("unknown fault '\(type)'; choose blackhole, refuse or latency")
            }
            if type == "latency" && latencyMs == nil { throw ValidationError("a latency fault needs --latency-ms") }
            do {
                _ = try DurationParser.parse(ttl)
            } catch {
                throw ValidationError("--ttl: \(error.message)")
            }
        }

        func run() async throws {
            let ttlMs = Int(try DurationParser.parse(ttl).milliseconds)
            let request = API.NewFault(edge: edge, type: type, latencyMs: latencyMs, jitterMs: jitterMs, ttlMs: ttlMs)
            let added: API.EdgeFault = try await LabClient(server).send("POST", "/api/faults", body: request)
            say("\(added.edge): \(added.fault.summary)")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the active faults.")
        @OptionGroup var server: ServerOptions
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            let faults: [API.EdgeFault] = try await LabClient(server).get("/api/faults")
            if json { return try printJSON(faults) }
            if faults.isEmpty { say("no active faults") }
            for fault in faults { say("\(fault.edge.padded(22)) \(fault.fault.summary)") }
        }
    }
}

struct HaltCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "halt",
        abstract: "Remove every fault at once and stop a running experiment.")
    @OptionGroup var server: ServerOptions

    func run() async throws {
        let halted: API.Halted = try await LabClient(server).send("POST", "/api/halt", body: Optional<String>.none)
        say("halted: \(halted.removed) fault(s) removed, \(halted.cancelledExperiments) experiment(s) stopped")
    }
}
