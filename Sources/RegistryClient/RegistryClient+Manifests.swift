#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import HTTPTransport
public import OCI

/// The result of pushing a manifest.
public struct PushedManifest: Sendable {
    public let digest: Digest
    /// Whether the registry indexed the manifest's `subject` itself (`OCI-Subject`), or ocitool updated the
    /// tag-schema fallback index; nil when the manifest has no subject.
    public let referrersUpdate: ReferrersUpdate?

    public enum ReferrersUpdate: Sendable { case registry, fallbackTag }
}

extension RegistryClient {
    /// The manifest `reference` names, verified against its digest (the reference's, else the registry's
    /// `Docker-Content-Digest`). Cached for the invocation: by digest, and tag answers by tag.
    public func manifest(_ reference: Reference) async throws(RegistryError) -> ManifestDocument {
        let key = "\(reference.repository)@\(reference.identifier)"
        do {
            return try await manifests.value(for: key) { [self] in
                let document = try await fetchManifest(reference)
                if reference.digest == nil {
                    manifests.store(document, for: "\(reference.repository)@\(document.digest)")
                }
                return document
            }
        } catch let error as RegistryError {
            throw error
        } catch {
            throw .protocolViolation(what: reference.description, detail: "\(error)")
        }
    }

    /// The manifest `reference` names, or nil when the registry says it does not exist (404); absence is
    /// remembered for the invocation like any other answer. Other failures throw.
    public func manifestIfPresent(_ reference: Reference) async throws(RegistryError) -> ManifestDocument? {
        let key = "\(reference.repository)@\(reference.identifier)"
        if let known = manifests.cached(key) {
            statistics.recordCacheHit()
            return known
        }
        do {
            return try await optionalManifests.value(for: key) { [self] in
                do { return try await manifest(reference) } catch RegistryError.notFound { return nil }
            }
        } catch let error as RegistryError {
            throw error
        } catch {
            throw .protocolViolation(what: reference.description, detail: "\(error)")
        }
    }

    private func fetchManifest(_ reference: Reference) async throws(RegistryError) -> ManifestDocument {
        var request = manifestRequest(.get, reference)
        request.maxBufferedBodyBytes = ManifestDocument.maxSize
        let response: HTTPResponse
        do { response = try await send(request) } catch {
            if case .transport(.bodyTooLarge) = error {
                throw .invalidContent(what: "manifest \(reference)", problem: .manifestTooLarge(size: ManifestDocument.maxSize + 1, limit: ManifestDocument.maxSize))
            }
            throw error
        }
        guard response.status == 200 else { throw failure(response, request, what: "manifest \(reference)") }
        let served = response.headers["Docker-Content-Digest"].flatMap { Digest($0.trimmingSpaces()) }
        do {
            let document = try ManifestDocument(bytes: response.body, contentType: response.headers["Content-Type"],
                                                expected: reference.digest)
            if reference.digest == nil, let served, served.algorithm == document.digest.algorithm, served != document.digest {
                throw OCIError.digestMismatch(expected: served, actual: document.digest)
            }
            return document
        } catch {
            throw .invalidContent(what: "manifest \(reference) from \(reference.registry)", problem: error as? OCIError ?? .malformedManifest(reason: "\(error)"))
        }
    }

    /// The descriptor of the manifest `reference` names, from a HEAD request (a GET when the registry does not
    /// send `Docker-Content-Digest`); nil when it does not exist.
    public func manifestDescriptor(_ reference: Reference) async throws(RegistryError) -> Descriptor? {
        if let digest = reference.digest, let cached = manifests.cached("\(reference.repository)@\(digest)") {
            statistics.recordCacheHit()
            return cached.descriptor
        }
        let request = manifestRequest(.head, reference)
        let response = try await send(request)
        if response.status == 404 { return nil }
        guard response.status == 200 else { throw failure(response, request, what: "manifest \(reference)") }
        guard let digest = response.headers["Docker-Content-Digest"].flatMap({ Digest($0.trimmingSpaces()) }),
              let type = response.headers["Content-Type"], let size = response.headers["Content-Length"].flatMap({ Int64($0) }) else {
            return try await manifest(reference).descriptor
        }
        if let expected = reference.digest, expected != digest {
            throw .invalidContent(what: "manifest \(reference)", problem: .digestMismatch(expected: expected, actual: digest))
        }
        return Descriptor(mediaType: ManifestDocument.stripParameters(type), digest: digest, size: size)
    }

    /// Pushes `document`'s exact bytes under `reference` (its tag, else its digest). A manifest with a `subject`
    /// also lands in the subject's referrers: the registry's own index when it answers `OCI-Subject`, else the
    /// `sha256-<hex>` fallback tag, merged.
    @discardableResult
    public func putManifest(_ document: ManifestDocument, to reference: Reference) async throws(RegistryError) -> PushedManifest {
        let target = reference.tag.map { reference.withTag($0) } ?? reference.withDigest(document.digest)
        var request = manifestRequest(.put, target, push: true)
        request.headers["Content-Type"] = document.mediaType
        request.body = .data(document.bytes)
        let response = try await send(request)
        guard response.status == 201 || response.status == 200 || response.status == 202 else {
            throw failure(response, request, what: "manifest \(target)")
        }
        if let stored = response.headers["Docker-Content-Digest"].flatMap({ Digest($0.trimmingSpaces()) }),
           stored.algorithm == document.digest.algorithm, stored != document.digest {
            throw .invalidContent(what: "pushed manifest \(target)", problem: .digestMismatch(expected: document.digest, actual: stored))
        }
        manifests.store(document, for: "\(reference.repository)@\(document.digest)")
        if let tag = reference.tag {
            // The tag now names this manifest: an earlier answer for it (or its absence) is stale, and a tag list
            // taken earlier gains it.
            manifests.store(document, for: "\(reference.repository)@\(tag)")
            optionalManifests.store(document, for: "\(reference.repository)@\(tag)")
            if case .some(.some(var tags)) = tagSnapshots.cached(reference.repository.description), !tags.contains(tag) {
                tags.insert(tag)
                tagSnapshots.store(tags, for: reference.repository.description)
            }
        }
        guard let subject = document.subject else { return PushedManifest(digest: document.digest, referrersUpdate: nil) }
        referrerIndexes.forget(prefix: "\(reference.repository)@\(subject.digest)")
        if response.headers["OCI-Subject"] != nil {
            return PushedManifest(digest: document.digest, referrersUpdate: .registry)
        }
        try await addToFallbackIndex(document.descriptor, subject: subject.digest, in: reference.repository)
        return PushedManifest(digest: document.digest, referrersUpdate: .fallbackTag)
    }

    /// Deletes the manifest `reference` names (registries usually want a digest).
    public func deleteManifest(_ reference: Reference) async throws(RegistryError) {
        let request = manifestRequest(.delete, reference, push: true)
        let response = try await send(request)
        guard response.status == 202 || response.status == 200 else { throw failure(response, request, what: "manifest \(reference)") }
    }

    func manifestRequest(_ method: HTTPMethod, _ reference: Reference, push: Bool = false) -> RegistryRequest {
        var request = RegistryRequest(method: method, registry: reference.registry,
                                      target: "/v2/\(reference.repository.path)/manifests/\(reference.identifier)",
                                      scopes: [push ? .push(reference.repository.path) : .pull(reference.repository.path)])
        request.headers["Accept"] = MediaType.acceptedManifests.joined(separator: ", ")
        return request
    }
}
