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

    /// A lab of one edge (storefront->ads) and one journey (checkout: the home page) around
    /// `exercises`, a YAML list indented as under `exercises:`; the problems validation finds.
    static func problems(ofExercises exercises: String) -> [LabProblem] {
        let yaml = """
            id: exercises
            title: Exercises
            architecture:
              edges:
                - { from: storefront, to: ads, critical: false }
            journeys:
              checkout:
                steps: [ "GET storefront /" ]
                slo: { success_rate: 0.99, p95_ms: 500 }
            exercises:
            \(exercises)
            """
        switch LabValidator.validate(yaml: yaml, file: "exercises.yaml") {
        case .success: return []
        case .failure(let error): return error.problems
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
