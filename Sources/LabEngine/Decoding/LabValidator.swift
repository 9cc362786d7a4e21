import Foundation
import Yams

/// LabValidator turns the text of a lab file into a `Lab`, or into every problem it has at once.
///
/// It composes the YAML into a node tree (nodes know their line and column), decodes the tree
/// with readers that report and go on instead of stopping at the first problem, and checks the
/// references between parts (journeys named by exercises, duplicate ids and edges, attack versus
/// guardrails). Each problem points at the node that carries it.
public enum LabValidator {
    /// Validates one lab file's text against `system` (the services, edges, knobs, journeys and
    /// diagram it offers); `file` is the name that problems carry. `directory` is the lab file's
    /// folder: paths in the lab (a calendar file) are relative to it (the working directory when nil).
    public static func validate(yaml: String, file: String, directory: URL? = nil,
                                system: SystemDescription = .demoShop) -> Result<Lab, LabLoadError> {
        YAMLValidation.decode(Lab.self, yaml: yaml, file: file, directory: directory, what: "lab",
                              emptyHint: "a lab needs id, title, exercises and, unless its system gives them, architecture and journeys") { log in
            log.system = system
            log.topology = system.topology
        }
    }
}

/// Turns a YAML text into a value through the reporting decoders, or into every problem at once.
enum YAMLValidation {
    static func decode<T: Decodable>(_ type: T.Type, yaml: String, file: String, directory: URL?, what: String,
                                     emptyHint: String, configure: (ProblemLog) -> Void = { _ in }) -> Result<T, LabLoadError> {
        let node: Node
        do {
            guard let root = try Yams.compose(yaml: yaml) else {
                return .failure(LabLoadError(problems: [LabProblem(file: file, line: 1, column: 1,
                                                                   message: "the file is empty; \(emptyHint)")]))
            }
            node = root
        } catch {
            return .failure(LabLoadError(problems: [syntaxProblem(error, file: file)]))
        }
        let log = ProblemLog()
        log.directory = directory
        configure(log)
        let value: T?
        do {
            value = try YAMLDecoder().decode(T.self, from: node, userInfo: [.problemLog: log])
        } catch is AlreadyReported {
            value = nil
        } catch let error as DecodingError {
            log.report(describe(error, field: "the \(what)"), at: node.mark)
            value = nil
        } catch {
            log.report("could not read the \(what): \(error)", at: node.mark)
            value = nil
        }
        let problems = problems(from: log, file: file)
        if let value, problems.isEmpty { return .success(value) }
        if problems.isEmpty {
            return .failure(LabLoadError(problems: [LabProblem(file: file, line: 1, column: 1,
                                                               message: "the \(what) could not be read")]))
        }
        return .failure(LabLoadError(problems: problems))
    }

    private static func problems(from log: ProblemLog, file: String) -> [LabProblem] {
        var seen = Set<LabProblem>()
        return log.entries
            .map { LabProblem(file: file, line: $0.mark?.line ?? 1, column: $0.mark?.column ?? 1, message: $0.message) }
            .filter { seen.insert($0).inserted }
            .sorted { ($0.line, $0.column) < ($1.line, $1.column) }
    }

    private static func syntaxProblem(_ error: any Error, file: String) -> LabProblem {
        guard let yamlError = error as? YamlError else {
            return LabProblem(file: file, line: 1, column: 1, message: "YAML syntax error: \(error)")
        }
        switch yamlError {
        case .scanner(let context, let problem, let mark, _),
             .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            let while_ = context.map { " (\($0.text) started at line \($0.mark.line))" } ?? ""
            return LabProblem(file: file, line: mark.line, column: mark.column,
                              message: "YAML syntax error: \(problem)\(while_); check indentation, colons and quotes here")
        case .duplicatedKeysInMapping(let duplicates, let context):
            return LabProblem(file: file, line: context.mark.line, column: context.mark.column,
                              message: "duplicate key \(duplicates.joined(separator: ", ")) in one mapping; "
                                  + "each key may appear once")
        case .reader(let problem, _, _, _):
            return LabProblem(file: file, line: 1, column: 1, message: "the file is not readable text: \(problem)")
        default:
            return LabProblem(file: file, line: 1, column: 1, message: "YAML syntax error: \(yamlError)")
        }
    }
}
