import Hummingbird
import ShopKit

/// KeyValueStore is the cache's memory: keys to stored bytes.
actor KeyValueStore {
    private var entries: [String: ByteBuffer] = [:]

    func get(_ key: String) -> ByteBuffer? { entries[key] }
    func put(_ key: String, _ value: ByteBuffer) { entries[key] = value }
    func delete(_ key: String) { entries[key] = nil }
}

/// CacheController serves the key/value API: `GET`, `PUT` and `DELETE /kv/{key}`.
struct CacheController {
    let store: KeyValueStore

    func addRoutes(to group: RouterGroup<ShopRequestContext>) {
        group.get("{key}") { _, context in
            let key = try context.parameters.require("key")
            guard let value = await store.get(key) else {
                throw ShopHTTPError(.notFound, "no key '\(key)'")
            }
            return Response(
                status: .ok,
                headers: [.contentType: "application/octet-stream"],
                body: .init(byteBuffer: value)
            )
        }
        group.put("{key}") { request, context in
            let key = try context.parameters.require("key")
            let value = try await request.body.collect(upTo: 4 * 1024 * 1024)
            await store.put(key, value)
            return HTTPResponse.Status.noContent
        }
        group.delete("{key}") { _, context in
            await store.delete(try context.parameters.require("key"))
            return HTTPResponse.Status.noContent
        }
    }
}
