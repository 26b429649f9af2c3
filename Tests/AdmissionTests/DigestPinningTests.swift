@testable import Admission
import Testing

/// `--mutate-digest` rewrites only the image scalars, keeping comments, quoting and order.
@Suite struct DigestPinningTests {
    static let digest = "sha256:" + String(repeating: "ab", count: 32)

    @Test func pinsKeepTheRestOfTheManifest() throws {
        let text = try Testdata.text("resources/deployment.yaml")
        let set = try ResourceSet([.init(origin: "d.yaml", text: text)])
        let pins = set.resources[0].images.filter { $0.image.contains("/app:") || $0.image.contains("/proxy:") }.map {
            AdmissionReport.Pin(origin: "d.yaml", document: 0, line: $0.line, path: $0.path, image: $0.image, pinned: $0.image + "@" + Self.digest)
        }
        let (pinned, unplaced) = DigestPinning.apply(pins, to: set.files)
        #expect(unplaced.isEmpty)
        let expected = text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            guard line.contains("/app:v1") || line.contains("/proxy:v1") else { return String(line) }
            return line.replacingOccurrences(of: ":v1", with: ":v1@" + Self.digest)
        }.joined(separator: "\n")
        // The file's leading comment is outside the document; everything else is byte for byte.
        #expect(pinned == expected.drop { $0 != "\n" }.dropFirst().description)
        #expect(pinned.contains(#"image: "REGISTRY/BASE/app:v1@\#(Self.digest)"   # the application"#))
        #expect(pinned.contains("image: 'REGISTRY/BASE/proxy:v1@\(Self.digest)'"))
        #expect(pinned.contains("image: REGISTRY/BASE/tool:v1\n"))
    }

    @Test(arguments: [
        (#"{"image": "app:1", "other": "app:12"}"#, #"{"image": "app:1@D", "other": "app:12"}"#),
        ("image: app:1 # app:1x", "image: app:1@D # app:1x"),
        ("image: myapp:1", nil),
    ])
    func replacesWholeScalarsOnly(_ line: String, _ expected: String?) {
        #expect(DigestPinning.replace("app:1", with: "app:1@D", in: line) == expected)
    }
}
