import Foundation

extension Browser {
    /// The visible part of the page as a PNG, the size of the viewport. `timeout` replaces the
    /// command timeout (a page that hangs cannot be photographed either).
    func screenshot(timeout: Duration? = nil) async throws -> Data {
        let encoded = try await string(.GET, "/screenshot", timeout: timeout)
        guard let png = Data(base64Encoded: encoded) else {
            throw WebDriverError.unexpectedAnswer(method: "GET", path: "/screenshot", answer: String(encoded.prefix(100)))
        }
        return png
    }

    /// Takes a screenshot and saves it as `<name>.png` in `artifactsFolder`; prints and returns its path.
    @discardableResult
    func saveScreenshot(named name: String, timeout: Duration? = nil) async throws -> URL {
        let png = try await screenshot(timeout: timeout)
        let folder = Self.artifactsFolder
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let safeName = String(name.map { $0.isLetter || $0.isNumber || "-_.".contains($0) ? $0 : "-" })
        let file = folder.appendingPathComponent(safeName.hasSuffix(".png") ? safeName : safeName + ".png")
        try png.write(to: file)
        print("browser screenshot: \(file.path)")
        return file
    }

    /// Where screenshots go: `$CHAOSLAB_ARTIFACTS/browser` when that variable is set, else
    /// `.build/test-artifacts/browser` in the package.
    static var artifactsFolder: URL {
        if let root = ProcessInfo.processInfo.environment["CHAOSLAB_ARTIFACTS"], !root.isEmpty {
            return URL(fileURLWithPath: root).appendingPathComponent("browser")
        }
        return packageRoot.appendingPathComponent(".build/test-artifacts/browser")
    }

    /// The package folder: this file is in its Tests/BrowserTests/Support.
    private static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
}
