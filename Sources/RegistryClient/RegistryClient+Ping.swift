import OCI

extension RegistryClient {
    /// Checks that `registry` speaks the distribution API and that we may use it (`GET /v2/`); with credentials,
    /// this is also how `login` verifies them.
    public func ping(_ registry: String, repository: String? = nil) async throws(RegistryError) {
        let request = RegistryRequest(method: .get, registry: registry, target: "/v2/",
                                      scopes: repository.map { [.pull($0)] } ?? [])
        let response = try await send(request)
        guard response.status == 200 else { throw failure(response, request, what: "registry \(registry)") }
    }
}
