import Synchronization

/// A per-invocation memo with single-flight: concurrent requests for the same key share one computation,
/// and later requests get the stored answer. Failures are not stored, so a later request tries again.
final class SingleFlightCache<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private enum Entry {
        case inFlight(Task<Value, any Error>)
        case done(Value)
    }

    private enum Lookup {
        case hit(Value)
        case wait(Task<Value, any Error>)
    }

    private let entries = Mutex<[Key: Entry]>([:])
    private let onHit: @Sendable () -> Void

    /// `onHit` runs whenever a request is answered without starting a new computation.
    init(onHit: @escaping @Sendable () -> Void = {}) {
        self.onHit = onHit
    }

    func value(for key: Key, compute: @escaping @Sendable () async throws -> Value) async throws -> Value {
        let lookup: Lookup = entries.withLock { entries in
            switch entries[key] {
            case .done(let value):
                onHit()
                return .hit(value)
            case .inFlight(let task):
                onHit()
                return .wait(task)
            case nil:
                // Not fire-and-forget: every caller for this key awaits the task and consumes its result.
                let task = Task { try await compute() }
                entries[key] = .inFlight(task)
                return .wait(task)
            }
        }
        let task: Task<Value, any Error>
        switch lookup {
        case .hit(let value): return value
        case .wait(let shared): task = shared
        }
        do {
            let value = try await task.value
            entries.withLock { entries in
                if case .inFlight = entries[key] { entries[key] = .done(value) }
            }
            return value
        } catch {
            entries.withLock { entries in
                if case .inFlight = entries[key] { entries[key] = nil }
            }
            throw error
        }
    }

    /// Stores an answer learnt another way (a manifest fetched by tag is also known by digest).
    func store(_ value: Value, for key: Key) {
        entries.withLock { $0[key] = .done(value) }
    }

    func cached(_ key: Key) -> Value? {
        entries.withLock { if case .done(let value) = $0[key] { value } else { nil } }
    }

    /// Drops stored answers whose key starts with `prefix` (after a write changed them).
    func forget(prefix: String) {
        entries.withLock { entries in
            for key in entries.keys where "\(key)".hasPrefix(prefix) {
                if case .done = entries[key] { entries[key] = nil }
            }
        }
    }
}
