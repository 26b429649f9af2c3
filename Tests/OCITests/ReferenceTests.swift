import OCI
import Testing

/// `Reference(parsing:)` against the distribution reference grammar with Docker's normalisation
/// (distribution/reference: reference.go, normalize.go).
@Suite struct ReferenceTests {
    static let hex = String(repeating: "0123456789abcdef", count: 4)

    struct Valid: Sendable, CustomTestStringConvertible {
        let input: String
        let registry: String
        let path: String
        var tag: String? = nil
        var digest: String? = nil
        /// The normalised form, which `description` prints and which parses back to the same reference.
        let normalised: String

        var testDescription: String { input }
    }

    static let valid: [Valid] = [
        Valid(input: "alpine", registry: "docker.io", path: "library/alpine", normalised: "docker.io/library/alpine"),
        Valid(input: "alpine:3.19", registry: "docker.io", path: "library/alpine", tag: "3.19",
              normalised: "docker.io/library/alpine:3.19"),
        Valid(input: "library/alpine", registry: "docker.io", path: "library/alpine", normalised: "docker.io/library/alpine"),
        Valid(input: "docker.io/alpine", registry: "docker.io", path: "library/alpine", normalised: "docker.io/library/alpine"),
        Valid(input: "docker.io/library/alpine:latest", registry: "docker.io", path: "library/alpine", tag: "latest",
              normalised: "docker.io/library/alpine:latest"),
        Valid(input: "index.docker.io/library/alpine", registry: "docker.io", path: "library/alpine",
              normalised: "docker.io/library/alpine"),
        Valid(input: "index.docker.io/alpine", registry: "docker.io", path: "library/alpine", normalised: "docker.io/library/alpine"),
        Valid(input: "registry-1.docker.io/library/alpine", registry: "docker.io", path: "library/alpine",
              normalised: "docker.io/library/alpine"),
        Valid(input: "user/repo", registry: "docker.io", path: "user/repo", normalised: "docker.io/user/repo"),
        Valid(input: "user/team/repo:v2", registry: "docker.io", path: "user/team/repo", tag: "v2",
              normalised: "docker.io/user/team/repo:v2"),
        Valid(input: "localhost/repo", registry: "localhost", path: "repo", normalised: "localhost/repo"),
        Valid(input: "localhost:5000/repo:tag", registry: "localhost:5000", path: "repo", tag: "tag",
              normalised: "localhost:5000/repo:tag"),
        // Without a '/', "localhost:5000" is the Docker Hub image `localhost` with tag 5000, as docker reads it.
        Valid(input: "localhost:5000", registry: "docker.io", path: "library/localhost", tag: "5000",
              normalised: "docker.io/library/localhost:5000"),
        Valid(input: "127.0.0.1:5000/a/b/c:v1", registry: "127.0.0.1:5000", path: "a/b/c", tag: "v1",
              normalised: "127.0.0.1:5000/a/b/c:v1"),
        Valid(input: "[::1]:5000/repo", registry: "[::1]:5000", path: "repo", normalised: "[::1]:5000/repo"),
        Valid(input: "[::1]/repo:1.0", registry: "[::1]", path: "repo", tag: "1.0", normalised: "[::1]/repo:1.0"),
        Valid(input: "[2001:db8::1]:443/ns/repo", registry: "[2001:db8::1]:443", path: "ns/repo",
              normalised: "[2001:db8::1]:443/ns/repo"),
        Valid(input: "ghcr.io/org/repo@sha256:\(hex)", registry: "ghcr.io", path: "org/repo", digest: "sha256:\(hex)",
              normalised: "ghcr.io/org/repo@sha256:\(hex)"),
        Valid(input: "ghcr.io/org/repo:v1.2@sha256:\(hex)", registry: "ghcr.io", path: "org/repo", tag: "v1.2",
              digest: "sha256:\(hex)", normalised: "ghcr.io/org/repo:v1.2@sha256:\(hex)"),
        Valid(input: "alpine@sha512:\(hex)\(hex)", registry: "docker.io", path: "library/alpine", digest: "sha512:\(hex)\(hex)",
              normalised: "docker.io/library/alpine@sha512:\(hex)\(hex)"),
        Valid(input: "registry.example.com/a__b/c.d/e-f--g", registry: "registry.example.com", path: "a__b/c.d/e-f--g",
              normalised: "registry.example.com/a__b/c.d/e-f--g"),
        Valid(input: "registry.example.com:8443/a_b/0-9:_Tag.-x", registry: "registry.example.com:8443", path: "a_b/0-9",
              tag: "_Tag.-x", normalised: "registry.example.com:8443/a_b/0-9:_Tag.-x"),
        // Host names are case-insensitive, so upper case is allowed there (not in the path).
        Valid(input: "Registry.Example.com/x", registry: "Registry.Example.com", path: "x", normalised: "Registry.Example.com/x"),
        // Docker's rule: a first component with upper case can only be a registry host.
        Valid(input: "UPPER/case", registry: "UPPER", path: "case", normalised: "UPPER/case"),
        Valid(input: "my-registry.local/x", registry: "my-registry.local", path: "x", normalised: "my-registry.local/x"),
        Valid(input: "repo:\(String(repeating: "t", count: 128))", registry: "docker.io", path: "library/repo",
              tag: String(repeating: "t", count: 128), normalised: "docker.io/library/repo:\(String(repeating: "t", count: 128))"),
        // 11 + 1 + 243 = 255 characters: the longest name allowed.
        Valid(input: "example.com/" + String(repeating: "a", count: 243), registry: "example.com",
              path: String(repeating: "a", count: 243), normalised: "example.com/" + String(repeating: "a", count: 243)),
    ]

