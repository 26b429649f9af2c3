import Foundation
import Testing
import TestSupport

/// README "References": which registry, repository and tag or digest a reference means. Seen in the URL of
/// the first `--debug` line; an HTTPS proxy on a closed port keeps every request on this machine.
@Suite("Reference resolution")
struct ReferenceResolutionTests {
    static let digest = "sha256:" + String(repeating: "e", count: 64)

    @Test("a reference names the registry, repository and tag or digest the README says", arguments: [
        ("alpine", "https://registry-1.docker.io/v2/library/alpine/manifests/latest"),
        ("docker.io/library/alpine", "https://registry-1.docker.io/v2/library/alpine/manifests/latest"),
        ("org/app:1.2", "https://registry-1.docker.io/v2/org/app/manifests/1.2"),
        ("ghcr.io/org/app:1.2", "https://ghcr.io/v2/org/app/manifests/1.2"),
        ("registry.example.com/app:1.2@" + digest, "https://registry.example.com/v2/app/manifests/" + digest),
        ("localhost/app", "https://localhost/v2/app/manifests/latest"),
        ("myhost:5000/team/app:v1", "https://myhost:5000/v2/team/app/manifests/v1"),
    ])
    func resolution(reference: String, url: String) async throws {
        let proxy = "http://127.0.0.1:\(try closedLoopbackPort())"
        let result = try await ocitool("--debug", "digest", reference, environment: [
            "https_proxy": proxy, "HTTPS_PROXY": proxy, "http_proxy": proxy, "HTTP_PROXY": proxy,
            "all_proxy": "", "ALL_PROXY": "", "no_proxy": "", "NO_PROXY": "",
        ])
        #expect(result.status == 3, "\(result)")
        let first = try #require(result.errorLines.first { $0.hasPrefix("debug: ") }, "\(result)")
        #expect(first.hasPrefix("debug: HEAD \(url) -> "), "\(first)")
    }
}
