import Synchronization

/// Runs async operations one at a time per key (read-modify-write of a referrers fallback index), while
/// operations on different keys run concurrently. Actor reentrancy alone would interleave them at `await`.
final class KeyedSerialExecutor: Sendable {
    private let tails = Mutex<[String: Task<Void, Never>]>([:])

    func run<T: Sendable>(key: String, _ operation: @escaping @Sendable () async throws -> T) async throws -> T {
        let mine: Task<Result<T, any Error>, Never> = tails.withLock { tails in
            let previous = tails[key]
            let mine = Task<Result<T, any Error>, Never> {
                await previous?.value
                do { return .success(try await operation()) } catch { return .failure(error) }
            }
            tails[key] = Task { _ = await mine.value }
            return mine
        }
        return try await mine.value.get()
    }
}
