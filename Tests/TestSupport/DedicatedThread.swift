import Foundation

/// Runs blocking `work` (process start-up, waiting on a lock) on a new thread and awaits its result,
/// keeping the cooperative pool (two threads on the test machine) free.
func onDedicatedThread<Value: Sendable>(_ work: @escaping @Sendable () throws -> Value) async throws -> Value {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try work() }) }.start()
    }
}
