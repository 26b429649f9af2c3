import Foundation

/// Where the `ocitool` executable is: `$OCITOOL_BIN`, else next to the test bundle (`swift test` builds both
/// into the same directory), else `<package>/.build/debug/ocitool`.
public enum OCIToolBinary {
    public struct Missing: Error, CustomStringConvertible {
        public let searched: [String]
        public var description: String {
            "the ocitool executable was not found (looked at \(searched.joined(separator: ", "))); "
                + "build it with `swift build` or point OCITOOL_BIN at it"
        }
    }

    public static func path() throws -> String {
        let candidates = self.candidates
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw Missing(searched: candidates)
        }
        return found
    }

    private static var candidates: [String] {
        if let override = ProcessInfo.processInfo.environment["OCITOOL_BIN"], !override.isEmpty {
            return [override]
        }
        var directories: [URL] = []
        if let first = CommandLine.arguments.first, first.contains("/") {
            directories.append(URL(fileURLWithPath: first).resolvingSymlinksInPath().deletingLastPathComponent())
        }
        if let executable = Bundle.main.executableURL {
            directories.append(executable.resolvingSymlinksInPath().deletingLastPathComponent())
        }
        directories.append(Bundle.main.bundleURL.deletingLastPathComponent())
        // Tests/TestSupport/<this file> → package root.
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        directories.append(root.appendingPathComponent(".build/debug"))
        var seen: Set<String> = []
        return directories.map { $0.appendingPathComponent("ocitool").path }.filter { seen.insert($0).inserted }
    }
}
