import Foundation
@testable import LabEngine

/// The test fixtures and the shipped labs, by name.
enum Fixtures {
    static func url(_ name: String) -> URL {
        Bundle.module.url(forResource: name, withExtension: "yaml", subdirectory: "Fixtures")!
    }

    static func text(_ name: String) throws -> String {
        try String(contentsOf: url(name), encoding: .utf8)
    }

    /// Validates a fixture; the problems, or [] when it is valid.
    static func problems(_ name: String) throws -> [LabProblem] {
        switch LabValidator.validate(yaml: try text(name), file: "\(name).yaml") {
        case .success: []
        case .failure(let error): error.problems
        }
    }

    static func validLab() throws -> Lab {
        try LabLoader.load(file: url("ValidLab"))
    }

    /// The package's Labs/ directory, found from this file's path.
    static var shippedLabsDirectory: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Labs")
    }
}
