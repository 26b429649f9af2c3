import Foundation
import TestSupport

/// The `auth` value of a docker config entry: base64 of `user:password`.
func basicAuth(_ user: String, _ password: String) -> String {
    Data("\(user):\(password)".utf8).base64EncodedString()
}

/// `"auths":{"<host>":{"auth":"…"}}`, a member of a docker config.json.
func authsMember(_ registry: TestRegistry, user: String, password: String) -> String {
    #""auths":{"\#(registry.host)":{"auth":"\#(basicAuth(user, password))"}}"#
}

/// A shared fake registry requiring credentials (`auth`), and a fresh repository of it holding tag `v1`.
func protectedRepository(_ auth: FakeRegistryOptions.AuthMode = .bearer) async throws -> (TestRegistry, String) {
    let registry = try await TestRegistry.sharedFake(FakeRegistryOptions(auth: auth))
    let repo = uniqueRepository("cli/protected-\(auth.rawValue)")
    _ = try await registry.pushImage(repo: repo, tag: "v1")
    return (registry, repo)
}
