import Foundation
import HTTPTransport
import Testing

/// Redirects are followed by the transport, which decides what crosses to the new location.
@Suite struct RedirectTests {
    let server = TestServer.shared
    let transport = CurlTransport()

    private func redirect(to target: String, code: Int = 302) -> String {
        let encoded = target.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? target
        return server.url("/redirect?code=\(code)&to=\(encoded)")
    }

    @Test(arguments: [301, 302, 303, 307, 308])
    func sameOriginKeepsAuthorization(code: Int) async throws {
        let sink = CollectingSink()
        let request = HTTPRequest(method: .get, url: redirect(to: "/echo", code: code), headers: ["Authorization": "Bearer secret"])
        let response = try await transport.send(request, sink: sink)
        #expect(response.status == 200)
        #expect(response.url == server.url("/echo"))
        #expect(response.headers["X-Authorization"] == "Bearer secret")
        #expect(sink.resets == 1)
    }

    @Test func otherPortDropsAuthorization() async throws {
        let request = HTTPRequest(method: .get, url: redirect(to: server.secondURL("/echo")),
                                  headers: ["Authorization": "Bearer secret", "Accept": "application/json"])
        let response = try await transport.send(request)
        #expect(response.status == 200)
        #expect(response.headers["X-Server-Port"] == String(server.secondPort))
        #expect(response.headers["X-Authorization"] == "none")
        #expect(response.url == server.secondURL("/echo"))
    }

    @Test func relativeLocationResolvesAgainstTheCurrentURL() async throws {
        let response = try await transport.send(HTTPRequest(method: .get, url: redirect(to: "../echo?x=1")))
        #expect(response.status == 200)
        #expect(response.url == server.url("/echo?x=1"))
    }

    @Test func seeOtherTurnsAPutIntoABodylessGet() async throws {
        let request = HTTPRequest(method: .put, url: redirect(to: "/echo", code: 303), body: .data(Data("payload".utf8)))
        let response = try await transport.send(request)
        #expect(response.headers["X-Method"] == "GET")
        #expect(response.headers["X-Received-Length"] == "0")
    }

    @Test(arguments: [307, 308])
    func temporaryAndPermanentRedirectsReplayMethodAndBody(code: Int) async throws {
        let payload = Data((0..<10_000).map { UInt8(truncatingIfNeeded: $0) })
        let request = HTTPRequest(method: .put, url: redirect(to: "/echo", code: code), body: .data(payload))
        let response = try await transport.send(request)
        #expect(response.headers["X-Method"] == "PUT")
        #expect(response.body == payload)
    }

    @Test(arguments: [301, 302])
    func movedOrFoundIsNotFollowedForAPost(code: Int) async throws {
        let response = try await transport.send(HTTPRequest(method: .post, url: redirect(to: "/echo", code: code)))
        #expect(response.status == code)
        #expect(response.headers["Location"] == "/echo")
    }

    @Test func redirectsAreReturnedWhenNotFollowing() async throws {
        let response = try await transport.send(HTTPRequest(method: .get, url: redirect(to: "/echo"), followRedirects: false))
        #expect(response.status == 302)
        #expect(response.headers["Location"] == "/echo")
    }

    @Test func tooManyRedirectsFailsAfterTheLimit() async throws {
        let statistics = TransportStatistics()
        let transport = CurlTransport(configuration: TransportConfiguration(maxRedirects: 3), statistics: statistics)
        await #expect {
            _ = try await transport.send(HTTPRequest(method: .get, url: server.url("/loop")))
        } throws: { error in
            guard case TransportError.tooManyRedirects = error else { return false }
            return true
        }
        #expect(statistics.requestsByMethod[.get] == 4)
    }
}
