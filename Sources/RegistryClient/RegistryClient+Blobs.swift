#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif
public import HTTPTransport
public import OCI

/// How a blob reached a destination repository.
public enum BlobTransfer: Sendable, Equatable {
    case alreadyPresent, mounted, uploaded
}

extension RegistryClient {
    /// The size of blob `digest` in `repository`, or nil when it is not there.
    public func blobSize(_ digest: Digest, in repository: Repository) async throws(RegistryError) -> Int64? {
        let request = blobRequest(.head, digest, repository)
        let response = try await send(request)
        if response.status == 404 { return nil }
        guard response.status == 200 else { throw failure(response, request, what: "blob \(repository)@\(digest)") }
        return response.headers["Content-Length"].flatMap { Int64($0) } ?? -1
    }

    /// A small blob (config, signature payload, attestation) in memory, verified, cached for the invocation.
    public func blob(_ descriptor: Descriptor, in repository: Repository) async throws(RegistryError) -> Data {
        let limit = configuration.smallBlobLimit
        guard descriptor.size <= Int64(limit) else {
            throw .invalidContent(what: "blob \(repository)@\(descriptor.digest)", problem: .contentTooLarge(limit: limit))
        }
        do {
            return try await smallBlobs.value(for: "\(repository)@\(descriptor.digest)") { [self] in
                let sink = VerifyingSink(expected: descriptor.digest, size: descriptor.size, what: "blob \(repository)@\(descriptor.digest)",
                                         destination: .memory(limit: limit))
                try await fetchBlob(descriptor.digest, in: repository, into: sink)
                return try sink.finish()
            }
        } catch let error as RegistryError {
            throw error
        } catch {
            throw .protocolViolation(what: "blob \(repository)@\(descriptor.digest)", detail: "\(error)")
        }
    }

    /// Streams blob `digest` to `path`, verifying it on the way; the file appears only when the digest
    /// (and `size`, when given) match — otherwise nothing is left behind. Not `durable`: a staging file, not
    /// flushed to disk before it appears.
    public func downloadBlob(_ digest: Digest, size: Int64? = nil, in repository: Repository, to path: String,
                             durable: Bool = true) async throws(RegistryError) {
        let file = try AtomicFile(path: path)
        let sink = VerifyingSink(expected: digest, size: size, what: "blob \(repository)@\(digest)", destination: .file(file))
        do {
            try await fetchBlob(digest, in: repository, into: sink)
            _ = try sink.finish()
            try file.commit(durable: durable)
        } catch {
            // Not left to deinit: the I/O thread may still hold the sink when the process exits.
            file.discard()
            throw error
        }
    }

    private func fetchBlob(_ digest: Digest, in repository: Repository, into sink: VerifyingSink) async throws(RegistryError) {
        let request = blobRequest(.get, digest, repository)
        let response = try await send(request, sink: sink)
        guard response.status == 200 else { throw failure(response, request, what: "blob \(repository)@\(digest)") }
    }

    /// Uploads `data` into `repository` unless the repository already has it; returns its digest.
    @discardableResult
    public func pushBlobIfAbsent(_ data: Data, to repository: Repository) async throws(RegistryError) -> Digest {
        let digest = Digest(of: Array(data))
        if try await blobSize(digest, in: repository) == nil {
            try await uploadBlob(digest, size: Int64(data.count), body: .data(data), to: repository)
        }
        return digest
    }

    /// Uploads blob `digest` (`size` bytes read from `body`) into `repository`: in one PUT up to
    /// `monolithicUploadLimit`, in PATCH chunks beyond. The whole upload is restarted on transient failures.
    @discardableResult
    public func uploadBlob(_ digest: Digest, size: Int64, body: HTTPRequestBody, to repository: Repository) async throws(RegistryError) -> BlobTransfer {
        var attempt = 0
        while true {
            attempt += 1
            do {
                return try await uploadOnce(digest, size: size, body: body, to: repository)
            } catch {
                let transient = switch error {
                case .transport(let transport): transport.isTransient
                case .unexpectedStatus(let status, _, _, _): RetryPolicy.isRetryable(status: status) || status == 404
                default: false
                }
                guard transient, attempt < configuration.retry.maxAttempts else { throw error }
                try? await Task.sleep(for: configuration.retry.delay(afterAttempt: attempt, retryAfter: nil))
            }
        }
    }

