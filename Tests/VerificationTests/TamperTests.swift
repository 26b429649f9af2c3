import Crypto
import Foundation
import OCI
import Testing
import TestSupport
import Verification

/// Evidence that is signed but altered, about something else, or not evidence at all: it must never count.
@Suite("tampered, misdirected and unrelated evidence")
struct TamperTests {
    static func fresh(_ prefix: String) async throws -> (TestImage, PrivateKey) {
        (try await TestImage.push(try await TestRegistry.sharedFake(), prefix), try PrivateKey.generateECDSAP256())
    }

    static var elsewhere: Digest { Digest(of: Array("some other image".utf8)) }

    @Test("a simple-signing payload changed by one byte after signing fails")
    func tamperedPayload() async throws {
        let (image, key) = try await Self.fresh("tamper/payload")
        _ = try await ImageSigner(client: makeClient([image.registry]), key: key).sign(image.reference, format: .classic)
        var layer = try #require(try await image.registry.cosignLayers(repo: image.repo, subject: image.digest, suffix: "sig").first)
        // One byte of the signed identity, keeping the JSON (and the digest it names) intact.
        let text = String(decoding: layer.blob, as: UTF8.self)
        let range = try #require(text.range(of: "payload-"))
        layer.blob = Data(text.replacingCharacters(in: range, with: "paylo4d-").utf8)
        #expect(layer.blob.count == Data(text.utf8).count)
        try await image.registry.pushCosignTag(repo: image.repo, subject: image.digest, suffix: "sig", layers: [layer])

        let report = await verify(image, policy([key.publicKey]))
        #expect(report.verdict == .failed)
        #expect(report.signatures.count == 1)
        #expect(report.signatures.first?.reason?.contains("does not verify") == true, "\(report.signatures.map(\.reason))")
    }

    @Test("a payload for another digest, signed by the right key, fails naming that digest")
    func payloadForAnotherDigest() async throws {
        let (image, key) = try await Self.fresh("tamper/otherdigest")
        let payload = HandSigned.simpleSigningPayload(dockerReference: "\(image.registry.host)/\(image.repo)", digest: Self.elsewhere)
        try await image.registry.pushCosignTag(repo: image.repo, subject: image.digest, suffix: "sig",
                                               layers: [try HandSigned.signatureLayer(payload, key: key)])
        let report = await verify(image, policy([key.publicKey]))
        #expect(report.verdict == .failed)
        #expect(report.signatures.first?.reason?.contains(Self.elsewhere.description) == true, "\(report.signatures.map(\.reason))")
    }

    /// Where an attestation is stored.
    enum Store: String, CaseIterable, CustomTestStringConvertible {
        case classic, bundle
        var testDescription: String { rawValue }

        /// Stores `envelope` for `image`, labelled `predicateType` (the `.att` layer annotation, or the bundle
        /// manifest's `dev.sigstore.bundle.predicateType`).
        func store(_ envelope: HandSigned.Envelope, labelled predicateType: String, key: PrivateKey, on image: TestImage) async throws {
            switch self {
            case .classic:
                try await image.registry.pushCosignTag(repo: image.repo, subject: image.digest, suffix: "att",
                                                       layers: [envelope.attestationLayer(predicateType: predicateType)])
            case .bundle:
                try await image.registry.pushBundle(repo: image.repo, subject: image.digest, bundle: envelope.bundle(key: key.publicKey),
                                                    predicateType: predicateType)
            }
        }
    }

    /// An image with a valid signature, so that the attestation decides.
    static func signed(_ prefix: String) async throws -> (TestImage, PrivateKey) {
        let (image, key) = try await fresh(prefix)
        _ = try await ImageSigner(client: makeClient([image.registry]), key: key).sign(image.reference, format: .classic)
        return (image, key)
    }

    @Test("an attestation whose statement is about another digest fails", arguments: Store.allCases)
    func statementAboutAnotherDigest(_ store: Store) async throws {
        let (image, key) = try await Self.signed("tamper/subject-\(store.rawValue)")
        let envelope = try HandSigned.Envelope(statement: HandSigned.statement(subject: Self.elsewhere, predicateType: slsa), key: key)
        try await store.store(envelope, labelled: slsa, key: key, on: image)

        let report = await verify(image, policy([key.publicKey], attestations: [slsa]))
        #expect(report.verdict == .failed)
        #expect(report.reasons.contains { $0.contains(slsa) }, "\(report.reasons)")
        #expect(report.attestations.count == 1)
        #expect(report.attestations.first?.verified == false)
        #expect(report.attestations.first?.reason?.contains(Self.elsewhere.hex) == true, "\(report.attestations.map(\.reason))")
    }

