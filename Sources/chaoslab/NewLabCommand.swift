import ArgumentParser
import Foundation
import LabDomain
import LabEngine

struct NewLabCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "new-lab",
        abstract: "Write a commented skeleton lab that validates, to start a new lab from.",
        discussion: """
            The skeleton has every field of the lab format with a comment saying what it means and its \
            default, an experiment and a fix exercise. As written it passes `chaoslab validate` and \
            `chaoslab validate --live`; replace its texts, fault and expected outcomes with your own. \
            docs/authoring-labs.md describes the whole format.

              chaoslab new-lab my-lab                              # writes Labs/my-lab.yaml (./my-lab.yaml without ./Labs)
              chaoslab new-lab my-lab --output /tmp/my-lab.yaml    # no modeline outside the checkout
            """)

    @Argument(help: "The lab's id, in kebab-case (lowercase words joined by '-'), like is-checkout-retry-safe.")
    var name: String
    @Option(help: "The file to write. Default: Labs/NAME.yaml when the current folder has a Labs folder, else NAME.yaml.")
    var output: String?
    @Flag(help: "Overwrite the file if it exists.")
    var force = false

    func validate() throws {
        if let problem = LabSkeleton.problem(withID: name) { throw ValidationError(problem) }
    }

    func run() throws {
        let labs = defaultLabsDirectory()
        // Into ./Labs when the current folder has one (a checkout), else into the current folder:
        // never into a checkout found elsewhere.
        let local = FileManager.default.fileExists(atPath: "Labs") ? "Labs/\(name).yaml" : "\(name).yaml"
        let file = URL(fileURLWithPath: output ?? local)
        let shown = file.relativePath
        if FileManager.default.fileExists(atPath: file.path), !force {
            throw CLIError("\(shown) already exists; pass --force to overwrite it, or choose another name or --output")
        }
        let folder = file.deletingLastPathComponent()
        let text = LabSkeleton.text(id: name, schema: schemaPath(from: folder, checkout: labs.deletingLastPathComponent()))
        if case .failure(let error) = LabValidator.validate(yaml: text, file: shown) {
            throw CLIError("the skeleton does not validate (a bug in chaoslab):\n\(error)")
        }
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try text.write(to: file, atomically: true, encoding: .utf8)
        } catch {
            throw CLIError("cannot write \(shown) (\(error.localizedDescription)); check the folder and its permissions")
        }
        say("""
            wrote \(shown): lab \(name) with an experiment (slow-ads) and a fix (fix-slow-ads), every field commented
            next:
              edit it; docs/authoring-labs.md describes every field
              chaoslab validate \(shown)          # check the file
              chaoslab validate --live \(shown)   # run its experiments against a fresh sandbox
            """)
    }

    /// The checkout's copy of the schema as seen from a lab file in `folder` ("../docs/lab.schema.json"),
    /// for the editor's modeline; nil when the lab is written outside the checkout or there is no copy.
    private func schemaPath(from folder: URL, checkout: URL) -> String? {
        let schema = checkout.appendingPathComponent("docs/lab.schema.json")
        guard FileManager.default.fileExists(atPath: schema.path) else { return nil }
        let components = { (url: URL) in url.standardizedFileURL.resolvingSymlinksInPath().pathComponents }
        let from = components(folder), to = components(schema), root = components(checkout)
        guard from.starts(with: root) else { return nil }
        let common = zip(from, to).prefix { $0 == $1 }.count
        return (Array(repeating: "..", count: from.count - common) + to[common...]).joined(separator: "/")
    }
}
