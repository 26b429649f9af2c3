// swift-tools-version:6.0
// ocitool: OCI artifact verification and mirroring.
//
// Layers, dependencies pointing one way:
//   C modules (CCurl, COpenSSL, CZlib)
//     → Crypto (OpenSSL hashing/signatures), HTTPTransport (libcurl)
//     → OCI (models) → RegistryClient
//     → ImageTransfer (copy) → Mirror, Sigstore (formats, tlog) → Verification (verify, sign)
//     → JMESPath → KyvernoConditions (attestation conditions), pure
//     → YAML (libyaml), Archive (tar+gzip) → Policy (Kyverno policies as OCI artifacts)
//     → Admission (Kyverno verifyImages rules over Kubernetes manifests)
//     → OCIToolCLI (commands) → ocitool (main)
import PackageDescription

let package = Package(
    name: "ocitool",
    products: [
        .executable(name: "ocitool", targets: ["ocitool"]),
        .library(name: "RegistryClient", targets: ["RegistryClient"]),
    ],
    targets: [
        // C libraries from Debian packages; shim headers only wrap variadics and macros.
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(name: "COpenSSL", pkgConfig: "openssl", providers: [.apt(["libssl-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CYAML", pkgConfig: "yaml-0.1", providers: [.apt(["libyaml-dev"])]),

        .target(name: "Crypto", dependencies: ["COpenSSL"]),
        .target(name: "HTTPTransport", dependencies: ["CCurl"]),
        .target(name: "OCI", dependencies: ["Crypto"]),
        .target(name: "RegistryClient", dependencies: ["OCI", "HTTPTransport", "Crypto"]),
        .target(name: "ImageTransfer", dependencies: ["RegistryClient", "OCI", "HTTPTransport", "Crypto"]),
        // Images with their signatures, attestations and SBOMs, between registries and layouts.
        .target(name: "Mirror", dependencies: ["ImageTransfer", "RegistryClient", "OCI", "YAML"]),
        // Sigstore/cosign wire formats and transparency-log checks: pure, no network.
        .target(name: "Sigstore", dependencies: ["Crypto", "OCI"]),
        // Verification reads evidence through ImageTransfer's ContentSource: a registry or an OCI layout on disk.
        .target(name: "Verification", dependencies: ["Sigstore", "ImageTransfer", "RegistryClient", "Crypto", "OCI"]),
        // YAML documents over libyaml; deterministic tar+gzip and a hardened reader over zlib.
        .target(name: "YAML", dependencies: ["CYAML"]),
        .target(name: "Archive", dependencies: ["CZlib"]),
        // JMESPath (Kyverno's variable language) and Kyverno conditions: pure, no network.
        .target(name: "JMESPath", dependencies: ["OCI"]),
        .target(name: "KyvernoConditions", dependencies: ["JMESPath", "OCI"]),
        .target(name: "Policy", dependencies: ["YAML", "Archive", "Verification", "RegistryClient", "OCI"]),
        // Kyverno verifyImages policies evaluated over Kubernetes manifests, every registry call made once.
        .target(name: "Admission", dependencies: ["KyvernoConditions", "Policy", "Verification", "YAML", "Sigstore", "RegistryClient", "Crypto", "OCI"]),
        .target(name: "OCIToolCLI", dependencies: ["Admission", "Policy", "Verification", "Sigstore", "Crypto", "ImageTransfer", "Mirror", "RegistryClient", "OCI", "HTTPTransport"]),
        .executableTarget(name: "ocitool", dependencies: ["OCIToolCLI"]),

        // Starts the real docker-registry and the Python test registry for integration tests.
        .target(name: "TestSupport", dependencies: ["RegistryClient", "HTTPTransport", "OCI", "Crypto"], path: "Tests/TestSupport",
                exclude: ["fake_registry.py", "fakeregistry", "run_docker_registry.py"]),
        .testTarget(name: "OCITests", dependencies: ["OCI", "Crypto", "TestSupport"]),
        .testTarget(name: "CryptoTests", dependencies: ["Crypto", "TestSupport"]),
        .testTarget(name: "YAMLTests", dependencies: ["YAML"]),
        .testTarget(name: "ArchiveTests", dependencies: ["Archive", "TestSupport"]),
        .testTarget(name: "JMESPathTests", dependencies: ["JMESPath", "OCI", "TestSupport"]),
        .testTarget(name: "KyvernoConditionsTests", dependencies: ["KyvernoConditions", "JMESPath", "OCI", "TestSupport"]),
        .testTarget(name: "PolicyTests", dependencies: ["Policy", "YAML", "Archive", "RegistryClient", "Verification", "Crypto", "TestSupport"]),
        .testTarget(name: "SigstoreTests", dependencies: ["Sigstore", "Crypto", "OCI", "TestSupport"]),
        .testTarget(name: "VerificationTests", dependencies: ["Verification", "Sigstore", "Crypto", "RegistryClient", "ImageTransfer", "Mirror", "TestSupport"]),
        .testTarget(name: "HTTPTransportTests", dependencies: ["HTTPTransport", "TestSupport"],
                    exclude: ["transport_test_server.py"]),
        .testTarget(name: "RegistryClientTests", dependencies: ["RegistryClient", "ImageTransfer", "TestSupport"]),
        .testTarget(name: "RegistryClientUnitTests", dependencies: ["RegistryClient", "OCI", "TestSupport"]),
        .testTarget(name: "AdmissionTests", dependencies: ["Admission", "Policy", "Verification", "YAML", "RegistryClient", "Crypto", "OCI", "Sigstore", "TestSupport"]),
        .testTarget(name: "CLITests", dependencies: ["TestSupport"]),
        .testTarget(name: "MirrorTests", dependencies: ["Mirror", "ImageTransfer", "RegistryClient", "HTTPTransport", "OCI", "TestSupport",
                                                  "Verification", "Crypto"]),
        .testTarget(name: "ImageTransferTests", dependencies: ["ImageTransfer", "RegistryClient", "OCI", "TestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
