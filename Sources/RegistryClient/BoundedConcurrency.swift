/// Runs `transform` over `items` with at most `limit` running at once (structured: a task group), returning
/// results in input order. The first failure cancels the rest and is rethrown, with its own type.
public func boundedMap<Item: Sendable, Output: Sendable, Failure: Error>(
    _ items: [Item], limit: Int, _ transform: @escaping @Sendable (Item) async throws(Failure) -> Output
) async throws(Failure) -> [Output] {
    let outcome: Result<[Output], Failure> = await withTaskGroup(of: (Int, Result<Output, Failure>).self) { group in
        var results = [Output?](repeating: nil, count: items.count)
        var next = 0
        func startNext() {
            guard next < items.count else { return }
            let index = next
            let item = items[index]
            group.addTask {
                do throws(Failure) { return (index, .success(try await transform(item))) } catch { return (index, .failure(error)) }
            }
            next += 1
        }
        for _ in 0..<min(max(1, limit), items.count) { startNext() }
        while let (index, result) = await group.next() {
            switch result {
            case .success(let value):
                results[index] = value
                startNext()
            case .failure(let error):
                group.cancelAll()
                return .failure(error)
            }
        }
        return .success(results.map { $0! })
    }
    return try outcome.get()
}

/// `boundedMap` for side effects.
public func boundedForEach<Item: Sendable, Failure: Error>(
    _ items: [Item], limit: Int, _ body: @escaping @Sendable (Item) async throws(Failure) -> Void
) async throws(Failure) {
    _ = try await boundedMap(items, limit: limit, body)
}
