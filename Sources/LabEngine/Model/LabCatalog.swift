/// LabCatalog is what a lab directory holds: the labs that loaded and the problems of the rest.
public struct LabCatalog: Sendable {
    /// Valid labs, sorted by id.
    public var labs: [Lab]
    /// Problems of the files that did not load, by file, then line.
    public var problems: [LabProblem]

    public init(labs: [Lab], problems: [LabProblem]) {
        self.labs = labs
        self.problems = problems
    }

    /// The lab with this id, if it loaded.
    public func lab(_ id: String) -> Lab? {
        labs.first { $0.id == id }
    }
}
