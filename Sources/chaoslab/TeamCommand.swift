import ArgumentParser
import Foundation
import LabDomain
import LabServer

/// `chaoslab team create|list|remove`: the facilitator's commands on a group server.
struct TeamCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "team",
        abstract: "Create, list and remove teams on a group server (chaoslab start --facilitator).",
        discussion: """
            Each team gets its own sandbox: its own four services and fault proxies on their own ports. \
            These commands need the facilitator token, from --token or the environment variable \
            CHAOSLAB_TOKEN (chaoslab start --facilitator prints it and writes it to DATA/facilitator-token):

              export CHAOSLAB_TOKEN=$(cat ~/.local/share/chaoslab/facilitator-token)
              chaoslab team create red
              chaoslab team list
              chaoslab team remove red
              chaoslab team halt --lock      # every team: stop experiments, remove faults, refuse new ones
              chaoslab team unlock
            """,
        subcommands: [Create.self, List.self, Remove.self, Halt.self, Unlock.self])

    struct Halt: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Halt every team at once: stop running experiments and remove every fault of every team.",
            discussion: "With --lock, new faults are refused in every team's sandbox (also one created later) until `chaoslab team unlock`.")

        @OptionGroup var server: ServerOptions

        @Flag(help: "Also refuse new faults for everyone until `chaoslab team unlock`.")
        var lock = false

        func run() async throws {
            struct Body: Encodable { var lock: Bool }
            let halted: API.HaltedAll = try await LabClient(server).send("POST", "/api/teams/halt", body: Body(lock: lock))
            say("halted \(halted.teams) teams: removed \(halted.removed) faults, stopped \(halted.cancelledExperiments) experiments"
                + (halted.locked ? "; new faults are refused for everyone until `chaoslab team unlock`" : ""))
        }
    }

    struct Unlock: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Allow new faults again in every team's sandbox.")

        @OptionGroup var server: ServerOptions

        func run() async throws {
            let unlocked: API.HaltedAll = try await LabClient(server).send("POST", "/api/teams/unlock", body: Optional<String>.none)
            say("unlocked \(unlocked.teams) teams")
        }
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a team and start its sandbox.",
            discussion: """
                Prints the team, its join_code, its API token (Authorization: Bearer TOKEN, for its own \
                team only), its storefront_url, and its api_base: the root of the team's own \
                Toxiproxy-compatible API, a capability URL with a secret in its path, to use as it is as \
                TOXIPROXY_URL (toxiproxy-cli) or toxiproxy_url (Chaos Toolkit). Keep the token and the \
                api_base secret; the facilitator sees them again with chaoslab team list --json.
                """)

        @Argument(help: "The team's name: 1 to 32 lower-case letters, digits and hyphens.")
        var name: String

        @OptionGroup var server: ServerOptions

        @Flag(help: "Print JSON.")
        var json = false

        func run() async throws {
            // The sandbox's start is streamed: each step on standard error (not with --json, which
            // prints the team alone), the team on standard output.
            var created: API.CreatedTeam?
            try await LabClient(server).stream("POST", "/api/teams", body: API.NewTeam(name: name), accept: "application/x-ndjson") { data in
                let line = try JSONDecoder.api.decode(API.CreationLine.self, from: data)
                if let progress = line.progress, !json { sayError("  \(progress)") }
                if let error = line.error { throw CLIError(error) }
                if let team = line.team { created = team }
            }
            guard let team = created else { throw CLIError("the lab server ended the answer before the team was created; see chaoslab team list") }
            if json { return try printJSON(team) }
            say("team:           \(team.team)")
            say("join_code:      \(team.joinCode)")
            say("token:          \(team.token)")
            say("storefront_url: \(team.storefrontURL)")
            say("api_base:       \(team.apiBase)")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the teams and the health of their sandboxes.")

        @OptionGroup var server: ServerOptions

        @Flag(help: "Print JSON.")
        var json = false

        func run() async throws {
            let teams: [API.TeamInfo] = try await LabClient(server).get("/api/teams")
            if json { return try printJSON(teams) }
            guard !teams.isEmpty else { return say("no teams yet; create one with chaoslab team create NAME") }
            for team in teams {
                let health = team.servicesHealthy ? "healthy" : "UNHEALTHY: " + team.services.filter { !$0.value }.keys.sorted().joined(separator: ", ")
                say("\(team.name.padded(16)) join code \(team.joinCode ?? "?")  \(health.padded(10)) \(team.storefrontURL)  \(team.apiBase)")
            }
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove a team: stop its sandbox and forget its tokens.")

        @Argument(help: "The team's name.")
        var name: String

        @OptionGroup var server: ServerOptions

        func run() async throws {
            let _: NoContent = try await LabClient(server).send("DELETE", "/api/teams/\(name)", body: Optional<String>.none)
            say("removed team \(name): its services and proxies are stopped")
        }
    }
}
