import Testing
import YAML

/// How a stream splits into documents: each one's first content line and exact source text.
@Suite struct DocumentSplittingTests {
    struct Expected: Sendable {
        let line: Int
        let source: String
    }

    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let input: String
        let documents: [Expected]
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "single document", input: "apiVersion: v1\nkind: Policy\n",
             documents: [Expected(line: 1, source: "apiVersion: v1\nkind: Policy\n")]),
        Case(name: "no final newline", input: "a: 1\nb: 2",
             documents: [Expected(line: 1, source: "a: 1\nb: 2\n")]),
        Case(name: "separated by ---", input: "a: 1\n---\nb: 2\n---\nc: 3\n",
             documents: [Expected(line: 1, source: "a: 1\n"), Expected(line: 3, source: "b: 2\n"), Expected(line: 5, source: "c: 3\n")]),
        Case(name: "leading ---", input: "---\na: 1\n---\nb:\n  - x\n",
             documents: [Expected(line: 2, source: "a: 1\n"), Expected(line: 4, source: "b:\n  - x\n")]),
        Case(name: "... terminators", input: "a: 1\n...\n---\nb: 2\n...\n",
             documents: [Expected(line: 1, source: "a: 1\n"), Expected(line: 4, source: "b: 2\n")]),
        Case(name: "comments and blank lines between documents",
             input: "# header\n\na: 1 # one\n\n# about b\n---\n\n# b's own\nb:\n  - x # first\n\n  # inside\n  - y\n\n# trailing\n",
             documents: [Expected(line: 3, source: "a: 1 # one\n"),
                         Expected(line: 9, source: "b:\n  - x # first\n\n  # inside\n  - y\n")]),
        Case(name: "CRLF line endings", input: "a: 1\r\nb:\r\n  - x\r\n---\r\nc: 'q\r\n  r'\r\n",
             documents: [Expected(line: 1, source: "a: 1\r\nb:\r\n  - x\r\n"), Expected(line: 5, source: "c: 'q\r\n  r'\r\n")]),
        Case(name: "content on the --- line", input: "--- |\n  text\n--- [a,\n  b]\n--- plain # note\n",
             documents: [Expected(line: 1, source: "|\n  text\n"), Expected(line: 3, source: "[a,\n  b]\n"),
                         Expected(line: 5, source: "plain # note\n")]),
        Case(name: "anchor on the --- line", input: "--- &root\nx: 1\n",
             documents: [Expected(line: 1, source: "&root\nx: 1\n")]),
        Case(name: "empty documents are skipped", input: "---\n---\n# only a comment\n---\na: 1\n---\n...\n",
             documents: [Expected(line: 5, source: "a: 1\n")]),
        Case(name: "empty input", input: "", documents: []),
        Case(name: "only comments", input: "# a\n\n   # b\n", documents: []),
        Case(name: "only markers", input: "---\n...\n---\n", documents: []),
        Case(name: "explicit empty values are content", input: "--- ''\n--- ~\n",
             documents: [Expected(line: 1, source: "''\n"), Expected(line: 2, source: "~\n")]),
        Case(name: "kept trailing lines of a block scalar", input: "a: |+\n  x\n\n---\nb: 1\n",
             documents: [Expected(line: 1, source: "a: |+\n  x\n\n"), Expected(line: 5, source: "b: 1\n")]),
        Case(name: "block scalar at the end of a file without a newline", input: "a: |\n  x",
             documents: [Expected(line: 1, source: "a: |\n  x")]),
        Case(name: "empty values at the end", input: "- a\n-\n# c\n---\n? k\n# c\n---\nz:\n",
             documents: [Expected(line: 1, source: "- a\n-\n"), Expected(line: 5, source: "? k\n"), Expected(line: 8, source: "z:\n")]),
        Case(name: "entries that are only ?", input: "b:\n  - ?\n---\n?\n---\n? ? a\n",
             documents: [Expected(line: 1, source: "b:\n  - ?\n"), Expected(line: 4, source: "?\n"), Expected(line: 6, source: "? ? a\n")]),
        Case(name: "scalars that read as markers on the --- line", input: "--- --- x\n---\t...\n",
             documents: [Expected(line: 1, source: "--- --- x\n"), Expected(line: 2, source: "---\t...\n")]),
        Case(name: "directives", input: "%YAML 1.1\n---\na: 1\n",
             documents: [Expected(line: 3, source: "a: 1\n")]),
        Case(name: "byte order mark", input: "\u{FEFF}a: 1\n",
             documents: [Expected(line: 1, source: "a: 1\n")]),
        Case(name: "multi-byte characters", input: "a: \"é—\" # ✓\n---\nb: ✓ ü\n",
             documents: [Expected(line: 1, source: "a: \"é—\" # ✓\n"), Expected(line: 3, source: "b: ✓ ü\n")]),
        Case(name: "NEL line break", input: "a: 1\u{85}b: 2\n---\nc: 3\n",
             documents: [Expected(line: 1, source: "a: 1\u{85}b: 2\n"), Expected(line: 4, source: "c: 3\n")]),
    ]

    @Test(arguments: cases)
    func splitsIntoDocumentsWithTheirLinesAndSources(_ test: Case) throws {
        let documents = try YAMLParser.documents(in: test.input)
        #expect(documents.map(\.line) == test.documents.map(\.line))
        #expect(documents.map { Array($0.source.utf8) } == test.documents.map { Array($0.source.utf8) })
        #expect(documents.map(\.index) == Array(documents.indices))
        #expect(documents.allSatisfy { $0.root != nil })
    }

    @Test(arguments: cases)
    func eachSourceIsASliceOfTheInputInOrder(_ test: Case) throws {
        let input = Array(test.input.utf8)
        var searchFrom = 0
        for document in try YAMLParser.documents(in: test.input) {
            var source = Array(document.source.utf8)
            if firstOffset(of: source, in: input, from: searchFrom) == nil, source.last == 0x0A {
                source.removeLast()  // the newline appended at the end of the input
            }
            let offset = try #require(firstOffset(of: source, in: input, from: searchFrom), "\(document.source.debugDescription)")
            #expect(lineNumber(ofByte: offset, in: input) == document.line)
            searchFrom = offset + source.count
        }
    }

    @Test(arguments: cases)
    func reparsingASourceAloneGivesTheSameTree(_ test: Case) throws {
        for document in try YAMLParser.documents(in: test.input) {
            let reparsed = try YAMLParser.documents(in: document.source)
            try #require(reparsed.count == 1)
            #expect(reparsed[0].line == 1)
            #expect(Array(reparsed[0].source.utf8) == Array(document.source.utf8))
            #expect(reparsed[0].root?.shifted(by: document.line - 1) == document.root)
        }
    }

    @Test func indexCountsOnlyNonEmptyDocuments() throws {
        let documents = try YAMLParser.documents(in: "---\n---\na: 1\n---\n# nothing\n---\nb: 2\n")
        #expect(documents.map(\.index) == [0, 1])
        #expect(documents.map { $0.root?["a"]?.string ?? $0.root?["b"]?.string } == ["1", "2"])
    }

    @Test func bytesAndTextGiveTheSameDocuments() throws {
        let text = "a: \"é\"\r\n---\nb: [x, y]\n"
        #expect(try YAMLParser.documents(in: Array(text.utf8)) == YAMLParser.documents(in: text))
    }
}
