import Foundation
import Synchronization

private let repositoryCounter = Atomic<Int>(0)

/// A repository name no other test of this run uses: `<prefix>-<n>-<random>`, with `prefix` reduced to
/// what OCI repository names allow (lower-case letters, digits, `-` inside components, `/` between them).
public func uniqueRepository(_ prefix: String) -> String {
    let components = prefix.lowercased().split(separator: "/").map { component in
        let mapped = String(component.map { $0.isASCII && ($0.isLetter || $0.isNumber) ? $0 : "-" })
        return mapped.split(separator: "-").joined(separator: "-")
    }.filter { !$0.isEmpty }
    let number = repositoryCounter.add(1, ordering: .relaxed).newValue
    let random = String(UInt32.random(in: 0 ... .max), radix: 36)
    let stem = components.isEmpty ? "repo" : components.joined(separator: "/")
    return "\(stem)-\(number)-\(random)"
}
