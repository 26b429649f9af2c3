import YAML

/// `--mutate-digest`: the input manifests again, document by document, with each pinned image's scalar
/// rewritten in place (`nginx:1.27` → `nginx:1.27@sha256:…`). Only the image text changes: comments, key
/// order, quoting and layout stay as the user wrote them.
public enum DigestPinning {
    /// The documents of `files` joined by `---`, pinned; `unplaced` lists pins whose text was not found on
    /// their line (a multi-line scalar), which are left as written.
    public static func apply(_ pins: [AdmissionReport.Pin], to files: [ResourceSet.File]) -> (text: String, unplaced: [AdmissionReport.Pin]) {
        var out: [String] = []
        var unplaced: [AdmissionReport.Pin] = []
        for file in files {
            for document in file.documents {
                let mine = pins.filter { $0.origin == file.origin && $0.document == document.index }
                var lines = document.source.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
                for pin in mine {
                    let index = pin.line - document.line
                    guard lines.indices.contains(index), let patched = replace(pin.image, with: pin.pinned, in: lines[index]) else {
                        unplaced.append(pin)
                        continue
                    }
                    lines[index] = patched
                }
                out.append(lines.joined(separator: "\n"))
            }
        }
        return (out.joined(separator: "---\n"), unplaced)
    }

    /// `line` with the occurrences of `image` that stand alone (bounded by quotes, spaces, `:` of a key, line
    /// ends or flow punctuation) replaced; nil when there is none.
    static func replace(_ image: String, with pinned: String, in line: String) -> String? {
        let boundaries: Set<Character> = ["\"", "'", " ", "\t", ",", "{", "}", "[", "]"]
        var result = ""
        var rest = Substring(line)
        var replaced = false
        while let range = firstRange(of: image, in: rest) {
            let before = range.lowerBound == rest.startIndex ? (result.last ?? " ") : rest[rest.index(before: range.lowerBound)]
            let after = range.upperBound == rest.endIndex ? " " : rest[range.upperBound]
            if boundaries.contains(before) && (boundaries.contains(after) || after == "\r") {
                result += rest[..<range.lowerBound] + pinned
                replaced = true
            } else {
                result += rest[..<range.upperBound]
            }
            rest = rest[range.upperBound...]
        }
        return replaced ? result + rest : nil
    }

    private static func firstRange(of needle: String, in text: Substring) -> Range<Substring.Index>? {
        guard !needle.isEmpty else { return nil }
        var start = text.startIndex
        while start < text.endIndex {
            if text[start...].hasPrefix(needle) { return start..<text.index(start, offsetBy: needle.count) }
            start = text.index(after: start)
        }
        return nil
    }
}
