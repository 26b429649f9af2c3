import Foundation
import OCI
@testable import RegistryClient
import Testing
import TestSupport

/// Credentials from docker's `config.json`, read and written the way `docker login` does.
@Suite struct DockerConfigCredentialsTests {
    static func base64(_ text: String) -> String { Data(text.utf8).base64EncodedString() }

    static func provider(_ json: String, in directory: TemporaryDirectory) throws -> DockerConfigCredentials {
        let path = try directory.write(json, to: "config.json")
        return try DockerConfigCredentials(explicitPath: path, environment: [:])
    }

    static let config = """
    {
      "auths": {
        "https://index.docker.io/v1/": {"auth": "\(base64("hubuser:hubpass"))"},
        "registry.example.com": {"auth": "\(base64("alice:pa:ss:word"))"},
        "https://secure.example.com": {"auth": "\(base64("bob:pw"))"},
        "http://plain.example.com": {"auth": "\(base64("carol:pw"))"},
        "https://legacy.example.com/v1/": {"auth": "\(base64("dave:pw"))"},
        "https://v2.example.com/v2/": {"auth": "\(base64("frank:pw"))"},
        "token.example.com": {"auth": "\(base64("<token>:"))", "identitytoken": "refresh-123"},
        "fields.example.com": {"username": "erin", "password": "pw"},
        "empty.example.com": {},
        "empty-auth.example.com": {"auth": ""},
        "localhost:5000": {"auth": "\(base64("local:pw"))"}
      },
      "psFormat": "table {{.ID}}"
    }
    """

    @Test(arguments: [
        ("docker.io", Credential.basic(username: "hubuser", password: "hubpass")),
        ("registry.example.com", .basic(username: "alice", password: "pa:ss:word")),
        ("secure.example.com", .basic(username: "bob", password: "pw")),
        ("plain.example.com", .basic(username: "carol", password: "pw")),
        ("legacy.example.com", .basic(username: "dave", password: "pw")),
        ("v2.example.com", .basic(username: "frank", password: "pw")),
        ("token.example.com", .identityToken("refresh-123")),
        ("fields.example.com", .basic(username: "erin", password: "pw")),
        ("localhost:5000", .basic(username: "local", password: "pw")),
    ] as [(String, Credential)])
    func findsCredentialsUnderEveryKeyDockerUses(_ registry: String, _ expected: Credential) throws {
        let directory = try TemporaryDirectory()
        #expect(try Self.provider(Self.config, in: directory).credential(for: registry) == expected)
    }

    @Test(arguments: ["empty.example.com", "empty-auth.example.com", "unknown.example.com", "localhost", "localhost:5001", "example.com"])
    func registriesWithoutAnEntryHaveNoCredentials(_ registry: String) throws {
        let directory = try TemporaryDirectory()
        #expect(try Self.provider(Self.config, in: directory).credential(for: registry) == nil)
    }

