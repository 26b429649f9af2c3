import Foundation
import RegistryClient
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Raw distribution-API calls that seed and inspect a test registry without the code under test.
/// They answer auth challenges with the registry's own credentials (see `credentials`).
extension TestRegistry {
    /// Media types the inspection helpers accept.
    static let manifestMediaTypes = [
        "application/vnd.oci.image.manifest.v1+json", "application/vnd.oci.image.index.v1+json",
        "application/vnd.docker.distribution.manifest.v2+json",
        "application/vnd.docker.distribution.manifest.list.v2+json",
    ]

    /// Uploads `data` as a blob of `repo` (POST, then PUT with the digest) and returns its digest.
    @discardableResult
    public func pushBlob(repo: String, data: Data) async throws -> String {
        let digest = sha256Digest(data)
        let (_, started) = try await send("POST", path: "/v2/\(repo)/blobs/uploads/", repository: repo, push: true,
                                          expecting: [202])
        guard let location = started.value(forHTTPHeaderField: "Location"),
              let session = URL(string: location, relativeTo: baseURL)?.absoluteString else {
            throw TestSupportError.badResponse(url: "\(baseURL)/v2/\(repo)/blobs/uploads/", reason: "no Location")
        }
        let finish = URL(string: session + (session.contains("?") ? "&" : "?") + "digest=" + digest)!
        try await send("PUT", finish, repository: repo, push: true,
                       headers: ["Content-Type": "application/octet-stream"], body: data, expecting: [201])
        return digest
    }

    /// Stores `data` as a manifest of `repo` under `reference` (a tag or its digest) with `mediaType` as
    /// Content-Type, and returns its digest.
    @discardableResult
    public func pushManifest(repo: String, reference: String, data: Data, mediaType: String) async throws -> String {
        try await send("PUT", path: "/v2/\(repo)/manifests/\(reference)", repository: repo, push: true,
                       headers: ["Content-Type": mediaType], body: data, expecting: [201])
        return sha256Digest(data)
    }

