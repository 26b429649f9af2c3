/// PEM blocks (RFC 7468): `-----BEGIN <label>-----`, base64 lines, `-----END <label>-----`.
enum PEM {
    struct Block: Equatable {
        let label: String
        let der: [UInt8]
    }

    /// Every block in `text`, in order; nil when a block is unterminated or not base64.
    static func blocks(in text: String) -> [Block]? {
        var blocks = [Block]()
        var label: String?
        var body = ""
        for rawLine in text.split(omittingEmptySubsequences: true, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }) {
            let line = rawLine.trimmingSpaces()
            if let current = label {
                if line == "-----END \(current)-----" {
                    guard let der = Base64.decode(body, ignoringWhitespace: true), !der.isEmpty else { return nil }
                    blocks.append(Block(label: current, der: der))
                    label = nil
                    body = ""
                } else {
                    body += line
                }
            } else if line.hasPrefix("-----BEGIN "), line.hasSuffix("-----") {
                label = String(line.dropFirst(11).dropLast(5))
            }
        }
        return label == nil ? blocks : nil
    }

    /// PEM text for `der` under `label`, 64 columns.
    static func encode(_ der: [UInt8], label: String) -> String {
        let base64 = Array(Base64.encode(der))
        var lines = ["-----BEGIN \(label)-----"]
        var index = 0
        while index < base64.count {
            lines.append(String(base64[index..<min(index + 64, base64.count)]))
            index += 64
        }
        lines.append("-----END \(label)-----")
        return lines.joined(separator: "\n") + "\n"
    }
}

extension Substring {
    func trimmingSpaces() -> String {
        var view = self
        while let first = view.first, first == " " || first == "\t" { view.removeFirst() }
        while let last = view.last, last == " " || last == "\t" { view.removeLast() }
        return String(view)
    }
}
