/// "Did you mean …?" for a mistyped name: the known name closest to it by edit distance,
/// when it is close enough to be a typo (at most a third of its length, and at most 3 edits).
public enum NameSuggestion {
    public static func closest(to name: String, among known: [String]) -> String? {
        let typed = Array(name.lowercased())
        let limit = min(3, max(1, typed.count / 3))
        var best: (name: String, distance: Int)?
        for candidate in known {
            let distance = editDistance(typed, Array(candidate.lowercased()))
            if distance <= limit, distance < (best?.distance ?? .max) { best = (candidate, distance) }
        }
        return best?.name
    }

    /// " Did you mean 'x'?" or "".
    public static func didYouMean(_ name: String, among known: [String]) -> String {
        closest(to: name, among: known).map { " Did you mean '\($0)'?" } ?? ""
    }

    /// Levenshtein distance: insertions, deletions and substitutions.
    static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        var previous = Array(0...b.count)
        for (i, x) in a.enumerated() {
            var current = [i + 1]
            for (j, y) in b.enumerated() {
                current.append(min(previous[j + 1] + 1, current[j] + 1, previous[j] + (x == y ? 0 : 1)))
            }
            previous = current
        }
        return previous[b.count]
    }
}
