import Admission

/// The condition language `verify --policy` evaluates attestation `conditions` with.
enum PolicyConditions {
    static let evaluator: any AttestationConditions = ConditionsUnavailable()
}
