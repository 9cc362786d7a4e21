import AsyncHTTPClient
import Foundation
import LabDomain
import LabServer
import NIOCore

/// Talks to a running lab server's JSON API on behalf of the command line.
struct LabClient {
    let baseURL: String
    let client = LabClient.http

    /// Fails fast when nothing listens: no retrying a refused connection until the deadline.
    private static let http: HTTPClient = {
        var configuration = HTTPClient.Configuration()
        configuration.timeout.connect = .seconds(2)
        configuration.connectionPool.retryConnectionEstablishment = false
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }()

    /// Sent as `Authorization: Bearer TOKEN` when set (group mode).
    let token: String?

    init(_ options: ServerOptions) {
        baseURL = options.baseURL
        token = options.resolvedToken
    }

    func get<T: Decodable>(_ path: String, as type: T.Type = T.self) async throws -> T {
        try await send("GET", path, body: Optional<String>.none)
    }

    @discardableResult
    func send<Body: Encodable, T: Decodable>(_ method: String, _ path: String, body: Body?, as type: T.Type = T.self) async throws -> T {
        let response = try await execute(method, path, body: body, timeout: .seconds(30))
        let data = try await collect(response)
        if T.self == NoContent.self { return NoContent() as! T }
        do {
            return try JSONDecoder.api.decode(T.self, from: data)
        } catch {
            throw CLIError("the lab server at \(baseURL) sent an answer this chaoslab cannot read (\(error)); are both the same version?")
        }
    }

    /// Sends a request whose answer is newline-delimited JSON, handing over each line as it arrives.
    func stream<Body: Encodable>(_ method: String, _ path: String, body: Body?, accept: String? = nil, line: (Data) throws -> Void) async throws {
        let response = try await execute(method, path, body: body, accept: accept, timeout: .hours(1))
        guard response.status.code < 300 else { _ = try await collect(response); return }
        var pending = Data()
        for try await chunk in response.body {
            pending.append(contentsOf: chunk.readableBytesView)
            while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                let lineData = pending[pending.startIndex..<newline]
                pending = Data(pending[pending.index(after: newline)...])
                if !lineData.isEmpty { try line(Data(lineData)) }
            }
        }
        if !pending.isEmpty { try line(pending) }
    }

    private func execute<Body: Encodable>(_ method: String, _ path: String, body: Body?, accept: String? = nil, timeout: TimeAmount) async throws -> HTTPClientResponse {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = .init(rawValue: method)
        if let accept { request.headers.add(name: "Accept", value: accept) }
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: try JSONEncoder().encode(body)))
        }
        do {
            return try await client.execute(request, timeout: timeout)
        } catch {
            let address = baseURL.replacingOccurrences(of: "http://", with: "")
            throw CLIError("""
                no lab server answers at \(address) (\(Self.reason(for: error))); start one with \
                `swift run chaoslab start` in another terminal, or pass the --port it listens on
                """)
        }
    }

    /// A transport error in a few words: "connection refused", "no answer within the time allowed".
    static func reason(for error: any Error) -> String {
        let text = String(describing: error)
        if text.localizedCaseInsensitiveContains("refused") { return "connection refused" }
        if let error = error as? HTTPClientError {
            switch error {
            case .deadlineExceeded, .readTimeout: return "no answer within the time allowed"
            case .connectTimeout: return "the connection timed out"
            case .remoteConnectionClosed: return "it closed the connection"
            default: break
            }
        }
        if text.localizedCaseInsensitiveContains("reset") { return "connection reset" }
        return text
    }

    private func collect(_ response: HTTPClientResponse) async throws -> Data {
        let buffer = try await response.body.collect(upTo: 16 << 20)
        let data = Data(buffer: buffer)
        guard (200..<300).contains(Int(response.status.code)) else {
            if let error = try? JSONDecoder().decode(ErrorBody.self, from: data) { throw CLIError(error.error) }
            throw CLIError("the lab server answered \(response.status.code): \(String(decoding: data, as: UTF8.self))")
        }
        return data
    }
}

struct NoContent: Codable {}

/// An error the command line reports as it is, and exits non-zero.
struct CLIError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

extension JSONDecoder {
    static var api: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }
}

/// Writes to standard output at once (a pipe would otherwise buffer it).
func say(_ text: String = "", terminator: String = "\n") {
    do {
        try FileHandle.standardOutput.write(contentsOf: Data((text + terminator).utf8))
    } catch {
        exit(0)  // the reader went away (`chaoslab status | head`): nothing more to say
    }
}

func printJSON<T: Encodable>(_ value: T) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    encoder.dateEncodingStrategy = .iso8601
    say(String(decoding: try encoder.encode(value), as: UTF8.self))
}

/// Writes progress to standard error, so that standard output stays the answer (`--json`).
func sayError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}
