import DemoShopSystem
import Foundation
import Yams

/// SystemLoader reads a system file and validates it: every problem at once, as `FILE:LINE:COL: message`.
public enum SystemLoader {
    /// Loads one system file; throws every problem it has. `name` is how problems name the file
    /// (its path as given, by default).
    public static func load(file: URL, named name: String? = nil) throws(LabLoadError) -> SystemDescription {
        let shown = name ?? file.relativePath
        let text: String
        do {
            text = try String(contentsOf: file, encoding: .utf8)
        } catch {
            throw LabLoadError(problems: [LabProblem(
                file: shown, line: 0, column: 0,
                message: "cannot read the system file (\(error.localizedDescription)); check the path and that it is UTF-8 text")])
        }
        switch validate(yaml: text, file: shown, directory: file.deletingLastPathComponent()) {
        case .success(let system): return system
        case .failure(let error): throw error
        }
    }

    /// Validates a system file's text; `directory` is its folder (commands run there).
    public static func validate(yaml: String, file: String, directory: URL) -> Result<SystemDescription, LabLoadError> {
        YAMLValidation.decode(SystemDescription.self, yaml: yaml, file: file, directory: directory,
                              what: "system file", emptyHint: "a system file needs system, title, services and edges")
    }
}

extension SystemDescription {
    /// The demo shop, from the build's copy of `demo-services/system/shop.yaml`.
    public static let demoShop: SystemDescription = {
        do {
            return try SystemLoader.load(file: DemoShopSystem.file, named: "demo-services/system/shop.yaml")
        } catch {
            fatalError("the demo shop's system file does not validate:\n\(error)")
        }
    }()
}
