#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
public import OCI

extension RegistryClient {
    /// Bound on pages followed, against a registry whose `Link` never ends.
    static let maxTagPages = 10_000

    /// Every tag of `repository`, following each `Link: <…>; rel="next"` page (distribution-spec "Content discovery").
    public func tags(of repository: Repository) async throws(RegistryError) -> [String] {
        guard let tags = try await tags(of: repository, pageLimit: Self.maxTagPages) else {
            throw .protocolViolation(what: "tag list of \(repository)", detail: "more than \(Self.maxTagPages) pages")
        }
        return tags
    }

    /// Bound on the pages of a tag snapshot: beyond it, asking for each tag costs less than listing them all.
    static let maxSnapshotPages = 8

    /// The tags of `repository` as listed the first time this client is asked (later pushes are not seen), or nil
    /// when the registry will not list them or lists more than `maxSnapshotPages` pages: then ask for each tag.
    /// For reading a source repository: whether any of many tags exists (cosign's `sha256-<hex>.sig`, the
    /// referrers fallback tag, for every manifest of every image) costs one request per repository.
    public func tagSnapshot(of repository: Repository) async -> Set<String>? {
        try? await tagSnapshots.value(for: repository.description) { [self] in
            do { return try await tags(of: repository, pageLimit: Self.maxSnapshotPages).map(Set.init) } catch { return nil }
        }
    }

    /// Every tag, or nil past `pageLimit` pages.
    private func tags(of repository: Repository, pageLimit: Int) async throws(RegistryError) -> [String]? {
        struct Page: Decodable { var tags: [String]? }
        // No `n`: registries page with their own default and say so with `Link`.
        var target = "/v2/\(repository.path)/tags/list"
        var tags: [String] = []
        var seen: Set<String> = []
        for _ in 0..<pageLimit {
            guard seen.insert(target).inserted else {
                throw .protocolViolation(what: "tag list of \(repository)", detail: "the registry's Link header loops")
            }
            var request = RegistryRequest(method: .get, registry: repository.registry, target: target, scopes: [.pull(repository.path)])
            request.maxBufferedBodyBytes = 16 << 20
            let response = try await send(request)
            guard response.status == 200 else { throw failure(response, request, what: "repository \(repository)") }
            guard let page = try? JSONDecoder().decode(Page.self, from: response.body) else {
                throw .protocolViolation(what: "tag list of \(repository)", detail: "the answer is not a JSON tag list")
            }
            tags += page.tags ?? []
            guard let next = response.headers.values(for: "Link").lazy.compactMap(Self.nextLink).first else { return tags }
            target = next
        }
        return nil
    }

    /// The target of `<…>; rel="next"` in a Link header value.
    static func nextLink(_ header: String) -> String? {
        for link in header.split(separator: ",") {
            let parts = link.split(separator: ";").map { $0.trimmingSpaces() }
            guard let target = parts.first, target.hasPrefix("<"), target.hasSuffix(">"),
                  parts.dropFirst().contains(where: { $0.filter { $0 != " " } == "rel=\"next\"" || $0 == "rel=next" }) else { continue }
            return String(target.dropFirst().dropLast())
        }
        return nil
    }
}
