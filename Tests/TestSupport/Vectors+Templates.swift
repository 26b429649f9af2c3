import Foundation

extension Vectors {
    /// `text` with every line `<indent>VECTOR <file>` replaced by the lines of that containers/image fixture
    /// (`containers-image/signature/fixtures/<file>`), each at the same indentation: how testdata policies embed
    /// the vectors' certificates and keys without copying them into the repository. `VECTOR <signature> <name>`
    /// takes annotation `name` of a stored cosign signature layer (the signing certificate).
    public static func fillingFixtures(in text: String) throws -> String {
        var lines: [String] = []
        for line in text.components(separatedBy: "\n") {
            let indent = line.prefix { $0 == " " }
            guard line.dropFirst(indent.count).hasPrefix("VECTOR ") else {
                lines.append(line)
                continue
            }
            let words = line.dropFirst(indent.count + "VECTOR ".count).split(separator: " ").map(String.init)
            let file = "containers-image/signature/fixtures/" + words[0]
            let fixture = words.count > 1 ? try StoredCosignLayer(vector: file).annotations[words[1]] ?? "" : try Vectors.text(file)
            lines += fixture.split(whereSeparator: \.isNewline).map { String(indent) + $0 }
        }
        return lines.joined(separator: "\n")
    }
}
