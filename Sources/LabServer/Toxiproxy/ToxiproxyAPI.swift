import FaultProxy
import Foundation
import LabDomain
import Hummingbird
import NIOCore

/// Toxiproxy 2.x's HTTP API on the lab server's port, so that Toxiproxy clients
/// (toxiproxy-cli, toxiproxy-python, Chaos Toolkit's extension) work against chaoslab
/// unchanged. The sandbox's edges are its proxies; clients may add their own.
///
/// As in Toxiproxy, requests from browsers (a `User-Agent` starting with `Mozilla/`) are
/// refused: a web page must not inject faults into the learner's machine. New proxies
/// listen on and forward to loopback only, unless the server allows otherwise.
struct ToxiproxyAPI {
    let board: FaultBoard
    let allowNonLoopback: Bool
    let seed: UInt64?

    var proxies: ProxyRegistry { board.proxies }

    // MARK: Endpoints

    func listProxies() throws -> Response {
        try jsonResponse(Dictionary(uniqueKeysWithValues: proxies.all.map { ($0.name, Toxiproxy.ProxyJSON($0.proxy)) }))
    }

    func createProxy(_ request: Request) async throws -> EditedResponse<Toxiproxy.ProxyJSON> {
        let input = try await decode(Toxiproxy.ProxyInput.self, from: request)
        return EditedResponse(status: .created, response: try await create(input))
    }

    func populate(_ request: Request) async throws -> EditedResponse<Toxiproxy.Populated> {
        let inputs = try await decode([Toxiproxy.ProxyInput].self, from: request)
        var populated: [Toxiproxy.ProxyJSON] = []
        for input in inputs { populated.append(try await populate(input)) }
        return EditedResponse(status: .created, response: Toxiproxy.Populated(proxies: populated))
    }

    func deleteProxy(_ context: LabRequestContext) async throws -> Response {
        let proxy = try proxy(context)
        guard !proxies.edgeNames.contains(proxy.name) else {
            throw APIError.conflict("\(proxy.name) is one of the sandbox's edges: it cannot be deleted; disable it instead ({\"enabled\": false})")
        }
        _ = proxies.remove(named: proxy.name)
        await proxy.stop()
        return Response(status: .noContent)
    }

    func reset() async -> Response {
        for (_, proxy) in proxies.all { await proxy.removeAllFaults() }
        return Response(status: .noContent)
    }

    func listToxics(_ context: LabRequestContext) throws -> Response {
        try jsonResponse(try proxy(context).toxics.map { Toxiproxy.ToxicJSON($0.toxic) })
    }

    func createToxic(_ request: Request, _ context: LabRequestContext) async throws -> Toxiproxy.ToxicJSON {
        let proxy = try proxy(context)
        return try await addToxic(try await decode(Toxiproxy.ToxicInput.self, from: request), to: proxy)
    }

    func showToxic(_ context: LabRequestContext) throws -> Toxiproxy.ToxicJSON {
        Toxiproxy.ToxicJSON(try toxic(context, on: try proxy(context)).toxic)
    }

    func deleteToxic(_ context: LabRequestContext) throws -> Response {
        let proxy = try proxy(context)
        let name = try toxic(context, on: proxy).toxic.name
        proxy.removeToxic(named: name)
        return Response(status: .noContent)
    }

    // MARK: Proxies

    func proxy(_ context: LabRequestContext) throws -> FaultProxy {
        let name = try context.parameters.require("proxy")
        guard let proxy = proxies.proxy(named: name) else {
            throw APIError.notFound("proxy not found: no proxy named '\(name)'; proxies: \(proxies.names.joined(separator: ", "))")
        }
        return proxy
    }

    private func create(_ input: Toxiproxy.ProxyInput) async throws -> Toxiproxy.ProxyJSON {
        guard let name = input.name, !name.isEmpty else { throw APIError.badRequest("missing required field: name") }
        guard let upstreamText = input.upstream, !upstreamText.isEmpty else {
            throw APIError.badRequest("missing required field: upstream")
        }
        guard proxies.proxy(named: name) == nil else { throw APIError.conflict("proxy already exists: \(name)") }
        let listen = try address(input.listen ?? "127.0.0.1:0", field: "listen")
        let upstream = try address(upstreamText, field: "upstream")
        let proxy = FaultProxy(
            name: name, listenHost: listen.host, listenPort: listen.port,
            upstreamHost: upstream.host, upstreamPort: upstream.port, seed: seed)
        if input.enabled == false { try await board.addDisable(of: proxy) }
        guard proxies.insert(proxy) else { throw APIError.conflict("proxy already exists: \(name)") }
        do {
            try await proxy.start()
        } catch {
            _ = proxies.remove(named: name)
            await proxy.stop()
            throw APIError.conflict("cannot create proxy \(name): \(error)")
        }
        return Toxiproxy.ProxyJSON(proxy)
    }

