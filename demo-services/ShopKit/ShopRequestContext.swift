import Foundation
import Hummingbird

/// ShopRequestContext is the request context of every service: JSON bodies use snake_case keys.
package struct ShopRequestContext: RequestContext {
    package var coreContext: CoreRequestContextStorage

    package init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
    }

    package var requestDecoder: JSONDecoder { ShopJSON.decoder() }
    package var responseEncoder: JSONEncoder { ShopJSON.encoder() }
}

/// ShopJSON holds the coders shared by servers and clients: snake_case on the wire, sorted keys.
package enum ShopJSON {
    package static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    package static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return decoder
    }

    package static func encode(_ value: some Encodable) -> ByteBuffer {
        // Encoding our own plain structs cannot fail.
        ByteBuffer(bytes: try! encoder().encode(value))
    }

    package static func decode<T: Decodable>(_ type: T.Type, from buffer: ByteBuffer) throws -> T {
        try decoder().decode(type, from: Data(buffer.readableBytesView))
    }

    /// A JSON response with `status`.
    package static func response(_ value: some Encodable, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status,
            headers: [.contentType: "application/json; charset=utf-8"],
            body: .init(byteBuffer: encode(value))
        )
    }
}
