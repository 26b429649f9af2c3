import Testing
import Archive

/// Deterministic pseudo-random bytes (SplitMix64), so fixtures and fuzzing are reproducible.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

func randomBytes(_ count: Int, seed: UInt64) -> [UInt8] {
    var generator = SeededGenerator(seed: seed)
    return (0..<count).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
}

func text(_ string: String) -> [UInt8] { Array(string.utf8) }

extension ArchiveFile {
    init(_ path: String, _ contents: String) { self.init(path: path, contents: Array(contents.utf8)) }
}

extension [ArchiveFile] {
    func sortedByPath() -> [ArchiveFile] { sorted { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) } }
}

/// Named sets of files used by the round-trip, determinism and interoperability tests.
struct FileSet: Sendable, CustomTestStringConvertible {
    let name: String
    let files: [ArchiveFile]
    /// Whether tar's ustar and v7 formats can hold every path (names of at most 99 bytes).
    var fitsV7: Bool { files.allSatisfy { $0.path.utf8.count < 100 } }
    var testDescription: String { name }

    static let bundle = FileSet(name: "policy bundle", files: [
        ArchiveFile("require-labels.yaml", "apiVersion: kyverno.io/v1\nkind: ClusterPolicy\n"),
        ArchiveFile("policies/disallow-latest.yaml", "kind: ClusterPolicy\nmetadata:\n  name: disallow-latest\n"),
        ArchiveFile("policies/nested/deeper/empty.yaml", ""),
        ArchiveFile("README", "Kyverno policies\n"),
    ])
    static let binary = FileSet(name: "binary contents across block and chunk edges", files: [
        ArchiveFile(path: "bytes/all-values", contents: (0...255).map { UInt8($0) }),
        ArchiveFile(path: "bytes/one-block", contents: randomBytes(512, seed: 1)),
        ArchiveFile(path: "bytes/block-and-one", contents: randomBytes(513, seed: 2)),
        ArchiveFile(path: "bytes/several-chunks", contents: randomBytes(200_000, seed: 3)),
        ArchiveFile(path: "zeros", contents: [UInt8](repeating: 0, count: 100_000)),
    ])
    static let longNames = FileSet(name: "long and non-ASCII names", files: [
        ArchiveFile(String(repeating: "n", count: 100), "exactly 100 bytes, no prefix"),
        ArchiveFile(String(repeating: "p", count: 150) + "/" + String(repeating: "n", count: 100), "255 bytes split into prefix and name"),
        ArchiveFile("deep/" + String(repeating: "d/", count: 60) + "leaf.yaml", "many directories"),
        ArchiveFile("politiques/règles-été.yaml", "UTF-8 name"),
        ArchiveFile("名前/ポリシー.yaml", "more UTF-8"),
        ArchiveFile("back\\slash and space.yaml", "a backslash is an ordinary byte"),
    ])
    static let all = [bundle, binary, longNames]
}
