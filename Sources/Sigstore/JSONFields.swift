#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import OCI

/// Decoding Sigstore JSON with errors that name the field: every document type decodes through here, and
/// field-level problems (bad base64, a negative index) surface as `SigstoreError.malformed` with the path.
enum JSONFields {
    static func decode<T: Decodable>(_ type: T.Type, from bytes: some Sequence<UInt8>, document: String) throws(SigstoreError) -> T {
        do {
            return try JSONDecoder().decode(T.self, from: Data(bytes))
        } catch let error as SigstoreError {
            throw error
        } catch let error as DecodingError {
            throw .malformed(document: document, reason: describe(error))
        } catch {
            throw .malformed(document: document, reason: "\(error)")
        }
    }

    static func encode(_ value: some Encodable) -> [UInt8] {
        // Encoding plain strings, numbers and arrays cannot fail.
        (try? Array(JSONEncoder.stable.encode(value))) ?? []
    }

    static func describe(_ error: DecodingError) -> String {
        switch error {
        case .keyNotFound(let key, let context):
            "missing field \(path(context.codingPath + [key]))"
        case .valueNotFound(_, let context):
            "\(path(context.codingPath)) is null"
        case .typeMismatch(let type, let context):
            "\(path(context.codingPath)) is not \(typeName(type))"
        case .dataCorrupted(let context):
            context.codingPath.isEmpty ? context.debugDescription : "\(path(context.codingPath)): \(context.debugDescription)"
        @unknown default:
            "\(error)"
        }
    }

    private static func path(_ keys: [any CodingKey]) -> String {
        guard !keys.isEmpty else { return "the document" }
        var result = ""
        for key in keys {
            if let index = key.intValue { result += "[\(index)]" } else { result += result.isEmpty ? key.stringValue : "." + key.stringValue }
        }
        return result
    }

    private static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is [Any].Type: "an array"
        case is [String: Any].Type: "an object"
        case is Bool.Type: "a boolean"
        default: "a \(type)"
        }
    }
}

extension KeyedDecodingContainer {
    func failure(_ key: Key, _ reason: String) -> DecodingError {
        DecodingError.dataCorruptedError(forKey: key, in: self, debugDescription: reason)
    }

    /// Whether `key` is present with a non-null value.
    func hasValue(_ key: Key) throws -> Bool {
        guard contains(key) else { return false }
        return try !decodeNil(forKey: key)
    }

    /// Base64 bytes (standard or URL-safe, padding optional); anything else is an error.
    func decodeBase64(_ key: Key) throws -> [UInt8] {
        let text = try decode(String.self, forKey: key)
        guard let bytes = Base64.decode(text) else { throw failure(key, "not valid base64") }
        return bytes
    }

    func decodeBase64IfPresent(_ key: Key) throws -> [UInt8]? {
        guard let text = try decodeIfPresent(String.self, forKey: key) else { return nil }
        guard let bytes = Base64.decode(text) else { throw failure(key, "not valid base64") }
        return bytes
    }

    /// A protobuf int64: JSON writes it as a decimal string, some encoders as a number. Never negative here.
    func decodeCount(_ key: Key) throws -> Int64 {
        guard let value = try decodeCountIfPresent(key) else {
            throw DecodingError.keyNotFound(key, .init(codingPath: codingPath, debugDescription: "required"))
        }
        return value
    }

    func decodeCountIfPresent(_ key: Key) throws -> Int64? {
        guard try hasValue(key) else { return nil }
        let value: Int64
        if let text = try? decode(String.self, forKey: key) {
            guard let parsed = Int64(text) else { throw failure(key, "\"\(text)\" is not an integer") }
            value = parsed
        } else if let number = try? decode(Int64.self, forKey: key) {
            value = number
        } else {
            throw failure(key, "not an integer")
        }
        guard value >= 0 else { throw failure(key, "must not be negative, got \(value)") }
        return value
    }
}
