import Foundation
public import OCI

/// A JSON text as a `JSONValue`, for test documents and expected results. A text that does not parse is a
/// mistake in the test itself, so it stops the run naming the text.
public func json(_ text: String) -> JSONValue {
    guard let value = try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8)) else {
        preconditionFailure("test JSON does not parse: \(text)")
    }
    return value
}
