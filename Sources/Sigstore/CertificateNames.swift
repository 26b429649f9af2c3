/// The issuer and subject of a DER X.509 certificate, read with a minimal DER walk — just enough to
/// recognise a self-signed root where a bundle must not carry one. Chain verification is not done here.
struct CertificateNames: Equatable {
    let issuer: [UInt8]
    let subject: [UInt8]

    /// Certificate ::= SEQUENCE { tbsCertificate SEQUENCE { [0] version OPTIONAL, serialNumber, signature,
    /// issuer, validity, subject, … }, … } (RFC 5280 §4.1). nil when the DER does not have that shape.
    init?(der: [UInt8]) {
        var outer = DERReader(der[...])
        guard let certificate = outer.read(tag: 0x30), outer.isAtEnd else { return nil }
        var fields = DERReader(certificate.contents)
        guard let tbs = fields.read(tag: 0x30) else { return nil }
        var reader = DERReader(tbs.contents)
        if reader.peekTag == 0xA0 { _ = reader.read(tag: 0xA0) }
        guard reader.read(tag: 0x02) != nil,  // serialNumber
              reader.read(tag: 0x30) != nil,  // signature algorithm
              let issuer = reader.read(tag: 0x30),
              reader.read(tag: 0x30) != nil,  // validity
              let subject = reader.read(tag: 0x30)
        else { return nil }
        self.issuer = Array(issuer.encoded)
        self.subject = Array(subject.encoded)
    }

    var isSelfIssued: Bool { issuer == subject }
}

/// Reads definite-length DER elements one after another.
struct DERReader {
    struct Element {
        let tag: UInt8
        let contents: ArraySlice<UInt8>
        let encoded: ArraySlice<UInt8>
    }

    private var bytes: ArraySlice<UInt8>

    init(_ bytes: ArraySlice<UInt8>) { self.bytes = bytes }

    var isAtEnd: Bool { bytes.isEmpty }
    var peekTag: UInt8? { bytes.first }

    mutating func read(tag expected: UInt8) -> Element? {
        guard let element = peek(), element.tag == expected else { return nil }
        bytes = bytes[element.encoded.endIndex...]
        return element
    }

    private func peek() -> Element? {
        var index = bytes.startIndex
        guard index < bytes.endIndex else { return nil }
        let tag = bytes[index]
        index += 1
        guard index < bytes.endIndex else { return nil }
        var length = Int(bytes[index])
        index += 1
        if length & 0x80 != 0 {
            let count = length & 0x7F
            guard (1...4).contains(count), index + count <= bytes.endIndex else { return nil }
            length = 0
            for byte in bytes[index..<(index + count)] { length = length << 8 | Int(byte) }
            index += count
        }
        guard length <= bytes.endIndex - index else { return nil }
        return Element(tag: tag, contents: bytes[index..<(index + length)], encoded: bytes[bytes.startIndex..<(index + length)])
    }
}