    /// Pushes a small OCI image: one blob per element of `layers`, a config naming them, and the manifest,
    /// tagged `tag` when given.
    public func pushImage(repo: String, tag: String?, layers: [Data] = [Data("layer".utf8)]) async throws -> SeededImage {
        var layerDigests = [String]()
        for layer in layers {
            layerDigests.append(try await pushBlob(repo: repo, data: layer))
        }
        let quoted = layerDigests.map { "\"\($0)\"" }.joined(separator: ",")
        let config = Data(#"{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[\#(quoted)]}}"#.utf8)
        let configDigest = try await pushBlob(repo: repo, data: config)
        let layerDescriptors = zip(layers, layerDigests).map { layer, digest in
            #"{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"\#(digest)","size":\#(layer.count)}"#
        }
        let manifest = Data("""
            {"schemaVersion":2,"mediaType":"\(SeededImage.mediaType)",\
            "config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"\(configDigest)","size":\(config.count)},\
            "layers":[\(layerDescriptors.joined(separator: ","))]}
            """.utf8)
        let digest = sha256Digest(manifest)
        try await pushManifest(repo: repo, reference: tag ?? digest, data: manifest, mediaType: SeededImage.mediaType)
        return SeededImage(digest: digest, manifest: manifest, configDigest: configDigest, layerDigests: layerDigests)
    }

    /// The manifest `reference` (tag or digest) of `repo`, or nil when the registry answers 404.
    public func fetchManifest(repo: String, reference: String) async throws -> FetchedManifest? {
        let (data, response) = try await send("GET", path: "/v2/\(repo)/manifests/\(reference)", repository: repo,
                                              headers: ["Accept": Self.manifestMediaTypes.joined(separator: ", ")],
                                              expecting: [200, 404])
        guard response.statusCode == 200 else { return nil }
        return FetchedManifest(data: data, mediaType: response.value(forHTTPHeaderField: "Content-Type") ?? "",
                               digest: sha256Digest(data))
    }

    /// The blob `digest` of `repo`, or nil when the registry answers 404.
    public func fetchBlob(repo: String, digest: String) async throws -> Data? {
        let (data, response) = try await send("GET", path: "/v2/\(repo)/blobs/\(digest)", repository: repo,
                                              expecting: [200, 404])
        return response.statusCode == 200 ? data : nil
    }

    /// All tags of `repo` (following `Link` pages), or `[]` when the repository is unknown.
    public func tags(repo: String) async throws -> [String] {
        struct Page: Decodable { var tags: [String]? }
        var tags = [String]()
        var next: String? = "/v2/\(repo)/tags/list"
        while let path = next {
            let (data, response) = try await send("GET", path: path, repository: repo, expecting: [200, 404])
            guard response.statusCode == 200 else { return tags }
            tags += try JSONDecoder().decode(Page.self, from: data).tags ?? []
            next = response.value(forHTTPHeaderField: "Link").flatMap { link in
                link.firstIndex(of: "<").flatMap { start in
                    link.firstIndex(of: ">").map { String(link[link.index(after: start) ..< $0]) }
                }
            }
        }
        return tags
    }

    // MARK: Requests with auth

    @discardableResult
    private func send(_ method: String, path: String, repository: String, push: Bool = false,
                      headers: [String: String] = [:], body: Data? = nil,
                      expecting expected: Set<Int>) async throws -> (Data, HTTPURLResponse) {
        try await send(method, URL(string: path, relativeTo: baseURL)!.absoluteURL, repository: repository,
                       push: push, headers: headers, body: body, expecting: expected)
    }

    /// Sends a request; on a 401 challenge obtains an authorization (Basic, or a bearer token fetched
    /// from the realm with the credentials) and sends it again — up to three times, since a short-lived token
    /// (tests of expiry) can lapse between being issued and used on a loaded machine. A 401 means the registry
    /// did not act on the request, so sending it again is safe.
    @discardableResult
    private func send(_ method: String, _ url: URL, repository: String, push: Bool, headers: [String: String] = [:],
                      body: Data? = nil, expecting expected: Set<Int>) async throws -> (Data, HTTPURLResponse) {
        let scope = "repository:\(repository):\(push ? "pull,push" : "pull")"
        var headers = headers
        headers["Authorization"] = tokens.withLock { $0[scope] }
        if headers["Authorization"] == nil, let credentials, fakeOptions?.auth == .basic {
            headers["Authorization"] = Self.basic(credentials)
        }
        var (data, response) = try await LoopbackHTTP.send(method, url, headers: headers, body: body)
        for _ in 0..<3 {
            guard response.statusCode == 401, let challenge = response.value(forHTTPHeaderField: "WWW-Authenticate") else { break }
            headers["Authorization"] = try await authorization(answering: challenge, scope: scope)
            (data, response) = try await LoopbackHTTP.send(method, url, headers: headers, body: body)
        }
        guard expected.contains(response.statusCode) else {
            throw TestSupportError.unexpectedStatus(method: method, url: url.absoluteString,
                                                    status: response.statusCode,
                                                    body: String(decoding: data, as: UTF8.self))
        }
        return (data, response)
    }

    private func authorization(answering challenge: String, scope: String) async throws -> String {
        // The library's parser (unit-tested on its own); the token flow below stays independent of the client.
        let parsed = AuthChallenge(header: challenge)
        if parsed?.scheme == .basic, let credentials {
            return Self.basic(credentials)
        }
        guard let parsed, parsed.scheme == .bearer, let realm = parsed.realm,
              var components = URLComponents(string: realm) else {
            throw TestSupportError.badResponse(url: baseURL.absoluteString, reason: "unusable challenge \(challenge)")
        }
        components.queryItems = [URLQueryItem(name: "service", value: parsed.service ?? ""),
                                 URLQueryItem(name: "scope", value: parsed.scope ?? scope)]
        let headers = credentials.map { ["Authorization": Self.basic($0)] } ?? [:]
        let (data, _) = try await LoopbackHTTP.send("GET", components.url!, headers: headers, expecting: [200])
        struct TokenAnswer: Decodable { var token: String?; var access_token: String? }
        guard let answer = try? JSONDecoder().decode(TokenAnswer.self, from: data),
              let token = answer.token ?? answer.access_token else {
            throw TestSupportError.badResponse(url: realm, reason: "no token in \(String(decoding: data, as: UTF8.self))")
        }
        tokens.withLock { $0[scope] = "Bearer \(token)" }
        return "Bearer \(token)"
    }

    private static func basic(_ credentials: (user: String, password: String)) -> String {
        "Basic " + Data("\(credentials.user):\(credentials.password)".utf8).base64EncodedString()
    }
}
