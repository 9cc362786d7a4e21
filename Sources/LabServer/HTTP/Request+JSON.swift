import Foundation
import Hummingbird
import LabDomain
import NIOCore

extension Request {
    /// The JSON body, decoded; any failure is a 400 that says what was wrong.
    func decodeJSON<T: Decodable>(_ type: T.Type) async throws -> T {
        try Self.decodeJSON(type, from: try await body.collect(upTo: 1 << 20))
    }

    /// The JSON body, decoded, or nil when there is none (an empty body).
    func decodeJSONIfAny<T: Decodable>(_ type: T.Type) async throws -> T? {
        let buffer = try await body.collect(upTo: 1 << 16)
        return buffer.readableBytes > 0 ? try Self.decodeJSON(type, from: buffer) : nil
    }

    /// Decodes a JSON body already read; any failure is a 400 that says what was wrong.
    static func decodeJSON<T: Decodable>(_ type: T.Type, from buffer: ByteBuffer) throws(LabError) -> T {
        do {
            return try JSONDecoder().decode(T.self, from: Data(buffer: buffer))
        } catch let DecodingError.keyNotFound(key, _) {
            throw .invalid("missing field '\(key.stringValue)' in the JSON body")
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context) {
            let path = context.codingPath.map(\.stringValue).joined(separator: ".")
            throw .invalid("wrong type for '\(path)' in the JSON body: \(context.debugDescription)")
        } catch let DecodingError.dataCorrupted(context) {
            let path = context.codingPath.map(\.stringValue).joined(separator: ".")
            throw .invalid("bad JSON body\(path.isEmpty ? "" : " at '\(path)'"): \(context.debugDescription)")
        } catch {
            throw .invalid("bad JSON body: \(error)")
        }
    }
}
