import Foundation
import Yams

// Decoding of a system file. Like a lab, every reader reports to the ProblemLog and goes on.

extension SystemDescription: Decodable {
    private enum Keys: String, CodingKey, CaseIterable {
        case system, title, summary, services, edges, journeys, architecture
    }

    public init(from decoder: any Decoder) throws {
        let log = decoder.problemLog
        let before = log.entries.count
        guard let c = try? decoder.container(keyedBy: Keys.self) else {
            throw decoder.report("a system file must be a mapping with system, title, services and edges")
        }
        decoder.reportUnknownKeys(Keys.self)
        let name: String? = c.required(.system, in: decoder, example: "bookshop")
        if let name, !isKebabCase(name) {
            log.report("system name '\(name)' is not kebab-case; use lowercase words joined by '-', like bookshop",
                       at: c.mark(of: .system, in: decoder))
        }
        let title: String? = c.required(.title, in: decoder, example: "A bookshop in Python")
        let entries = c.entries(.services, of: ServiceSection.self, in: decoder)
        if entries?.isEmpty ?? true {
            log.report("missing required field 'services': name each service with its command or address",
                       at: c.contains(.services) ? c.mark(of: .services, in: decoder) : decoder.mark)
        }
        let services = (entries ?? []).compactMap { entry in entry.value.map { (service: $0.service(named: entry.key), mark: entry.mark) } }
        let names = (entries ?? []).map(\.key)
        let edges = c.list(.edges, of: EdgeSection.self, in: decoder) ?? []
        if !c.contains(.edges) {
            log.report("missing required field 'edges': list each dependency as `{ from: caller, to: callee }` "
                       + "(an empty list `edges: []` when no service calls another)", at: decoder.mark)
        }
        checkEdges(edges, services: services, names: names, in: decoder)
        let topology = SystemTopology(services: names, edges: edges.map(\.value.edge),
                                      knobs: Dictionary(uniqueKeysWithValues: services.map { ($0.service.name, $0.service.knobs) }))
        log.topology = topology
        let journeyEntries = c.entries(.journeys, of: Journey.self, in: decoder) ?? []
        let architecture: ArchitectureSection? = c.optional(.architecture, in: decoder)
        guard log.entries.count == before, let name, let title, services.count == names.count, !services.isEmpty,
              journeyEntries.allSatisfy({ $0.value != nil }) else { throw AlreadyReported() }
        self.init(name: name, title: title, summary: c.optional(.summary, in: decoder) ?? "",
                  services: services.map(\.service), edges: topology.edges,
                  journeys: Dictionary(uniqueKeysWithValues: journeyEntries.map { ($0.key, $0.value!) }),
                  architecture: architecture?.edges ?? [], directory: log.directory ?? URL(fileURLWithPath: "."))
    }
}

/// Edges join known services, each once, never a service to itself; a caller must be one chaoslab
/// starts and tells where the edge's proxy is.
private func checkEdges(_ edges: [(value: EdgeSection, mark: Mark?)], services: [(service: SystemDescription.Service, mark: Mark?)],
                        names: [String], in decoder: any Decoder) {
    let log = decoder.problemLog
    for (index, entry) in edges.enumerated() {
        let edge = entry.value.edge
        for side in [edge.from, edge.to] where !names.contains(side) {
            log.report("unknown service '\(side)' in edge \(edge.key); services: \(names.joined(separator: ", "))."
                       + NameSuggestion.didYouMean(side, among: names), at: entry.mark)
        }
        if edge.from == edge.to {
            log.report("edge \(edge.key) joins a service to itself; an edge goes from a caller to the service it calls", at: entry.mark)
        }
        if let first = edges[..<index].first(where: { $0.value.edge == edge }) {
            log.report("duplicate edge '\(edge.key)' (first at line \(first.mark?.line ?? 0)); list each edge once", at: entry.mark)
        }
        guard let caller = services.first(where: { $0.service.name == edge.from }) else { continue }
        switch caller.service.launch {
        case .address:
            log.report("edge \(edge.key): \(edge.from) is reached at an address, so chaoslab cannot tell it where \(edge.to) is; "
                       + "only a service started with a command can call through a fault proxy", at: entry.mark)
        case .command(let arguments, _, let environment):
            let text = (arguments + environment.values).joined(separator: " ")
            let named = ["url", "address", "port"].contains { text.contains("{\($0).\(edge.to)}") }
            if !named {
                log.report("edge \(edge.key): the command and environment of \(edge.from) never name {url.\(edge.to)} "
                           + "(or {address.\(edge.to)}, {port.\(edge.to)}), so its calls to \(edge.to) cannot pass the fault proxy; "
                           + "give \(edge.from) the dependency's address that way", at: entry.mark)
            }
        }
    }
    // Placeholders name this service's own dependencies only.
    for (service, mark) in services {
        guard case .command(let arguments, _, let environment) = service.launch else { continue }
        let dependencies = Set(edges.map(\.value.edge).filter { $0.from == service.name }.map(\.to))
        for placeholder in placeholders(in: arguments + environment.values.sorted()) {
            let parts = placeholder.split(separator: ".", maxSplits: 1).map(String.init)
            switch (parts.first ?? "", parts.count) {
            case ("port", 1), ("dir", 1), ("bin", 1): continue
            case ("url", 2), ("address", 2), ("port", 2):
                if !dependencies.contains(parts[1]) {
                    log.report("{\(placeholder)} in the command of \(service.name): \(service.name) has no edge to '\(parts[1])'; "
                               + "add `{ from: \(service.name), to: \(parts[1]) }` to edges, or name one of its dependencies"
                               + (dependencies.isEmpty ? "" : " (\(dependencies.sorted().joined(separator: ", ")))"), at: mark)
                }
            default:
                let known = SystemDescription.placeholders.map(\.name).joined(separator: ", ")
                log.report("unknown placeholder {\(placeholder)} in the command of \(service.name); placeholders: \(known)", at: mark)
            }
        }
    }
}

