import Foundation

extension API {
    /// `POST /api/join`: a person joins a team with its code.
    public struct Join: Codable, Sendable {
        public var code: String
        public var name: String
        /// commander, scribe, observer or user.
        public var role: String
    }

    /// A person who joined: their session token goes in `Authorization: Bearer TOKEN`
    /// (a browser gets it as an HttpOnly cookie too).
    public struct JoinedTeam: Codable, Sendable {
        public var team: String
        public var name: String
        public var role: String
        public var token: String
    }

    /// A member of a team, as others see them.
    public struct Member: Codable, Sendable {
        public var name: String
        public var role: String
    }

    /// The body of a note or a user report.
    public struct TimelineText: Codable, Sendable {
        public var text: String
    }

    /// One line of a team's timeline.
    public struct TimelineLine: Codable, Sendable {
        public var at: Date
        /// note or user_report.
        public var kind: String
        public var author: String
        public var role: String
        public var text: String
    }

    /// The answer to the facilitator's halt (or unlock) of every team.
    public struct HaltedAll: Codable, Sendable {
        public var teams: Int
        public var removed: Int
        public var cancelledExperiments: Int
        /// New faults are refused in every team's sandbox until `POST /api/teams/unlock`.
        public var locked: Bool

        enum CodingKeys: String, CodingKey {
            case teams, removed, locked
            case cancelledExperiments = "cancelled_experiments"
        }
    }

    /// `POST /api/teams`.
    public struct NewTeam: Codable, Sendable {
        public var name: String
        public init(name: String) { self.name = name }
    }

    /// A team just created, with its credentials: shown once, to the facilitator.
    public struct CreatedTeam: Codable, Sendable {
        public var team: String
        /// What a person types to join the team.
        public var joinCode: String
        /// The team's API token, for `Authorization: Bearer TOKEN`.
        public var token: String
        public var storefrontURL: String
        /// The root of the team's own Toxiproxy-compatible API: `http://HOST:PORT/t/SECRET`.
        public var apiBase: String

        enum CodingKeys: String, CodingKey {
            case team, token
            case joinCode = "join_code"
            case storefrontURL = "storefront_url"
            case apiBase = "api_base"
        }
    }

    /// One line of a streamed team creation: a step, the team, or the error.
    public struct CreationLine: Codable, Sendable {
        public var progress: String?
        public var team: CreatedTeam?
        public var error: String?
        public var status: Int?

        public init(progress: String? = nil, team: CreatedTeam? = nil, error: String? = nil, status: Int? = nil) {
            self.progress = progress
            self.team = team
            self.error = error
            self.status = status
        }
    }

    /// A team as `GET /api/teams` and `GET /api/teams/{name}` show it.
    public struct TeamInfo: Codable, Sendable {
        public var name: String
        public var storefrontURL: String
        public var apiBase: String
        public var createdAt: Date
        /// True when every service of the team's sandbox answers its health check.
        public var servicesHealthy: Bool
        /// Each service's health.
        public var services: [String: Bool]
        /// Who joined, with their roles.
        public var members: [Member]
        /// The join code and the team's token: for the facilitator only (a team sees neither here).
        public var joinCode: String?
        public var token: String?

        enum CodingKeys: String, CodingKey {
            case name, services, members, token
            case joinCode = "join_code"
            case storefrontURL = "storefront_url"
            case apiBase = "api_base"
            case createdAt = "created_at"
            case servicesHealthy = "services_healthy"
        }
    }
}
