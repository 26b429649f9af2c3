/// `ocitool verify --policy … -o json`: exactly this document. Resources in input order, each with the
/// rules that selected it and, per rule, a result for every image the rule's `imageReferences` chose.
public struct AdmissionReport: Sendable, Codable {
    public enum Status: String, Sendable, Codable, CaseIterable {
        case pass, fail, warn, error, skip
    }

    public struct ImageResult: Sendable, Codable {
        /// The image as written in the manifest ("" for a rule-level skip).
        public var image: String
        public var container: String?
        /// A JSON pointer to the image field.
        public var path: String?
        /// The digest the image resolved to, when it did.
        public var digest: String?
        public var status: Status
        public var reasons: [String]
    }

    public struct RuleResult: Sendable, Codable {
        public var policy: String
        public var rule: String
        public var action: FailureAction
        public var images: [ImageResult]
    }

    public struct ResourceResult: Sendable, Codable {
        /// `Kind/namespace/name`.
        public var resource: String
        public var origin: String
        public var document: Int
        public var rules: [RuleResult]
    }

    /// An image `--mutate-digest` pins: verified by at least one rule with `mutateDigest`, refused by none.
    public struct Pin: Sendable, Codable, Hashable {
        public var origin: String
        public var document: Int
        public var line: Int
        public var path: String
        public var image: String
        public var pinned: String
    }

    public struct Totals: Sendable, Codable, Equatable {
        public var pass = 0, fail = 0, warn = 0, error = 0, skip = 0

        mutating func count(_ status: Status) {
            switch status {
            case .pass: pass += 1
            case .fail: fail += 1
            case .warn: warn += 1
            case .error: error += 1
            case .skip: skip += 1
            }
        }
    }

    public struct Stats: Sendable, Codable {
        /// Distinct (image, key) signature checks run, however many rules asked for them.
        public var checks: Int
        public var httpRequests: Int
        public var cacheHits: Int
        public var elapsedMs: Int
    }

    public var resources: [ResourceResult]
    public var pins: [Pin]
    public var totals: Totals
    public var notes: [String]
    public var stats: Stats
}
