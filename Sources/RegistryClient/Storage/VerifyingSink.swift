#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Crypto
import HTTPTransport
import OCI
import Synchronization

/// Receives a blob while hashing it, into memory or a file, and refuses to call it done unless the bytes
/// match the expected digest (and size, when known). The transport drives it from its I/O thread.
final class VerifyingSink: HTTPResponseSink {
    enum Destination {
        case memory(limit: Int)
        case file(AtomicFile)
    }

    private struct State {
        var hasher: Hasher
        var buffer = Data()
        var count: Int64 = 0
    }

    let expected: Digest
    let expectedSize: Int64?
    let what: String
    private let destination: Destination
    private let state: Mutex<State>

    init(expected: Digest, size: Int64?, what: String, destination: Destination) {
        self.expected = expected
        self.expectedSize = size
        self.what = what
        self.destination = destination
        self.state = Mutex(State(hasher: Hasher(expected.algorithm)))
    }

    func write(_ chunk: UnsafeRawBufferPointer) throws {
        try state.withLock { state throws(RegistryError) in
            state.count += Int64(chunk.count)
            if let expectedSize, state.count > expectedSize {
                throw .invalidContent(what: what, problem: .sizeMismatch(expected: expectedSize, actual: state.count))
            }
            state.hasher.update(chunk)
            switch destination {
            case .memory(let limit):
                guard state.count <= Int64(limit) else {
                    throw .invalidContent(what: what, problem: .contentTooLarge(limit: limit))
                }
                state.buffer.append(chunk.assumingMemoryBound(to: UInt8.self))
            case .file(let file):
                try file.write(chunk)
            }
        }
    }

    func reset() throws {
        try state.withLock { state throws(RegistryError) in
            state.hasher.reset()
            state.count = 0
            state.buffer = Data()
            if case .file(let file) = destination { try file.truncate() }
        }
    }

    /// Checks digest and size; returns the bytes for a memory destination (empty for a file).
    func finish() throws(RegistryError) -> Data {
        try state.withLock { state throws(RegistryError) in
            let actual = Digest(finishing: state.hasher)
            guard actual == expected else { throw .invalidContent(what: what, problem: .digestMismatch(expected: expected, actual: actual)) }
            if let expectedSize, state.count != expectedSize {
                throw .invalidContent(what: what, problem: .sizeMismatch(expected: expectedSize, actual: state.count))
            }
            return state.buffer
        }
    }
}
