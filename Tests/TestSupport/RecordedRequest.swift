/// One request the fake registry answered, on its main or its CDN port (`TestRegistry.requests(matching:)`).
public struct RecordedRequest: Codable, Hashable, Sendable {
    public var method: String
    /// The percent-decoded path, e.g. `/v2/repo/blobs/sha256:…` or `/token`.
    public var path: String
    /// The percent-decoded query, without the `?`.
    public var query: String
    /// Whether an `Authorization` header arrived (checks that credentials never reach the CDN).
    public var authorization: Bool
    /// The port it arrived on: `TestRegistry.port` or `TestRegistry.cdnPort`.
    public var port: Int
    /// The status answered (for a `cut`, the status of the truncated answer).
    public var status: Int
    /// The fault action applied, if any.
    public var fault: FaultRule.Action?
}
