import Foundation
import Logging

/// JSONLogHandler writes one JSON object per line to stderr: ts, level, service, msg, then the metadata.
///
/// The handler's label is the service name unless the metadata carries a `service` key.
struct JSONLogHandler: LogHandler {
    let label: String
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]

    init(label: String) {
        self.label = label
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var merged = metadata
        if let extra = event.metadata {
            merged.merge(extra) { _, new in new }
        }
        if let error = event.error {
            merged["error"] = "\(error)"
        }
        let service = merged.removeValue(forKey: "service").map { "\($0)" } ?? label
        var line = "{\"ts\":\(Self.quoted(Self.timestamp()))"
        line += ",\"level\":\(Self.quoted(event.level.rawValue))"
        line += ",\"service\":\(Self.quoted(service))"
        line += ",\"msg\":\(Self.quoted("\(event.message)"))"
        for key in merged.keys.sorted() {
            line += ",\(Self.quoted(key)):\(Self.quoted("\(merged[key]!)"))"
        }
        line += "}\n"
        FileHandle.standardError.write(Data(line.utf8))
    }

    /// ISO 8601 time with milliseconds, UTC.
    static func timestamp() -> String {
        Date.ISO8601FormatStyle(includingFractionalSeconds: true).format(Date())
    }

    /// `text` as a JSON string literal.
    static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
