import ArgumentParser
import Foundation
import LabDomain
import LabEngine
import LabServer

struct MapCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "map",
        abstract: "Draw the map that traffic draws: which edges each journey of a lab really uses.",
        discussion: """
            Before any fault, each journey of the lab is walked on its own, one iteration after \
            another, and every edge's fault proxy says what it carried meanwhile (connections and \
            bytes). The map sets that beside the lab's claimed diagram and names every \
            disagreement: an edge claimed optional that every iteration of a journey used, an edge \
            claimed critical that carried nothing, an edge the diagram does not show. An edge a \
            journey uses is not yet proven critical: that is what an experiment shows.

            Refused while a fault is in force or an experiment runs (the map would show them).
            """)

    @OptionGroup var server: ServerOptions
    @Argument(help: "The lab whose journeys and claimed diagram to map (see chaoslab labs). Default: is-ads-optional, or the server's first lab.")
    var lab: String?
    @Option(help: "Iterations of each journey, 1 to 50.") var iterations = 5
    @Flag(help: "Print the map as JSON.") var json = false

    /// "6.5 kB, 2 new connections": bytes first (keep-alive reuses connections).
    static func describe(_ use: TrafficMap.EdgeUse) -> String {
        let size = FaultContact.size(use.bytes)
        return use.connections == 0 ? "\(size) on open connections" : "\(size), \(use.connections) new connection\(use.connections == 1 ? "" : "s")"
    }

    func run() async throws {
        let client = LabClient(server)
        var lab = self.lab
        if lab == nil {
            let list: API.LabList = try await client.get("/api/labs")
            lab = list.labs.first { $0.id == "is-ads-optional" }?.id ?? list.labs.first?.id
        }
        guard let lab else { throw CLIError("the lab server has no labs to map; name one, or start the server with labs") }
        let map: TrafficMap = try await client.send("POST", "/api/map", body: API.MapRequest(lab: lab, iterations: iterations))
        if json { return try printJSON(map) }
        say("The map that traffic draws for \(map.lab) (\(iterations) iteration\(iterations == 1 ? "" : "s") of each journey)")
        for journey in map.journeys {
            say("")
            say("\(journey.journey): \(journey.succeeded) of \(journey.iterations) iterations went through every step")
            for edge in map.edges {
                let share = journey.share(of: edge)
                let use = journey.edges.first { $0.edge == edge }
                let claim = map.claimed[edge].map { $0 ? "claimed critical" : "claimed optional" } ?? "not on the diagram"
                let carried = share == 0 ? "carried nothing"
                    : "carried on \(Int((share * 100).rounded()))% of iterations (\(use.map(Self.describe) ?? ""))"
                say("  \(edge.padded(22)) \(claim.padded(19)) \(carried)")
            }
        }
        say("")
        if !map.silent.isEmpty { say("Carried nothing in any journey: \(map.silent.joined(separator: ", "))") }
        if map.disagreements.isEmpty {
            say("The traffic agrees with the claimed diagram.")
        } else {
            say("Where the traffic questions the claim:")
            for line in map.disagreements { say("  · \(line)") }
        }
    }
}
