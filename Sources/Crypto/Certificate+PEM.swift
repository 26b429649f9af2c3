internal import COpenSSL

extension Certificate {
    /// Every certificate of a PEM text (`-----BEGIN CERTIFICATE-----` blocks, in order), as cosign's
    /// `--certificate-chain`, `--ca-roots` and `dev.sigstore.cosign/chain` give them.
    ///
    /// Text around blocks, CRLF line ends and indentation are ignored. Any other block (a key), an empty
    /// text or a block that does not decode is `.invalidCertificate` naming the block's position.
    public static func chain(pem: String) throws(CryptoError) -> [Certificate] {
        let blocks: [PEMBlock]
        do { blocks = try PEMBlock.all(in: pem) } catch { throw .invalidCertificate(error.detail) }
        guard !blocks.isEmpty else {
            throw .invalidCertificate(pem.allSatisfy(\.isWhitespace)
                ? "empty input; expected a PEM CERTIFICATE (-----BEGIN CERTIFICATE-----)"
                : "no PEM block; expected a PEM CERTIFICATE (-----BEGIN CERTIFICATE-----)")
        }
        var certificates: [Certificate] = []
        for (index, block) in blocks.enumerated() {
            let position = blocks.count == 1 ? "the PEM block" : "PEM block \(index + 1) of \(blocks.count)"
            guard block.label == "CERTIFICATE" || block.label == "X509 CERTIFICATE" else {
                throw .invalidCertificate("\(position) is a \(block.label), not a CERTIFICATE")
            }
            do {
                certificates.append(try Certificate(der: try block.decodedDER()))
            } catch {
                throw .invalidCertificate("\(position): \(error.detail)")
            }
        }
        return certificates
    }

    /// PEM `CERTIFICATE` of `der`.
    public var pem: String {
        // Writing a certificate OpenSSL has already parsed only fails when memory runs out.
        (try? writingToMemoryBIO("writing the PEM certificate") { PEM_write_bio_X509($0, handle.pointer) }) ?? ""
    }
}
