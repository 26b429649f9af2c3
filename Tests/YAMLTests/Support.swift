import YAML

extension YAMLNode {
    /// The tree without line numbers, e.g. `{"a": ["1", "2"]}`: what a table of expected trees can spell out.
    var shape: String {
        switch self {
        case .scalar(let text, _):
            return String(reflecting: text)
        case .sequence(let items, _):
            return "[" + items.map(\.shape).joined(separator: ", ") + "]"
        case .mapping(let entries, _):
            return "{" + entries.map { "\($0.key.shape): \($0.value.shape)" }.joined(separator: ", ") + "}"
        }
    }

    /// The same tree with every line moved by `offset`.
    func shifted(by offset: Int) -> YAMLNode {
        switch self {
        case .scalar(let text, let line):
            return .scalar(text, line: line + offset)
        case .sequence(let items, let line):
            return .sequence(items.map { $0.shifted(by: offset) }, line: line + offset)
        case .mapping(let entries, let line):
            return .mapping(entries.map { ($0.key.shifted(by: offset), $0.value.shifted(by: offset)) }, line: line + offset)
        }
    }
}

/// The error `body` throws, if any.
func yamlError<T>(_ body: () throws(YAMLError) -> T) -> YAMLError? {
    do {
        _ = try body()
        return nil
    } catch {
        return error
    }
}

/// Where `needle` occurs in `haystack` at or after `from`, as a byte offset.
func firstOffset(of needle: [UInt8], in haystack: [UInt8], from: Int = 0) -> Int? {
    guard from + needle.count <= haystack.count else { return nil }
    return haystack.withUnsafeBufferPointer { hay in
        needle.withUnsafeBufferPointer { needle in
            (from...(hay.count - needle.count)).first { start in
                needle.indices.allSatisfy { hay[start + $0] == needle[$0] }
            }
        }
    }
}

/// 1-based line of the byte at `offset`, counting breaks as YAML 1.1 does (LF, CR LF, CR, NEL, LS, PS).
func lineNumber(ofByte offset: Int, in bytes: [UInt8]) -> Int {
    let breaks: Set<Unicode.Scalar> = ["\n", "\r", "\u{85}", "\u{2028}", "\u{2029}"]
    let before = String(decoding: bytes[..<offset], as: UTF8.self)
    let crlf = before.utf8.indices.dropLast().count { before.utf8[$0] == 0x0D && before.utf8[before.utf8.index(after: $0)] == 0x0A }
    return before.unicodeScalars.count { breaks.contains($0) } - crlf + 1
}