    /// Creates a proxy, or keeps the one of that name if it matches, or replaces it.
    private func populate(_ input: Toxiproxy.ProxyInput) async throws -> Toxiproxy.ProxyJSON {
        guard let name = input.name, !name.isEmpty else { throw APIError.badRequest("missing required field: name") }
        guard let existing = proxies.proxy(named: name) else { return try await create(input) }
        let sameListen = input.listen.map { (try? address($0, field: "listen")).map { "\($0.host):\($0.port)" } == existing.listenAddress || $0.hasSuffix(":0") } ?? true
        let sameUpstream = input.upstream.map { (try? address($0, field: "upstream")).map { "\($0.host):\($0.port)" } == existing.upstream } ?? true
        if sameListen && sameUpstream {
            if let enabled = input.enabled { try await setEnabled(enabled, on: existing) }
            return Toxiproxy.ProxyJSON(existing)
        }
        guard !proxies.edgeNames.contains(name) else {
            throw APIError.conflict("\(name) is one of the sandbox's edges: its listen address and upstream cannot change")
        }
        _ = proxies.remove(named: name)
        await existing.stop()
        return try await create(input)
    }

    func update(_ proxy: FaultProxy, with request: Request) async throws -> Toxiproxy.ProxyJSON {
        let input = try await decode(Toxiproxy.ProxyInput.self, from: request)
        let isEdge = proxies.edgeNames.contains(proxy.name)
        if let upstreamText = input.upstream, upstreamText != proxy.upstream {
            guard !isEdge else {
                throw APIError.conflict("\(proxy.name) is one of the sandbox's edges: its upstream follows the service and cannot be set")
            }
            let upstream = try address(upstreamText, field: "upstream")
            proxy.setUpstream(host: upstream.host, port: upstream.port)
        }
        if let listenText = input.listen, listenText != proxy.listenAddress {
            guard !isEdge else {
                throw APIError.conflict("\(proxy.name) is one of the sandbox's edges: the services call it at \(proxy.listenAddress), which cannot change")
            }
            let listen = try address(listenText, field: "listen")
            do {
                try await proxy.setListen(host: listen.host, port: listen.port)
            } catch {
                throw APIError.conflict("cannot move proxy \(proxy.name) to \(listenText): \(error)")
            }
        }
        if let enabled = input.enabled { try await setEnabled(enabled, on: proxy) }
        return Toxiproxy.ProxyJSON(proxy)
    }

    private func setEnabled(_ enabled: Bool, on proxy: FaultProxy) async throws {
        guard enabled != proxy.isEnabled else { return }
        if enabled {
            do {
                try await proxy.enable()
            } catch {
                throw APIError.conflict("cannot enable proxy \(proxy.name): \(error)")
            }
        } else {
            try await board.addDisable(of: proxy)
        }
    }

    /// Reads "HOST:PORT" ("[::1]:PORT" for IPv6); only loopback unless allowed.
    private func address(_ text: String, field: String) throws -> (host: String, port: Int) {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (0...65535).contains(port) else {
            throw APIError.badRequest("\(field) must be HOST:PORT, e.g. 127.0.0.1:26379, got '\(text)'")
        }
        var host = String(text[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        if host.isEmpty { host = "127.0.0.1" }
        if field == "upstream" && port == 0 { throw APIError.badRequest("upstream needs a port other than 0, got '\(text)'") }
        guard allowNonLoopback || isLoopback(host) else {
            throw APIError(.forbidden, "\(field) \(text) is not a loopback address: this lab server only proxies 127.0.0.1, ::1 and localhost (start it with --allow-remote-proxies to lift this)")
        }
        return (host, port)
    }

    // MARK: JSON

    func decode<T: Decodable>(_ type: T.Type, from request: Request) async throws -> T {
        let buffer = try await request.body.collect(upTo: 1 << 20)
        do {
            return try JSONDecoder().decode(T.self, from: Data(buffer: buffer))
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context) {
            let path = context.codingPath.map(\.stringValue).joined(separator: ".")
            throw APIError.badRequest("bad request body: wrong type for '\(path)': \(context.debugDescription)")
        } catch {
            throw APIError.badRequest("bad request body: not the JSON expected (\(error))")
        }
    }

    func jsonResponse(_ value: some Encodable) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return Response(
            status: .ok, headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(bytes: try encoder.encode(value))))
    }
}