    @Test(arguments: valid)
    func parsesAndNormalises(_ row: Valid) throws {
        let reference = try Reference(parsing: row.input)
        #expect(reference.registry == row.registry)
        #expect(reference.repository.registry == row.registry)
        #expect(reference.repository.path == row.path)
        #expect(reference.repository.description == "\(row.registry)/\(row.path)")
        #expect(reference.tag == row.tag)
        #expect(reference.digest?.description == row.digest)
        #expect(reference.identifier == row.digest ?? row.tag ?? "latest")
        #expect(reference.description == row.normalised)
        // The printed form means the same thing when given back.
        #expect(try Reference(parsing: reference.description) == reference)
    }

    @Test func shortAndLongFormsOfADockerHubImageAreEqual() throws {
        let forms = ["alpine", "library/alpine", "docker.io/alpine", "docker.io/library/alpine", "index.docker.io/library/alpine"]
        let references = try forms.map { try Reference(parsing: $0) }
        #expect(Set(references).count == 1)
        #expect(try Reference(parsing: "alpine:latest") != references[0], "an explicit tag is kept, not folded into the default")
    }

    struct Invalid: Sendable, CustomTestStringConvertible {
        let input: String
        /// Part of the reason the user reads.
        let reason: String
        var testDescription: String { input.count > 60 ? String(input.prefix(60)) + "…" : input }
    }

