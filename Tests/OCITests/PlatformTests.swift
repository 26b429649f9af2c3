import Foundation
import OCI
import Testing

/// `--platform` values and how they select an entry of a multi-platform index.
@Suite struct PlatformTests {
    @Test(arguments: [
        ("linux/amd64", Platform(os: "linux", architecture: "amd64")),
        ("linux/arm64", Platform(os: "linux", architecture: "arm64")),
        ("linux/arm/v7", Platform(os: "linux", architecture: "arm", variant: "v7")),
        ("Linux/ARM64/V8", Platform(os: "linux", architecture: "arm64", variant: "v8")),
        ("windows/amd64", Platform(os: "windows", architecture: "amd64")),
    ])
    func parses(_ raw: String, _ expected: Platform) throws {
        let platform = try Platform(parsing: raw)
        #expect(platform == expected)
        #expect(platform.description == raw.lowercased())
        #expect(try Platform(parsing: platform.description) == platform)
    }

    @Test(arguments: ["", "linux", "linux/", "/amd64", "linux//v7", "linux/amd64/", "linux/arm/v7/extra", "linux /amd64", "linux/amd 64"])
    func rejectsMalformedPlatforms(_ raw: String) {
        #expect(throws: OCIError.invalidPlatform(raw)) { try Platform(parsing: raw) }
        #expect(OCIError.invalidPlatform(raw).description.contains("OS/ARCH[/VARIANT]"))
    }

    /// (requested, index entry, selected?)
    static let matches: [(String, Platform, Bool)] = [
        ("linux/amd64", Platform(os: "linux", architecture: "amd64"), true),
        ("linux/amd64", Platform(os: "linux", architecture: "amd64", variant: "v3"), true),
        ("linux/arm64", Platform(os: "linux", architecture: "arm64", variant: "v8"), true),
        ("linux/arm64", Platform(os: "linux", architecture: "arm64"), true),
        // arm64 without a variant is v8.
        ("linux/arm64/v8", Platform(os: "linux", architecture: "arm64"), true),
        ("linux/arm64/v8", Platform(os: "linux", architecture: "arm64", variant: "v8"), true),
        ("linux/arm64/v9", Platform(os: "linux", architecture: "arm64"), false),
        ("linux/arm/v7", Platform(os: "linux", architecture: "arm", variant: "v7"), true),
        ("linux/arm", Platform(os: "linux", architecture: "arm", variant: "v6"), true),
        ("linux/arm/v7", Platform(os: "linux", architecture: "arm", variant: "v6"), false),
        // Only arm64 has an implied variant.
        ("linux/arm/v7", Platform(os: "linux", architecture: "arm"), false),
        ("linux/amd64", Platform(os: "windows", architecture: "amd64"), false),
        ("linux/amd64", Platform(os: "linux", architecture: "arm64"), false),
        ("linux/arm64", Platform(os: "linux", architecture: "arm", variant: "v8"), false),
        ("linux/amd64", Platform(os: "unknown", architecture: "unknown"), false),
    ]

    @Test(arguments: matches)
    func selectsIndexEntries(_ requested: String, _ candidate: Platform, _ selected: Bool) throws {
        #expect(try Platform(parsing: requested).matches(candidate) == selected)
    }

    @Test func decodesTheImageSpecFieldNames() throws {
        let json = #"{"architecture":"amd64","os":"windows","os.features":["win32k"],"os.version":"10.0.17763.1040"}"#
        let platform = try JSONDecoder().decode(Platform.self, from: Data(json.utf8))
        #expect(platform.os == "windows")
        #expect(platform.architecture == "amd64")
        #expect(platform.variant == nil)
        #expect(platform.osVersion == "10.0.17763.1040")
        #expect(platform.osFeatures == ["win32k"])
        #expect(String(decoding: try JSONEncoder.stable.encode(platform), as: UTF8.self) == json)
    }
}
