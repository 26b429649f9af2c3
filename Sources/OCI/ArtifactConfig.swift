#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// Pieces every artifact ocitool writes (signatures, policies) shares.
public enum ArtifactConfig {
    /// The image config of a non-runnable artifact, as go-containerregistry's `empty.Image` writes it (what
    /// cosign and kyverno push): no platform, the (uncompressed) layers as diff IDs.
    public static func empty(layers: [Descriptor]) -> JSONValue {
        .object([
            "architecture": .string(""), "os": .string(""), "created": .string("0001-01-01T00:00:00Z"),
            "config": .object([:]),
            "history": .array(layers.map { _ in .object(["created": .string("0001-01-01T00:00:00Z")]) }),
            "rootfs": .object(["type": .string("layers"), "diff_ids": .array(layers.map { .string($0.digest.description) })]),
        ])
    }

    /// `org.opencontainers.image.created`: RFC 3339 UTC from `$SOURCE_DATE_EPOCH` when set (reproducible
    /// artifacts), else now.
    public static func creationTime(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        let epoch = environment["SOURCE_DATE_EPOCH"].flatMap(TimeInterval.init) ?? Date().timeIntervalSince1970
        return Date(timeIntervalSince1970: epoch.rounded(.down)).formatted(.iso8601)
    }
}