    @Test(arguments: ["https://index.docker.io/v1/", "index.docker.io", "docker.io", "registry-1.docker.io"])
    func dockerHubCredentialsUnderAnyOfItsNames(_ key: String) throws {
        let directory = try TemporaryDirectory()
        let provider = try Self.provider(#"{"auths":{"\#(key)":{"auth":"\#(Self.base64("hub:pw"))"}}}"#, in: directory)
        #expect(try provider.credential(for: "docker.io") == .basic(username: "hub", password: "pw"))
    }

    @Test(arguments: ["not base64!", Self.base64("no-colon")])
    func unreadableAuthIsAnError(_ auth: String) throws {
        let directory = try TemporaryDirectory()
        let provider = try Self.provider(#"{"auths":{"r.example":{"auth":"\#(auth)"}}}"#, in: directory)
        do {
            let credential = try provider.credential(for: "r.example")
            Issue.record("accepted auth \(auth) as \(String(describing: credential))")
        } catch {
            guard case .invalidCredentialsFile(let path, let message) = error else { Issue.record("unexpected error \(error)"); return }
            #expect(path == provider.path)
            #expect(message.contains("auths.\"r.example\".auth is not base64 of USER:PASSWORD"))
        }
    }

    @Test func missingFileMeansNoCredentials() throws {
        let directory = try TemporaryDirectory()
        let provider = try DockerConfigCredentials(environment: ["DOCKER_CONFIG": directory.file("nowhere")])
        #expect(provider.path == directory.file("nowhere/config.json"))
        #expect(try provider.credential(for: "docker.io") == nil)
        #expect(try provider.credential(for: "registry.example.com") == nil)
    }

    @Test(arguments: [
        ("{", "not a valid docker config.json"),
        ("", "not a valid docker config.json"),
        (#"{"auths": {"a": }"#, "not a valid docker config.json"),
        ("[]", "expected a JSON object"),
        (#""auths""#, "expected a JSON object"),
    ])
    func invalidFileIsAnError(_ contents: String, _ reason: String) throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write(contents, to: "config.json")
        do {
            _ = try DockerConfigCredentials(explicitPath: path, environment: [:])
            Issue.record("accepted \(contents)")
        } catch {
            guard case .invalidCredentialsFile(let errorPath, let message) = error else { Issue.record("unexpected error \(error)"); return }
            #expect(errorPath == path)
            #expect(message.contains(reason), "\(message)")
        }
    }

    @Test func aDirectoryInPlaceOfTheFileIsAnError() throws {
        let directory = try TemporaryDirectory()
        try FileManager.default.createDirectory(atPath: directory.file("config.json"), withIntermediateDirectories: true)
        #expect(throws: RegistryError.self) { try DockerConfigCredentials(explicitPath: directory.file("config.json"), environment: [:]) }
    }

    struct Location: Sendable, CustomTestStringConvertible {
        var explicit = false
        var authFile: String? = nil
        var dockerConfig: String? = nil
        var home = true
        let winner: String
        var testDescription: String { "explicit: \(explicit), REGISTRY_AUTH_FILE: \(authFile ?? "unset"), DOCKER_CONFIG: \(dockerConfig ?? "unset") → \(winner)" }
    }

    @Test(arguments: [
        Location(explicit: true, authFile: "set", dockerConfig: "set", winner: "explicit"),
        Location(authFile: "set", dockerConfig: "set", winner: "authfile"),
        Location(dockerConfig: "set", winner: "dockerconfig"),
        Location(winner: "home"),
        Location(authFile: "", dockerConfig: "", winner: "home"),
        Location(authFile: "", dockerConfig: "set", winner: "dockerconfig"),
        Location(home: false, winner: "none"),
    ])
    func fileLocationPrecedence(_ row: Location) throws {
        let directory = try TemporaryDirectory()
        func config(_ user: String) -> String { #"{"auths":{"r.example":{"auth":"\#(Self.base64(user + ":pw"))"}}}"# }
        let explicit = try directory.write(config("explicit"), to: "explicit.json")
        let authFile = try directory.write(config("authfile"), to: "containers/auth.json")
        try directory.write(config("dockerconfig"), to: "dockerconfig/config.json")
        try directory.write(config("home"), to: "home/.docker/config.json")

        var environment: [String: String] = [:]
        if let value = row.authFile { environment["REGISTRY_AUTH_FILE"] = value.isEmpty ? "" : authFile }
        if let value = row.dockerConfig { environment["DOCKER_CONFIG"] = value.isEmpty ? "" : directory.file("dockerconfig") }
        environment["HOME"] = row.home ? directory.file("home") : directory.file("no-home")
        let provider = try DockerConfigCredentials(explicitPath: row.explicit ? explicit : nil, environment: environment)
        let credential = try provider.credential(for: "r.example")
        #expect(credential == (row.winner == "none" ? nil : .basic(username: row.winner, password: "pw")))
    }

    @Test func homeDefaultsToRootWhenUnset() {
        #expect(DockerConfigCredentials.locate(explicitPath: nil, environment: [:]) == "/root/.docker/config.json")
        #expect(DockerConfigCredentials.locate(explicitPath: "", environment: ["HOME": "/home/u"]) == "/home/u/.docker/config.json")
    }

    // MARK: Writing, as `ocitool login` does

    static func permissions(_ path: String) throws -> Int {
        try #require(FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
    }

    static func document(_ path: String) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
    }

    @Test func storingWritesBase64AuthKeepingEverythingElse() throws {
        let directory = try TemporaryDirectory()
        let original = """
        {"auths":{"other.example":{"auth":"\(Self.base64("o:p"))","email":"o@example.com"},
                  "registry.example.com":{"identitytoken":"old-token","email":"me@example.com"}},
         "proxies":{"default":{"httpProxy":"http://proxy:3128","noProxy":"*.local"}},
         "credHelpers":{"gcr.io":"gcloud"},
         "psFormat":"table {{.ID}}","number":42,"flag":true,"nothing":null}
        """
        let path = try directory.write(original, to: "config.json")
        chmod(path, 0o644)
        let provider = try DockerConfigCredentials(explicitPath: path, environment: [:])
        try provider.storing(username: "me", password: "new:secret", for: "registry.example.com")

        #expect(try Self.permissions(path) == 0o600)
        var expected = try JSONDecoder().decode(JSONValue.self, from: Data(original.utf8))
        expected["auths"]?["registry.example.com"] = .object(["auth": .string(Self.base64("me:new:secret")), "email": .string("me@example.com")])
        #expect(try Self.document(path) == expected, "only the stored entry changed; the stale identity token is gone")

        let reread = try DockerConfigCredentials(explicitPath: path, environment: [:])
        #expect(try reread.credential(for: "registry.example.com") == .basic(username: "me", password: "new:secret"))
        #expect(try reread.credential(for: "other.example") == .basic(username: "o", password: "p"))
        #expect(try directory.contents() == ["config.json"], "no temporary file left behind")
    }

    @Test func storingCreatesTheFileAndItsDirectory() throws {
        let directory = try TemporaryDirectory()
        let provider = try DockerConfigCredentials(environment: ["DOCKER_CONFIG": directory.file("new/dir")])
        try provider.storing(username: "hub", password: "pw", for: "docker.io")
        let path = directory.file("new/dir/config.json")
        #expect(provider.path == path)
        #expect(try Self.permissions(path) == 0o600)
        #expect(try Self.document(path) == .object(["auths": .object(["https://index.docker.io/v1/": .object(["auth": .string(Self.base64("hub:pw"))])])]),
                "Docker Hub credentials go under docker's legacy index URL")
        #expect(try DockerConfigCredentials(environment: ["DOCKER_CONFIG": directory.file("new/dir")]).credential(for: "docker.io")
                == .basic(username: "hub", password: "pw"))
    }

    // MARK: Credential helpers

    @Test func credHelperAnswersForItsRegistry() throws {
        let helper = try FakeCredentialHelpers.echoing()
        let directory = try TemporaryDirectory()
        let provider = try Self.provider(#"""
            {"credHelpers":{"registry.example.com":"\#(helper)","https://keyed.example.com":"\#(helper)"},
             "auths":{"registry.example.com":{"auth":"\#(Self.base64("file:pw"))"},"other.example":{"auth":"\#(Self.base64("file:pw"))"}}}
            """#, in: directory)
        #expect(try provider.credential(for: "registry.example.com") == .basic(username: "user@registry.example.com", password: "s3cret"),
                "the helper wins over auths, and is asked about the key it is configured under")
        #expect(try provider.credential(for: "keyed.example.com") == .basic(username: "user@https://keyed.example.com", password: "s3cret"))
        #expect(try provider.credential(for: "other.example") == .basic(username: "file", password: "pw"))
    }

    @Test(arguments: [
        ("docker.io", "https://index.docker.io/v1/"),
        ("registry.example.com", "registry.example.com"),
        ("localhost:5000", "localhost:5000"),
    ])
    func credsStoreAnswersForEveryRegistry(_ registry: String, _ serverURL: String) throws {
        let helper = try FakeCredentialHelpers.echoing()
        let directory = try TemporaryDirectory()
        // Docker Desktop leaves empty auths entries beside its store.
        let provider = try Self.provider(#"{"auths":{"https://index.docker.io/v1/":{}},"credsStore":"\#(helper)"}"#, in: directory)
        #expect(try provider.credential(for: registry) == .basic(username: "user@\(serverURL)", password: "s3cret"))
    }

    @Test func helperTokenUserMeansAnIdentityToken() throws {
        let helper = try FakeCredentialHelpers.install(#"printf '{"Username":"<token>","Secret":"refresh-456"}'"#)
        let directory = try TemporaryDirectory()
        let provider = try Self.provider(#"{"credsStore":"\#(helper)"}"#, in: directory)
        #expect(try provider.credential(for: "registry.example.com") == .identityToken("refresh-456"))
    }

    @Test func helperWithoutCredentialsMeansNone() throws {
        let helper = try FakeCredentialHelpers.install("echo 'credentials not found in native keychain'; exit 1")
        let directory = try TemporaryDirectory()
        let provider = try Self.provider(#"{"credHelpers":{"registry.example.com":"\#(helper)"}}"#, in: directory)
        #expect(try provider.credential(for: "registry.example.com") == nil)
    }

    @Test(arguments: [
        ("echo 'error getting credentials - err: exit status 1, out: keychain locked' >&2; exit 3", "keychain locked"),
        ("exit 2", "exit status 2"),
        ("kill -9 $$", "exit status 137"),
        ("echo 'this is not json'", "unexpected output from `get`"),
        (#"printf '{"Username":"u"}'"#, "unexpected output from `get`"),
    ])
    func failingHelperIsAnError(_ body: String, _ message: String) throws {
        let helper = try FakeCredentialHelpers.install(body)
        let directory = try TemporaryDirectory()
        let provider = try Self.provider(#"{"credsStore":"\#(helper)"}"#, in: directory)
        do {
            let credential = try provider.credential(for: "registry.example.com")
            Issue.record("got \(String(describing: credential))")
        } catch {
            guard case .credentialHelper(let name, let actual) = error else { Issue.record("unexpected error \(error)"); return }
            #expect(name == helper)
            #expect(actual.contains(message), "\(actual)")
            #expect(error.description.contains("docker-credential-\(helper)"))
        }
    }

    @Test func missingHelperIsAnError() throws {
        _ = FakeCredentialHelpers.directory
        let directory = try TemporaryDirectory()
        let provider = try Self.provider(#"{"credsStore":"ocitool-unit-no-such-helper"}"#, in: directory)
        do {
            _ = try provider.credential(for: "registry.example.com")
            Issue.record("a missing helper answered")
        } catch {
            guard case .credentialHelper(let name, let message) = error else { Issue.record("unexpected error \(error)"); return }
            #expect(name == "ocitool-unit-no-such-helper")
            #expect(message.contains("is it on PATH?"), "\(message)")
        }
    }

    @Test(arguments: [false, true])
    func storingGoesToTheConfiguredHelper(_ perRegistry: Bool) throws {
        let directory = try TemporaryDirectory()
        let log = directory.file("stored.json")
        let helper = try FakeCredentialHelpers.install(#"[ "$1" = store ] || exit 1; printf '%s' "$input" > '\#(log)'"#)
        let configuration = perRegistry ? #"{"credHelpers":{"https://index.docker.io/v1/":"\#(helper)"}}"# : #"{"credsStore":"\#(helper)"}"#
        let path = try directory.write(configuration, to: "config.json")
        let provider = try DockerConfigCredentials(explicitPath: path, environment: [:])
        try provider.storing(username: "hub", password: "p\"w", for: "docker.io")

        let stored = try JSONDecoder().decode([String: String].self, from: Data(contentsOf: URL(fileURLWithPath: log)))
        #expect(stored == ["ServerURL": "https://index.docker.io/v1/", "Username": "hub", "Secret": "p\"w"])
        #expect(try String(contentsOfFile: path, encoding: .utf8) == configuration, "the secret is not written to the file")
    }

    @Test func storingWithAFailingHelperIsAnError() throws {
        let helper = try FakeCredentialHelpers.install("echo 'store refused' >&2; exit 1")
        let directory = try TemporaryDirectory()
        let provider = try Self.provider(#"{"credsStore":"\#(helper)"}"#, in: directory)
        do {
            try provider.storing(username: "u", password: "p", for: "registry.example.com")
            Issue.record("a refused store succeeded")
        } catch {
            guard case .credentialHelper(_, let message) = error else { Issue.record("unexpected error \(error)"); return }
            #expect(message == "store refused")
        }
    }

    /// Copying between two registries looks up both credentials at once. Docker's helpers read stdin to the end,
    /// so each must see its stdin closed even while another helper is being started (pipes must not leak into
    /// the other helper).
    @Test func concurrentHelperLookupsAllFinish() async throws {
        let helper = try FakeCredentialHelpers.install("""
        [ "$1" = get ] || exit 1
        printf '{"Username":"user@%s","Secret":"s"}' "$input"
        """)
        let slow = try FakeCredentialHelpers.install("""
        sleep 0.2
        printf '{"Username":"slow@%s","Secret":"s"}' "$input"
        """)
        let directory = try TemporaryDirectory()
        let provider = try Self.provider(#"{"credHelpers":{"fast.example":"\#(helper)","slow.example":"\#(slow)"}}"#, in: directory)
        let start = ContinuousClock.now
        let results = await withTaskGroup(of: (String, Result<Credential?, RegistryError>).self) { group in
            for index in 0..<8 {
                let registry = index.isMultiple(of: 2) ? "fast.example" : "slow.example"
                group.addTask {
                    await onOwnThread { (registry, Result { () throws(RegistryError) -> Credential? in try provider.credential(for: registry) }) }
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        let elapsed = ContinuousClock.now - start
        #expect(results.count == 8)
        for (registry, result) in results {
            let expected = registry == "fast.example" ? Credential.basic(username: "user@fast.example", password: "s")
                : .basic(username: "slow@slow.example", password: "s")
            #expect(throws: Never.self) { try result.get() }
            #expect((try? result.get()) == expected)
        }
        // A helper whose stdin stays open gives up after 10 s with an error, which the results above would show;
        // this bound only catches a hang, with room for a loaded 2-core machine.
        #expect(elapsed < .seconds(60), "lookups waited on each other's stdin: \(elapsed)")
    }

    /// Helpers are ordinary programs: signals reach them (Ctrl-C, `timeout`, `kill`), whichever of ocitool's
    /// threads started them.
    @Test func helperCanBeStoppedBySignals() async throws {
        let helper = try FakeCredentialHelpers.install("""
        kill -TERM $$
        sleep 10
        printf '{"Username":"u","Secret":"survived SIGTERM"}'
        """)
        let directory = try TemporaryDirectory()
        let provider = try Self.provider(#"{"credsStore":"\#(helper)"}"#, in: directory)
        // The thread inherits the signal mask of the pool thread that starts it, as ocitool's lookups do.
        let (result, elapsed) = await onOwnThread {
            let start = ContinuousClock.now
            let result = Result { () throws(RegistryError) -> Credential? in try provider.credential(for: "registry.example.com") }
            return (result, ContinuousClock.now - start)
        }
        // The result below tells (a helper with SIGTERM blocked answers "survived"); this only catches a hang.
        #expect(elapsed < .seconds(30), "the helper ran on with SIGTERM blocked: \(elapsed)")
        guard case .failure(.credentialHelper(_, let message)) = result else {
            Issue.record("expected the helper to die of SIGTERM, got \(result)")
            return
        }
        #expect(message == "exit status 143")
    }
}
