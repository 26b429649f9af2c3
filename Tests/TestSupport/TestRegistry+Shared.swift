import Foundation
import Synchronization

extension TestRegistry {
    /// The docker-registry shared by every test of this process, started on first use.
    public static func sharedDocker() async throws -> TestRegistry {
        try await shared(.docker)
    }

    /// The fake registry with `options` shared by every test of this process, started on first use.
    /// Tests that add faults to it must scope them to their own repository names.
    public static func sharedFake(_ options: FakeRegistryOptions = .init()) async throws -> TestRegistry {
        try await shared(.fake(options))
    }

    /// Returns a running server at once; otherwise waits on a thread of its own, so a slow start never
    /// holds one of the test pool's few threads.
    private static func shared(_ kind: Kind) async throws -> TestRegistry {
        if let running = SharedRegistries.runningRegistry(kind) {
            return running
        }
        return try await onDedicatedThread { try SharedRegistries.registry(kind) }
    }
}

/// One slot per kind of registry; a slot's lock is held while its server starts (bounded by the start
/// timeout), so concurrent first users wait for the same server instead of starting two.
private enum SharedRegistries {
    final class Slot: Sendable {
        let registry = Mutex<TestRegistry?>(nil)
    }

    static let slots = Mutex<[TestRegistry.Kind: Slot]>([:])

    /// The running server of `kind`, if there is one and nobody is starting it right now.
    static func runningRegistry(_ kind: TestRegistry.Kind) -> TestRegistry? {
        let slot = slots.withLock { $0[kind] }
        let registry = slot?.registry.withLockIfAvailable { $0 } ?? nil
        return registry?.isRunning == true ? registry : nil
    }

    static func registry(_ kind: TestRegistry.Kind) throws -> TestRegistry {
        let slot = slots.withLock { slots in
            if let slot = slots[kind] { return slot }
            let slot = Slot()
            slots[kind] = slot
            return slot
        }
        return try slot.registry.withLock { registry in
            if let running = registry, running.isRunning { return running }
            let started = try TestRegistry.start(kind)
            registry = started
            return started
        }
    }
}
