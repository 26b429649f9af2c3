#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The distribution spec's error body: `{"errors":[{"code","message","detail"}]}`.
enum RegistryErrorBody {
    private struct Body: Decodable {
        struct Entry: Decodable {
            var code: String?
            var message: String?
        }
        var errors: [Entry]?
    }

    /// A one-line summary of a registry's error body: "CODE: message", or the start of a non-JSON body.
    static func message(in body: Data) -> String {
        if let decoded = try? JSONDecoder().decode(Body.self, from: body), let errors = decoded.errors, !errors.isEmpty {
            return errors.map { [$0.code, $0.message].compactMap { $0 }.joined(separator: ": ") }.joined(separator: "; ")
        }
        let text = String(decoding: body.prefix(200), as: UTF8.self)
        return text.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
    }

    static func codes(in body: Data) -> [String] {
        (try? JSONDecoder().decode(Body.self, from: body))?.errors?.compactMap(\.code) ?? []
    }
}