/// The names between braces in `texts`: "{url.ads}" gives "url.ads". A shell's `${NAME}` is not
/// one (a command may be `[sh, -c, "exec app --port {port} --home ${HOME}"]`).
func placeholders(in texts: [String]) -> [String] {
    var found: [String] = []
    for text in texts {
        var rest = text[...]
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            let isShell = open > rest.startIndex && rest[rest.index(before: open)] == "$"
            if !isShell { found.append(String(rest[rest.index(after: open)..<close])) }
            rest = rest[rest.index(after: close)...]
        }
    }
    return found
}

/// One entry of `services:`.
private struct ServiceSection: Decodable {
    let launch: SystemDescription.Launch
    let health: String
    let metrics: String?
    let knobs: [String: SystemTopology.KnobKind]
    let serviceFaults: Bool

    private enum Keys: String, CodingKey, CaseIterable {
        case command, address, directory, environment, health, metrics, knobs, serviceFaults = "service_faults"
    }

    init(from decoder: any Decoder) throws {
        let log = decoder.problemLog
        let name = decoder.codingPath.last?.stringValue ?? "service"
        guard let c = try? decoder.container(keyedBy: Keys.self) else {
            throw decoder.report("service '\(name)' must be a mapping with a command (or an address) and a health path")
        }
        decoder.reportUnknownKeys(Keys.self)
        var launch: SystemDescription.Launch?
        switch (c.contains(.command), c.contains(.address)) {
        case (true, true):
            log.report("service '\(name)' has both a command and an address; give it one: a command chaoslab runs, "
                       + "or the address of something already running", at: c.mark(of: .address, in: decoder))
        case (false, false):
            log.report("service '\(name)' needs a command (`command: [python3, app.py, --port, \"{port}\"]`) "
                       + "or an address (`address: 127.0.0.1:9000`)", at: decoder.mark)
        case (true, false):
            let arguments: [String]? = c.optional(.command, in: decoder)
            let directory: String? = c.optional(.directory, in: decoder)
            let environment: [String: String]? = c.optional(.environment, in: decoder)
            if let arguments {
                if arguments.isEmpty || arguments[0].isEmpty {
                    log.report("the command of '\(name)' is empty; start it with the program, like [python3, app.py]",
                               at: c.mark(of: .command, in: decoder))
                } else if !(arguments + (environment ?? [:]).values).contains(where: { $0.contains("{port}") }) {
                    log.report("the command of '\(name)' never names {port}: chaoslab chooses each service's port, "
                               + "so pass it on, like [..., --port, \"{port}\"] or environment { PORT: \"{port}\" }",
                               at: c.mark(of: .command, in: decoder))
                }
                launch = .command(arguments: arguments, directory: directory, environment: environment ?? [:])
            }
        case (false, true):
            for key in [Keys.directory, .environment] where c.contains(key) {
                log.report("'\(key.stringValue)' of '\(name)' has no use: chaoslab does not start a service reached at an address",
                           at: c.mark(of: key, in: decoder))
            }
            if let text: String = c.optional(.address, in: decoder) {
                let parts = text.split(separator: ":")
                if parts.count == 2, let port = Int(parts[1]), (1...65535).contains(port), !parts[0].isEmpty {
                    launch = .address(host: String(parts[0]), port: port)
                } else {
                    log.report("address '\(text)' of '\(name)' must be HOST:PORT, like 127.0.0.1:9000", at: c.mark(of: .address, in: decoder))
                }
            }
        }
        let health: String = c.optional(.health, in: decoder) ?? "/healthz"
        if !health.hasPrefix("/") {
            log.report("health '\(health)' of '\(name)' must be a path starting with '/', like /healthz", at: c.mark(of: .health, in: decoder))
        }
        let metrics: String? = c.optional(.metrics, in: decoder)
        if let metrics, !metrics.hasPrefix("/") {
            log.report("metrics '\(metrics)' of '\(name)' must be a path starting with '/', like /metrics", at: c.mark(of: .metrics, in: decoder))
        }
        var knobs: [String: SystemTopology.KnobKind] = [:]
        for entry in c.entries(.knobs, of: String.self, in: decoder) ?? [] {
            guard let text = entry.value else { continue }
            if let kind = SystemTopology.KnobKind(rawValue: text) {
                knobs[entry.key] = kind
            } else {
                log.report("knob '\(entry.key)' of '\(name)' takes '\(text)'; a knob is `flag` (true or false) or `whole_number`",
                           at: entry.mark)
            }
        }
        // A service whose launch reads is kept, so that its edges and placeholders are checked
        // too; the problems above still keep the file from loading.
        guard let launch else { throw AlreadyReported() }
        self.launch = launch
        self.health = health
        self.metrics = metrics
        self.knobs = knobs
        self.serviceFaults = c.optional(.serviceFaults, in: decoder) ?? false
    }

    func service(named name: String) -> SystemDescription.Service {
        SystemDescription.Service(name: name, launch: launch, health: health, metrics: metrics, knobs: knobs, serviceFaults: serviceFaults)
    }
}

/// One entry of `edges:`: `{ from: storefront, to: ads }`.
private struct EdgeSection: Decodable {
    let edge: EdgeID

    private enum Keys: String, CodingKey, CaseIterable { case from, to }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        decoder.reportUnknownKeys(Keys.self)
        let from: String? = c.required(.from, in: decoder, example: "gateway")
        let to: String? = c.required(.to, in: decoder, example: "catalog")
        guard let from, let to else { throw AlreadyReported() }
        edge = EdgeID(from: from, to: to)
    }
}
