/// Runs `transform` over `items` with at most `limit` running at once (structured: a task group), returning
/// results in input order. The first failure cancels the rest and is rethrown.
public func boundedMap<Item: Sendable, Result: Sendable>(_ items: [Item], limit: Int,
                                          _ transform: @escaping @Sendable (Item) async throws(RegistryError) -> Result) async throws(RegistryError) -> [Result] {
    do {
        return try await withThrowingTaskGroup(of: (Int, Result).self) { group in
            var results = [Result?](repeating: nil, count: items.count)
            var next = 0
            func startNext() {
                guard next < items.count else { return }
                let index = next
                let item = items[index]
                group.addTask { (index, try await transform(item)) }
                next += 1
            }
            for _ in 0..<min(limit, items.count) { startNext() }
            while let (index, result) = try await group.next() {
                results[index] = result
                startNext()
            }
            return results.map { $0! }
        }
    } catch let error as RegistryError {
        throw error
    } catch {
        throw .protocolViolation(what: "parallel transfer", detail: "\(error)")
    }
}

/// `boundedMap` for side effects.
public func boundedForEach<Item: Sendable>(_ items: [Item], limit: Int,
                             _ body: @escaping @Sendable (Item) async throws(RegistryError) -> Void) async throws(RegistryError) {
    _ = try await boundedMap(items, limit: limit, body)
}
