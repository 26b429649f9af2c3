import Foundation
import HTTPTransport
import Testing

/// Connection reuse under concurrency, TLS settings, and what the transport reports about its traffic.
@Suite struct ConnectionTests {
    let server = TestServer.shared

    @Test func concurrentRequestsAllCompleteOverReusedConnections() async throws {
        let transport = CurlTransport()
        // More requests than the per-host connection cap (64): the rest must queue and reuse connections.
        let requests = 160
        let ports = try await withThrowingTaskGroup(of: String?.self) { group in
            for index in 0..<requests {
                group.addTask {
                    let payload = Data("request \(index)".utf8)
                    let response = try await transport.send(HTTPRequest(method: .put, url: server.url("/echo"), body: .data(payload)))
                    return response.status == 200 && response.body == payload ? response.headers["X-Client-Port"] : nil
                }
            }
            return try await group.reduce(into: [String?]()) { $0.append($1) }
        }
        #expect(ports.count == requests)
        #expect(!ports.contains(nil))
        #expect(Set(ports.compactMap { $0 }).count <= 64)
    }

    @Test func sequentialRequestsShareOneConnection() async throws {
        let transport = CurlTransport()
        // An origin no other test uses (connections are shared process-wide, keyed by host name and port).
        let url = "http://localhost:\(server.secondPort)/echo"
        var ports: Set<String> = []
        for _ in 0..<10 {
            let response = try await transport.send(HTTPRequest(method: .get, url: url))
            ports.insert(response.headers["X-Client-Port"] ?? "")
        }
        // The idle-connection cache is process-wide and bounded; tests running in parallel may evict this
        // connection once, but without reuse every request would open its own.
        #expect(ports.count <= 2)
    }

    @Test func statisticsCountEveryExchangeAndItsBytes() async throws {
        let statistics = TransportStatistics()
        let transport = CurlTransport(statistics: statistics)
        _ = try await transport.send(HTTPRequest(method: .get, url: server.url("/bytes/1234")))
        _ = try await transport.send(HTTPRequest(method: .put, url: server.url("/echo"), body: .data(Data(count: 1000))))
        _ = try await transport.send(HTTPRequest(method: .head, url: server.url("/redirect?to=/bytes/10")))
        _ = try? await transport.send(HTTPRequest(method: .get, url: "http://nonexistent.invalid/"))
        #expect(statistics.requestsByMethod == [.get: 1, .put: 1, .head: 2])
        #expect(statistics.totalRequests == 4)
        #expect(statistics.bytesDownloaded == 1234 + 1000)
        #expect(statistics.bytesUploaded == 1000)
    }

    @Test func logHasOneLinePerExchange() async throws {
        let recorder = LogRecorder()
        let transport = CurlTransport(configuration: TransportConfiguration(log: { recorder.record($0) }))
        _ = try await transport.send(HTTPRequest(method: .get, url: server.url("/redirect?to=/bytes/10")))
        _ = try? await transport.send(HTTPRequest(method: .get, url: "http://127.0.0.1:\(server.closedPort)/x"))
        let lines = recorder.recorded
        #expect(lines.count == 3)
        guard lines.count == 3 else { return }
        #expect(lines[0].hasPrefix("GET \(server.url("/redirect?to=/bytes/10")) -> 302, 0 bytes, "))
        #expect(lines[1].hasPrefix("GET \(server.url("/bytes/10")) -> 200, 10 bytes, "))
        #expect(lines[1].hasSuffix(" ms"))
        #expect(lines[2].hasPrefix("GET http://127.0.0.1:\(server.closedPort)/x -> error: cannot connect"))
    }

    @Test func tlsIsVerifiedUnlessTheHostIsInsecureOrItsCAIsGiven() async throws {
        guard let tlsPort = server.tlsPort, let certificate = server.certificatePath else { return }
        let url = "https://127.0.0.1:\(tlsPort)/echo"

        await #expect {
            _ = try await CurlTransport().send(HTTPRequest(method: .get, url: url))
        } throws: { error in
            guard case TransportError.tls(let host, let message) = error else { return false }
            return host == "127.0.0.1:\(tlsPort)" && message.contains("certificate")
        }
        for insecure in ["127.0.0.1:\(tlsPort)", "127.0.0.1"] {
            let transport = CurlTransport(configuration: TransportConfiguration(insecureHosts: [insecure]))
            #expect(try await transport.send(HTTPRequest(method: .get, url: url)).status == 200)
        }
        let otherPortOnly = CurlTransport(configuration: TransportConfiguration(insecureHosts: ["127.0.0.1:1"]))
        await #expect(throws: TransportError.self) { _ = try await otherPortOnly.send(HTTPRequest(method: .get, url: url)) }

        let trusting = CurlTransport(configuration: TransportConfiguration(caFile: certificate))
        let response = try await trusting.send(HTTPRequest(method: .put, url: url, body: .data(Data("over tls".utf8))))
        #expect(response.body == Data("over tls".utf8))
    }
}
