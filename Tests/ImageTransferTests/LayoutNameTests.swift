import Foundation
import ImageTransfer
import OCI
import Testing
import TestSupport

@Suite("OCI layout: names and layout references")
struct LayoutNameTests {
    /// A layout holding one manifest per name below (each a distinct image).
    static let storedNames = [
        "registry.example.com/app:1.0", "registry.example.com/app:2.0", "other.example.com/tool:1.0",
        "latest", "docker.io/library/alpine:3", "localhost:5000/team/app:edge", "_cosign:sha256-0a1b.sig",
    ]

    static func populated(_ scratch: TemporaryDirectory) throws -> (OCILayout, [String: ManifestDocument]) {
        let layout = try OCILayout(path: scratch.file("layout"), create: true)
        var documents: [String: ManifestDocument] = [:]
        for name in storedNames {
            let image = try Fixtures.image(in: layout, layers: ["content of \(name)"])
            documents[name] = image
        }
        try layout.putManifests(storedNames.map { PlacedManifest(documents[$0]!, .named($0)) })
        return (layout, documents)
    }

    @Test("resolves a name exactly, normalised, or by its tag alone when that is unambiguous", arguments: [
        ("registry.example.com/app:2.0", "registry.example.com/app:2.0"),
        ("2.0", "registry.example.com/app:2.0"),
        ("latest", "latest"),
        ("alpine:3", "docker.io/library/alpine:3"),
        ("docker.io/alpine:3", "docker.io/library/alpine:3"),
        ("3", "docker.io/library/alpine:3"),
        ("localhost:5000/team/app:edge", "localhost:5000/team/app:edge"),
        ("edge", "localhost:5000/team/app:edge"),
        ("_cosign:sha256-0a1b.sig", "_cosign:sha256-0a1b.sig"),
        ("sha256-0a1b.sig", "_cosign:sha256-0a1b.sig"),
    ])
    func resolve(_ query: String, _ expected: String) throws {
        let scratch = try TemporaryDirectory()
        let (layout, documents) = try Self.populated(scratch)
        let resolved = try layout.resolve(query)
        #expect(resolved.digest == documents[expected]?.digest)
        #expect(resolved.bytes == documents[expected]?.bytes)
        #expect(try layout.entry(named: query).annotations?[AnnotationKey.refName] == expected)
    }

    @Test("refuses an ambiguous tag and an unknown name, naming the candidates", arguments: [
        ("1.0", "ambiguousName", ["registry.example.com/app:1.0", "other.example.com/tool:1.0"]),
        ("registry.example.com/app:3.0", "nameNotFound", storedNames),
        ("5000/team/app:edge", "nameNotFound", storedNames),
        ("app", "nameNotFound", storedNames),
    ])
    func refuse(_ query: String, _ kind: String, _ listed: [String]) throws {
        let scratch = try TemporaryDirectory()
        let (layout, _) = try Self.populated(scratch)
        let error = #expect(throws: ContentError.self) { try layout.resolve(query) }
        #expect(error?.kind == kind)
        switch error {
        case .ambiguousName(_, _, let candidates)?: #expect(candidates == listed)
        case .nameNotFound(_, _, let known)?: #expect(known == listed)
        default: break
        }
    }

    @Test("resolves by digest: listed manifests and the platform manifests of an index")
    func byDigest() throws {
        let scratch = try TemporaryDirectory()
        let layout = try OCILayout(path: scratch.file("layout"), create: true)
        let child = try Fixtures.image(in: layout, layers: ["child"])
        let index = try Fixtures.index([(child, Fixtures.amd64)])
        try layout.putManifests([PlacedManifest(child, .content), PlacedManifest(index, .named("multi"))])

        #expect(try layout.resolve(index.digest.description).bytes == index.bytes)
        #expect(try layout.resolve(child.digest.description).bytes == child.bytes)
        #expect(try layout.names() == ["multi"])
        let absent = Digest(of: Array("nothing".utf8))
        #expect((#expect(throws: ContentError.self) { try layout.resolve(absent.description) })?.kind == "notFound")
    }

