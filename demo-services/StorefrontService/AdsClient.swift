import ShopDependencyClient
import ShopModel

/// AdsClient asks ads for the banner of a page.
struct AdsClient: Sendable {
    let ads: DependencyClient

    /// The first ad for `context`; an empty list is a failure too (the gray failure of the labs).
    func ad(for context: String, timeoutMS: Int) async throws -> Ad {
        let answer = try await ads.send("GET", "/ads?context=\(context)", timeoutMS: timeoutMS)
        guard answer.isSuccess else {
            throw DependencyError.failed(dependency: ads.name, status: answer.status, message: answer.errorMessage)
        }
        guard let ad = try answer.decode(AdsAnswer.self, from: ads.name).ads.first else {
            throw DependencyError.badAnswer(dependency: ads.name, reason: "no ad in the answer")
        }
        return ad
    }
}
