import Foundation

extension TestRegistry {
    /// Starts a new `fake_registry.py` with `options`; it stops when the returned object is released.
    ///
    /// Blocks for the start-up (~0.1 s); async tests may prefer `sharedFake(_:)`.
    public static func fake(_ options: FakeRegistryOptions = .init()) throws -> TestRegistry {
        let script = supportDirectory.appendingPathComponent("fake_registry.py").path
        let server = try ServerProcess(program: "fake_registry.py", executable: try python(),
                                       arguments: [script] + options.arguments)
        guard server.ports.count == 2 else {
            throw TestSupportError.exitedBeforeReady(program: "fake_registry.py", output: "READY \(server.ports)")
        }
        return TestRegistry(kind: .fake(options), port: server.ports[0], cdnPort: server.ports[1], server: server)
    }

    /// Starts the real registry (`docker-registry serve`, CNCF distribution 2.8) on a free 127.0.0.1 port
    /// with a temporary storage directory and deletes enabled, once `GET /v2/` answers.
    ///
    /// A Python wrapper owns it: the registry and its directory go away when the returned object is
    /// released or the test process dies. The binary is `/usr/bin/docker-registry` unless the environment
    /// variable `OCITOOL_DOCKER_REGISTRY` names another.
    public static func dockerRegistry() throws -> TestRegistry {
        let binary = ProcessInfo.processInfo.environment["OCITOOL_DOCKER_REGISTRY"] ?? "/usr/bin/docker-registry"
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            throw TestSupportError.dockerRegistryMissing(path: binary)
        }
        let wrapper = supportDirectory.appendingPathComponent("run_docker_registry.py").path
        let server = try ServerProcess(program: "docker-registry", executable: try python(),
                                       arguments: [wrapper, "--binary", binary])
        return TestRegistry(kind: .docker, port: server.ports[0], cdnPort: nil, server: server)
    }

    /// Starts a registry of `kind`.
    static func start(_ kind: Kind) throws -> TestRegistry {
        switch kind {
        case .docker: try dockerRegistry()
        case .fake(let options): try fake(options)
        }
    }

    /// The folder of this file, which holds the Python helpers.
    private static var supportDirectory: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    }

    /// Debian's python3 (stdlib only is needed), else the first python3 on PATH.
    private static func python() throws -> String {
        var candidates = ["/usr/bin/python3"]
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        candidates += path.split(separator: ":").map { "\($0)/python3" }
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw TestSupportError.pythonMissing
        }
        return found
    }
}
