public import OCI

/// What a check of an attestation's `conditions` says about one predicate.
public enum ConditionOutcome: Sendable, Equatable {
    case holds
    /// The conditions do not hold; the reason names the failing condition.
    case fails(String)
    /// The conditions cannot be evaluated (an unsupported expression or operator): an error, never a pass.
    case error(String)
}

/// Evaluates Kyverno attestation `conditions` (`[{all|any: [{key, operator, value}]}]`, keys JMESPath in
/// `{{ }}`) over a statement's predicate. The engine takes one, so the condition language plugs in here.
public protocol AttestationConditions: Sendable {
    func evaluate(_ conditions: JSONValue, predicate: JSONValue) -> ConditionOutcome
}

/// For builds without a condition evaluator: every attestation with conditions is an error naming why.
public struct ConditionsUnavailable: AttestationConditions {
    public init() {}

    public func evaluate(_ conditions: JSONValue, predicate: JSONValue) -> ConditionOutcome {
        .error("attestation conditions cannot be evaluated: this build has no JMESPath condition support")
    }
}
