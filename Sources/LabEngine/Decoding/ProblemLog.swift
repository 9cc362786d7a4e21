import Foundation
import Yams

/// ProblemLog collects the problems found while decoding one lab file, so that decoding goes on
/// past the first problem and the learner sees every problem at once.
final class ProblemLog {
    struct Entry {
        var mark: Mark?
        var message: String
    }

    private(set) var entries: [Entry] = []
    /// Journey names the file declares (also those whose body is broken), for cross-references.
    var declaredJourneys: Set<String> = []
    /// Names of the lab's status checks, for cross-references from exercises and scenarios.
    var declaredChecks: Set<String> = []
    /// The folder the lab file is in: a calendar file's path is relative to it.
    var directory: URL?
    /// The system a lab is checked against: its name, journeys and diagram (nil outside a lab).
    var system: SystemDescription?
    /// The services, edges and knobs that names in the file must be among (nil: no check, as when
    /// a stored event is read back).
    var topology: SystemTopology?

    func report(_ message: String, at mark: Mark?) {
        entries.append(Entry(mark: mark, message: message))
    }
}

/// Renders a coding path for messages: "exercises[1].attack".
func codingPlace(_ path: [any CodingKey]) -> String {
    var text = ""
    for key in path {
        if let index = key.intValue {
            text += "[\(index)]"
        } else {
            text += text.isEmpty ? key.stringValue : ".\(key.stringValue)"
        }
    }
    return text.isEmpty ? "the lab" : text
}

/// Thrown by a decoder after it has reported its problem to the `ProblemLog`.
struct AlreadyReported: Error {}

/// A coding key for any mapping key or list index.
struct AnyKey: CodingKey {
    var stringValue: String
    var intValue: Int?

    init(_ string: String) {
        stringValue = string
    }

    init?(stringValue: String) {
        self.stringValue = stringValue
    }

    init?(intValue: Int) {
        stringValue = "\(intValue)"
        self.intValue = intValue
    }
}

extension CodingUserInfoKey {
    static let problemLog = CodingUserInfoKey(rawValue: "chaoslab.problemLog")!
}

extension Decoder {
    /// The log of the file being decoded (a throwaway log when decoding outside `LabValidator`).
    var problemLog: ProblemLog { userInfo[.problemLog] as? ProblemLog ?? ProblemLog() }

    /// Where this value sits in the lab file, for messages: "exercises[1].attack".
    var place: String { codingPlace(codingPath) }

    /// Reports a problem at this value's node and returns the error to throw.
    func report(_ message: String) -> AlreadyReported {
        problemLog.report(message, at: mark)
        return AlreadyReported()
    }

    /// Reports every key of this mapping that `Keys` does not know (likely a typo).
    func reportUnknownKeys<Keys: CodingKey & CaseIterable>(_ keys: Keys.Type) {
        guard let container = try? container(keyedBy: AnyKey.self) else { return }
        let known = Keys.allCases.map(\.stringValue)
        for key in container.allKeys where !known.contains(key.stringValue) {
            let mark = (try? container.superDecoder(forKey: key))?.mark ?? self.mark
            problemLog.report(
                "unknown field '\(key.stringValue)' in \(place); known fields: \(known.joined(separator: ", "))", at: mark)
        }
    }
}

/// Attempt decodes one element of a list or mapping, reporting instead of throwing, so that one
/// broken exercise does not hide the problems of the next.
struct Attempt<T: Decodable>: Decodable {
    let value: T?
    let mark: Mark?

    init(from decoder: any Decoder) throws {
        mark = decoder.mark
        do {
            value = try T(from: decoder)
        } catch is AlreadyReported {
            value = nil
        } catch let error as DecodingError {
            decoder.problemLog.report(describe(error, field: decoder.place), at: decoder.mark)
            value = nil
        }
    }
}

/// Turns a decoding error into a message for a person.
func describe(_ error: DecodingError, field: String) -> String {
    switch error {
    case .typeMismatch(let type, let context):
        let field = context.codingPath.isEmpty ? field : codingPlace(context.codingPath)
        let expected = friendlyName(of: type)
        let quoteHint = expected == "text" ? " (put text that contains ': ' or '#' in quotes)" : ""
        return "wrong type for '\(field)': expected \(expected)\(quoteHint)"
    case .valueNotFound(let type, let context):
        let field = context.codingPath.isEmpty ? field : codingPlace(context.codingPath)
        return "missing value for '\(field)': expected \(friendlyName(of: type))"
    case .keyNotFound(let key, _):
        return "missing required field '\(key.stringValue)' in \(field)"
    case .dataCorrupted(let context):
        return context.debugDescription
    @unknown default:
        return "invalid value for '\(field)'"
    }
}

private func friendlyName(of type: Any.Type) -> String {
    let name = String(describing: type)
    switch name {
    case "String", "Scalar": return "text"
    case "Int", "Int64": return "a whole number"
    case "Double": return "a number"
    case "Bool": return "true or false"
    case _ where name.hasPrefix("Array") || name.contains("Sequence") || name.hasPrefix("["): return "a list"
    case _ where name.contains("Mapping") || name.hasPrefix("Dictionary"): return "a mapping"
    default: return "a value of type \(name)"
    }
}
