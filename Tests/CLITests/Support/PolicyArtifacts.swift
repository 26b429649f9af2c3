import Foundation
import Testing
import TestSupport

// Kyverno policy artifacts for `policy push` / `policy pull`: the sample policies, artifacts pushed by hand
// (media types and layers from TestSupport's RawPolicyArtifact), and bundles built with Python's tarfile (never
// with the code under test).

/// `testdata/policies`, and each policy's document as a layer must hold it, cut from the files by hand.
enum PolicySamples {
    static let directory: String = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("testdata/policies").path
    static var requireLabels: String { directory + "/require-labels.yaml" }
    static var images: String { directory + "/best-practices/images.yaml" }
    static var cleanup: String { directory + "/best-practices/cleanup.yml" }

    struct Policy: Sendable, CustomStringConvertible {
        let apiVersion: String
        let kind: String
        let name: String
        let source: String
        var fileName: String { "\(kind)-\(name).yaml" }
        var description: String { "\(kind)/\(name)" }
    }

    static func text(_ path: String) -> String {
        String(decoding: FileManager.default.contents(atPath: path) ?? Data(), as: UTF8.self)
    }

    /// require-labels.yaml minus its first line, a comment above the document.
    static var requireTeamLabel: Policy {
        let text = text(requireLabels)
        return Policy(apiVersion: "kyverno.io/v1", kind: "ClusterPolicy", name: "require-team-label",
                      source: String(text[text.index(after: text.firstIndex(of: "\n")!)...]))
    }

    static var disallowLatestTag: Policy {
        Policy(apiVersion: "kyverno.io/v1", kind: "ClusterPolicy", name: "disallow-latest-tag",
               source: text(images).components(separatedBy: "\n---\n")[0] + "\n")
    }

    static var restrictRegistries: Policy {
        Policy(apiVersion: "kyverno.io/v1", kind: "Policy", name: "restrict-registries",
               source: text(images).components(separatedBy: "\n---\n")[1])
    }

    static var removeStaleJobs: Policy {
        Policy(apiVersion: "kyverno.io/v2", kind: "ClusterCleanupPolicy", name: "remove-stale-jobs", source: text(cleanup))
    }

    /// The directory's policies in the order a push lays them out (files sorted by path, documents in order).
    static var all: [Policy] { [removeStaleJobs, disallowLatestTag, restrictRegistries, requireTeamLabel] }

    /// A small valid policy document.
    static func policy(_ name: String, kind: String = "ClusterPolicy") -> String {
        "apiVersion: kyverno.io/v1\nkind: \(kind)\nmetadata:\n  name: \(name)\nspec:\n  rules: []\n"
    }
}

extension TestRegistry {
    /// Pushes an artifact by hand into a fresh repository named after `prefix`, tagged `v1`: `config` under
    /// `configMediaType`, then `layers`, then an OCI manifest without artifactType. Returns the repository.
    func pushPolicyArtifact(prefix: String, configMediaType: String = PolicyWire.config, config: Data = Data("{}".utf8),
                            layers: [PolicyLayer]) async throws -> String {
        let repo = uniqueRepository(prefix)
        try await pushPolicyArtifact(RawPolicyArtifact(configMediaType: configMediaType, config: config, layers: layers), repo: repo)
        return repo
    }

    /// The layers of manifest `reference` of `repo`, as JSON objects.
    func layerObjects(repo: String, reference: String = "v1") async throws -> [[String: Any]] {
        let fetched = try #require(try await fetchManifest(repo: repo, reference: reference))
        return try #require(jsonObject(fetched.data)?["layers"] as? [[String: Any]])
    }
}

