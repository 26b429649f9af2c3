import Crypto
import Testing
import TestSupport

/// Keys OpenSSL reads but ocitool does not verify with: `.unsupportedKey`, naming the type or curve,
/// for the public key and for the private key alike.
struct UnsupportedKeyTests {
    @Test(arguments: [
        ("secp256k1", ["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:secp256k1"]),
        ("secp521r1", ["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-521"]),
        ("brainpoolP256r1", ["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:brainpoolP256r1"]),
        ("RSA-1024", ["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:1024"]),
        ("ED448", ["genpkey", "-algorithm", "ED448"]),
        ("X25519", ["genpkey", "-algorithm", "X25519"]),
        ("DSA", ["genpkey", "-paramfile", "$DSA_PARAMETERS"]),
    ])
    func namesTheUnsupportedKey(_ name: String, _ generate: [String]) async throws {
        let scratch = try TemporaryDirectory()
        if generate.contains("$DSA_PARAMETERS") {
            try await OpenSSLTool.run(["genpkey", "-genparam", "-algorithm", "DSA", "-pkeyopt", "dsa_paramgen_bits:1024",
                                       "-out", scratch.file("dsa.param")], in: scratch)
        }
        let arguments = generate.map { $0 == "$DSA_PARAMETERS" ? scratch.file("dsa.param") : $0 }
        try await OpenSSLTool.run(arguments + ["-out", scratch.file("key.pem")], in: scratch)
        try await OpenSSLTool.run(["pkey", "-in", scratch.file("key.pem"), "-pubout", "-out", scratch.file("pub.pem")], in: scratch)
        try await OpenSSLTool.run(["pkey", "-pubin", "-in", scratch.file("pub.pem"), "-outform", "DER", "-out", scratch.file("pub.der")],
                                  in: scratch)
        let expected = ExpectedError.unsupportedKey(name)
        let publicPEM = try scratch.readText("pub.pem"), publicDER = try scratch.bytes("pub.der")
        let privatePEM = try scratch.readText("key.pem")
        expect(expected) { _ = try PublicKey(pem: publicPEM) }
        expect(expected) { _ = try PublicKey(der: publicDER) }
        expect(expected) { _ = try PrivateKey(pem: privatePEM) }
    }
}
