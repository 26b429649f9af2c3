import Foundation
import TestSupport

extension TestRegistry {
    /// The requests of the fake's log whose path or query contains `text` that `work` caused (the log
    /// also holds what seeding sent before).
    func requests(matching text: String, during work: () async throws -> Void) async throws -> [RecordedRequest] {
        let before = try await requests(matching: text).count
        try await work()
        return Array(try await requests(matching: text).dropFirst(before))
    }
}
