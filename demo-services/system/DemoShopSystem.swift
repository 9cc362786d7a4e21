import Foundation

/// The demo shop's system file, `shop.yaml` beside this file, shipped with the build: what
/// `chaoslab start` runs when it is given no `--system`.
public enum DemoShopSystem {
    /// Where the built copy of `shop.yaml` is.
    public static var file: URL {
        guard let url = Bundle.module.url(forResource: "shop", withExtension: "yaml") else {
            fatalError("the build has no copy of demo-services/system/shop.yaml; rebuild with `swift build`")
        }
        return url
    }
}
