/// LabProblem is one defect of a lab file, pointing at the YAML node that carries it.
public struct LabProblem: Error, Hashable, Sendable, Codable, CustomStringConvertible {
    /// The file's name as given to the loader (a path or just "is-ads-optional.yaml").
    public var file: String
    /// 1-based; 0 when the problem has no place in the file (an unreadable file).
    public var line: Int
    /// 1-based.
    public var column: Int
    /// What is wrong and how to fix it.
    public var message: String

    public init(file: String, line: Int, column: Int, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    /// "FILE:LINE:COL: message", the form editors and terminals link to.
    public var description: String { "\(file):\(line):\(column): \(message)" }
}

/// LabLoadError is why a lab file did not load: every problem found, not just the first.
public struct LabLoadError: Error, Sendable, CustomStringConvertible {
    public var problems: [LabProblem]

    public init(problems: [LabProblem]) {
        self.problems = problems
    }

    public var description: String { problems.map(\.description).joined(separator: "\n") }
}

/// LabFieldError says why one value of a lab file is wrong and how to write it instead.
public struct LabFieldError: Error, Equatable, Sendable {
    public let message: String

    public init(message: String) {
        self.message = message
    }
}