/// Hostile bundles built with Python's tarfile and gzip.
enum HostileBundle: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case traversal, absolute, symlink, hardlink, device, bomb, gzipBomb, truncated

    var testDescription: String { rawValue }

    /// What the one error line must say.
    var expected: String {
        switch self {
        case .traversal: #"has a ".." component"#
        case .absolute: "is absolute"
        case .symlink: "is a symbolic link"
        case .hardlink: "is a hard link"
        case .device: "is a character device"
        case .bomb: "maxFileSize"
        case .gzipBomb: "maxTotalSize"
        case .truncated: "truncated gzip data"
        }
    }

    static let script = #"""
        import gzip, io, sys, tarfile
        def policy(name):
            return ("apiVersion: kyverno.io/v1\nkind: ClusterPolicy\nmetadata:\n  name: %s\n" % name).encode()
        def add(archive, name, data=b"", kind=tarfile.REGTYPE, link=""):
            info = tarfile.TarInfo(name)
            info.type, info.linkname, info.mode, info.mtime = kind, link, 0o644, 1700000000
            info.size = len(data) if kind == tarfile.REGTYPE else 0
            if kind == tarfile.CHRTYPE:
                info.devmajor, info.devminor = 1, 3
            archive.addfile(info, io.BytesIO(data) if kind == tarfile.REGTYPE else None)
        def tgz(*entries):
            buffer = io.BytesIO()
            with tarfile.open(fileobj=buffer, mode="w", format=tarfile.PAX_FORMAT) as archive:
                add(archive, "ok.yaml", policy("ok"))
                for entry in entries:
                    add(archive, *entry)
            return gzip.compress(buffer.getvalue(), mtime=0)
        outside = sys.argv[2]
        cases = {
            "traversal": lambda: tgz(("../escaped.yaml", policy("escaped"))),
            "absolute": lambda: tgz((outside, policy("absolute"))),
            "symlink": lambda: tgz(("link.yaml", b"", tarfile.SYMTYPE, outside)),
            "hardlink": lambda: tgz(("hard.yaml", b"", tarfile.LNKTYPE, outside)),
            "device": lambda: tgz(("null.yaml", b"", tarfile.CHRTYPE)),
            "bomb": lambda: tgz(("bomb.yaml", b"\0" * (64 << 20))),
            "gzipBomb": lambda: gzip.compress(b"\0" * (96 << 20), mtime=0),
            "truncated": lambda: (lambda whole: whole[: len(whole) * 2 // 3])(tgz(*[("p%d.yaml" % i, policy("p%d" % i) * 50) for i in range(20)])),
        }
        sys.stdout.buffer.write(cases[sys.argv[1]]())
        """#

    /// The bundle; `outside` is where absolute entries and links point.
    func bytes(outside: String) async throws -> Data {
        let name = rawValue
        return try await onOwnThread {
            let child = try ChildProcess("/usr/bin/env", ["python3", "-c", Self.script, name, outside])
            let result = try child.finish(timeout: 120)
            guard result.status == 0 else {
                throw TestSupportError.launchFailed(program: "python3", reason: String(decoding: result.stderr, as: UTF8.self))
            }
            return result.stdout
        }
    }
}

/// Everything below `path` (hidden entries included): relative path → file bytes, "dir", or "-> target".
func treeSnapshot(_ path: String) -> [String: String]? {
    let manager = FileManager.default
    guard let attributes = try? manager.attributesOfItem(atPath: path) else { return nil }
    func describe(_ full: String, _ type: FileAttributeType?) -> String {
        switch type {
        case .typeRegular?: "file " + sha256Hex(manager.contents(atPath: full) ?? Data())
        case .typeDirectory?: "dir"
        case .typeSymbolicLink?: "-> " + ((try? manager.destinationOfSymbolicLink(atPath: full)) ?? "?")
        default: "other"
        }
    }
    var entries = [".": describe(path, attributes[.type] as? FileAttributeType)]
    if attributes[.type] as? FileAttributeType == .typeDirectory {
        for relative in (try? manager.subpathsOfDirectory(atPath: path)) ?? [] {
            let full = path + "/" + relative
            entries[relative] = describe(full, (try? manager.attributesOfItem(atPath: full))?[.type] as? FileAttributeType)
        }
    }
    return entries
}
