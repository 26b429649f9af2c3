import Testing
import YAML

/// Malformed YAML and bytes that are not UTF-8: a YAMLError naming the line, never a crash.
@Suite struct MalformedInputTests {
    static let malformed: [(name: String, yaml: String, line: Int, message: String)] = [
        ("a value after a value", "a: 1\nb: 2\nkey: value: x\n", 3, "mapping values are not allowed in this context"),
        ("an unclosed double quote", "a: 1\nb: \"unclosed\nc: 3\n", 4,
         "found unexpected end of stream while scanning a quoted scalar started on line 2"),
        ("an unclosed single quote", "a: 'x\n", 2, "found unexpected end of stream while scanning a quoted scalar started on line 1"),
        ("bad indentation", "a:\n  b: 1\n c: 2\n", 3, "did not find expected key while parsing a block mapping started on line 1"),
        ("a tab as indentation", "a:\n\tb: 1\n", 2, "found character that cannot start any token while scanning for the next token"),
        ("an unclosed flow sequence", "a: [1, 2\nb: 3\n", 2, "did not find expected ',' or ']' while parsing a flow sequence started on line 1"),
        ("a mapping on the --- line", "--- a: 1\n", 1, "mapping values are not allowed in this context"),
        ("a sequence then a mapping", "- a\nb: 1\n", 2, "did not find expected '-' indicator while parsing a block collection started on line 1"),
        ("an error in a later document", "a: 1\n---\nb: 2\n---\nc: [\n", 6,
         "did not find expected node content while parsing a flow node"),
        ("a control character", "a: b\u{7}c\n", 1, "control characters are not allowed 0x07 at byte offset 4"),
        ("an undefined alias", "a: 1\nb: *nope\n", 2, "alias *nope refers to no anchor defined before it"),
        ("an alias inside its own anchor", "a: &x [1, *x]\n", 1, "alias *x refers to a node that contains it"),
        ("an alias to another document's anchor", "a: &x 1\n---\nb: *x\n", 3, "alias *x refers to no anchor defined before it"),
    ]

    @Test(arguments: malformed)
    func malformedYAMLIsAnErrorOnItsLine(_ name: String, _ yaml: String, _ line: Int, _ message: String) {
        let error = yamlError { () throws(YAMLError) in try YAMLParser.documents(in: yaml) }
        #expect(error == YAMLError(message: message, line: line))
    }

    @Test func theDescriptionLeadsWithTheLine() {
        let error = yamlError { () throws(YAMLError) in try YAMLParser.documents(in: "a: 1\nb: 2\nkey: value: x\n") }
        #expect(error?.description == "line 3: mapping values are not allowed in this context")
    }

    static let notUTF8: [(name: String, bytes: [UInt8], line: Int, message: String)] = [
        ("an invalid leading byte", Array("a: ".utf8) + [0xFF, 0x0A], 1, "invalid leading UTF-8 octet 0xFF at byte offset 3"),
        ("a truncated sequence", Array("a: 1\nb: 2\n c: ".utf8) + [0xC3, 0x0A], 3, "invalid trailing UTF-8 octet 0x0A at byte offset 15"),
        ("a truncated sequence at the end", Array("a: ".utf8) + [0xE2, 0x80], 1, "incomplete UTF-8 octet sequence at byte offset 3"),
        ("an overlong encoding", Array("a: ".utf8) + [0xC0, 0xAF, 0x0A], 1, "invalid length of a UTF-8 sequence at byte offset 3"),
        ("an encoded surrogate", Array("a: 1\r\nb: ".utf8) + [0xED, 0xA0, 0x80, 0x0A], 2, "invalid Unicode character 0xD800 at byte offset 9"),
        ("UTF-16 text", [0xFF, 0xFE, 0x61, 0x00, 0x3A, 0x00], 1, "invalid leading UTF-8 octet 0xFF at byte offset 0"),
        ("a NUL byte after a byte order mark", [0xEF, 0xBB, 0xBF, 0x61, 0x00], 1, "control characters are not allowed 0x00 at byte offset 4"),
    ]

    @Test(arguments: notUTF8)
    func bytesThatAreNotUTF8AreAnErrorOnTheirLine(_ name: String, _ bytes: [UInt8], _ line: Int, _ message: String) {
        let error = yamlError { () throws(YAMLError) in try YAMLParser.documents(in: bytes) }
        #expect(error == YAMLError(message: message, line: line))
    }

    @Test func textDecodedWithReplacementsParses() throws {
        let text = String(decoding: Array("a: ".utf8) + [0xFF, 0xFE] + Array("\n".utf8), as: UTF8.self)
        let documents = try YAMLParser.documents(in: text)
        #expect(documents.first?.root?["a"]?.string == "\u{FFFD}\u{FFFD}")
    }

    @Test(arguments: ["[", "{", "- [", "a: &x", "? ", "!", "*", "&", "%", "%YAML 2.0\n---\n", "\"\\", "|\n x\n\t", "'", "- - - - -\n  -"])
    func truncatedInputNeverCrashes(_ yaml: String) {
        _ = try? YAMLParser.documents(in: yaml)
    }
}
