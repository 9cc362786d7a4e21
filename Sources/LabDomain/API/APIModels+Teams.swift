import Foundation

extension API {
    /// `POST /api/join`: a person joins a team with its code.
    public struct Join: Codable, Sendable {
        public var code: String
        public var name: String
        /// commander, scribe, observer or user.
        public var role: String

        public init(code: String, name: String, role: String) {
            self.code = code
            self.name = name
            self.role = role
        }
    }

    /// A person who joined: their session token goes in `Authorization: Bearer TOKEN`
    /// (a browser gets it as an HttpOnly cookie too).
    public struct JoinedTeam: Codable, Sendable {
        public var team: String
        public var name: String
        public var role: String
        public var token: String

        public init(team: String, name: String, role: String, token: String) {
            self.team = team
            self.name = name
            self.role = role
            self.token = token
        }
    }

    /// A member of a team, as others see them.
    public struct Member: Codable, Sendable {
        public var name: String
        public var role: String

        public init(name: String, role: String) {
            self.name = name
            self.role = role
        }
    }

    /// The body of a note or a user report.
    public struct TimelineText: Codable, Sendable {
        public var text: String

        public init(text: String) {
            self.text = text
        }
    }

    /// One line of a team's timeline.
    public struct TimelineLine: Codable, Sendable {
        public var at: Date
        /// note or user_report.
        public var kind: String
        public var author: String
        public var role: String
        public var text: String

        public init(at: Date, kind: String, author: String, role: String, text: String) {
            self.at = at
            self.kind = kind
            self.author = author
            self.role = role
            self.text = text
        }
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

        public init(teams: Int, removed: Int, cancelledExperiments: Int, locked: Bool) {
            self.teams = teams
            self.removed = removed
            self.cancelledExperiments = cancelledExperiments
            self.locked = locked
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

        public init(team: String, joinCode: String, token: String, storefrontURL: String, apiBase: String) {
            self.team = team
            self.joinCode = joinCode
            self.token = token
            self.storefrontURL = storefrontURL
            self.apiBase = apiBase
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

        public init(name: String, storefrontURL: String, apiBase: String, createdAt: Date, servicesHealthy: Bool, services: [String: Bool], members: [Member], joinCode: String? = nil, token: String? = nil) {
            self.name = name
            self.storefrontURL = storefrontURL
            self.apiBase = apiBase
            self.createdAt = createdAt
            self.servicesHealthy = servicesHealthy
            self.services = services
            self.members = members
            self.joinCode = joinCode
            self.token = token
        }
    }
}
