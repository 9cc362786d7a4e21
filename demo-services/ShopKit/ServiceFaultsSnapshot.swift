/// ServiceFaultsSnapshot is the answer of `GET /admin/faults`: each kind with its parameters and the
/// milliseconds left, or `null` when not in force, e.g.
/// `{"cpu":null,"empty":null,"errors":{"expires_in_ms":12000,"rate":0.5},"memory":null}`.
struct ServiceFaultsSnapshot: Codable, Equatable {
    struct Errors: Codable, Equatable {
        /// Share of business requests answered with a 500, 0...1.
        let rate: Double
        let expiresInMs: Int
    }

    struct CPU: Codable, Equatable {
        /// Busy threads.
        let cores: Int
        let expiresInMs: Int
    }

    struct Memory: Codable, Equatable {
        /// MiB held resident.
        let mb: Int
        let expiresInMs: Int
    }

    struct Empty: Codable, Equatable {
        let expiresInMs: Int
    }

    var errors: Errors?
    var cpu: CPU?
    var memory: Memory?
    /// Ads only; always `null` on the other services.
    var empty: Empty?

    enum CodingKeys: String, CodingKey {
        case errors, cpu, memory, empty
    }

    /// Writes `null` for a kind not in force rather than leaving the key out.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(errors, forKey: .errors)
        try container.encode(cpu, forKey: .cpu)
        try container.encode(memory, forKey: .memory)
        try container.encode(empty, forKey: .empty)
    }
}
