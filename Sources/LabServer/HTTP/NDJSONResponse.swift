import Foundation
import LabDomain
import Hummingbird
import NIOCore

/// A streamed answer of newline-delimited JSON: one line per element of `lines` as it
/// arrives, and the body ends once `lines` has finished and `work` is done. A client that
/// goes away (a killed command line, a closed tab) is noticed at the next line written,
/// within a second while an experiment runs: `clientGone` is called once (an experiment
/// halts), and the writing stops.
func ndjsonResponse<Line: Encodable & Sendable>(
    _ lines: AsyncStream<Line>, after work: Task<Void, Never>, clientGone: @escaping @Sendable () -> Void = {}
) -> Response {
    let body = ResponseBody { writer in
        let encoder = JSONEncoder()
        for await line in lines {
            var data = (try? encoder.encode(line)) ?? Data("{}".utf8)
            data.append(UInt8(ascii: "\n"))
            do {
                try await writer.write(ByteBuffer(bytes: data))
            } catch {
                clientGone()
                break
            }
        }
        await work.value
        try? await writer.finish(nil)
    }
    return Response(status: .ok, headers: [.contentType: "application/x-ndjson"], body: body)
}
