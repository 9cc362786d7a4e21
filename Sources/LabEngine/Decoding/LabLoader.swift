import Foundation

/// LabLoader reads lab files from disk and validates them with `LabValidator`.
public enum LabLoader {
    /// Loads one lab file, checked against `system`; throws every problem it has.
    public static func load(file: URL, system: SystemDescription = .demoShop) throws(LabLoadError) -> Lab {
        try load(file: file, named: file.relativePath, system: system)
    }

    /// Loads one lab file, naming it `name` in problems.
    static func load(file: URL, named name: String, system: SystemDescription) throws(LabLoadError) -> Lab {
        let text: String
        do {
            text = try String(contentsOf: file, encoding: .utf8)
        } catch {
            throw LabLoadError(problems: [LabProblem(
                file: name, line: 0, column: 0,
                message: "cannot read the file (\(error.localizedDescription)); check the path and that it is UTF-8 text")])
        }
        switch LabValidator.validate(yaml: text, file: name, directory: file.deletingLastPathComponent(), system: system) {
        case .success(let lab): return lab
        case .failure(let error): throw error
        }
    }

    /// Loads every *.yaml and *.yml file of a directory, each checked against `system`. A broken lab never keeps the others
    /// from loading: it contributes its problems instead. Labs come back sorted by id.
    public static func load(directory: URL, system: SystemDescription = .demoShop) -> LabCatalog {
        let files: [URL]
        do {
            files = try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
                .filter { ["yaml", "yml"].contains($0.pathExtension.lowercased()) }
                .sorted { $0.lastPathComponent < $1.lastPathComponent }
        } catch {
            return LabCatalog(labs: [], problems: [LabProblem(
                file: directory.path, line: 0, column: 0,
                message: "cannot list the lab directory (\(error.localizedDescription)); check the path")])
        }
        var labs: [Lab] = []
        var problems: [LabProblem] = []
        var fileOfLab: [String: String] = [:]
        for file in files {
            do {
                let lab = try load(file: file, named: file.lastPathComponent, system: system)
                if let other = fileOfLab[lab.id] {
                    problems.append(LabProblem(file: file.lastPathComponent, line: 1, column: 1,
                                               message: "duplicate lab id '\(lab.id)' (also in \(other)); "
                                                   + "give each lab its own id"))
                    continue
                }
                fileOfLab[lab.id] = file.lastPathComponent
                labs.append(lab)
            } catch {
                problems.append(contentsOf: error.problems)
            }
        }
        return LabCatalog(labs: labs.sorted { $0.id < $1.id }, problems: problems)
    }
}
