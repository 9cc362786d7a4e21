import Hummingbird

/// BasePath is where a reverse proxy serves the storefront's pages, from the de-facto standard
/// `X-Forwarded-Prefix` header (`/teams/red/shop`): every link, form, redirect and the session
/// cookie's path are put under it, so that a proxy passes the pages through unchanged. Without
/// the header, or with one that is not a plain path (`/segment/segment`, letters, digits, `.`,
/// `_` and `-`), the pages are at the root.
struct BasePath: Sendable, Equatable {
    /// "" (the root) or "/teams/red/shop", never ending in "/".
    let prefix: String

    static let root = BasePath(prefix: "")

    init(prefix: String) {
        self.prefix = Self.isPlainPath(prefix) ? prefix : ""
    }

    init(request: Request) {
        self.init(prefix: request.headers[.init("X-Forwarded-Prefix")!] ?? "")
    }

    /// A path of the shop (`/`, `/cart/add`, `/#sku`) under the prefix; anything else (an
    /// absolute URL, `//host`) as it is.
    func link(_ path: String) -> String {
        path.hasPrefix("/") && !path.hasPrefix("//") ? prefix + path : path
    }

    /// The session cookie's path: the prefix's own folder, or the root.
    var cookiePath: String { prefix.isEmpty ? "/" : prefix + "/" }

    private static func isPlainPath(_ text: String) -> Bool {
        let segments = text.split(separator: "/", omittingEmptySubsequences: false)
        guard text.hasPrefix("/"), segments.count >= 2, text.count <= 200 else { return false }
        return segments.dropFirst().allSatisfy { segment in
            !segment.isEmpty && segment != "." && segment != ".." && segment.unicodeScalars.allSatisfy { scalar in
                scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || "._-".unicodeScalars.contains(scalar))
            }
        }
    }
}