    private func uploadOnce(_ digest: Digest, size: Int64, body: HTTPRequestBody, to repository: Repository) async throws(RegistryError) -> BlobTransfer {
        let what = "blob upload \(repository)@\(digest)"
        let start = RegistryRequest(method: .post, registry: repository.registry, target: "/v2/\(repository.path)/blobs/uploads/",
                                    scopes: [.push(repository.path)])
        let started = try await send(start)
        guard started.status == 202 else { throw failure(started, start, what: what) }
        var location = try uploadLocation(started, repository: repository, what: what)

        if size > configuration.monolithicUploadLimit, case .file(let path, let offset, _) = body {
            var sent: Int64 = 0
            while sent < size {
                let length = min(configuration.chunkSize, size - sent)
                var patch = RegistryRequest(method: .patch, registry: repository.registry, target: location, scopes: [.push(repository.path)])
                patch.headers["Content-Type"] = "application/octet-stream"
                patch.headers["Content-Range"] = "\(sent)-\(sent + length - 1)"
                patch.body = .file(path: path, offset: offset + sent, length: length)
                patch.isReplayable = false
                let answer = try await send(patch)
                guard answer.status == 202 else { throw failure(answer, patch, what: what) }
                location = try uploadLocation(answer, repository: repository, what: what)
                sent += length
            }
            return try await finishUpload(location, digest: digest, body: .empty, repository: repository, what: what)
        }
        return try await finishUpload(location, digest: digest, body: body, repository: repository, what: what)
    }

    private func finishUpload(_ location: String, digest: Digest, body: HTTPRequestBody, repository: Repository,
                              what: String) async throws(RegistryError) -> BlobTransfer {
        let separator = location.contains("?") ? "&" : "?"
        var put = RegistryRequest(method: .put, registry: repository.registry,
                                  target: location + separator + "digest=" + URLEncoding.queryValue(digest.description),
                                  scopes: [.push(repository.path)])
        put.headers["Content-Type"] = "application/octet-stream"
        put.body = body
        // A replayed PUT would hit a closed session; the whole upload is retried instead.
        put.isReplayable = false
        let done = try await send(put)
        guard done.status == 201 || done.status == 204 else { throw failure(done, put, what: what) }
        return .uploaded
    }

    private func uploadLocation(_ response: HTTPResponse, repository: Repository, what: String) throws(RegistryError) -> String {
        guard let location = response.headers["Location"], !location.isEmpty else {
            throw .protocolViolation(what: what, detail: "the registry answered \(response.status) without a Location")
        }
        return absolute(location, registry: repository.registry)
    }

    func blobRequest(_ method: HTTPMethod, _ digest: Digest, _ repository: Repository) -> RegistryRequest {
        RegistryRequest(method: method, registry: repository.registry, target: "/v2/\(repository.path)/blobs/\(digest)",
                        scopes: [.pull(repository.path)])
    }
}

extension RegistryClient {
    /// Asks the registry to mount blob `digest` from `source` into `destination` (same registry). True when
    /// mounted; false when the registry declined (the upload session it opened is left to expire).
    public func mountBlob(_ digest: Digest, from source: Repository, to destination: Repository) async throws(RegistryError) -> Bool {
        let request = RegistryRequest(
            method: .post, registry: destination.registry,
            target: "/v2/\(destination.path)/blobs/uploads/?mount=\(URLEncoding.queryValue(digest.description))&from=\(URLEncoding.queryValue(source.path))",
            scopes: [.push(destination.path), .pull(source.path)])
        let response = try await send(request)
        switch response.status {
        case 201: return true
        case 202: return false
        default: throw failure(response, request, what: "blob mount \(source)@\(digest) → \(destination)")
        }
    }
}
