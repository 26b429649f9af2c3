import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Plain HTTP to servers on loopback for seeding, inspecting and controlling test registries,
/// independent of the code under test (URLSession, no cache, redirects followed).
enum LoopbackHTTP {
    static let session: URLSession = {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.urlCache = nil
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        configuration.timeoutIntervalForRequest = 60
        return URLSession(configuration: configuration)
    }()

    /// Sends one request and returns the body and response, whatever the status.
    static func send(_ method: String, _ url: URL, headers: [String: String] = [:],
                     body: Data? = nil) async throws -> (Data, HTTPURLResponse) {
        var request = URLRequest(url: url)
        request.httpMethod = method
        for (name, value) in headers {
            request.setValue(value, forHTTPHeaderField: name)
        }
        let (data, response) = if let body {
            try await session.upload(for: request, from: body)
        } else {
            try await session.data(for: request)
        }
        guard let response = response as? HTTPURLResponse else {
            throw TestSupportError.badResponse(url: url.absoluteString, reason: "not an HTTP response")
        }
        return (data, response)
    }

    /// Sends one request and throws unless the status is one of `expected`.
    @discardableResult
    static func send(_ method: String, _ url: URL, headers: [String: String] = [:], body: Data? = nil,
                     expecting expected: Set<Int>) async throws -> (Data, HTTPURLResponse) {
        let (data, response) = try await send(method, url, headers: headers, body: body)
        guard expected.contains(response.statusCode) else {
            throw TestSupportError.unexpectedStatus(method: method, url: url.absoluteString,
                                                    status: response.statusCode,
                                                    body: String(decoding: data, as: UTF8.self))
        }
        return (data, response)
    }
}
