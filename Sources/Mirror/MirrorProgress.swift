import Synchronization

/// What a running mirror reports as it goes, for a live progress display.
public enum MirrorEvent: Sendable, Equatable {
    /// The sources are listed: this many images to mirror.
    case started(images: Int)
    /// An image is planned: its blobs weigh this much.
    case planned(bytes: Int64)
    /// A blob is done (copied, or found already there).
    case blob(bytes: Int64)
    /// An image is done (copied or failed).
    case finished
}

/// A moment of a mirror, and its one-line rendering.
public struct MirrorProgress: Sendable, Equatable {
    public var imagesDone = 0
    public var imagesTotal = 0
    public var imagesPlanned = 0
    public var bytesDone: Int64 = 0
    public var bytesPlanned: Int64 = 0
    /// Seconds since the start.
    public var elapsed: Double = 0

    public init() {}

    public mutating func apply(_ event: MirrorEvent) {
        switch event {
        case .started(let images): imagesTotal = images
        case .planned(let bytes): imagesPlanned += 1; bytesPlanned += bytes
        case .blob(let bytes): bytesDone += bytes
        case .finished: imagesDone += 1
        }
    }

    /// Bytes per second so far; nil before anything moved.
    public var rate: Double? {
        elapsed > 0 && bytesDone > 0 ? Double(bytesDone) / elapsed : nil
    }

    /// Seconds left: from the bytes once every image is planned, else from the images done; nil when unknown.
    public var remaining: Double? {
        if imagesTotal > 0, imagesPlanned >= imagesTotal, let rate { return max(0, Double(bytesPlanned - bytesDone) / rate) }
        guard imagesDone > 0, elapsed > 0 else { return nil }
        return elapsed / Double(imagesDone) * Double(max(0, imagesTotal - imagesDone))
    }

    /// `[######------] 3/10 images  12.3 MB/40.0 MB  4.1 MB/s  ETA 0:07`, cut to `width` characters.
    public func line(width: Int = 80) -> String {
        let fraction = imagesTotal > 0 ? Double(imagesDone) / Double(imagesTotal) : 0
        let filled = Int((fraction * 12).rounded(.down))
        let bar = "[" + String(repeating: "#", count: filled) + String(repeating: "-", count: 12 - filled) + "]"
        let bytes = imagesPlanned >= imagesTotal && imagesTotal > 0
            ? "\(Self.bytes(bytesDone))/\(Self.bytes(bytesPlanned))" : Self.bytes(bytesDone)
        let parts = [bar, "\(imagesDone)/\(imagesTotal) images", bytes, "\(rate.map { Self.bytes(Int64($0)) } ?? "-")/s",
                     "ETA \(remaining.map(Self.duration) ?? "--")"]
        let text = parts.joined(separator: "  ")
        return text.count > width ? String(text.prefix(max(0, width))) : text
    }

    /// Decimal units: `512 B`, `12.3 kB`, `4.0 MB`, `1.2 GB`.
    public static func bytes(_ count: Int64) -> String {
        if count < 1000 { return "\(count) B" }
        var value = Double(count)
        for unit in ["kB", "MB", "GB", "TB"] {
            value /= 1000
            if value < 999.95 || unit == "TB" {
                let tenths = Int((value * 10).rounded())
                return "\(tenths / 10).\(tenths % 10) \(unit)"
            }
        }
        return "\(count) B"
    }

    /// `0:07`, `12:34`, `1:02:03`.
    public static func duration(_ seconds: Double) -> String {
        let total = Int(seconds.rounded(.up))
        let (hours, minutes, secs) = (total / 3600, total / 60 % 60, total % 60)
        let two = { (value: Int) in value < 10 ? "0\(value)" : "\(value)" }
        return hours > 0 ? "\(hours):\(two(minutes)):\(two(secs))" : "\(minutes):\(two(secs))"
    }
}

/// Keeps a `MirrorProgress` from events and redraws it in place (`\r`, erase line) at most `interval` apart;
/// `finish()` erases it, before the summary is written.
public final class MirrorProgressMeter: Sendable {
    private struct State {
        var progress = MirrorProgress()
        var lastDraw: ContinuousClock.Instant?
        var drawn = false
    }

    private let state = Mutex(State())
    private let start = ContinuousClock.now
    private let interval: Duration
    private let width: Int
    private let write: @Sendable (String) -> Void

    public init(interval: Duration = .milliseconds(100), width: Int = 100, write: @escaping @Sendable (String) -> Void) {
        self.interval = interval
        self.width = width
        self.write = write
    }

    public func record(_ event: MirrorEvent) {
        let now = ContinuousClock.now
        let text = state.withLock { state -> String? in
            state.progress.apply(event)
            if let last = state.lastDraw, now - last < interval { return nil }
            state.lastDraw = now
            state.progress.elapsed = Self.seconds(now - start)
            state.drawn = true
            return "\r\u{1B}[K" + state.progress.line(width: width)
        }
        if let text { write(text) }
    }

    /// Erases the line, if anything was drawn.
    public func finish() {
        if state.withLock({ $0.drawn }) { write("\r\u{1B}[K") }
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
