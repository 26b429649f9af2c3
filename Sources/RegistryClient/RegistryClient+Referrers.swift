#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import HTTPTransport
import Synchronization
public import OCI

extension RegistryClient {
    /// The manifests that name `subject` as their subject, as an OCI index — the same whether the registry
    /// has the referrers API or only the `sha256-<hex>` tag schema (distribution-spec "Listing Referrers").
    /// `artifactType` filters; applied here when the registry did not. `knownTags`, the repository's tags when
    /// the caller has them (`tagSnapshot`), spares asking for a fallback tag that is not among them.
    public func referrers(of subject: Digest, in repository: Repository, artifactType: String? = nil,
                          knownTags: Set<String>? = nil) async throws(RegistryError) -> ImageIndex {
        let key = "\(repository)@\(subject)|\(artifactType ?? "")"
        let index: ImageIndex
        do {
            index = try await referrerIndexes.value(for: key) { [self] in
                try await fetchReferrers(of: subject, in: repository, artifactType: artifactType, knownTags: knownTags)
            }
        } catch let error as RegistryError {
            throw error
        } catch {
            throw .protocolViolation(what: "referrers of \(repository)@\(subject)", detail: "\(error)")
        }
        return index
    }

    private func fetchReferrers(of subject: Digest, in repository: Repository, artifactType: String?,
                                knownTags: Set<String>?) async throws(RegistryError) -> ImageIndex {
        // The first referrers request to a registry tells whether it has the API; the others wait for its answer
        // rather than each asking an API that is not there.
        let probe = ProbeAnswer()
        let supported: Bool
        do {
            supported = try await referrersSupport.value(for: repository.registry) { [self] in
                let index = try await referrersFromAPI(of: subject, in: repository, artifactType: artifactType)
                probe.keep(index)
                return index != nil
            }
        } catch let error as RegistryError {
            throw error
        } catch {
            throw .protocolViolation(what: "referrers of \(repository)@\(subject)", detail: "\(error)")
        }
        if supported {
            if let index = probe.take() { return index }
            if let index = try await referrersFromAPI(of: subject, in: repository, artifactType: artifactType) { return index }
        }
        if let knownTags, !knownTags.contains(subject.fallbackTag) { return ImageIndex(manifests: []) }
        var index = try await fallbackIndex(of: subject, in: repository) ?? ImageIndex(manifests: [])
        if let artifactType { index.manifests = index.manifests.filter { $0.artifactType == artifactType } }
        return index
    }

    /// The API's answer, or nil when the registry signals it has no referrers API: 404, 400 (Quay), 406,
    /// 401 without a challenge (Harbor), or a non-index answer such as a redirect to a web page.
    private func referrersFromAPI(of subject: Digest, in repository: Repository, artifactType: String?) async throws(RegistryError) -> ImageIndex? {
        var target = "/v2/\(repository.path)/referrers/\(subject)"
        if let artifactType { target += "?artifactType=\(URLEncoding.queryValue(artifactType))" }
        var request = RegistryRequest(method: .get, registry: repository.registry, target: target, scopes: [.pull(repository.path)])
        request.headers["Accept"] = MediaType.ociIndex
        request.maxBufferedBodyBytes = ManifestDocument.maxSize
        let response = try await send(request)
        switch response.status {
        case 200:
            let type = response.headers["Content-Type"].map(ManifestDocument.stripParameters)
            guard type == MediaType.ociIndex || type == "application/json",
                  let document = try? ManifestDocument(bytes: response.body, contentType: MediaType.ociIndex),
                  case .index(var index) = document.content else { return nil }
            let filtered = response.headers["OCI-Filters-Applied"]?.split(separator: ",").contains { $0.trimmingSpaces() == "artifactType" } ?? false
            if let artifactType, !filtered { index.manifests = index.manifests.filter { $0.artifactType == artifactType } }
            return index
        case 400, 404, 405, 406, 401:
            return nil
        default:
            throw failure(response, request, what: "referrers of \(repository)@\(subject)")
        }
    }

    /// The `sha256-<hex>` fallback index, validated; nil when there is none. GitLab answers that tag with the
    /// subject itself, and other registries with whatever was pushed there: anything but an index is ignored.
    func fallbackIndex(of subject: Digest, in repository: Repository) async throws(RegistryError) -> ImageIndex? {
        let reference = Reference(repository: repository, tag: subject.fallbackTag)
        let request = manifestRequest(.get, reference)
        var sized = request
        sized.maxBufferedBodyBytes = ManifestDocument.maxSize
        let response = try await send(sized)
        if response.status == 404 { return nil }
        guard response.status == 200 else { throw failure(response, request, what: "referrers tag \(reference)") }
        guard let document = try? ManifestDocument(bytes: response.body, contentType: response.headers["Content-Type"]),
              document.digest != subject, document.mediaType == MediaType.ociIndex, case .index(let index) = document.content else {
            return nil
        }
        return index
    }

    /// Adds `descriptor` to the fallback index of `subject`, keeping every entry already there. Updates of one
    /// index are serialised within the invocation (read-modify-write).
    func addToFallbackIndex(_ descriptor: Descriptor, subject: Digest, in repository: Repository) async throws(RegistryError) {
        do {
            try await fallbackWriters.run(key: "\(repository)@\(subject)") { [self] in
                var index = try await fallbackIndex(of: subject, in: repository) ?? ImageIndex(manifests: [])
                guard !index.manifests.contains(where: { $0.digest == descriptor.digest }) else { return }
                var entry = Descriptor(mediaType: descriptor.mediaType, digest: descriptor.digest, size: descriptor.size)
                entry.artifactType = descriptor.artifactType
                entry.annotations = descriptor.annotations
                index.manifests.append(entry)
                let bytes = try JSONEncoder.stable.encode(index)
                let document = try ManifestDocument(bytes: bytes, contentType: MediaType.ociIndex)
                _ = try await putManifest(document, to: Reference(repository: repository, tag: subject.fallbackTag))
            }
        } catch let error as RegistryError {
            throw error
        } catch let error as OCIError {
            throw .invalidContent(what: "referrers index of \(repository)@\(subject)", problem: error)
        } catch {
            throw .protocolViolation(what: "referrers index of \(repository)@\(subject)", detail: "\(error)")
        }
    }
}

/// The referrers index the request that probed a registry's API obtained, handed to the caller that made it.
private final class ProbeAnswer: Sendable {
    private let answer = Mutex<ImageIndex?>(nil)

    func keep(_ index: ImageIndex?) { answer.withLock { $0 = index } }
    func take() -> ImageIndex? { answer.withLock { $0.take() } }
}