    static let invalid: [Invalid] = [
        Invalid(input: "", reason: "empty reference"),
        Invalid(input: "Alpine", reason: "lower case"),
        Invalid(input: "docker.io/UPPER/case", reason: "lower case (\"UPPER\")"),
        Invalid(input: "user/Repo:tag", reason: "lower case (\"Repo\")"),
        Invalid(input: "repo:tag:extra", reason: "invalid path component \"repo:tag\""),
        Invalid(input: "repo@sha256:abc123", reason: "64 hex digits, got 6"),
        Invalid(input: "repo@md5:d41d8cd98f00b204e9800998ecf8427e", reason: "unsupported algorithm \"md5\""),
        Invalid(input: "repo@sha256:\(hex.uppercased())", reason: "lower-case hexadecimal"),
        Invalid(input: "repo@", reason: "ALGORITHM:HEX"),
        Invalid(input: "repo:tag@sha256:", reason: "64 hex digits, got 0"),
        Invalid(input: "a//b", reason: "empty path component"),
        Invalid(input: "example.com//b", reason: "empty path component"),
        Invalid(input: "-leading/dash", reason: "invalid path component \"-leading\""),
        Invalid(input: "user/trailing-", reason: "invalid path component \"trailing-\""),
        Invalid(input: "user/a___b", reason: "invalid path component \"a___b\""),
        Invalid(input: "user/a.-b", reason: "invalid path component \"a.-b\""),
        Invalid(input: "user/repo/", reason: "empty path component"),
        Invalid(input: "example.com/", reason: "empty path component"),
        Invalid(input: "/repo", reason: "empty path component"),
        Invalid(input: "repo:" + String(repeating: "t", count: 129), reason: "invalid tag"),
        Invalid(input: "repo:.hidden", reason: "invalid tag \".hidden\""),
        Invalid(input: "repo:-dash", reason: "invalid tag \"-dash\""),
        Invalid(input: "repo:t@g", reason: "ALGORITHM:HEX"),
        Invalid(input: "repo:", reason: "invalid tag \"\""),
        Invalid(input: "host:99999/x", reason: "invalid registry port \"99999\""),
        Invalid(input: "host:0/x", reason: "invalid registry port \"0\""),
        Invalid(input: "host:abc/x", reason: "invalid registry port \"abc\""),
        Invalid(input: "host:/x", reason: "invalid registry port \"\""),
        Invalid(input: "exa_mple.com/x", reason: "invalid registry host \"exa_mple.com\""),
        Invalid(input: "-bad.example.com/x", reason: "invalid registry host"),
        Invalid(input: "bad..example.com/x", reason: "invalid registry host"),
        Invalid(input: "[::1/x", reason: "unterminated IPv6"),
        Invalid(input: "[zz::1]:5000/x", reason: "invalid IPv6"),
        Invalid(input: "[::1]5000/x", reason: "invalid registry"),
        Invalid(input: "[::１]:5000/x", reason: "invalid IPv6"),
        Invalid(input: "[]:5000/x", reason: "invalid IPv6"),
        Invalid(input: "ｅxample.com/x", reason: "invalid registry host"),
        Invalid(input: "example.com:５０００/x", reason: "invalid registry port"),
        Invalid(input: "user/ｒepo", reason: "invalid path component"),
        Invalid(input: "repo:ｔag", reason: "invalid tag"),
        Invalid(input: "example.com/" + String(repeating: "a", count: 244), reason: "longer than 255"),
        // Normalisation counts: "docker.io/library/" + 238 = 256.
        Invalid(input: String(repeating: "a", count: 238), reason: "longer than 255"),
        Invalid(input: "user/re po", reason: "invalid path component \"re po\""),
    ]

    @Test(arguments: invalid)
    func rejectsWithAReasonNamingTheProblem(_ row: Invalid) {
        do {
            let parsed = try Reference(parsing: row.input)
            Issue.record("\"\(row.input)\" parsed as \(parsed)")
        } catch {
            guard case .invalidReference(let value, let reason) = error else {
                Issue.record("unexpected error \(error)")
                return
            }
            #expect(value == row.input, "the error names the reference as the user wrote it")
            #expect(reason.contains(row.reason), "reason: \(reason)")
            #expect(error.description.contains("\"\(row.input)\""))
        }
    }

    @Test func withTagAndWithDigestPinTheReference() throws {
        let reference = try Reference(parsing: "ghcr.io/org/repo:v1")
        let digest = try Digest(parsing: "sha256:\(Self.hex)")
        let pinned = reference.withDigest(digest)
        #expect(pinned.description == "ghcr.io/org/repo:v1@sha256:\(Self.hex)")
        #expect(pinned.identifier == digest.description)
        let retagged = pinned.withTag("v2")
        #expect(retagged.description == "ghcr.io/org/repo:v2", "a new tag drops the old pin")
        #expect(retagged.identifier == "v2")
    }

    @Test func repositoriesSortByName() throws {
        let names = ["quay.io/b", "docker.io/library/z", "docker.io/library/a", "ghcr.io/x/y"]
        let sorted = try names.map { try Repository(parsing: $0) }.sorted().map(\.description)
        #expect(sorted == ["docker.io/library/a", "docker.io/library/z", "ghcr.io/x/y", "quay.io/b"])
    }
}
