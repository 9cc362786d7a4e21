/// Ad is one banner: a line of text and the product page it links to.
package struct Ad: Codable, Equatable, Sendable {
    package let id: String
    package let text: String
    package let url: String

    package init(id: String, text: String, url: String) {
        self.id = id
        self.text = text
        self.url = url
    }
}

/// AdsAnswer is the ad service's answer to `GET /ads?context=…`: one ad, or none in a gray failure.
package struct AdsAnswer: Codable, Sendable {
    package let ads: [Ad]

    package init(ads: [Ad]) {
        self.ads = ads
    }
}
