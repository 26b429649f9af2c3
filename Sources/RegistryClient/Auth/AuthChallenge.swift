import OCI

/// A `WWW-Authenticate` challenge (RFC 7235), as registries send on 401.
/// Docker's token flow: distribution docs "Token Authentication Specification".
public struct AuthChallenge: Sendable, Hashable {
    public enum Scheme: String, Sendable { case bearer, basic }

    public let scheme: Scheme
    public let parameters: [String: String]

    public var realm: String? { parameters["realm"] }
    public var service: String? { parameters["service"] }
    public var scope: String? { parameters["scope"] }

    /// Parses `Bearer realm="…",service="…",scope="…"` or `Basic realm="…"`; nil for schemes ocitool cannot answer.
    public init?(header: String) {
        var rest = Substring(header.trimmingSpaces())
        let schemeEnd = rest.firstIndex(of: " ") ?? rest.endIndex
        guard let scheme = Scheme(rawValue: rest[..<schemeEnd].lowercased()) else { return nil }
        rest = rest[schemeEnd...]
        var parameters: [String: String] = [:]
        while true {
            rest = rest.drop { $0 == " " || $0 == "," }
            guard let equals = rest.firstIndex(of: "=") else { break }
            let key = rest[..<equals].trimmingSpaces().lowercased()
            rest = rest[rest.index(after: equals)...]
            var value = ""
            if rest.first == "\"" {
                rest = rest.dropFirst()
                var escaped = false
                while let character = rest.first {
                    rest = rest.dropFirst()
                    if escaped { value.append(character); escaped = false }
                    else if character == "\\" { escaped = true }
                    else if character == "\"" { break }
                    else { value.append(character) }
                }
            } else {
                let end = rest.firstIndex(of: ",") ?? rest.endIndex
                value = rest[..<end].trimmingSpaces()
                rest = rest[end...]
            }
            parameters[key] = value
        }
        self.scheme = scheme
        self.parameters = parameters
    }
}

/// What a request needs permission for, in the token service's scope syntax.
struct AuthScope: Sendable, Hashable, CustomStringConvertible {
    enum Action: String, Sendable { case pull, push }

    let repository: String
    let actions: [Action]

    static func pull(_ repository: String) -> AuthScope { AuthScope(repository: repository, actions: [.pull]) }
    static func push(_ repository: String) -> AuthScope { AuthScope(repository: repository, actions: [.pull, .push]) }

    var description: String { "repository:\(repository):\(actions.map(\.rawValue).joined(separator: ","))" }
}

