import Foundation

/// Runs blocking `work` (a child process, a credential helper) on a thread of its own, so it does not hold one
/// of the few threads of the concurrency pool that the other tests share. Throws what `work` throws.
public func onOwnThread<Value: Sendable, Failure: Error>(
    _ work: @escaping @Sendable () throws(Failure) -> Value
) async throws(Failure) -> Value {
    let result: Result<Value, Failure> = await withCheckedContinuation { continuation in
        Thread { continuation.resume(returning: Result { () throws(Failure) -> Value in try work() }) }.start()
    }
    return try result.get()
}
