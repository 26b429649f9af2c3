import Crypto
import Foundation
import Testing

/// Which `CryptoError` case a test expects, and a word its message must contain.
struct ExpectedError: Sendable, CustomStringConvertible {
    enum Case: String, Sendable { case invalidKey, unsupportedKey, passwordRequired, wrongPassword, signingFailed, openSSL
        case invalidCertificate, invalidTimestamp, verificationFailed
    }

    let kind: Case
    let mentioning: String

    static func invalidKey(_ mentioning: String) -> Self { Self(kind: .invalidKey, mentioning: mentioning) }
    static func unsupportedKey(_ mentioning: String) -> Self { Self(kind: .unsupportedKey, mentioning: mentioning) }
    static func passwordRequired(_ mentioning: String) -> Self { Self(kind: .passwordRequired, mentioning: mentioning) }
    static func wrongPassword(_ mentioning: String) -> Self { Self(kind: .wrongPassword, mentioning: mentioning) }
    static func openSSL(_ mentioning: String) -> Self { Self(kind: .openSSL, mentioning: mentioning) }
    static func invalidCertificate(_ mentioning: String) -> Self { Self(kind: .invalidCertificate, mentioning: mentioning) }
    static func invalidTimestamp(_ mentioning: String) -> Self { Self(kind: .invalidTimestamp, mentioning: mentioning) }
    static func verificationFailed(_ mentioning: String) -> Self { Self(kind: .verificationFailed, mentioning: mentioning) }

    var description: String { "\(kind.rawValue) mentioning \"\(mentioning)\"" }

    func matches(_ error: CryptoError) -> Bool {
        let actual: Case = switch error {
        case .invalidKey: .invalidKey
        case .unsupportedKey: .unsupportedKey
        case .passwordRequired: .passwordRequired
        case .wrongPassword: .wrongPassword
        case .signingFailed: .signingFailed
        case .openSSL: .openSSL
        case .invalidCertificate: .invalidCertificate
        case .invalidTimestamp: .invalidTimestamp
        case .verificationFailed: .verificationFailed
        }
        return actual == kind && error.description.localizedCaseInsensitiveContains(mentioning)
    }
}

/// Records an issue unless `body` throws a `CryptoError` that `expected` matches.
func expect(_ expected: ExpectedError, _ comment: Comment? = nil, sourceLocation: SourceLocation = #_sourceLocation,
            _ body: () throws -> Void) {
    do {
        try body()
        Issue.record("expected \(expected), but it succeeded\(comment.map { " (\($0))" } ?? "")", sourceLocation: sourceLocation)
    } catch let error as CryptoError {
        #expect(expected.matches(error), "expected \(expected), got: \(error)\(comment.map { " (\($0))" } ?? "")",
                sourceLocation: sourceLocation)
    } catch {
        Issue.record("expected \(expected), got a \(type(of: error)): \(error)", sourceLocation: sourceLocation)
    }
}
