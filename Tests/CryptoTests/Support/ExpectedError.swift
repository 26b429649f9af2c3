import Crypto
import Foundation

/// Which `CryptoError` case a test expects, and a word its message must contain.
struct ExpectedError: Sendable, CustomStringConvertible {
    enum Case: String, Sendable { case invalidKey, unsupportedKey, passwordRequired, wrongPassword, signingFailed, openSSL }

    let kind: Case
    let mentioning: String

    static func invalidKey(_ mentioning: String) -> Self { Self(kind: .invalidKey, mentioning: mentioning) }
    static func unsupportedKey(_ mentioning: String) -> Self { Self(kind: .unsupportedKey, mentioning: mentioning) }
    static func passwordRequired(_ mentioning: String) -> Self { Self(kind: .passwordRequired, mentioning: mentioning) }
    static func wrongPassword(_ mentioning: String) -> Self { Self(kind: .wrongPassword, mentioning: mentioning) }

    var description: String { "\(kind.rawValue) mentioning \"\(mentioning)\"" }

    func matches(_ error: CryptoError) -> Bool {
        let actual: Case = switch error {
        case .invalidKey: .invalidKey
        case .unsupportedKey: .unsupportedKey
        case .passwordRequired: .passwordRequired
        case .wrongPassword: .wrongPassword
        case .signingFailed: .signingFailed
        case .openSSL: .openSSL
        }
        return actual == kind && error.description.localizedCaseInsensitiveContains(mentioning)
    }
}
