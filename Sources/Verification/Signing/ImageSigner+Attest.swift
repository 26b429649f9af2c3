#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
public import OCI
import RegistryClient

extension ImageSigner {
    /// Attests `predicate` of `predicateType` about the manifest `reference` names (placeholder until DSSE lands).
    public func attest(_ reference: Reference, predicateType: String, predicate: JSONValue, format: Format) async throws -> Digest {
        try await attest(reference, digest: try await resolve(reference), predicateType: predicateType, predicate: predicate, format: format)
    }

    func attest(_ reference: Reference, digest: Digest, predicateType: String, predicate: JSONValue, format: Format) async throws -> Digest {
        throw RegistryError.protocolViolation(what: "attest", detail: "not implemented yet")
    }
}
