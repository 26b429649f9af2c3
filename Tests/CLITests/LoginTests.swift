import Foundation
import Testing
import TestSupport

/// `ocitool login HOST -u USER --password-stdin` (README "Commands", "Credentials and authentication").
@Suite("ocitool login")
struct LoginTests {
    static let unrelated = #"{"HttpHeaders":{"X-Meta":"kept"},"auths":{"other.example":{"auth":"b3RoZXI6c2VjcmV0"}},"proxies":{"default":{"httpProxy":"http://proxy.example:3128"}}}"#

    static func login(_ registry: TestRegistry, password: String, extra: [String] = [], environment: [String: String] = [:],
                      sandbox: Sandbox) async throws -> CLIResult {
        try await ocitool(["login", registry.host, "-u", registry.credentials!.user, "--password-stdin"] + extra,
                          insecure: [registry], stdin: Data((password + "\n").utf8), environment: environment, sandbox: sandbox)
    }

    /// JSON re-serialised with sorted keys, for comparing documents regardless of formatting.
    static func canonical(_ value: Any?) -> String? {
        guard let value, let data = try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .fragmentsAllowed]) else {
            return nil
        }
        return String(decoding: data, as: UTF8.self)
    }

    @Test("stores base64 USER:PASSWORD under auths in $DOCKER_CONFIG/config.json, mode 0600, keeping everything else; later commands use it",
          arguments: [FakeRegistryOptions.AuthMode.bearer, .basic])
    func storesAndUses(auth: FakeRegistryOptions.AuthMode) async throws {
        let (registry, repo) = try await protectedRepository(auth)
        let (user, password) = try #require(registry.credentials)
        let sandbox = try Sandbox()
        try sandbox.write(Self.unrelated, to: sandbox.dockerConfigFile)

        let before = try await ocitool("tags", "\(registry.host)/\(repo)", insecure: [registry], sandbox: sandbox)
        expectFailure(before, status: 3, mentioning: ["ocitool login \(registry.host)"])

        let login = try await Self.login(registry, password: password, sandbox: sandbox)
        #expect(login.status == 0, "\(login)")
        let data = try #require(FileManager.default.contents(atPath: sandbox.dockerConfigFile.path))
        let config = try #require(jsonObject(data))
        let auths = try #require(config["auths"] as? [String: Any])
        #expect((auths[registry.host] as? [String: Any])?["auth"] as? String == basicAuth(user, password))
        let original = try #require(jsonObject(Data(Self.unrelated.utf8)))
        #expect(Self.canonical(auths["other.example"]) == Self.canonical((original["auths"] as? [String: Any])?["other.example"]))
        #expect(Self.canonical(config["proxies"]) == Self.canonical(original["proxies"]))
        #expect(Self.canonical(config["HttpHeaders"]) == Self.canonical(original["HttpHeaders"]))
        let permissions = try FileManager.default.attributesOfItem(atPath: sandbox.dockerConfigFile.path)[.posixPermissions] as? Int
        #expect(permissions == 0o600)
        #expect(try sandbox.contents(of: sandbox.dockerConfig) == ["config.json"], "written atomically, no temporary file left")

        let after = try await ocitool("tags", "\(registry.host)/\(repo)", insecure: [registry], sandbox: sandbox)
        #expect(after.status == 0, "\(after)")
        #expect(after.output == "v1\n")
    }

    @Test("creates the config file when there is none")
    func createsConfig() async throws {
        let (registry, _) = try await protectedRepository(.bearer)
        let sandbox = try Sandbox()
        let login = try await Self.login(registry, password: registry.credentials!.password, sandbox: sandbox)
        #expect(login.status == 0, "\(login)")
        let config = try #require(FileManager.default.contents(atPath: sandbox.dockerConfigFile.path).flatMap(jsonObject))
        #expect(((config["auths"] as? [String: Any])?[registry.host] as? [String: Any])?["auth"] as? String
                == basicAuth(registry.credentials!.user, registry.credentials!.password))
    }

    @Test("a wrong password is exit 3 naming the registry, and the config file is unchanged")
    func wrongPassword() async throws {
        let (registry, _) = try await protectedRepository(.bearer)
        let sandbox = try Sandbox()
        try sandbox.write(Self.unrelated, to: sandbox.dockerConfigFile)
        let result = try await Self.login(registry, password: "not-the-password", sandbox: sandbox)
        expectFailure(result, status: 3, mentioning: [registry.host])
        #expect(FileManager.default.contents(atPath: sandbox.dockerConfigFile.path) == Data(Self.unrelated.utf8))
        #expect(try sandbox.contents(of: sandbox.dockerConfig) == ["config.json"])
    }

    @Test("--auth-file is written by login and read by other commands; it wins over $REGISTRY_AUTH_FILE")
    func authFileOption() async throws {
        let (registry, repo) = try await protectedRepository(.bearer)
        let sandbox = try Sandbox()
        let file = sandbox.path("elsewhere/auth.json")
        let ignored = sandbox.path("ignored.json")
        let login = try await Self.login(registry, password: registry.credentials!.password, extra: ["--auth-file", file.path],
                                         environment: ["REGISTRY_AUTH_FILE": ignored.path], sandbox: sandbox)
        #expect(login.status == 0, "\(login)")
        #expect(FileManager.default.fileExists(atPath: file.path))
        #expect(!FileManager.default.fileExists(atPath: ignored.path))
        #expect(!FileManager.default.fileExists(atPath: sandbox.dockerConfigFile.path))

        let reference = registry.reference(repo, "v1")
        let with = try await ocitool("digest", "--auth-file", file.path, reference, insecure: [registry], sandbox: sandbox)
        #expect(with.status == 0, "\(with)")
        let without = try await ocitool("digest", reference, insecure: [registry], sandbox: sandbox)
        expectFailure(without, status: 3, mentioning: [registry.host])
    }

    @Test("$REGISTRY_AUTH_FILE is written by login and read by other commands; it wins over $DOCKER_CONFIG")
    func registryAuthFile() async throws {
        let (registry, repo) = try await protectedRepository(.bearer)
        let sandbox = try Sandbox()
        let file = sandbox.path("registry-auth.json")
        let environment = ["REGISTRY_AUTH_FILE": file.path]
        let login = try await Self.login(registry, password: registry.credentials!.password, environment: environment, sandbox: sandbox)
        #expect(login.status == 0, "\(login)")
        #expect(FileManager.default.fileExists(atPath: file.path))
        #expect(!FileManager.default.fileExists(atPath: sandbox.dockerConfigFile.path))

        let with = try await ocitool("digest", registry.reference(repo, "v1"), insecure: [registry], environment: environment,
                                     sandbox: sandbox)
        #expect(with.status == 0, "\(with)")
    }

    @Test("without $DOCKER_CONFIG, ~/.docker/config.json is written and read")
    func homeFallback() async throws {
        let (registry, repo) = try await protectedRepository(.bearer)
        let sandbox = try Sandbox()
        let environment = ["DOCKER_CONFIG": ""]
        let login = try await Self.login(registry, password: registry.credentials!.password, environment: environment, sandbox: sandbox)
        #expect(login.status == 0, "\(login)")
        #expect(FileManager.default.fileExists(atPath: sandbox.home.appendingPathComponent(".docker/config.json").path))
        #expect(!FileManager.default.fileExists(atPath: sandbox.dockerConfigFile.path))
        let with = try await ocitool("digest", registry.reference(repo, "v1"), insecure: [registry], environment: environment,
                                     sandbox: sandbox)
        #expect(with.status == 0, "\(with)")
    }

    @Test("$DOCKER_CONFIG wins over ~/.docker/config.json")
    func dockerConfigBeforeHome() async throws {
        let (registry, repo) = try await protectedRepository(.bearer)
        let (user, password) = try #require(registry.credentials)
        let sandbox = try Sandbox()
        try sandbox.write("{\(authsMember(registry, user: user, password: "wrong"))}",
                          to: sandbox.home.appendingPathComponent(".docker/config.json"))
        try sandbox.write("{\(authsMember(registry, user: user, password: password))}", to: sandbox.dockerConfigFile)
        let result = try await ocitool("digest", registry.reference(repo, "v1"), insecure: [registry], sandbox: sandbox)
        #expect(result.status == 0, "\(result)")
    }

    @Test("with a credential helper configured, login stores the credentials there and not in the file",
          arguments: ["credHelpers", "credsStore"])
    func storesInHelper(key: String) async throws {
        let (registry, _) = try await protectedRepository(.bearer)
        let (user, password) = try #require(registry.credentials)
        let sandbox = try Sandbox()
        try sandbox.installCredentialHelper("cli-test", user: nil, secret: nil)
        let config = key == "credHelpers" ? #"{"credHelpers":{"\#(registry.host)":"cli-test"}}"# : #"{"credsStore":"cli-test"}"#
        try sandbox.write(config, to: sandbox.dockerConfigFile)

        let login = try await Self.login(registry, password: password, environment: ["PATH": sandbox.pathWithHelpers], sandbox: sandbox)
        #expect(login.status == 0, "\(login)")
        let stores = sandbox.helperCalls("cli-test").filter { $0.hasPrefix("store ") }
        #expect(stores.count == 1, "\(sandbox.helperCalls("cli-test"))")
        let request = try #require(stores.first.flatMap { jsonObject(Data($0.dropFirst("store ".count).utf8)) })
        #expect(request["Username"] as? String == user)
        #expect(request["Secret"] as? String == password)
        #expect((request["ServerURL"] as? String)?.contains(registry.host) == true, "\(request)")
        let stored = FileManager.default.contents(atPath: sandbox.dockerConfigFile.path).map { String(decoding: $0, as: UTF8.self) } ?? ""
        #expect(!stored.contains(basicAuth(user, password)), "the password is not in the file: \(stored)")
    }

    @Test("missing -u, missing --password-stdin or an empty password is a usage error (exit 2)", arguments: [
        (["login", "HOST", "--password-stdin"], "secret\n", "-u"),
        (["login", "HOST", "-u", "tester"], "secret\n", "--password-stdin"),
        (["login", "HOST", "--username", "tester", "--password-stdin"], "", "password"),
        (["login", "-u", "tester", "--password-stdin"], "secret\n", "HOST"),
    ])
    func usage(arguments: [String], stdin: String, mentioning: String) async throws {
        let registry = try await TestRegistry.sharedFake(FakeRegistryOptions(auth: .bearer))
        let sandbox = try Sandbox()
        let result = try await ocitool(["--debug"] + arguments.map { $0 == "HOST" ? registry.host : $0 }, insecure: [registry],
                                       stdin: Data(stdin.utf8), sandbox: sandbox)
        expectFailure(result, status: 2, mentioning: [mentioning])
        #expect(!result.stderr.contains("debug:"), "nothing was sent: \(result)")
        #expect(!FileManager.default.fileExists(atPath: sandbox.dockerConfigFile.path))
    }
}
