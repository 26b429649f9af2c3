import Glibc
import Foundation
import HTTPTransport
import RegistryClient
import TestSupport

/// A RegistryClient for tests: real libcurl transport, the given registries insecure (plain HTTP on
/// loopback), fast retries so fault tests stay quick.
func makeClient(_ registries: [TestRegistry], credentials: (any CredentialProvider)? = nil,
                monolithicUploadLimit: Int64 = 64 << 20, chunkSize: Int64 = 16 << 20) -> RegistryClient {
    let hosts = Set(registries.flatMap { [$0.host] + ($0.cdnHost.map { [$0] } ?? []) })
    let statistics = TransportStatistics()
    let transport = CurlTransport(configuration: TransportConfiguration(insecureHosts: hosts), statistics: statistics)
    let configuration = RegistryClientConfiguration(
        insecureRegistries: hosts,
        retry: RetryPolicy(maxAttempts: 4, baseDelay: .milliseconds(10), maxDelay: .milliseconds(50), maxRetryAfter: .seconds(2)),
        monolithicUploadLimit: monolithicUploadLimit, chunkSize: chunkSize)
    return RegistryClient(http: transport, credentials: credentials ?? AnonymousCredentials(), configuration: configuration,
                          statistics: RegistryStatistics(transport: statistics))
}

/// Credentials for exactly one registry.
struct StaticCredentials: CredentialProvider {
    let registry: String
    let user: String
    let password: String

    func credential(for registry: String) throws(RegistryError) -> Credential? {
        registry == self.registry ? .basic(username: user, password: password) : nil
    }
}

/// A loopback port nothing listens on (bound, then released).
func freeLoopbackPort() throws -> Int {
    let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
    defer { close(socket) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
            bind(socket, pointer, length) == 0 && getsockname(socket, pointer, &length) == 0
        }
    }
    guard bound else { throw POSIXError(.EADDRINUSE) }
    return Int(UInt16(bigEndian: address.sin_port))
}
