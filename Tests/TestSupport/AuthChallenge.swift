/// A parsed `WWW-Authenticate` value: `Bearer realm="…",service="…",scope="…"` or `Basic realm="…"`.
/// https://datatracker.ietf.org/doc/html/rfc7235#section-4.1
public struct AuthChallenge: Hashable, Sendable {
    public var scheme: String
    /// Parameter names lower-cased; quoted values unquoted.
    public var parameters: [String: String]

    public init(_ header: String) {
        let trimmed = header.drop { $0 == " " }
        let schemeEnd = trimmed.firstIndex(of: " ") ?? trimmed.endIndex
        scheme = String(trimmed[..<schemeEnd])
        parameters = [:]
        var rest = trimmed[schemeEnd...]
        while let equals = rest.firstIndex(of: "=") {
            let name = rest[..<equals].trimmingCharacters(in: [" ", ","]).lowercased()
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
                value = rest[..<end].trimmingCharacters(in: .whitespaces)
                rest = rest[end...]
            }
            parameters[name] = value
        }
    }
}
