import Foundation
import HTTPTransport
import Testing

/// Methods, request bodies and headers as the server receives them.
@Suite struct RequestTests {
    let server = TestServer.shared
    let transport = CurlTransport()

    @Test func getReturnsStatusHeadersAndBody() async throws {
        let response = try await transport.send(HTTPRequest(method: .get, url: server.url("/bytes/1000")))
        #expect(response.status == 200)
        #expect(response.body == Data((0..<1000).map(patternByte(at:))))
        #expect(response.headers["content-length"] == "1000")
        #expect(response.url == server.url("/bytes/1000"))
    }

    @Test func headReceivesHeadersOnly() async throws {
        let response = try await transport.send(HTTPRequest(method: .head, url: server.url("/bytes/5000")))
        #expect(response.status == 200)
        #expect(response.headers["Content-Length"] == "5000")
        #expect(response.body.isEmpty)
    }

    @Test(arguments: [HTTPMethod.put, .post, .patch, .delete])
    func dataBodyArrivesExactlyWithContentLengthAndNoExpect(method: HTTPMethod) async throws {
        let payload = Data((0..<100_000).map { UInt8(truncatingIfNeeded: $0 &* 7) })
        let response = try await transport.send(HTTPRequest(method: method, url: server.url("/echo"), body: .data(payload)))
        #expect(response.status == 200)
        #expect(response.headers["X-Method"] == method.rawValue)
        #expect(response.headers["X-Content-Length"] == "100000")
        #expect(response.headers["X-Expect"] == "none")
        #expect(response.body == payload)
    }

    @Test func postWithoutContentTypeIsNotLabelledAsAForm() async throws {
        let plain = try await transport.send(HTTPRequest(method: .post, url: server.url("/echo")))
        #expect(plain.headers["X-Content-Type"] == "none")
        #expect(plain.headers["X-Content-Length"] == "0")
        let typed = try await transport.send(HTTPRequest(method: .post, url: server.url("/echo"),
                                                         headers: ["Content-Type": "application/json"], body: .data(Data("{}".utf8))))
        #expect(typed.headers["X-Content-Type"] == "application/json")
    }

    @Test func emptyPutSendsContentLengthZero() async throws {
        let response = try await transport.send(HTTPRequest(method: .put, url: server.url("/echo")))
        #expect(response.headers["X-Content-Length"] == "0")
        #expect(response.headers["X-Received-Length"] == "0")
    }

    @Test(arguments: [HTTPMethod.put, .patch])
    func fileRangeBodyIsStreamedExactly(method: HTTPMethod) async throws {
        let contents = Data((0..<3_000_000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 5) })
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("transport-body-\(UUID()).bin").path
        try contents.write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }

        let range = 1_000..<2_500_000
        let request = HTTPRequest(method: method, url: server.url("/echo"),
                                  body: .file(path: path, offset: Int64(range.lowerBound), length: Int64(range.count)),
                                  maxBufferedBodyBytes: 8 << 20)
        let response = try await transport.send(request)
        #expect(response.headers["X-Content-Length"] == String(range.count))
        #expect(response.body == contents[range])
    }

    @Test func missingOrShortFileFailsBeforeSending() async throws {
        let statistics = TransportStatistics()
        let transport = CurlTransport(statistics: statistics)
        let missing = HTTPRequest(method: .put, url: server.url("/echo"), body: .file(path: "/nonexistent/blob", offset: 0, length: 10))
        await #expect {
            _ = try await transport.send(missing)
        } throws: { error in
            guard case TransportError.fileUnreadable(let path, _) = error else { return false }
            return path == "/nonexistent/blob"
        }
        let short = HTTPRequest(method: .put, url: server.url("/echo"), body: .file(path: "/etc/hostname", offset: 0, length: 1 << 30))
        await #expect {
            _ = try await transport.send(short)
        } throws: { error in
            guard case TransportError.fileUnreadable = error else { return false }
            return true
        }
        #expect(statistics.totalRequests == 0)
    }

    @Test func responseHeadersAreCaseInsensitiveAndKeepRepeatedFields() async throws {
        let response = try await transport.send(HTTPRequest(method: .get, url: server.url("/headers")))
        #expect(response.headers.values(for: "x-multi") == ["one", "two"])
        #expect(response.headers["X-MULTI"] == "one")
        #expect(response.headers["x-mixed-case"] == "yes")
    }

    @Test func onlyTheFinalResponsesHeadersAreKept() async throws {
        let response = try await transport.send(HTTPRequest(method: .get, url: server.url("/interim")))
        #expect(response.status == 200)
        #expect(response.headers["X-Final"] == "yes")
        #expect(response.headers["X-Interim"] == nil)
        #expect(response.body == Data("final".utf8))
    }

    @Test func encodedBodiesArriveUndecodedAndNoEncodingIsRequested() async throws {
        let encoded = try await transport.send(HTTPRequest(method: .get, url: server.url("/gzip")))
        #expect(encoded.headers["Content-Encoding"] == "gzip")
        #expect(encoded.body.prefix(2) == Data([0x1f, 0x8b]))
        let echo = try await transport.send(HTTPRequest(method: .get, url: server.url("/echo")))
        #expect(echo.headers["X-Accept-Encoding"] == "none")
    }

    @Test func callerHeadersAndUserAgentPerTransport() async throws {
        let first = CurlTransport(configuration: TransportConfiguration(userAgent: "ocitool-test/1"))
        let second = CurlTransport(configuration: TransportConfiguration(userAgent: "ocitool-test/2"))
        async let one = first.send(HTTPRequest(method: .get, url: server.url("/echo"), headers: ["Authorization": "Bearer one"]))
        async let two = second.send(HTTPRequest(method: .get, url: server.url("/echo")))
        let (a, b) = try await (one, two)
        #expect(a.headers["X-User-Agent"] == "ocitool-test/1")
        #expect(a.headers["X-Authorization"] == "Bearer one")
        #expect(b.headers["X-User-Agent"] == "ocitool-test/2")
        #expect(b.headers["X-Authorization"] == "none")
    }

    @Test(arguments: ["not a url", "ftp://127.0.0.1/file", "http://"])
    func invalidURLsAreRejected(url: String) async throws {
        await #expect {
            _ = try await transport.send(HTTPRequest(method: .get, url: url))
        } throws: { error in
            guard case TransportError.invalidURL = error else { return false }
            return true
        }
    }
}
