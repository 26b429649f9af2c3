import Crypto
import Foundation

/// Lower-case hex SHA-256 of `data`.
public func sha256Hex(_ data: Data) -> String {
    Crypto.Hasher.hash(data, using: .sha256).hexString
}

/// The OCI digest `sha256:<hex>` of `data`.
public func sha256Digest(_ data: Data) -> String {
    "sha256:" + sha256Hex(data)
}
