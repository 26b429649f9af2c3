public import OCI

/// The `conditions` of a verifyImages attestation: a list of blocks, all of which must pass
/// (kyverno pkg/engine/internal/imageverifier.go `EvaluateConditions`).
///
/// Kyverno evaluates them once per in-toto statement of the attestation's predicate type, with the
/// statement's `predicate` object merged into the top level of the JSON context, so keys are written
/// `{{ builder.id }}`, not `{{ predicate.builder.id }}`. The statement's `subject`, `predicateType` and
/// `_type` are NOT in that context. Kyverno's context also holds the admission request and, in several
/// releases, `image` (`{image, registry, path, name, tag, digest}` of the image being verified), added after
/// the predicate; `context(forStatement:adding:)` builds the predicate context and lets the engine add such
/// top-level fields.
public struct AttestationConditions: Sendable {
    public let blocks: [ConditionBlock]

    /// Reads a `conditions` list (a single block object is accepted as a one-block list).
    public init(json: JSONValue) throws(ConditionError) {
        let elements: [JSONValue]
        switch json {
        case .array(let array): elements = array
        case .object: elements = [json]
        case .null: elements = []
        default: throw .malformed(path: "conditions", reason: "expected a list of {any, all} blocks, got \(json.kind)")
        }
        var blocks: [ConditionBlock] = []
        for (index, element) in elements.enumerated() {
            blocks.append(try ConditionBlock(json: element, path: "conditions[\(index)]"))
        }
        self.blocks = blocks
    }

    /// Evaluates every block over the context (see `context(forStatement:)`); stops at the first failing block.
    public func evaluate(over context: JSONValue) throws(ConditionError) -> ConditionOutcome {
        for (index, block) in blocks.enumerated() {
            if case .failed(let quantifier, let results) = try block.evaluate(over: context, path: "conditions[\(index)]") {
                return .failed(ConditionFailure(block: index, quantifier: quantifier, results: results))
            }
        }
        return .passed
    }

    /// The context Kyverno evaluates attestation conditions over: the statement's `predicate` object's
    /// fields at the top level, then `extra` fields (which win on a clash, as Kyverno's later additions do).
    /// Throws when the statement has no predicate object (Kyverno: "failed to extract predicate").
    public static func context(forStatement statement: JSONValue,
                               adding extra: [String: JSONValue] = [:]) throws(ConditionError) -> JSONValue {
        guard case .object(let predicate)? = statement["predicate"] else {
            throw .malformed(path: "statement", reason: "the in-toto statement has no 'predicate' object to evaluate conditions over")
        }
        return .object(predicate.merging(extra) { _, added in added })
    }
}

/// The verdict of attestation conditions.
public enum ConditionOutcome: Sendable {
    case passed
    case failed(ConditionFailure)

    public var passed: Bool { if case .passed = self { true } else { false } }
}

/// Which block failed and why: the failing `all` condition, or every `any` condition (none held).
public struct ConditionFailure: Sendable, CustomStringConvertible {
    /// Index of the block in the `conditions` list.
    public let block: Int
    public let quantifier: ConditionBlock.Quantifier
    public let results: [ConditionResult]

    /// One line for reports, e.g. `conditions[0].all: builder must be GitHub ("{{ builder.id }}" Equals ...)`.
    public var description: String {
        switch quantifier {
        case .all: "conditions[\(block)].all: \(results.map(\.description).joined(separator: "; "))"
        case .any: "conditions[\(block)].any: none held: \(results.map(\.description).joined(separator: "; "))"
        }
    }
}
