import ArgumentParser
import LabDomain
import LabEngine
import LabServer

struct FaultCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fault",
        abstract: "Add, list and remove faults by hand.",
        subcommands: [Add.self, Remove.self, List.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Inject a fault on an edge or a service.",
            discussion: """
                Network faults go on an edge: storefront-ads, storefront-checkout, storefront-cache, \
                checkout-cache (or 'storefront->ads' in quotes: unquoted, the shell reads > as a \
                redirection). Types, with Toxiproxy's attributes:
                \(FaultCatalog.helpLines(.edge))
                Service faults go on a service: storefront, checkout, cache, ads. (On a system of your \
                own, its edges FROM-TO and its services; only kill and pause reach a service that \
                is not the shop's.)
                \(FaultCatalog.helpLines(.service))
                Every fault ends after its --ttl; `chaoslab halt` ends all at once.

                  chaoslab fault add storefront-ads blackhole --ttl 30s
                  chaoslab fault add checkout-cache latency latency=1000 jitter=100
                  chaoslab fault add storefront-ads bandwidth rate=5 --stream upstream
                  chaoslab fault add checkout kill restart_after_ms=5000
                  chaoslab fault add ads errors rate=0.5 --ttl 1m
                """)

        @OptionGroup var server: ServerOptions
        @Argument(help: "The edge (storefront-ads) or the service (checkout).") var target: String
        @Argument(help: "The fault type, e.g. latency, blackhole, kill; see above.") var type: String
        @Argument(help: "Attributes as NAME=VALUE, e.g. latency=1000.") var attributes: [String] = []
        @Option(help: "For network faults: upstream or downstream.") var stream: String?
        @Option(help: "Time to live, e.g. 30s, 2m, 500ms.") var ttl: String = "30s"

        func validate() throws {
            _ = try parsedAttributes()
            do {
                _ = try DurationParser.parse(ttl)
            } catch {
                throw ValidationError("--ttl: \(error.message)")
            }
        }

        func parsedAttributes() throws -> [String: Double] {
            var parsed: [String: Double] = [:]
            for attribute in attributes {
                let parts = attribute.split(separator: "=", maxSplits: 1).map(String.init)
                guard parts.count == 2, !parts[0].isEmpty, let value = Double(parts[1]) else {
                    throw ValidationError("attribute '\(attribute)' is not NAME=NUMBER, e.g. latency=1000")
                }
                parsed[parts[0]] = value
            }
            return parsed
        }

        func run() async throws {
            let ttlMs = Int(try DurationParser.parse(ttl).milliseconds)
            let request = API.NewFault(target: target, type: type, attributes: try parsedAttributes(), stream: stream, ttlMs: ttlMs)
            let added: API.TargetFault = try await LabClient(server).send("POST", "/api/faults", body: request)
            say("\(added.target): \(added.fault.summary)")
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "End one fault (its id is in `chaoslab fault list`).")
        @OptionGroup var server: ServerOptions
        @Argument(help: "The edge or service the fault is on.") var target: String
        @Argument(help: "The fault's id, e.g. latency-1.") var id: String

        func run() async throws {
            let _: NoContent = try await LabClient(server).send("DELETE", "/api/faults/\(target)/\(id)", body: Optional<String>.none)
            say("removed \(id) from \(target)")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the active faults.")
        @OptionGroup var server: ServerOptions
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            let faults: [API.TargetFault] = try await LabClient(server).get("/api/faults")
            if json { return try printJSON(faults) }
            if faults.isEmpty { say("no active faults") }
            for fault in faults { say("\(fault.target.padded(22)) \(fault.fault.summary)") }
        }
    }
}

struct HaltCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "halt",
        abstract: "End every fault of every kind at once and stop a running experiment.",
        discussion: "With --lock, new faults are refused until `chaoslab unlock` (an emergency stop).")
    @OptionGroup var server: ServerOptions
    @Flag(help: "Also refuse new faults until `chaoslab unlock`.") var lock = false

    struct Body: Encodable { var lock: Bool }

    func run() async throws {
        let halted: API.Halted = try await LabClient(server).send("POST", "/api/halt", body: Body(lock: lock))
        say("halted: \(halted.removed) fault(s) removed, \(halted.cancelledExperiments) experiment(s) stopped")
        if halted.locked { say("locked: new faults are refused until `chaoslab unlock`") }
    }
}

struct UnlockCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "unlock",
        abstract: "Allow new faults again after `chaoslab halt --lock`.")
    @OptionGroup var server: ServerOptions

    func run() async throws {
        let _: API.LockState = try await LabClient(server).send("POST", "/api/unlock", body: Optional<String>.none)
        say("unlocked: faults may be added again")
    }
}

extension FaultCatalog {
    /// One line per fault of `family`, from the catalogue: its name, its attributes with their
    /// units, and what it does.
    static func helpLines(_ family: Family) -> String {
        entries.filter { $0.family == family }.map { entry in
            let attributes = entry.attributes.map { $0.required ? "\($0.name)=\($0.unit)" : "[\($0.name)=\($0.unit)]" }
            return "  " + ([entry.name] + attributes).joined(separator: " ") + "\n    " + entry.about
        }.joined(separator: "\n")
    }
}
