import Foundation
import LabEngine
import Sandbox

/// The JSON bodies of the lab API, shared by the server and the command line.
public enum API {
    public struct Health: Codable, Sendable {
        public var status: String
        public var version: String

        public init(status: String, version: String) {
            self.status = status
            self.version = version
        }
    }

    public struct LabList: Codable, Sendable {
        public var labs: [LabInfo]
        /// Lab files that did not load, as `FILE:LINE:COL: message`.
        public var problems: [String]

        public init(labs: [LabInfo], problems: [String]) {
            self.labs = labs
            self.problems = problems
        }
    }

    public struct LabInfo: Codable, Sendable {
        public var id: String
        public var title: String
        public var summary: String?
        public var estimatedMinutes: Int?
        public var exercises: [String]

        enum CodingKeys: String, CodingKey {
            case id, title, summary, exercises
            case estimatedMinutes = "estimated_minutes"
        }

        public init(id: String, title: String, summary: String? = nil, estimatedMinutes: Int? = nil, exercises: [String]) {
            self.id = id
            self.title = title
            self.summary = summary
            self.estimatedMinutes = estimatedMinutes
            self.exercises = exercises
        }
    }
}
