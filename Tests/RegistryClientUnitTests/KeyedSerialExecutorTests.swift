@testable import RegistryClient
import Testing

/// Read-modify-write of one referrers fallback index at a time, while different indexes update concurrently.
@Suite struct KeyedSerialExecutorTests {
    @Test(arguments: [2, 20])
    func operationsOnOneKeyNeverOverlap(_ count: Int) async throws {
        let executor = KeyedSerialExecutor()
        let active = Counter()
        let maximum = Locked(0)
        let log = Locked<[Int]>([])
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<count {
                group.addTask {
                    try await executor.run(key: "repo@sha256:1") {
                        let now = active.increment()
                        maximum.update { $0 = max($0, now) }
                        // Read, suspend, write: what an unserialised update would interleave.
                        let before = log.value
                        try await Task.sleep(for: .milliseconds(2))
                        log.update { $0 = before + [index] }
                        active.decrement()
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(maximum.value == 1)
        #expect(log.value.sorted() == Array(0..<count), "no update was lost")
    }

    @Test func differentKeysRunConcurrently() async throws {
        let executor = KeyedSerialExecutor()
        let started = Counter()
        // Each operation waits until both have started: only possible if they run at the same time.
        let outcomes = try await withThrowingTaskGroup(of: Bool.self) { group in
            for key in ["repo@sha256:1", "repo@sha256:2"] {
                group.addTask {
                    try await executor.run(key: key) {
                        started.increment()
                        return await eventually { started.value == 2 }
                    }
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(outcomes == [true, true])
    }

    @Test func sequentialOperationsRunInOrderAndReturnTheirValues() async throws {
        let executor = KeyedSerialExecutor()
        let log = Locked<[String]>([])
        for step in ["first", "second", "third"] {
            let value = try await executor.run(key: "k") { log.update { $0.append(step) }; return step.count }
            #expect(value == step.count)
        }
        #expect(log.value == ["first", "second", "third"])
    }

    @Test func aFailureReachesItsCallerAndDoesNotBlockTheKey() async throws {
        let executor = KeyedSerialExecutor()
        await #expect(throws: Failure.self) {
            try await executor.run(key: "k") { () async throws -> Int in throw Failure() }
        }
        #expect(try await executor.run(key: "k") { "next" } == "next")
    }

    @Test func waitingOperationsStartAfterTheRunningOneFinishes() async throws {
        let executor = KeyedSerialExecutor()
        let firstStarted = Counter()
        let release = Counter()
        let order = Locked<[String]>([])
        async let first: Void = executor.run(key: "k") {
            firstStarted.increment()
            _ = await eventually { release.value == 1 }
            order.update { $0.append("first") }
        }
        #expect(await eventually { firstStarted.value == 1 })
        async let second: Void = executor.run(key: "k") { order.update { $0.append("second") } }
        try await Task.sleep(for: .milliseconds(20))
        #expect(order.value.isEmpty, "the second operation waits for the first")
        release.increment()
        _ = try await (first, second)
        #expect(order.value == ["first", "second"])
    }
}
