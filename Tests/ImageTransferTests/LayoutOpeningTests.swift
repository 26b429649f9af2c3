import Foundation
import ImageTransfer
import OCI
import Testing
import TestSupport

@Suite("OCI layout: creating and opening")
struct LayoutOpeningTests {
    @Test("creates a layout in a missing or an empty directory, then opens it", arguments: ["new/nested", "empty"])
    func create(_ directory: String) throws {
        let scratch = try TemporaryDirectory()
        if directory == "empty" { try FileManager.default.createDirectory(atPath: scratch.file(directory), withIntermediateDirectories: true) }
        let layout = try OCILayout(path: scratch.file(directory), create: true)

        #expect(String(decoding: try scratch.read("\(directory)/oci-layout"), as: UTF8.self) == #"{"imageLayoutVersion":"1.0.0"}"#)
        let index = try JSONDecoder().decode(ImageIndex.self, from: try scratch.read("\(directory)/index.json"))
        #expect(index.schemaVersion == 2 && index.manifests.isEmpty)
        #expect(try scratch.contents(directory) == ["blobs", "index.json", "oci-layout"])
        #expect(try layout.names().isEmpty)

        let reopened = try OCILayout(path: scratch.file(directory) + "/")
        #expect(reopened.path == scratch.file(directory))
        #expect(try reopened.index().manifests.isEmpty)
    }

    struct Refusal: Sendable, CustomStringConvertible {
        let description: String
        /// Files to create first, relative to the directory handed to OCILayout.
        let files: [String: String]
        let asFile: Bool
        let create: Bool
        let kind: String
    }

    static let refusals: [Refusal] = [
        Refusal(description: "a directory of other files", files: ["notes.txt": "hello", "src/main.c": "int main;"], asFile: false, create: true, kind: "notALayout"),
        Refusal(description: "a directory with index.json but no oci-layout", files: ["index.json": #"{"schemaVersion":2,"manifests":[]}"#], asFile: false, create: true, kind: "notALayout"),
        Refusal(description: "a regular file", files: [:], asFile: true, create: true, kind: "notALayout"),
        Refusal(description: "a missing directory, when not creating", files: [:], asFile: false, create: false, kind: "notALayout"),
        Refusal(description: "an empty directory, when not creating", files: ["": ""], asFile: false, create: false, kind: "notALayout"),
        Refusal(description: "an unsupported layout version", files: ["oci-layout": #"{"imageLayoutVersion":"2.0.0"}"#], asFile: false, create: true, kind: "notALayout"),
        Refusal(description: "an oci-layout that is not JSON", files: ["oci-layout": "1.0.0"], asFile: false, create: true, kind: "invalidLayout"),
        Refusal(description: "an oci-layout without a version", files: ["oci-layout": #"{"version":"1.0.0"}"#], asFile: false, create: false, kind: "invalidLayout"),
    ]

    @Test("refuses what is not a layout, and writes nothing there", arguments: refusals)
    func refuse(_ refusal: Refusal) throws {
        let scratch = try TemporaryDirectory()
        let target = scratch.file("target")
        if refusal.asFile { try scratch.write(Data("not a directory".utf8), to: "target") }
        for (name, contents) in refusal.files {
            if name.isEmpty { try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: true) }
            else { try scratch.write(Data(contents.utf8), to: "target/\(name)") }
        }
        let before = refusal.asFile || !scratch.exists("target") ? [] : try scratch.contents("target")

        let error = #expect(throws: ContentError.self) { try OCILayout(path: target, create: refusal.create) }
        #expect(error?.kind == refusal.kind)
        #expect(error?.description.contains(target) == true)
        if !refusal.asFile && scratch.exists("target") { #expect(try scratch.contents("target") == before) }
        if !refusal.create && refusal.files.isEmpty { #expect(!scratch.exists("target")) }
    }

    @Test("reads a layout written by other tools: a spaced marker, extra fields, no index.json yet")
    func foreignMarker() throws {
        let scratch = try TemporaryDirectory()
        try scratch.write(Data(#"{"imageLayoutVersion": "1.0.0", "comment": "made elsewhere"}"#.utf8), to: "layout/oci-layout")
        let reader = try OCILayout(path: scratch.file("layout"))
        #expect(try reader.index().manifests.isEmpty)
        #expect(!scratch.exists("layout/index.json"))

        _ = try OCILayout(path: scratch.file("layout"), create: true)
        #expect(try scratch.contents("layout") == ["blobs", "index.json", "oci-layout"])
        #expect(String(decoding: try scratch.read("layout/oci-layout"), as: UTF8.self).contains("made elsewhere"))
    }

    @Test("a corrupt index.json is reported with its path", arguments: ["not json", #"{"manifests":[]}"#,
                                                                       #"{"schemaVersion":2,"manifests":[{"mediaType":"x","digest":"md5:abc","size":1}]}"#])
    func corruptIndex(_ contents: String) throws {
        let scratch = try TemporaryDirectory()
        let layout = try OCILayout(path: scratch.path, create: true)
        try scratch.write(Data(contents.utf8), to: "index.json")
        let error = #expect(throws: ContentError.self) { try layout.index() }
        #expect(error?.kind == "invalidLayout")
        #expect(error?.description.hasPrefix(scratch.file("index.json")) == true)
    }
}
