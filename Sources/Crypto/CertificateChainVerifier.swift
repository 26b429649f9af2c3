internal import COpenSSL

/// Builds and checks a certificate chain from a leaf to a trusted root at a given time (RFC 5280 path
/// validation, by OpenSSL's `X509_verify_cert`).
///
/// Trust anchors are `roots` alone. A sigstore trusted root lists each CA as a chain, leaf-most first; its
/// anchor is the last certificate, the others are `intermediates` (used to build the path, never trusted on
/// their own). When an anchor is not self-signed (a private PKI that trusts an intermediate), chains may end
/// there (`X509_V_FLAG_PARTIAL_CHAIN`); otherwise they must reach a self-signed root.
///
/// No X.509 purpose is enforced (OpenSSL's defaults would refuse code-signing leaves): callers check the
/// extended key usage they need (`hasCodeSigningUsage`). Every certificate of the chain must be valid at the
/// time given, both ends of its validity inclusive.
public struct CertificateChainVerifier: Sendable {
    public let roots: [Certificate]
    public let intermediates: [Certificate]

    public init(roots: [Certificate], intermediates: [Certificate] = []) {
        self.roots = roots
        self.intermediates = intermediates
    }

    /// The verified chain, `leaf` first and a root last; `.verificationFailed("certificate chain: …")` naming
    /// the time, OpenSSL's reason and the certificate it concerns.
    ///
    /// - Parameters:
    ///   - untrusted: certificates that came with the signature (a bundle's chain): path-building material only.
    ///   - time: seconds since 1970 (the signing time, not now, for short-lived Fulcio certificates).
    public func verify(leaf: Certificate, untrusted: [Certificate] = [], at time: Int64) throws(CryptoError) -> [Certificate] {
        guard !roots.isEmpty else { throw .verificationFailed("certificate chain: no trusted root certificate to verify against") }
        OpenSSLErrorQueue.clear()
        guard let store = X509_STORE_new() else { throw .openSSL(failedTo: "allocating a certificate store") }
        defer { X509_STORE_free(store) }
        for root in roots where X509_STORE_add_cert(store, root.handle.pointer) != 1 {
            throw .openSSL(failedTo: "adding \(root) to the certificate store")
        }
        let pathMaterial = intermediates + untrusted
        let stack = try X509Stack(pathMaterial)
        guard let context = X509_STORE_CTX_new() else { throw .openSSL(failedTo: "allocating a verification context") }
        defer { X509_STORE_CTX_free(context) }
        guard X509_STORE_CTX_init(context, store, leaf.handle.pointer, stack.pointer) == 1 else {
            throw .openSSL(failedTo: "initialising certificate verification")
        }
        X509_STORE_CTX_set_verify_cb(context, notAfterInclusive)
        let parameters = X509_STORE_CTX_get0_param(context)
        X509_VERIFY_PARAM_set_time(parameters, time_t(time))
        if roots.contains(where: { !$0.isSelfSigned }) {
            X509_VERIFY_PARAM_set_flags(parameters, UInt(X509_V_FLAG_PARTIAL_CHAIN))
        }
        guard X509_verify_cert(context) == 1 else {
            let code = X509_STORE_CTX_get_error(context)
            let reason = X509_verify_cert_error_string(Int(code)).map { String(cString: $0) } ?? "error \(code)"
            let depth = X509_STORE_CTX_get_error_depth(context)
            let known = [leaf] + pathMaterial + roots
            let culprit = X509_STORE_CTX_get_current_cert(context).flatMap { pointer in known.first { $0.handle.pointer == pointer } }
            OpenSSLErrorQueue.clear()
            let which = culprit.map { depth == 0 ? " (the leaf \($0))" : " (\($0), depth \(depth))" } ?? ""
            throw .verificationFailed("certificate chain: not valid at \(UnixTime.text(time)): \(reason)\(which)")
        }
        guard let built = X509_STORE_CTX_get0_chain(context) else { throw .openSSL(failedTo: "reading the verified chain") }
        let known = [leaf] + pathMaterial + roots
        return try (0..<ocitool_sk_X509_num(built)).map { index throws(CryptoError) -> Certificate in
            let pointer = ocitool_sk_X509_value(built, index)
            if let certificate = known.first(where: { $0.handle.pointer == pointer }) { return certificate }
            throw .openSSL("the verified chain holds a certificate that was not given")
        }
    }
}

/// A verification callback that makes notAfter inclusive, as RFC 5280 §4.1.2.5 and Go have it: OpenSSL
/// counts a certificate whose notAfter is exactly the check time as expired.
let notAfterInclusive: @convention(c) (Int32, OpaquePointer?) -> Int32 = { ok, context in
    guard ok == 0, let context, X509_STORE_CTX_get_error(context) == X509_V_ERR_CERT_HAS_EXPIRED,
          let certificate = X509_STORE_CTX_get_current_cert(context),
          let notAfter = UnixTime.seconds(X509_get0_notAfter(certificate)),
          notAfter == Int64(X509_VERIFY_PARAM_get_time(X509_STORE_CTX_get0_param(context)))
    else { return ok }
    X509_STORE_CTX_set_error(context, X509_V_OK)
    return 1
}

/// An owned `STACK_OF(X509)` holding its own reference to each certificate.
final class X509Stack {
    let pointer: OpaquePointer

    init(_ certificates: [Certificate]) throws(CryptoError) {
        guard let stack = ocitool_sk_X509_new_null() else { throw .openSSL(failedTo: "allocating a certificate stack") }
        pointer = stack
        for certificate in certificates {
            X509_up_ref(certificate.handle.pointer)
            guard ocitool_sk_X509_push(stack, certificate.handle.pointer) > 0 else {
                X509_free(certificate.handle.pointer)
                throw .openSSL(failedTo: "filling a certificate stack")
            }
        }
    }

    /// Hands the stack to an OpenSSL object that frees it (`TS_VERIFY_CTX_set_certs`).
    func release() -> OpaquePointer {
        released = true
        return pointer
    }

    private var released = false

    deinit {
        if !released { ocitool_sk_X509_pop_free(pointer) }
    }
}
