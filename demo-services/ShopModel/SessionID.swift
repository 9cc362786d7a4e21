import Hummingbird

/// SessionID is the storefront's session, which is also the cart id at checkout.
///
/// Taken from the `X-Session` header, else the `session` cookie, else made new (and then set as a cookie).
package struct SessionID: Sendable {
    package let value: String
    /// True when the request carried no session: the answer must set the cookie.
    package let isNew: Bool

    package init(request: Request) {
        let header = request.headers[.init("X-Session")!]
        let cookie = request.cookies["session"]?.value
        if let given = header ?? cookie, Self.isValid(given) {
            self.value = given
            self.isNew = false
        } else {
            self.value = Self.random()
            self.isNew = true
        }
    }

    /// Sets the session cookie on `response` when the session is new, for the pages under `path`.
    package func apply(to response: inout Response, path: String = "/") {
        guard isNew else { return }
        response.setCookie(Cookie(name: "session", value: value, path: path, httpOnly: true, sameSite: .lax))
    }

    /// 1 to 64 characters among letters, digits, '-' and '_': safe in a URL path and a cache key.
    package static func isValid(_ id: String) -> Bool {
        !id.isEmpty && id.count <= 64 && id.unicodeScalars.allSatisfy { scalar in
            scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || scalar == "-" || scalar == "_")
        }
    }

    package static func random() -> String {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789")
        return String((0..<16).map { _ in alphabet.randomElement()! })
    }
}