    @Test("only another predicate type is attested — even when the label claims the required one", arguments: Store.allCases)
    func anotherPredicateType(_ store: Store) async throws {
        for label in [spdx, slsa] {
            let (image, key) = try await Self.signed("tamper/predicate-\(store.rawValue)")
            let envelope = try HandSigned.Envelope(statement: HandSigned.statement(subject: image.digest, predicateType: spdx), key: key)
            try await store.store(envelope, labelled: label, key: key, on: image)

            let report = await verify(image, policy([key.publicKey], attestations: [slsa]))
            #expect(report.verdict == .failed, "label \(label)")
            #expect(report.reasons == ["no valid \(slsa) attestation"], "label \(label)")
            // What was attested is reported by the statement's own type, not the label.
            #expect(report.attestations.map(\.predicateType) == [spdx], "label \(label)")
            #expect(await verify(image, policy([key.publicKey], attestations: [spdx])).verdict == .verified, "label \(label)")
        }
    }

    /// How a DSSE envelope can be broken while looking signed.
    enum EnvelopeDamage: String, CaseIterable, CustomTestStringConvertible {
        /// One bit of the signature flipped.
        case corruptedSignature
        /// The statement replaced after signing (same subject, other predicate).
        case replacedStatement
        /// Signed over the raw statement instead of PAE.
        case signedWithoutPAE
        var testDescription: String { rawValue }

        func apply(to envelope: HandSigned.Envelope, key: PrivateKey, subject: Digest, predicateType: String) throws -> HandSigned.Envelope {
            var damaged = envelope
            switch self {
            case .corruptedSignature: damaged.signature[damaged.signature.count / 2] ^= 0x01
            case .replacedStatement: damaged.payload = HandSigned.statement(subject: subject, predicateType: predicateType, predicate: #"{"forged":true}"#)
            case .signedWithoutPAE: damaged.signature = try key.sign(Array(envelope.payload))
            }
            return damaged
        }
    }

    @Test("a bundle signature whose DSSE envelope is damaged fails", arguments: EnvelopeDamage.allCases)
    func damagedBundleSignature(_ damage: EnvelopeDamage) async throws {
        let (image, key) = try await Self.fresh("tamper/bundle-\(damage.rawValue)")
        let envelope = try HandSigned.Envelope(statement: HandSigned.statement(subject: image.digest, predicateType: Wire.cosignSign), key: key)
        let damaged = try damage.apply(to: envelope, key: key, subject: image.digest, predicateType: Wire.cosignSign)
        try await image.registry.pushBundle(repo: image.repo, subject: image.digest, bundle: damaged.bundle(key: key.publicKey))

        let report = await verify(image, policy([key.publicKey]))
        #expect(report.verdict == .failed)
        #expect(report.signatures.count == 1)
        #expect(report.signatures.first?.format == .bundle)
        #expect(report.signatures.first?.verified == false)
        #expect(report.signatures.first?.reason?.contains("does not verify") == true, "\(report.signatures.map(\.reason))")
    }

    @Test("a classic attestation whose DSSE envelope is damaged fails", arguments: EnvelopeDamage.allCases)
    func damagedClassicAttestation(_ damage: EnvelopeDamage) async throws {
        let (image, key) = try await Self.signed("tamper/att-\(damage.rawValue)")
        let envelope = try HandSigned.Envelope(statement: HandSigned.statement(subject: image.digest, predicateType: slsa), key: key)
        try await Store.classic.store(try damage.apply(to: envelope, key: key, subject: image.digest, predicateType: slsa),
                                      labelled: slsa, key: key, on: image)
        let report = await verify(image, policy([key.publicKey], attestations: [slsa]))
        #expect(report.verdict == .failed)
        #expect(report.attestations.map(\.verified) == [false])
        #expect(report.attestations.first?.statement == nil)
    }

    @Test("a hand-made envelope, undamaged, verifies (the damage is what fails above)", arguments: Store.allCases)
    func undamagedControl(_ store: Store) async throws {
        let (image, key) = try await Self.signed("tamper/control-\(store.rawValue)")
        let envelope = try HandSigned.Envelope(statement: HandSigned.statement(subject: image.digest, predicateType: slsa), key: key)
        try await store.store(envelope, labelled: slsa, key: key, on: image)
        let report = await verify(image, policy([key.publicKey], attestations: [slsa]))
        #expect(report.verdict == .verified, "\(report.reasons) \(report.attestations.map(\.reason))")
    }

    /// Referrers that are not sigstore bundles.
    enum Unrelated: String, CaseIterable, CustomTestStringConvertible {
        case spdxSBOM, untypedArtifact, bundleTypedButSBOMLayer
        var testDescription: String { rawValue }

        var artifactType: String? {
            switch self {
            case .spdxSBOM: "text/spdx"
            case .untypedArtifact: nil
            case .bundleTypedButSBOMLayer: Wire.bundleV03
            }
        }
    }

