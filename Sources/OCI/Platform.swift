/// The platform an image runs on (image-spec image-index.md, `platform` of a descriptor).
public struct Platform: Sendable, Hashable, Codable, CustomStringConvertible {
    public var os: String
    public var architecture: String
    public var variant: String?
    public var osVersion: String?
    public var osFeatures: [String]?

    enum CodingKeys: String, CodingKey {
        case os, architecture, variant
        case osVersion = "os.version"
        case osFeatures = "os.features"
    }

    public init(os: String, architecture: String, variant: String? = nil) {
        self.os = os
        self.architecture = architecture
        self.variant = variant
    }

    /// Parses `OS/ARCH[/VARIANT]`, e.g. `linux/arm64` or `linux/arm/v7`.
    public init(parsing raw: String) throws(OCIError) {
        let parts = raw.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard (2...3).contains(parts.count), parts.allSatisfy({ !$0.isEmpty && !$0.contains(" ") }) else {
            throw .invalidPlatform(raw)
        }
        self.init(os: parts[0].lowercased(), architecture: parts[1].lowercased(), variant: parts.count == 3 ? parts[2].lowercased() : nil)
    }

    public var description: String {
        [os, architecture, variant].compactMap { $0 }.joined(separator: "/")
    }

    /// Whether an index entry with platform `candidate` satisfies this requested platform. A request without a
    /// variant accepts any variant; `arm64` without a variant is `arm64/v8`.
    public func matches(_ candidate: Platform) -> Bool {
        guard os == candidate.os, architecture == candidate.architecture else { return false }
        guard let variant else { return true }
        return variant == candidate.normalizedVariant
    }

    private var normalizedVariant: String? {
        if variant == nil && architecture == "arm64" { return "v8" }
        return variant
    }
}
