import FaultProxy
import Foundation
import LabDomain
import Hummingbird
import NIOCore

// The toxics of one proxy: find, add, update.
extension ToxiproxyAPI {
    func toxic(_ context: LabRequestContext, on proxy: FaultProxy) throws -> ActiveToxic {
        let name = try context.parameters.require("toxic")
        guard let toxic = proxy.toxic(named: name) else {
            throw APIError.notFound("toxic not found: \(proxy.name) has no toxic named '\(name)'")
        }
        return toxic
    }

    func addToxic(_ input: Toxiproxy.ToxicInput, to proxy: FaultProxy) async throws -> Toxiproxy.ToxicJSON {
        guard let type = input.type, !type.isEmpty else { throw APIError.badRequest("missing required field: type") }
        let streamText = input.stream.map { $0.lowercased() } ?? "downstream"
        guard let stream = ToxicStream(rawValue: streamText.isEmpty ? "downstream" : streamText) else {
            throw APIError.badRequest("stream was invalid, can be either upstream or downstream; got '\(input.stream ?? "")'")
        }
        guard ToxicKind.attributeNames(of: type) != nil else {
            throw APIError.badRequest("invalid toxic type '\(type)'; types: \(ToxicKind.types.joined(separator: ", "))")
        }
        do {
            let kind = try ToxicKind(type: type, attributes: input.givenAttributes)
            let toxic = Toxic(name: input.name.flatMap { $0.isEmpty ? nil : $0 }, kind: kind, stream: stream, toxicity: input.toxicity ?? 1)
            let added = try await board.addToxic(toxic, to: proxy)
            return Toxiproxy.ToxicJSON(added.toxic)
        } catch let error as ToxicError {
            throw APIError.badRequest(error.message)
        } catch let error as FaultProxyError {
            throw APIError.conflict(error.description)
        }
    }

    func updateToxic(_ request: Request, _ context: LabRequestContext) async throws -> Toxiproxy.ToxicJSON {
        let proxy = try proxy(context)
        let current = try toxic(context, on: proxy).toxic
        let input = try await decode(Toxiproxy.ToxicInput.self, from: request)
        var attributes = current.kind.attributes
        attributes.merge(input.givenAttributes) { _, new in new }
        do {
            let kind = try ToxicKind(type: current.type, attributes: attributes)
            return Toxiproxy.ToxicJSON(try proxy.updateToxic(named: current.name, kind: kind, toxicity: input.toxicity ?? current.toxicity).toxic)
        } catch let error as ToxicError {
            throw APIError.badRequest(error.message)
        } catch let error as FaultProxyError {
            throw APIError.notFound(error.description)
        }
    }
}
