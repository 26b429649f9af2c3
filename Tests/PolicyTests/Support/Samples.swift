import Foundation

/// The package's sample policies (`testdata/policies`: four policies in three files, one file holding two
/// documents, one in a subdirectory, `.yaml` and `.yml`), and what each layer must hold, cut out of the files
/// by hand so the expectations do not come from the YAML module under test.
enum Samples {
    /// `<package>/testdata/policies`.
    static let directory: String = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("testdata/policies").path

    static var requireLabels: String { directory + "/require-labels.yaml" }
    static var images: String { directory + "/best-practices/images.yaml" }
    static var cleanup: String { directory + "/best-practices/cleanup.yml" }

    static func text(_ path: String) -> String {
        guard let data = FileManager.default.contents(atPath: path) else { fatalError("missing sample \(path)") }
        return String(decoding: data, as: UTF8.self)
    }

    /// One expected policy: identity, and the exact bytes of its document.
    struct Expected: Sendable, Equatable, CustomStringConvertible {
        let apiVersion: String
        let kind: String
        let name: String
        let source: String
        var fileName: String { "\(kind)-\(name).yaml" }
        var description: String { "\(kind)/\(name)" }
    }

    /// require-labels.yaml without its leading comment line (comments before a document's first content
    /// line are not part of it).
    static var requireTeamLabel: Expected {
        let text = text(requireLabels)
        let firstLineEnd = text.firstIndex(of: "\n")!
        precondition(text.hasPrefix("# "), "the sample starts with a comment")
        return Expected(apiVersion: "kyverno.io/v1", kind: "ClusterPolicy", name: "require-team-label",
                        source: String(text[text.index(after: firstLineEnd)...]))
    }

    /// The two documents of images.yaml, split at its `---` line.
    static var disallowLatestTag: Expected {
        Expected(apiVersion: "kyverno.io/v1", kind: "ClusterPolicy", name: "disallow-latest-tag", source: imagesHalves.0)
    }

    static var restrictRegistries: Expected {
        Expected(apiVersion: "kyverno.io/v1", kind: "Policy", name: "restrict-registries", source: imagesHalves.1)
    }

    static var removeStaleJobs: Expected {
        Expected(apiVersion: "kyverno.io/v2", kind: "ClusterCleanupPolicy", name: "remove-stale-jobs", source: text(cleanup))
    }

    private static var imagesHalves: (String, String) {
        let parts = text(images).components(separatedBy: "\n---\n")
        precondition(parts.count == 2, "images.yaml holds two documents")
        return (parts[0] + "\n", parts[1])
    }

    /// The policies of the whole directory, in the order a push lays them out: files sorted by path
    /// below the directory, documents in file order.
    static var all: [Expected] { [removeStaleJobs, disallowLatestTag, restrictRegistries, requireTeamLabel] }

    /// The YAML files of the directory as a bundle holds them: path below the directory, bytes as on disk.
    static var bundleFiles: [String: String] {
        ["best-practices/cleanup.yml": text(cleanup), "best-practices/images.yaml": text(images),
         "require-labels.yaml": text(requireLabels)]
    }

    /// A minimal valid policy document.
    static func policy(_ name: String, kind: String = "ClusterPolicy", apiVersion: String = "kyverno.io/v1") -> String {
        """
        apiVersion: \(apiVersion)
        kind: \(kind)
        metadata:
          name: \(name)
        spec:
          rules: []

        """
    }
}
