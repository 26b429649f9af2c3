/// One line handed to curl's header callback: a status line (`HTTP/1.1 200 OK`, `HTTP/2 404`), a
/// `Name: value` field, or the blank line ending the block. Obsolete line folding is not supported.
struct HeaderLine {
    /// The status code when the line is a status line.
    private(set) var statusCode: Int?
    /// Name and value (surrounding whitespace removed) when the line is a header field.
    private(set) var field: (name: String, value: String)?

    init(_ raw: UnsafeRawBufferPointer) {
        let text = String(decoding: raw, as: UTF8.self)
        if text.hasPrefix("HTTP/") {
            let parts = text.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: true)
            if parts.count >= 2, let code = Int(Self.trimmed(parts[1])) { statusCode = code }
            return
        }
        guard let first = text.first, first != " ", first != "\t",
              let colon = text.firstIndex(of: ":") else { return }
        let name = Self.trimmed(text[..<colon])
        guard !name.isEmpty else { return }
        field = (name, Self.trimmed(text[text.index(after: colon)...]))
    }

    /// Drops leading and trailing spaces, tabs, CR and LF (FoundationEssentials has no `trimmingCharacters`).
    static func trimmed(_ text: Substring) -> String {
        let isBlank: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" || $0 == "\r\n" }
        guard let start = text.firstIndex(where: { !isBlank($0) }),
              let end = text.lastIndex(where: { !isBlank($0) }) else { return "" }
        return String(text[start...end])
    }
}
