import Foundation
import HTTPTransport
import Testing

/// Where response bodies go: the sink for 2xx, a bounded buffer otherwise.
@Suite struct ResponseBodyTests {
    let server = TestServer.shared
    let transport = CurlTransport()

    @Test func largeBodyStreamsToTheSinkInChunks() async throws {
        let size = 20 << 20
        let sink = PatternCheckingSink()
        let response = try await transport.send(HTTPRequest(method: .get, url: server.url("/bytes/\(size)"),
                                                            maxBufferedBodyBytes: 1024), sink: sink)
        #expect(response.status == 200)
        #expect(response.body.isEmpty)
        #expect(sink.count == size)
        #expect(sink.mismatches == 0)
        #expect(sink.chunks > 1)
    }

    @Test func sinkErrorAbortsTheTransferAndIsRethrown() async throws {
        let sink = FailingSink()
        await #expect(throws: FailingSink.Failure.self) {
            _ = try await transport.send(HTTPRequest(method: .get, url: server.url("/bytes/\(8 << 20)")), sink: sink)
        }
        #expect(sink.writeCount == 1)
    }

    @Test(arguments: [404, 500, 401])
    func nonSuccessBodiesAreBufferedNotStreamed(status: Int) async throws {
        let sink = CollectingSink()
        let response = try await transport.send(HTTPRequest(method: .get, url: server.url("/status/\(status)")), sink: sink)
        #expect(response.status == status)
        #expect(response.body == Data("status \(status) body".utf8))
        #expect(sink.data.isEmpty)
    }

    @Test func successWithoutASinkIsBuffered() async throws {
        let response = try await transport.send(HTTPRequest(method: .get, url: server.url("/bytes/70000")))
        #expect(response.body.count == 70000)
    }

    @Test(arguments: [200, 500])
    func bufferedBodyOverTheLimitFails(status: Int) async throws {
        let url = server.url("/bytes/100000?status=\(status)")
        await #expect {
            _ = try await transport.send(HTTPRequest(method: .get, url: url, maxBufferedBodyBytes: 50_000))
        } throws: { error in
            guard case TransportError.bodyTooLarge(_, let limit) = error else { return false }
            return limit == 50_000
        }
    }

    @Test func bodyExactlyAtTheLimitIsAccepted() async throws {
        let response = try await transport.send(HTTPRequest(method: .get, url: server.url("/bytes/50000"),
                                                            maxBufferedBodyBytes: 50_000))
        #expect(response.body.count == 50_000)
    }
}
