import Hummingbird
import HummingbirdTesting
import LabDomain
import Testing

@testable import LabServer

/// Each domain error answers with its status and its own message, as `{"error", "status"}`.
@Suite struct ErrorMappingTests {
    @Test("every domain error has its status", arguments: [
        (LabError.notFound("x"), 404), (.invalid("x"), 400), (.conflict("x"), 409), (.faultsLocked("x"), 423),
        (.unavailable("x"), 503), (.serviceRefused("x"), 502), (.unauthenticated("x"), 401), (.forbidden("x"), 403),
        (.failed("x"), 500),
    ])
    func status(of error: LabError, is code: Int) {
        let answer = APIError(error)
        #expect(Int(answer.status.code) == code)
        #expect(answer.message == error.message)
    }

    @Test("what the domain refuses reaches the client with the domain's message and its status")
    func throughTheRoutes() async throws {
        try await InProcessServer().test { client in
            // notFound: an unknown lab.
            var response = try await client.call(.get, "/api/labs/no-such-lab/guide")
            #expect(response.status == .notFound)
            #expect(response.errorAnswer()?.error.hasPrefix("unknown lab 'no-such-lab'. Labs: ") == true)
            // A typo gets a suggestion.
            response = try await client.call(.get, "/api/labs/is-ads-optinal/guide")
            #expect(response.errorAnswer()?.error.hasPrefix("unknown lab 'is-ads-optinal'. Did you mean 'is-ads-optional'? Labs: ") == true)

            // invalid: a body of the wrong shape, and a value the domain refuses.
            response = try await client.call(.post, "/api/faults", json: #"{"target": 1}"#)
            #expect(response.status == .badRequest)
            #expect(response.errorAnswer()?.error.hasPrefix("wrong type for 'target' in the JSON body") == true)
            response = try await client.call(.post, "/api/faults", json: #"{"target": "storefront-ads", "type": "latency", "ttl_ms": 0}"#)
            #expect(response.errorAnswer() == ErrorAnswer(error: "ttl_ms must be between 1 and 3600000 (one hour), got 0", status: 400))

            // conflict: a hypothesis for a run that is finished.
            response = try await client.call(.post, "/api/runs", json: #"{"lab": "is-ads-optional", "learner": "Ada"}"#)
            #expect(response.status == .created)
            let run = try response.json(API.RunInfo.self).run
            response = try await client.call(.put, "/api/runs/\(run)/diagram", json: #"{"edges": {"storefront->ads": true}}"#)
            #expect(response.status == .noContent)
            response = try await client.call(.post, "/api/runs/\(run)/finish")
            #expect(response.status == .ok)
            response = try await client.call(.put, "/api/runs/\(run)/exercises/block-ads/hypothesis", json: #"{"outcome": "broken"}"#)
            #expect(response.errorAnswer() == ErrorAnswer(
                error: "run \(run) is finished; start a new one with chaoslab run is-ads-optional", status: 409))

            // faultsLocked: an emergency stop with the lock, then a new fault.
            response = try await client.call(.post, "/api/halt", json: #"{"lock": true}"#)
            #expect(response.status == .ok)
            response = try await client.call(.post, "/api/faults", json: #"{"target": "storefront-ads", "type": "latency"}"#)
            #expect(response.status.code == 423)
            #expect(response.errorAnswer()?.error.hasPrefix("faults are locked by an emergency stop") == true)
            // The lock answers first, whatever else is wrong with the request.
            response = try await client.call(.post, "/api/faults", json: #"{"target": "nowhere", "type": "latency", "ttl_ms": 0}"#)
            #expect(response.status.code == 423)
            response = try await client.call(.post, "/api/unlock")
            #expect(try response.json(API.LockState.self).locked == false)

            // unavailable: a service fault on a service that is not running.
            response = try await client.call(.post, "/api/faults", json: #"{"target": "ads", "type": "errors", "attributes": {"rate": 0.5}}"#)
            #expect(response.errorAnswer() == ErrorAnswer(error: "service ads is not running; check `chaoslab status`", status: 503))

            // An unknown route says where the API lives.
            response = try await client.call(.get, "/api/nothing-here")
            #expect(response.errorAnswer() == ErrorAnswer(error: "no route for GET /api/nothing-here; the lab API lives under /api", status: 404))
        }
    }
}
