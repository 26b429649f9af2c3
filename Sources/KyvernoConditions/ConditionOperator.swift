import OCI

/// The operators of a Kyverno condition (kyverno api/kyverno/v1 `ConditionOperator`). Names are matched
/// case-insensitively, as Kyverno does; `Equal`/`NotEqual` are accepted for `Equals`/`NotEquals`.
public enum ConditionOperator: String, Sendable, CaseIterable {
    case equals = "Equals", notEquals = "NotEquals"
    /// Deprecated in Kyverno (use AllIn/AnyIn, AllNotIn/AnyNotIn); kept with their own semantics.
    case `in` = "In", notIn = "NotIn"
    case anyIn = "AnyIn", allIn = "AllIn", anyNotIn = "AnyNotIn", allNotIn = "AllNotIn"
    case greaterThan = "GreaterThan", greaterThanOrEquals = "GreaterThanOrEquals"
    case lessThan = "LessThan", lessThanOrEquals = "LessThanOrEquals"
    /// Deprecated in Kyverno (the numeric operators accept durations too); kept.
    case durationGreaterThan = "DurationGreaterThan", durationGreaterThanOrEquals = "DurationGreaterThanOrEquals"
    case durationLessThan = "DurationLessThan", durationLessThanOrEquals = "DurationLessThanOrEquals"

    /// Parses an operator name as Kyverno does (case-insensitive, with the singular aliases).
    public init?(name: String) {
        let lowered = name.lowercased()
        switch lowered {
        case "equal": self = .equals
        case "notequal": self = .notEquals
        default:
            guard let match = ConditionOperator.allCases.first(where: { $0.rawValue.lowercased() == lowered }) else {
                return nil
            }
            self = match
        }
    }

    /// Whether `key <operator> value` holds, with both sides already substituted.
    func holds(key: JSONValue, value: JSONValue) -> Bool {
        switch self {
        case .equals: Equality.equals(key, value)
        case .notEquals: key != .null && !Equality.equals(key, value)
        case .in: Membership.legacyIn(key, value) ?? false
        case .notIn: Membership.legacyIn(key, value).map { !$0 } ?? false
        case .anyIn: Membership.check(key, value, quantifier: .any, negated: false)
        case .allIn: Membership.check(key, value, quantifier: .all, negated: false)
        case .anyNotIn: Membership.check(key, value, quantifier: .any, negated: true)
        case .allNotIn: Membership.check(key, value, quantifier: .all, negated: true)
        case .greaterThan: Ordering.compare(key, value).map { $0 > 0 } ?? false
        case .greaterThanOrEquals: Ordering.compare(key, value).map { $0 >= 0 } ?? false
        case .lessThan: Ordering.compare(key, value).map { $0 < 0 } ?? false
        case .lessThanOrEquals: Ordering.compare(key, value).map { $0 <= 0 } ?? false
        case .durationGreaterThan: Ordering.compareDurations(key, value).map { $0 > 0 } ?? false
        case .durationGreaterThanOrEquals: Ordering.compareDurations(key, value).map { $0 >= 0 } ?? false
        case .durationLessThan: Ordering.compareDurations(key, value).map { $0 < 0 } ?? false
        case .durationLessThanOrEquals: Ordering.compareDurations(key, value).map { $0 <= 0 } ?? false
        }
    }
}
