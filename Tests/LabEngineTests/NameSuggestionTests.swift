import Testing

@testable import LabEngine

@Suite("Did you mean")
struct NameSuggestionTests {
    let labs = ["is-ads-optional", "latency-is-not-an-outage", "dependency-matrix", "cache-stampede"]

    @Test("a typo gets the closest lab; a name far from every lab gets none")
    func suggestions() {
        #expect(NameSuggestion.closest(to: "is-ads-optinal", among: labs) == "is-ads-optional")
        #expect(NameSuggestion.closest(to: "Dependency-Matrx", among: labs) == "dependency-matrix")
        #expect(NameSuggestion.closest(to: "kubernetes", among: labs) == nil)
        #expect(NameSuggestion.didYouMean("is-ads-optionl", among: labs) == " Did you mean 'is-ads-optional'?")
        #expect(NameSuggestion.didYouMean("x", among: labs) == "")
    }

    @Test("edit distance counts insertions, deletions and substitutions")
    func distance() {
        #expect(NameSuggestion.editDistance(Array("kitten"), Array("sitting")) == 3)
        #expect(NameSuggestion.editDistance(Array(""), Array("abc")) == 3)
        #expect(NameSuggestion.editDistance(Array("same"), Array("same")) == 0)
    }
}
