import Testing
import YAML

/// Streams with bytes changed, deleted or repeated: each either fails with a YAMLError or gives documents
/// whose sources are slices of the input that re-parse, alone, to the same trees.
@Suite struct MutationTests {
    /// A small linear congruential generator: the same mutations on every run.
    struct Mutator {
        var state: UInt64
        mutating func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
    }

    static let alphabet = Array(" \n\r\t-:#?|>&*[]{},'\"!%.~a\u{85}".utf8) + [0xC3, 0xA9, 0xFF]

    /// The policy file, and every splitting case in one stream. (libyaml counts a byte order mark inside a
    /// stream as a column, so a document starting with one re-parses differently alone: left out.)
    static let corpora = [
        KyvernoPolicyTests.file,
        DocumentSplittingTests.cases.filter { !$0.input.hasPrefix("\u{FEFF}") }.map(\.input).joined(separator: "\n---\n"),
    ]

    @Test(arguments: 0..<8)
    func mutatedStreamsKeepTheInvariantsOrFail(_ seed: Int) throws {
        var random = Mutator(state: UInt64(seed + 1))
        let original = Array(Self.corpora[seed % Self.corpora.count].utf8)
        for _ in 0..<100 {
            var bytes = original
            for _ in 0...random.next(4) {
                let at = random.next(bytes.count)
                switch random.next(3) {
                case 0: bytes[at] = Self.alphabet[random.next(Self.alphabet.count)]
                case 1: bytes.remove(at: at)
                default: bytes.insert(contentsOf: bytes[at..<min(at + random.next(12), bytes.count)], at: at)
                }
            }
            guard let documents = try? YAMLParser.documents(in: bytes) else { continue }
            var searchFrom = 0
            for document in documents {
                var source = Array(document.source.utf8)
                if firstOffset(of: source, in: bytes, from: searchFrom) == nil, source.last == 0x0A { source.removeLast() }
                let offset = try #require(firstOffset(of: source, in: bytes, from: searchFrom), "\(bytes)")
                searchFrom = offset + source.count
                let alone = try YAMLParser.documents(in: document.source)
                #expect(alone.count == 1 && alone.first?.root?.shifted(by: document.line - 1) == document.root, "\(bytes)")
            }
        }
    }
}
