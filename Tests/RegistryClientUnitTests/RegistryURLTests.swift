@testable import RegistryClient
import Testing

/// Where requests go, and whether credentials may go with them (never to another host, e.g. a blob redirect).
@Suite struct RegistryURLTests {
    @Test(arguments: [
        ("https://registry-1.docker.io/v2/library/alpine/manifests/latest", "registry-1.docker.io"),
        ("http://localhost:5000/v2/", "localhost:5000"),
        ("https://[::1]:5000/v2/x/blobs/sha256:1", "[::1]:5000"),
        ("https://ghcr.io?x=1", "ghcr.io"),
        ("https://ghcr.io#frag", "ghcr.io"),
        ("https://storage.example.com/blobs/abc?sig=1", "storage.example.com"),
        ("/v2/x/tags/list", ""),
        ("registry.example.com/v2/", ""),
        ("", ""),
    ])
    func hostOfAURL(_ url: String, _ host: String) {
        #expect(RegistryClient.host(of: url) == host)
    }

    @Test(arguments: [
        ("docker.io", "registry-1.docker.io"),
        ("ghcr.io", "ghcr.io"),
        ("localhost:5000", "localhost:5000"),
        ("index.docker.io", "index.docker.io"),
    ])
    func dockerHubsAPIHost(_ registry: String, _ host: String) {
        #expect(RegistryClient.apiHost(for: registry) == host)
    }

    @Test(arguments: [
        ("repository:library/alpine:pull", "repository%3Alibrary%2Falpine%3Apull"),
        ("registry.docker.io", "registry.docker.io"),
        ("a b&c=d+e", "a%20b%26c%3Dd%2Be"),
        ("~-._AZaz09", "~-._AZaz09"),
        ("é", "%C3%A9"),
    ])
    func queryValuesArePercentEncoded(_ value: String, _ encoded: String) {
        #expect(URLEncoding.queryValue(value) == encoded)
    }
}
