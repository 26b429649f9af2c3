import Foundation
import Synchronization

/// A registry on loopback for integration tests: the real `docker-registry` (CNCF distribution 2.8), or
/// `fake_registry.py`, an in-memory OCI distribution v1.1 registry that adds the referrers API, auth modes,
/// injected faults and a request log.
///
/// Start one with `dockerRegistry()` / `fake(_:)` (owned by the caller, stopped when released), or share
/// one per process with `sharedDocker()` / `sharedFake(_:)`; shared servers live until the test process
/// exits. Tests sharing a server keep apart by using `uniqueRepository(_:)` names.
public final class TestRegistry: Sendable {
    /// Which server this is.
    public enum Kind: Hashable, Sendable {
        case docker
        case fake(FakeRegistryOptions)
    }

    public let kind: Kind
    /// The port of the registry API on 127.0.0.1.
    public let port: Int
    /// The fake's "CDN" port, where `redirect` faults send blob downloads (nil for docker-registry).
    public let cdnPort: Int?
    private let server: ServerProcess
    /// Bearer tokens the seeding helpers obtained, by scope.
    let tokens = Mutex<[String: String]>([:])

    init(kind: Kind, port: Int, cdnPort: Int?, server: ServerProcess) {
        self.kind = kind
        self.port = port
        self.cdnPort = cdnPort
        self.server = server
    }

    /// `127.0.0.1:<port>`, the registry part of image references.
    public var host: String {
        "127.0.0.1:\(port)"
    }

    /// `127.0.0.1:<cdn port>` for the fake, nil for docker-registry.
    public var cdnHost: String? {
        cdnPort.map { "127.0.0.1:\($0)" }
    }

    /// `http://127.0.0.1:<port>`.
    public var baseURL: URL {
        URL(string: "http://\(host)")!
    }

    /// The fake's options; nil for docker-registry.
    public var fakeOptions: FakeRegistryOptions? {
        if case .fake(let options) = kind { options } else { nil }
    }

    /// The user name and password the registry accepts, when it requires any.
    public var credentials: (user: String, password: String)? {
        guard let options = fakeOptions, options.auth != .none else { return nil }
        return (options.user, options.password)
    }

    /// `<host>/<repository>:<tag>`, or `<host>/<repository>@<digest>` when `tagOrDigest` is a digest.
    public func reference(_ repository: String, _ tagOrDigest: String) -> String {
        "\(host)/\(repository)\(tagOrDigest.contains(":") ? "@" : ":")\(tagOrDigest)"
    }

    /// Whether the server process is still alive.
    public var isRunning: Bool {
        server.isRunning
    }

    /// Stops the server now (it also stops when this object is released).
    public func stop() {
        server.stop()
    }
}
