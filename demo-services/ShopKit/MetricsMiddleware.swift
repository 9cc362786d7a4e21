import Hummingbird

/// MetricsMiddleware counts every request by route and status and times it (see ``ShopMetrics``).
struct MetricsMiddleware: RouterMiddleware {
    typealias Context = ShopRequestContext
    let metrics: ShopMetrics

    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let clock = ContinuousClock()
        let start = clock.now
        do {
            let response = try await next(request, context)
            record(request, context: context, status: Int(response.status.code), since: start, clock: clock)
            return response
        } catch {
            record(request, context: context, status: 500, since: start, clock: clock)
            throw error
        }
    }

    private func record(
        _ request: Request, context: Context, status: Int, since start: ContinuousClock.Instant, clock: ContinuousClock
    ) {
        metrics.recordRequest(
            method: request.method.rawValue,
            route: context.endpointPath ?? "NotFound",  // Hummingbird names unmatched requests "NotFound" too
            status: status,
            duration: clock.now - start
        )
    }
}
