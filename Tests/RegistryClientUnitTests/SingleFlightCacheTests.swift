@testable import RegistryClient
import Testing

/// The fetch cache: repeated and concurrent requests for the same content cost one network call.
@Suite struct SingleFlightCacheTests {
    @Test(arguments: [2, 10, 100])
    func concurrentRequestsShareOneComputation(_ callers: Int) async throws {
        let computations = Counter()
        let hits = Counter()
        let cache = SingleFlightCache<String, String>(onHit: { hits.increment() })
        let values = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<callers {
                group.addTask {
                    try await cache.value(for: "manifest") {
                        computations.increment()
                        // Stay in flight until every other caller has joined this computation.
                        guard await eventually({ hits.value == callers - 1 }) else { throw Failure() }
                        return "content"
                    }
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(values == Array(repeating: "content", count: callers))
        #expect(computations.value == 1)
        #expect(hits.value == callers - 1)
        #expect(cache.cached("manifest") == "content")
    }

    @Test func laterRequestsGetTheStoredAnswer() async throws {
        let computations = Counter()
        let cache = SingleFlightCache<String, Int>()
        for _ in 0..<5 {
            let value = try await cache.value(for: "k") { computations.increment() }
            #expect(value == 1)
        }
        #expect(computations.value == 1)
    }

    @Test func differentKeysAreComputedSeparately() async throws {
        let computations = Counter()
        let cache = SingleFlightCache<String, String>()
        let values = try await withThrowingTaskGroup(of: (String, String).self) { group in
            for key in ["a", "b", "c", "a", "b", "c"] {
                group.addTask { (key, try await cache.value(for: key) { computations.increment(); return key.uppercased() }) }
            }
            return try await group.reduce(into: [:]) { $0[$1.0, default: []].append($1.1) }
        }
        #expect(values == ["a": ["A", "A"], "b": ["B", "B"], "c": ["C", "C"]])
        #expect(computations.value == 3)
    }

    @Test func aFailureIsSharedButNotStored() async throws {
        let computations = Counter()
        let hits = Counter()
        let cache = SingleFlightCache<String, String>(onHit: { hits.increment() })
        let results = await withTaskGroup(of: Result<String, Failure>.self) { group in
            for _ in 0..<4 {
                group.addTask {
                    do {
                        return .success(try await cache.value(for: "k") {
                            computations.increment()
                            _ = await eventually { hits.value == 3 }
                            throw Failure()
                        })
                    } catch {
                        return .failure(error as? Failure ?? Failure())
                    }
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(results == Array(repeating: .failure(Failure()), count: 4), "every waiter sees the failure")
        #expect(computations.value == 1)
        #expect(cache.cached("k") == nil)

        // The next request tries again, and its success is stored.
        let value = try await cache.value(for: "k") { computations.increment(); return "recovered" }
        #expect(value == "recovered")
        #expect(computations.value == 2)
        #expect(try await cache.value(for: "k") { Issue.record("recomputed"); return "" } == "recovered")
    }

    @Test func storedAnswersAreServedWithoutComputing() async throws {
        let cache = SingleFlightCache<String, String>()
        cache.store("by digest", for: "repo@sha256:1")
        #expect(cache.cached("repo@sha256:1") == "by digest")
        #expect(try await cache.value(for: "repo@sha256:1") { Issue.record("computed a stored key"); return "" } == "by digest")
    }

    @Test func forgetDropsStoredAnswersByPrefix() async throws {
        let cache = SingleFlightCache<String, String>()
        for key in ["repo@sha256:1", "repo@sha256:1?artifactType=x", "repo@sha256:2", "other@sha256:1"] { cache.store(key, for: key) }
        cache.forget(prefix: "repo@sha256:1")
        #expect(cache.cached("repo@sha256:1") == nil)
        #expect(cache.cached("repo@sha256:1?artifactType=x") == nil)
        #expect(cache.cached("repo@sha256:2") == "repo@sha256:2")
        #expect(cache.cached("other@sha256:1") == "other@sha256:1")
        let computations = Counter()
        #expect(try await cache.value(for: "repo@sha256:1") { computations.increment(); return "fresh" } == "fresh")
        #expect(computations.value == 1)
    }
}
