import Foundation
import Mirror
import OCI
import Synchronization
import Testing
import TestSupport

/// The live progress line: its formatting, its throttling, and the events a mirror sends.
@Suite("Mirror progress")
struct MirrorProgressTests {
    @Test("units and durations")
    func units() {
        #expect(MirrorProgress.bytes(0) == "0 B" && MirrorProgress.bytes(999) == "999 B")
        #expect(MirrorProgress.bytes(1000) == "1.0 kB" && MirrorProgress.bytes(12_345) == "12.3 kB")
        #expect(MirrorProgress.bytes(4_000_000) == "4.0 MB" && MirrorProgress.bytes(999_999) == "1.0 MB")
        #expect(MirrorProgress.bytes(1_234_000_000) == "1.2 GB")
        #expect(MirrorProgress.duration(6.2) == "0:07" && MirrorProgress.duration(754) == "12:34" && MirrorProgress.duration(3723) == "1:02:03")
    }

    @Test("images, bytes, rate and ETA from the bytes once every image is planned")
    func line() {
        var progress = MirrorProgress()
        progress.apply(.started(images: 10))
        #expect(progress.line() == "[------------]  0/10 images  0 B  -/s  ETA --")
        for _ in 0..<10 { progress.apply(.planned(bytes: 4_000_000)) }
        for _ in 0..<3 { progress.apply(.finished) }
        progress.apply(.blob(bytes: 12_000_000))
        progress.elapsed = 3
        #expect(progress.rate == 4_000_000)
        #expect(progress.remaining == 7)
        #expect(progress.line() == "[###---------]  3/10 images  12.0 MB/40.0 MB  4.0 MB/s  ETA 0:07")
        #expect(progress.line(width: 20) == "[###---------]  3/10")
    }

    @Test("before every image is planned: bytes so far, ETA from the images done")
    func partlyPlanned() {
        var progress = MirrorProgress()
        progress.apply(.started(images: 4))
        progress.apply(.planned(bytes: 2000))
        progress.apply(.blob(bytes: 2000))
        progress.apply(.finished)
        progress.elapsed = 2
        #expect(progress.remaining == 6)
        #expect(progress.line() == "[###---------]  1/4 images  2.0 kB  1.0 kB/s  ETA 0:06")
    }

    @Test("the meter redraws in place at most once per interval and erases the line when done")
    func meter() {
        let written = Mutex<[String]>([])
        let meter = MirrorProgressMeter(interval: .seconds(3600)) { text in written.withLock { $0.append(text) } }
        meter.record(.started(images: 2))
        meter.record(.finished)
        meter.record(.finished)
        meter.finish()
        let lines = written.withLock { $0 }
        #expect(lines.count == 2, "\(lines)")
        #expect(lines.first?.hasPrefix("\r\u{1B}[K[------------]  0/2 images") == true, "\(lines)")
        #expect(lines.last == "\r\u{1B}[K")

        let silent = Mutex(0)
        MirrorProgressMeter { _ in silent.withLock { $0 += 1 } }.finish()
        #expect(silent.withLock { $0 } == 0, "nothing drawn, nothing erased")
    }

    @Test("a mirror reports the images, what each plans, every blob and each image done")
    func events() async throws {
        let registry = try await TestRegistry.sharedFake()
        let client = makeClient([registry])
        let repository = Repository(registry: registry.host, path: uniqueRepository("mirror/progress"))
        _ = try await SignedImage.seed(client, repository)
        let events = Mutex<[MirrorEvent]>([])
        let scratch = try TemporaryDirectory()
        let out = try await Mirror(client: client, progress: { event in events.withLock { $0.append(event) } })
            .run(sources: ["\(repository):1.0", "\(repository):missing"], destination: "oci:\(scratch.file("l"))")
        var progress = MirrorProgress()
        for event in events.withLock({ $0 }) { progress.apply(event) }
        #expect(events.withLock { $0.first } == .started(images: 2))
        #expect(progress.imagesDone == 2 && progress.imagesPlanned == 1 && progress.imagesTotal == 2)
        #expect(progress.bytesDone == progress.bytesPlanned && progress.bytesDone >= out.summary.bytes && out.summary.bytes > 0)
    }
}
