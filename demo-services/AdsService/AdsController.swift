import Hummingbird
import ShopKit
import ShopModel

/// AdsController serves `GET /ads?context=…`: one ad, always the same for the same context.
/// While the `empty` service fault is in force it answers 200 with no ad at all (a gray failure).
struct AdsController {
    let faults: ServiceFaults

    static let catalog: [Ad] = [
        Ad(id: "ad-1", text: "Fresh beans, roasted this week: try the house espresso.", url: "/products/espresso-beans"),
        Ad(id: "ad-2", text: "Brew slower: the pour-over kettle is back in stock.", url: "/products/pour-over-kettle"),
        Ad(id: "ad-3", text: "A mug for every desk, now in three colours.", url: "/products/stoneware-mug"),
    ]

    /// The ad shown for `context`, picked by a stable sum of its characters.
    static func ad(for context: String) -> Ad {
        let sum = context.unicodeScalars.reduce(0) { $0 + Int($1.value) }
        return catalog[sum % catalog.count]
    }

    func addRoutes(to router: Router<ShopRequestContext>) {
        router.get("/ads") { request, _ in
            let context = request.uri.queryParameters["context"].map(String.init) ?? "home"
            if await faults.isActive(.empty) {
                return ShopJSON.response(AdsAnswer(ads: []))
            }
            return ShopJSON.response(AdsAnswer(ads: [Self.ad(for: context)]))
        }
    }
}
