#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// Where verification gets "now" from (an integrated time must not be in the future), so tests can fix it.
public protocol WallClock: Sendable {
    var now: Date { get }
}

/// The system's clock.
public struct SystemWallClock: WallClock {
    public init() {}
    public var now: Date { Date() }
}

/// A clock stopped at `now`.
public struct FixedWallClock: WallClock {
    public let now: Date
    public init(_ now: Date) { self.now = now }
}
