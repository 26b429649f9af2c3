// TEMPORARY: stands in for the x509 branch's Crypto.Certificate until it is merged; deleted at the merge.
public import Crypto
public struct Certificate: Sendable {
    public struct Unavailable: Error, CustomStringConvertible { public var description: String { "X.509 support is not merged yet" } }
    public let der: [UInt8]
    public init(der: [UInt8]) throws { throw Unavailable() }
    public static func chain(pem: String) throws -> [Certificate] { throw Unavailable() }
    public var publicKey: PublicKey { fatalError() }
    public var isSelfSigned: Bool { false }
}
