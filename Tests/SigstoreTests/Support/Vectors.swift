import Crypto
import Foundation
import Testing

/// DER of the first PEM block in `text`.
func pemDER(_ text: String) -> [UInt8] {
    let body = text.split(separator: "\n").filter { !$0.hasPrefix("-----") }.joined()
    return Array(Data(base64Encoded: body) ?? Data())
}