    @Test("oci:DIR alone designates the layout's only manifest, and is ambiguous when there are several")
    func onlyManifest() throws {
        let scratch = try TemporaryDirectory()
        let layout = try OCILayout(path: scratch.file("layout"), create: true)
        let reference = try LayoutReference(parsing: "oci:\(layout.path)")
        #expect((#expect(throws: ContentError.self) { try layout.resolve(reference) })?.kind == "notFound")

        let image = try Fixtures.image(in: layout, layers: ["only"])
        try layout.putManifest(image, .named("only"))
        try layout.putManifest(image, .unnamed)
        #expect(try layout.resolve(reference).digest == image.digest)

        let other = try Fixtures.image(in: layout, layers: ["other"])
        try layout.putManifest(other, .named("other"))
        #expect((#expect(throws: ContentError.self) { try layout.resolve(reference) })?.kind == "ambiguousName")
        #expect(try layout.resolve(LayoutReference(parsing: "oci:\(layout.path):other")).digest == other.digest)
        #expect(try layout.resolve(LayoutReference(parsing: "oci:\(layout.path)@\(image.digest)")).digest == image.digest)
    }

    static let hex = String(repeating: "ab", count: 32)

    @Test("parses oci:DIR[:NAME|@DIGEST]", arguments: [
        ("oci:/srv/mirror", "/srv/mirror", nil, nil),
        ("oci:/srv/mirror:", "/srv/mirror", nil, nil),
        ("oci:relative/dir:latest", "relative/dir", "latest", nil),
        ("oci:/srv/mirror:registry.example.com/app:1.0", "/srv/mirror", "registry.example.com/app:1.0", nil),
        ("oci:/srv/mirror:localhost:5000/app:sha256-\(hex).sig", "/srv/mirror", "localhost:5000/app:sha256-\(hex).sig", nil),
        ("oci:/srv/mirror:_cosign:sha256-\(hex).sig", "/srv/mirror", "_cosign:sha256-\(hex).sig", nil),
        ("oci:/srv/mirror@sha256:\(hex)", "/srv/mirror", nil, "sha256:\(hex)"),
        ("oci:/mnt/c:/images", "/mnt/c:/images", nil, nil),
        ("oci:/mnt/c:/images@sha256:\(hex)", "/mnt/c:/images", nil, "sha256:\(hex)"),
        ("oci:/srv/a@b:name", "/srv/a@b", "name", nil),
        ("oci:/srv/x:bad name", "/srv/x:bad name", nil, nil),
    ] as [(String, String, String?, String?)])
    func parse(_ raw: String, _ directory: String, _ name: String?, _ digest: String?) throws {
        let reference = try LayoutReference(parsing: raw)
        #expect(reference.directory == directory)
        #expect(reference.name == name)
        #expect(reference.digest?.description == digest)
        #expect(try LayoutReference(parsing: reference.description) == reference)
    }

    @Test("refuses malformed layout references", arguments: [
        "docker://registry.example.com/app", "/srv/mirror", "oci:", "oci::latest", "oci:@sha256:\(hex)",
        "oci:/srv/mirror@sha256:abc", "oci:/srv/mirror:app@sha256:\(hex)",
    ])
    func parseRefused(_ raw: String) throws {
        let error = #expect(throws: ContentError.self) { try LayoutReference(parsing: raw) }
        #expect(error?.kind == "invalidLayoutReference")
        #expect(error?.description.contains(raw) == true)
    }

    @Test("tells layout references from registry references")
    func recognise() {
        #expect(LayoutReference.isLayoutReference("oci:/srv/mirror:app"))
        #expect(!LayoutReference.isLayoutReference("registry.example.com/oci:1.0"))
        #expect(!LayoutReference.isLayoutReference("docker://oci"))
    }
}
