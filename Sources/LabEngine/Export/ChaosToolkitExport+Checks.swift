// The exercise's named status checks in a Chaos Toolkit experiment: what CTK's HTTP probe with
// a status tolerance can express becomes a steady-state probe; the rest is named in the
// description, so that nothing is dropped silently.

extension ChaosToolkitExport {
    /// The exercise's http criteria (of its pre-flight and continuous checks) as probes, the
    /// services they call, and in words the criteria CTK cannot check by itself.
    static func checkProbes(_ exercise: Exercise, lab: Lab) -> (probes: [Activity], services: Set<String>, notExported: [String]) {
        let names = exercise.statusCheck.checks + (exercise.statusCheck.continuous?.checks ?? [])
        var probes: [Activity] = []
        var services: Set<String> = []
        var notExported: [String] = []
        for name in names {
            for criterion in lab.statusChecks[name]?.criteria ?? [] {
                guard case .http(let http) = criterion, let tolerance = tolerance(http.status) else {
                    notExported.append("\(name): \(criterion.kind) criterion")
                    continue
                }
                var url = http.url
                if let placeholder = http.placeholders.first {
                    let key = placeholder == "lab" ? "chaoslab_url" : "\(placeholder)_url"
                    if placeholder != "lab" { services.insert(placeholder) }
                    url = "${\(key)}" + url.dropFirst(placeholder.count + 2)
                }
                let timeout = http.maxMs.map { $0 / 1000 } ?? Double(http.timeout.milliseconds) / 1000
                let extra = [http.json.isEmpty ? nil : "json", http.matches == nil ? nil : "matches"].compactMap { $0 }
                if !extra.isEmpty { notExported.append("\(name): the \(extra.joined(separator: " and ")) part of \(http.method) \(http.url)") }
                probes.append(.probe("status check \(name): \(http.method) \(http.url)", tolerance: tolerance, .init(
                    url: url, method: http.method, headers: http.headers, timeout: timeout)))
            }
        }
        return (probes, services, notExported)
    }

    /// CTK's range tolerance for a status expectation: a range, or one code; nil for a list of several.
    private static func tolerance(_ status: StatusExpectation) -> Tolerance? {
        switch status {
        case .range(let range): Tolerance(range: [range.lowerBound, range.upperBound])
        case .codes(let codes) where codes.count == 1: Tolerance(range: [codes[0], codes[0]])
        case .codes: nil
        }
    }
}
