import ImageTransfer
import Synchronization

/// Runs `transform` over `items`, at most `limit` at once (a task group), returning results in input order. The
/// first failure cancels the rest and is rethrown.
func concurrentMap<Item: Sendable, Result: Sendable>(_ items: [Item], limit: Int,
                                                     _ transform: @escaping @Sendable (Item) async throws(ContentError) -> Result)
    async throws(ContentError) -> [Result] {
    do {
        return try await withThrowingTaskGroup(of: (Int, Result).self) { group in
            var results = [Result?](repeating: nil, count: items.count)
            var next = 0
            func startNext() {
                guard next < items.count else { return }
                let index = next, item = items[index]
                group.addTask { (index, try await transform(item)) }
                next += 1
            }
            for _ in 0..<min(max(1, limit), items.count) { startNext() }
            while let (index, result) = try await group.next() {
                results[index] = result
                startNext()
            }
            return results.map { $0! }
        }
    } catch let error as ContentError {
        throw error
    } catch {
        throw .cancelled
    }
}

/// A counting semaphore bounding transfers across every image of a mirror (images run concurrently, and each
/// moves its blobs concurrently: without a shared bound that would be jobs × jobs transfers).
final class TransferSlots: Sendable {
    private struct State {
        var available: Int
        var waiting: [CheckedContinuation<Void, Never>] = []
    }

    private let state: Mutex<State>

    init(_ count: Int) {
        state = Mutex(State(available: max(1, count)))
    }

    /// Runs `body` holding a slot.
    func run<Value: Sendable>(_ body: () async throws(ContentError) -> Value) async throws(ContentError) -> Value {
        await acquire()
        defer { release() }
        return try await body()
    }

    private func acquire() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let now = state.withLock { state in
                if state.available > 0 {
                    state.available -= 1
                    return true
                }
                state.waiting.append(continuation)
                return false
            }
            if now { continuation.resume() }
        }
    }

    private func release() {
        let next = state.withLock { state -> CheckedContinuation<Void, Never>? in
            if state.waiting.isEmpty {
                state.available += 1
                return nil
            }
            return state.waiting.removeFirst()
        }
        next?.resume()
    }
}
