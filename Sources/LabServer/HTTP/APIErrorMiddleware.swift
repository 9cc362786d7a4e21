import Hummingbird
import LabDomain

/// Turns every error below it into the lab API's JSON error, `{"error": "...", "status": N}`:
/// unknown routes, missing parameters and unexpected failures included.
struct APIErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            throw error
        } catch let error as LabError {
            throw APIError(error)
        } catch let error as HTTPError where error.status == .notFound && error.body == nil {
            throw APIError.notFound("no route for \(request.method) \(request.uri.path); the lab API lives under /api")
        } catch let error as HTTPError {
            throw APIError(error.status, error.body ?? error.status.reasonPhrase.lowercased())
        } catch {
            context.logger.error("request failed", metadata: ["path": "\(redacted(request.uri.path))", "error": "\(error)"])
            throw APIError(.internalServerError, "internal error: \(error)")
        }
    }
}
