import Foundation

/// The fake registry's control API (`/_control/…`: never authenticated, never logged).
extension TestRegistry {
    /// Adds fault rules to the ones already active (parallel tests on a shared fake each add their own,
    /// scoped to their repositories).
    public func addFaults(_ rules: [FaultRule]) async throws {
        try await control("POST", "faults", body: try JSONEncoder().encode(rules))
    }

    /// Removes every fault rule, or only those whose path pattern contains `matching`.
    public func clearFaults(matching: String? = nil) async throws {
        try await control("DELETE", "faults", match: matching)
    }

    /// The requests answered so far on both ports, oldest first; with `matching`, only those whose
    /// decoded path or query contains it (a test's repository name, for instance).
    public func requests(matching: String? = nil) async throws -> [RecordedRequest] {
        let data = try await control("GET", "requests", match: matching)
        do {
            return try JSONDecoder().decode([RecordedRequest].self, from: data)
        } catch {
            throw TestSupportError.badResponse(url: "\(baseURL)/_control/requests", reason: "\(error)")
        }
    }

    /// Clears the request log and all fault rules.
    public func resetLog() async throws {
        try await control("POST", "reset")
    }

    /// Deletes all stored content: blobs, manifests, tags, uploads.
    public func wipe() async throws {
        try await control("POST", "wipe")
    }

    @discardableResult
    private func control(_ method: String, _ endpoint: String, match: String? = nil, body: Data? = nil) async throws -> Data {
        guard fakeOptions != nil else { throw TestSupportError.notAFakeRegistry(operation: "\(method) /_control/\(endpoint)") }
        var components = URLComponents(url: baseURL.appendingPathComponent("_control/\(endpoint)"),
                                       resolvingAgainstBaseURL: false)!
        if let match {
            components.queryItems = [URLQueryItem(name: "match", value: match)]
        }
        let headers = body == nil ? [:] : ["Content-Type": "application/json"]
        return try await LoopbackHTTP.send(method, components.url!, headers: headers, body: body, expecting: [200]).0
    }
}
