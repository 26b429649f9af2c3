import Foundation
import Testing
import TestSupport

/// Reading credentials and authenticating (README "Credentials and authentication").
@Suite("Credentials and authentication")
struct CredentialsTests {
    @Test("credHelpers.<host> runs docker-credential-<name> get, ahead of auths")
    func credHelpers() async throws {
        let (registry, repo) = try await protectedRepository()
        let (user, password) = try #require(registry.credentials)
        let sandbox = try Sandbox()
        try sandbox.installCredentialHelper("cli-test", user: user, secret: password)
        try sandbox.write(#"{"credHelpers":{"\#(registry.host)":"cli-test"},\#(authsMember(registry, user: user, password: "wrong"))}"#,
                          to: sandbox.dockerConfigFile)
        let result = try await ocitool("digest", registry.reference(repo, "v1"), insecure: [registry],
                                       environment: ["PATH": sandbox.pathWithHelpers], sandbox: sandbox)
        #expect(result.status == 0, "\(result)")
        #expect(sandbox.helperCalls("cli-test") == ["get \(registry.host)"])
    }

    @Test("credsStore is used when auths has no entry for the registry")
    func credsStore() async throws {
        let (registry, repo) = try await protectedRepository()
        let (user, password) = try #require(registry.credentials)
        let sandbox = try Sandbox()
        try sandbox.installCredentialHelper("cli-store", user: user, secret: password)
        try sandbox.write(#"{"credsStore":"cli-store","auths":{"other.example":{"auth":"eDp5"}}}"#, to: sandbox.dockerConfigFile)
        let result = try await ocitool("digest", registry.reference(repo, "v1"), insecure: [registry],
                                       environment: ["PATH": sandbox.pathWithHelpers], sandbox: sandbox)
        #expect(result.status == 0, "\(result)")
        #expect(sandbox.helperCalls("cli-store").first?.hasPrefix("get ") == true)
        #expect(sandbox.helperCalls("cli-store").first?.contains(registry.host) == true, "\(sandbox.helperCalls("cli-store"))")
    }

    @Test("auths.<host> is used ahead of credsStore")
    func authsBeforeCredsStore() async throws {
        let (registry, repo) = try await protectedRepository()
        let (user, password) = try #require(registry.credentials)
        let sandbox = try Sandbox()
        try sandbox.installCredentialHelper("cli-wrong", user: user, secret: "wrong")
        try sandbox.write(#"{"credsStore":"cli-wrong",\#(authsMember(registry, user: user, password: password))}"#, to: sandbox.dockerConfigFile)
        let result = try await ocitool("digest", registry.reference(repo, "v1"), insecure: [registry],
                                       environment: ["PATH": sandbox.pathWithHelpers], sandbox: sandbox)
        #expect(result.status == 0, "\(result)")
        #expect(sandbox.helperCalls("cli-wrong").isEmpty)
    }

    @Test("a configured helper that is not installed is exit 3 naming the program")
    func missingHelper() async throws {
        let (registry, repo) = try await protectedRepository()
        let sandbox = try Sandbox()
        try sandbox.write(#"{"credHelpers":{"\#(registry.host)":"cli-absent"}}"#, to: sandbox.dockerConfigFile)
        let result = try await ocitool("digest", registry.reference(repo, "v1"), insecure: [registry],
                                       environment: ["PATH": sandbox.pathWithHelpers], sandbox: sandbox)
        expectFailure(result, status: 3, mentioning: ["docker-credential-cli-absent"])
    }

    @Test("Basic challenges get the credentials directly")
    func basicAuth() async throws {
        let (registry, repo) = try await protectedRepository(.basic)
        let (user, password) = try #require(registry.credentials)
        let sandbox = try Sandbox()
        try sandbox.write("{\(authsMember(registry, user: user, password: password))}", to: sandbox.dockerConfigFile)
        let result = try await ocitool("tags", "\(registry.host)/\(repo)", insecure: [registry], sandbox: sandbox)
        #expect(result.status == 0, "\(result)")
        #expect(result.output == "v1\n")
    }

    @Test("bearer tokens carry the credentials, are per repository and action, and are reused within one invocation")
    func bearerTokens() async throws {
        let (registry, source) = try await protectedRepository()
        let (user, password) = try #require(registry.credentials)
        let index = try await registry.pushIndex(repo: source, tag: "1.0")
        let destination = uniqueRepository("cli/copy-with-tokens")
        let sandbox = try Sandbox()
        try sandbox.write("{\(authsMember(registry, user: user, password: password))}", to: sandbox.dockerConfigFile)

        var result: CLIResult?
        let tokens = try await registry.requests(matching: "/token") {
            result = try await ocitool("copy", registry.reference(source, "1.0"), registry.reference(destination, "1.0"),
                                       insecure: [registry], sandbox: sandbox)
        }.filter { $0.path == "/token" && ($0.query.contains(source) || $0.query.contains(destination)) }
        let copy = try #require(result)
        #expect(copy.status == 0, "\(copy)")
        #expect(try await registry.fetchManifest(repo: destination, reference: "1.0")?.data == index.bytes)
        #expect(tokens.allSatisfy { $0.authorization }, "token requests carry the credentials")
        let scopes = tokens.map(\.query)
        #expect(scopes.contains { $0.contains("repository:\(source):pull") }, "\(scopes)")
        #expect(scopes.contains { $0.contains("repository:\(destination):pull,push") }, "\(scopes)")
        #expect(tokens.count <= 3, "tokens are reused, not fetched per request: \(scopes)")
    }

    @Test("a blob redirected to another host is downloaded without forwarding Authorization")
    func redirectDropsAuthorization() async throws {
        let (registry, repo) = try await protectedRepository()
        let (user, password) = try #require(registry.credentials)
        let content = sampleBytes(20_000, seed: repo)
        let digest = try await registry.pushBlob(repo: repo, data: content)
        try await registry.addFaults([.redirect(method: "GET", path: "/v2/\(repo)/blobs/")])
        let sandbox = try Sandbox()
        try sandbox.write("{\(authsMember(registry, user: user, password: password))}", to: sandbox.dockerConfigFile)
        let file = sandbox.path("blob.bin")
        let result = try await ocitool("blob", "get", "\(registry.host)/\(repo)@\(digest)", "-o", file.path,
                                       insecure: [registry], sandbox: sandbox)
        #expect(result.status == 0, "\(result)")
        #expect(FileManager.default.contents(atPath: file.path) == content)
        let atCDN = try await registry.requests(matching: "/v2/\(repo)/blobs/").filter { $0.port == registry.cdnPort }
        #expect(atCDN.count == 1)
        #expect(atCDN.allSatisfy { !$0.authorization })
        try await registry.clearFaults(matching: repo)
    }

    @Test("without credentials, a registry that refuses anonymous pulls is exit 3 with a hint to log in")
    func unauthorized() async throws {
        let (registry, repo) = try await protectedRepository()
        for arguments in [["digest", registry.reference(repo, "v1")], ["manifest", "get", registry.reference(repo, "v1")],
                          ["tags", "\(registry.host)/\(repo)"]] {
            let result = try await ocitool(arguments, insecure: [registry])
            expectFailure(result, status: 3, mentioning: [registry.host, "ocitool login \(registry.host)"])
        }
    }

    @Test("a bearer registry that allows anonymous pulls needs no credentials; the first request goes without any")
    func anonymousBearer() async throws {
        let registry = try await TestRegistry.sharedFake(FakeRegistryOptions(auth: .bearer, anonymousPull: true))
        let repo = uniqueRepository("cli/anonymous")
        let image = try await registry.pushImage(repo: repo, tag: "v1")
        var result: CLIResult?
        let logged = try await registry.requests(matching: repo) {
            result = try await ocitool("manifest", "get", registry.reference(repo, "v1"), insecure: [registry])
        }
        let run = try #require(result)
        #expect(run.status == 0, "\(run)")
        #expect(run.stdout == image.manifest)
        #expect(logged.first?.authorization == false && logged.first?.status == 401, "anonymous until challenged: \(logged)")
        #expect(logged.filter { $0.path == "/token" }.allSatisfy { !$0.authorization }, "an anonymous token: \(logged)")
    }

    @Test("a missing credentials file means anonymous access")
    func missingFile() async throws {
        let registry = try await TestRegistry.sharedFake()
        let repo = uniqueRepository("cli/nofile")
        let image = try await registry.pushImage(repo: repo, tag: "v1")
        let sandbox = try Sandbox()
        let result = try await ocitool("digest", registry.reference(repo, "v1"), "--auth-file", sandbox.path("absent.json").path,
                                       insecure: [registry], sandbox: sandbox)
        #expect(result.status == 0, "\(result)")
        #expect(result.output == image.digest + "\n")
    }

    /// README: "an unreadable or malformed one is an error"; exit codes: "unreadable input file" is 2.
    @Test("a malformed or unreadable credentials file is an error naming the file", arguments: [
        ("not json", "garbage {"), ("not an object", "[1, 2]"), ("bad auth", #"{"auths":{"HOST":{"auth":"%%%"}}}"#),
        ("a directory", ""),
    ])
    func badFile(kind: String, content: String) async throws {
        let (registry, repo) = try await protectedRepository()
        let sandbox = try Sandbox()
        let file = sandbox.path("auth.json")
        if kind == "a directory" {
            _ = try sandbox.directory("auth.json")
        } else {
            try sandbox.write(content.replacingOccurrences(of: "HOST", with: registry.host), to: file)
        }
        let result = try await ocitool("digest", registry.reference(repo, "v1"), "--auth-file", file.path, insecure: [registry],
                                       sandbox: sandbox)
        #expect(result.status == 2, "\(result)")
        #expect(result.errorMessages.count == 1 && result.errorMessages[0].contains(file.path), "\(result)")
        #expect(!result.errorMessages[0].contains("DecodingError"), "\(result)")
    }
}
