import FaultProxy
import Foundation
import LabDomain
import Hummingbird

/// The JSON of Toxiproxy 2.x's HTTP API, as its clients send and expect it.
enum Toxiproxy {
    /// The Toxiproxy version whose API this lab server speaks.
    static let apiVersion = "2.12.0"

    /// A proxy as Toxiproxy shows it.
    struct ProxyJSON: Codable, Sendable, ResponseEncodable {
        var name: String
        /// The real bound address ("127.0.0.1:41234"), also when port 0 was asked for.
        var listen: String
        var upstream: String
        var enabled: Bool
        var toxics: [ToxicJSON]

        init(_ proxy: FaultProxy) {
            name = proxy.name
            listen = proxy.listenAddress
            upstream = proxy.upstream
            enabled = proxy.isEnabled
            toxics = proxy.toxics.map { ToxicJSON($0.toxic) }
        }
    }

    /// A toxic as Toxiproxy shows it: every attribute of its type, missing ones 0.
    struct ToxicJSON: Codable, Sendable, ResponseEncodable {
        var name: String
        var type: String
        var stream: String
        var toxicity: Double
        var attributes: [String: Int]

        init(_ toxic: Toxic) {
            name = toxic.name
            type = toxic.type
            stream = toxic.stream.rawValue
            toxicity = toxic.toxicity
            attributes = toxic.kind.attributes
        }
    }

    /// `POST /proxies`, `POST /populate` items, and proxy updates (every field optional).
    struct ProxyInput: Decodable, Sendable {
        var name: String?
        var listen: String?
        var upstream: String?
        var enabled: Bool?
    }

    /// `POST /proxies/{proxy}/toxics` and toxic updates. Attributes may be `null` (read as 0).
    struct ToxicInput: Decodable, Sendable {
        var name: String?
        var type: String?
        var stream: String?
        var toxicity: Double?
        var attributes: [String: Int?]?
    }

    struct Populated: Encodable, Sendable, ResponseEncodable {
        var proxies: [ProxyJSON]
    }

    struct Version: Encodable, Sendable, ResponseEncodable {
        var version: String
    }
}

extension Toxiproxy.ToxicInput {
    /// The attributes given, with `null` read as 0.
    var givenAttributes: [String: Int] {
        (attributes ?? [:]).mapValues { $0 ?? 0 }
    }
}
