import Foundation
import Testing
import TestSupport

/// sigstore-conformance `bundle-verify`, run as that suite runs a client: every folder through the built
/// `ocitool verify-blob`, with the folder's artifact (or `../a.txt`), its `key.pub` or else the identity
/// and issuer (the folder's `identity`/`issuer` files, or the suite's defaults), and its `trusted_root.json`
/// (or the production one). Every `_fail` case must fail, every other must pass: no exclusions.
@Suite("sigstore-conformance bundle-verify through verify-blob", .enabled(if: Vectors.available, "\(Vectors.missing)"))
struct ConformanceCLITests {
    static let root = "sigstore-conformance/test/assets/bundle-verify/"
    static let productionRoot = "sigstore-python/sigstore/_store/prod/trusted_root.json"
    static let defaultIdentity = "https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main"
    static let defaultIssuer = "https://token.actions.githubusercontent.com"

    static var cases: [String] { Vectors.subfolders(of: root) }

    @Test func allSeventyCasesAreThere() {
        #expect(Self.cases.count == 70, "\(Self.cases.count) cases found")
    }

    /// The command line the conformance suite's client runner would build for `name`.
    static func arguments(_ name: String) throws -> [String] {
        let folder = root + name + "/"
        func file(_ name: String) -> String? { Vectors.exists(folder + name) ? Vectors.path(folder + name) : nil }
        let artifact = file("artifact") ?? Vectors.path(root + "a.txt")
        var arguments = ["verify-blob", artifact, "--bundle", Vectors.path(folder + "bundle.sigstore.json"),
                         "--trusted-root", file("trusted_root.json") ?? Vectors.path(productionRoot)]
        if let key = file("key.pub") {
            arguments += ["--key", key]
        } else {
            let identity = try file("identity").map { _ in try Vectors.text(folder + "identity").trimmingCharacters(in: .whitespacesAndNewlines) }
            let issuer = try file("issuer").map { _ in try Vectors.text(folder + "issuer").trimmingCharacters(in: .whitespacesAndNewlines) }
            arguments += ["--certificate-identity", identity ?? defaultIdentity, "--certificate-oidc-issuer", issuer ?? defaultIssuer]
        }
        return arguments
    }

    @Test(arguments: cases)
    func conformanceCase(_ name: String) async throws {
        let result = try await ocitool(try Self.arguments(name))
        if name.hasSuffix("_fail") {
            // Refused as a failed verification (1) or as unusable input (2): never a pass, a crash or a hang.
            #expect(result.status == 1 || result.status == 2, "\(name) must fail: \(result)")
            #expect(result.status == 1 ? result.output.contains("failed: ") : result.errorMessages.count == 1, "\(result)")
        } else {
            #expect(result.status == 0, "\(name) must verify: \(result)")
            #expect(result.output.hasPrefix("verified: "), "\(result)")
        }
    }
}
