import Crypto
import Foundation

extension Vectors {
    /// `text` with every line `<indent>VECTOR <file>` replaced by the lines of that containers/image fixture
    /// (`containers-image/signature/fixtures/<file>`), each at the same indentation: how testdata policies embed
    /// the vectors' certificates and keys without copying them into the repository. `VECTOR <signature> <name>`
    /// takes annotation `name` of a stored cosign signature layer (the signing certificate).
    public static func fillingFixtures(in text: String) throws -> String {
        var lines: [String] = []
        for line in text.components(separatedBy: "\n") {
            let indent = line.prefix { $0 == " " }
            guard line.dropFirst(indent.count).hasPrefix("VECTOR ") else {
                lines.append(line)
                continue
            }
            let words = line.dropFirst(indent.count + "VECTOR ".count).split(separator: " ").map(String.init)
            let file = "containers-image/signature/fixtures/" + words[0]
            let fixture = words.count > 1 ? try StoredCosignLayer(vector: file).annotations[words[1]] ?? "" : try Vectors.text(file)
            lines += fixture.split(whereSeparator: \.isNewline).map { String(indent) + $0 }
        }
        return lines.joined(separator: "\n")
    }
}

extension Vectors {
    /// A `trusted_root.json` holding the containers/image fixtures' Fulcio (intermediate and root from
    /// `fulcio-chain`, valid from 2022-04-13) and Rekor key: what `--trusted-root` gives for their keyless
    /// signatures. It holds no CT log, so their SCTs cannot be checked against it.
    public static func fulcioTrustedRoot() throws -> Data {
        let fixtures = "containers-image/signature/fixtures/"
        let rekor = try publicKey(fixtures + "rekor.pub")
        let chain = try Certificate.chain(pem: try text(fixtures + "fulcio-chain")).map { ["rawBytes": Data($0.der).base64EncodedString()] }
        let json: [String: Any] = [
            "mediaType": "application/vnd.dev.sigstore.trustedroot+json;version=0.1",
            "tlogs": [["baseUrl": "https://rekor.sigstore.dev", "hashAlgorithm": "SHA2_256",
                       "publicKey": ["rawBytes": Data(rekor.spkiDER).base64EncodedString(), "keyDetails": "PKIX_ECDSA_P256_SHA_256",
                                     "validFor": ["start": "2021-01-12T11:53:27Z"]],
                       "logId": ["keyId": Data(Hasher.hash(rekor.spkiDER, using: .sha256)).base64EncodedString()]]],
            "certificateAuthorities": [["subject": ["organization": "sigstore.dev", "commonName": "sigstore"], "uri": "https://fulcio.sigstore.dev",
                                        "certChain": ["certificates": chain], "validFor": ["start": "2022-04-13T20:06:15Z"]]],
        ]
        return try JSONSerialization.data(withJSONObject: json)
    }
}