    @Test("a referrer that is not a bundle changes nothing: signed stays verified, unsigned stays failed",
          arguments: Unrelated.allCases, [true, false])
    func unrelatedReferrer(_ unrelated: Unrelated, signed: Bool) async throws {
        let (image, key) = try await Self.fresh("tamper/sbom-\(unrelated.rawValue)")
        if signed { _ = try await ImageSigner(client: makeClient([image.registry]), key: key).sign(image.reference, format: .classic) }
        let sbom = try await image.registry.pushReferrer(
            repo: image.repo, subject: image.digest, artifactType: unrelated.artifactType,
            layer: RawLayer(mediaType: "text/spdx", blob: Data(#"{"spdxVersion":"SPDX-2.3","name":"sbom"}"#.utf8)))

        let report = await verify(image, policy([key.publicKey]))
        #expect(report.verdict == (signed ? .verified : .failed), "\(report.reasons)")
        #expect(report.signatures.count == (signed ? 1 : 0))
        #expect(report.signatures.allSatisfy { $0.format == .simplesigning && $0.manifest.description != sbom })
        #expect(report.attestations.isEmpty)
        if !signed { #expect(report.reasons == ["no valid signature by the given key(s)"]) }
    }

    @Test("an SBOM typed as such is not even fetched")
    func typedSBOMIsNotFetched() async throws {
        let (image, key) = try await Self.fresh("tamper/sbom-unfetched")
        let sbom = try await image.registry.pushReferrer(repo: image.repo, subject: image.digest, artifactType: "text/spdx",
                                                         layer: RawLayer(mediaType: "text/spdx", blob: Data("{}".utf8)))
        _ = await verify(image, policy([key.publicKey]))
        let fetched = try await image.registry.requests(matching: image.repo).filter { $0.method == "GET" && $0.path.hasSuffix("/manifests/\(sbom)") }
        #expect(fetched.isEmpty, "\(fetched)")
    }

    /// Whom a signature's `docker-reference` names, relative to the verified image.
    enum SignedName: String, CaseIterable, CustomTestStringConvertible {
        case thisRepository, thisRepositoryWithTag, anotherRepository, sameNameOtherRegistry
        var testDescription: String { rawValue }

        func name(for image: TestImage) -> String {
            switch self {
            case .thisRepository: "\(image.registry.host)/\(image.repo)"
            case .thisRepositoryWithTag: "\(image.registry.host)/\(image.repo):v1"
            case .anotherRepository: "\(image.registry.host)/\(image.repo)-evil"
            case .sameNameOtherRegistry: "registry.example.com/\(image.repo)"
            }
        }

        var matches: Bool { self == .thisRepository || self == .thisRepositoryWithTag }
    }

    @Test("--check-reference: the signed docker-reference must name this repository; without it, any name verifies",
          arguments: SignedName.allCases)
    func checkReference(_ signedName: SignedName) async throws {
        let (image, key) = try await Self.fresh("tamper/reference-\(signedName.rawValue)")
        let payload = HandSigned.simpleSigningPayload(dockerReference: signedName.name(for: image), digest: image.digest)
        try await image.registry.pushCosignTag(repo: image.repo, subject: image.digest, suffix: "sig",
                                               layers: [try HandSigned.signatureLayer(payload, key: key)])

        #expect(await verify(image, policy([key.publicKey])).verdict == .verified)
        let checked = await verify(image, policy([key.publicKey], checkReference: true))
        #expect(checked.verdict == (signedName.matches ? .verified : .failed), "\(checked.signatures.map(\.reason))")
        if !signedName.matches {
            #expect(checked.signatures.first?.reason?.contains(signedName.name(for: image)) == true, "\(checked.signatures.map(\.reason))")
        }
    }

    @Test("--check-reference accepts what ocitool sign writes, and refuses it once copied to another repository")
    func checkReferenceOfSignerOutput() async throws {
        let registry = try await TestRegistry.sharedFake()
        let repo = uniqueRepository("tamper/original"), copy = repo + "-copy"
        let content = [Data("same image in \(repo)".utf8)]
        let original = TestImage(registry: registry, repo: repo, digest: try Digest(parsing: try await registry.pushImage(repo: repo, tag: "v1", layers: content).digest))
        let copied = TestImage(registry: registry, repo: copy, digest: try Digest(parsing: try await registry.pushImage(repo: copy, tag: "v1", layers: content).digest))
        #expect(original.digest == copied.digest)
        let key = try PrivateKey.generateECDSAP256()
        _ = try await ImageSigner(client: makeClient([registry]), key: key).sign(original.reference, format: .classic)
        let layers = try await registry.cosignLayers(repo: repo, subject: original.digest, suffix: "sig")
        try await registry.pushCosignTag(repo: copy, subject: copied.digest, suffix: "sig", layers: layers)

        #expect(await verify(original, policy([key.publicKey], checkReference: true)).verdict == .verified)
        #expect(await verify(copied, policy([key.publicKey])).verdict == .verified)
        let refused = await verify(copied, policy([key.publicKey], checkReference: true))
        #expect(refused.verdict == .failed)
        #expect(refused.signatures.first?.reason?.contains("--check-reference") == true, "\(refused.signatures.map(\.reason))")
    }
}
