import ShopDependencyClient
import ShopKit
import ShopModel

/// PageCacheClient reads and writes the home page's product listing in the cache under `page:home`.
struct PageCacheClient: Sendable {
    let cache: DependencyClient
    static let key = "page:home"

    /// The cached listing, or nil on a miss.
    func listing(timeoutMS: Int) async throws -> [Product]? {
        let answer = try await cache.send("GET", "/kv/\(Self.key)", timeoutMS: timeoutMS)
        if answer.status == 404 { return nil }
        guard answer.isSuccess else {
            throw DependencyError.failed(dependency: cache.name, status: answer.status, message: answer.errorMessage)
        }
        return try answer.decode([Product].self, from: cache.name)
    }

    func store(_ products: [Product], timeoutMS: Int) async throws {
        let answer = try await cache.send("PUT", "/kv/\(Self.key)", body: ShopJSON.encode(products), timeoutMS: timeoutMS)
        guard answer.isSuccess else {
            throw DependencyError.failed(dependency: cache.name, status: answer.status, message: answer.errorMessage)
        }
    }
}
