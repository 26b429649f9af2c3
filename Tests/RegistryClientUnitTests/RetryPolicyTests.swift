@testable import RegistryClient
import Testing

/// How long ocitool waits before retrying a throttled or failed request, and which failures it retries.
@Suite struct RetryPolicyTests {
    @Test(arguments: [
        ("0", Duration.zero),
        ("3", .seconds(3)),
        (" 7 ", .seconds(7)),
        ("30", .seconds(30)),
        // A hostile registry cannot park the tool: capped at maxRetryAfter.
        ("31", .seconds(30)),
        ("86400", .seconds(30)),
        ("9223372036854775807", .seconds(30)),
    ])
    func retryAfterSecondsAreHonouredUpToTheCap(_ header: String, _ expected: Duration) {
        let policy = RetryPolicy()
        for attempt in 1...5 {
            #expect(policy.delay(afterAttempt: attempt, retryAfter: header) == expected)
        }
    }

    @Test func retryAfterCapIsConfigurable() {
        let policy = RetryPolicy(maxRetryAfter: .seconds(2))
        #expect(policy.delay(afterAttempt: 1, retryAfter: "10") == .seconds(2))
        #expect(policy.delay(afterAttempt: 1, retryAfter: "1") == .seconds(1))
    }

    /// Base delay 200 ms doubling per attempt, capped at 5 s, then jittered into [base/2, base].
    @Test(arguments: [
        (1, Duration.milliseconds(200)),
        (2, .milliseconds(400)),
        (3, .milliseconds(800)),
        (4, .milliseconds(1600)),
        (5, .milliseconds(3200)),
        (6, .seconds(5)),
        (10, .seconds(5)),
        (64, .seconds(5)),
        (1_000, .seconds(5)),
    ])
    func backoffGrowsExponentiallyWithJitterUpToTheCap(_ attempt: Int, _ base: Duration) {
        let policy = RetryPolicy()
        var seen = Set<Duration>()
        for _ in 0..<200 {
            let delay = policy.delay(afterAttempt: attempt, retryAfter: nil)
            #expect(delay >= base / 2 && delay <= base, "attempt \(attempt): \(delay) outside [\(base / 2), \(base)]")
            seen.insert(delay)
        }
        #expect(seen.count > 1, "delays are jittered so clients do not retry in lockstep")
    }

    @Test(arguments: ["", "soon", "-5", "1.5", "Wed, 21 Oct 2015 07:28:00 GMT"])
    func unusableRetryAfterFallsBackToBackoff(_ header: String) {
        let policy = RetryPolicy(baseDelay: .milliseconds(100), maxDelay: .seconds(1))
        for _ in 0..<50 {
            let delay = policy.delay(afterAttempt: 2, retryAfter: header)
            #expect(delay >= .milliseconds(100) && delay <= .milliseconds(200))
        }
    }

    @Test func customBaseAndCap() {
        let policy = RetryPolicy(baseDelay: .seconds(1), maxDelay: .seconds(3))
        for _ in 0..<50 {
            let delay = policy.delay(afterAttempt: 3, retryAfter: nil)
            #expect(delay >= .milliseconds(1500) && delay <= .seconds(3))
        }
    }

    @Test(arguments: [
        (429, true), (502, true), (503, true), (504, true),
        (200, false), (201, false), (202, false), (301, false), (400, false), (401, false), (403, false), (404, false),
        (409, false), (500, false), (501, false), (505, false),
    ])
    func retriesThrottlingAndGatewayFailuresOnly(_ status: Int, _ retryable: Bool) {
        #expect(RetryPolicy.isRetryable(status: status) == retryable)
    }

    @Test func noneMeansASingleAttempt() {
        #expect(RetryPolicy.none.maxAttempts == 1)
        #expect(RetryPolicy().maxAttempts == 4)
    }
}
