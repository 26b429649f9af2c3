#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif

/// Writes to the process's standard streams through their file descriptors (the C `stderr` global is not
/// concurrency-safe in Swift 6). Results go to stdout, diagnostics to stderr.
enum Output {
    static func standardOutput(_ data: Data) {
        write(data, to: 1)
    }

    static func standardOutput(_ text: String) {
        write(Data(text.utf8), to: 1)
    }

    static func standardError(_ text: String) {
        write(Data(text.utf8), to: 2)
    }

    private static func write(_ data: Data, to descriptor: Int32) {
        data.withUnsafeBytes { bytes in
            guard var pointer = bytes.baseAddress else { return }
            var remaining = bytes.count
            while remaining > 0 {
                let written = Glibc.write(descriptor, pointer, remaining)
                if written < 0 {
                    if errno == EINTR { continue }
                    return  // a closed pipe: nothing more can be said
                }
                pointer += written
                remaining -= written
            }
        }
    }
}

/// Small file-system questions the CLI asks before doing work.
enum FileSystem {
    static func isReadable(_ path: String) -> Bool {
        access(path, R_OK) == 0
    }

    /// Reads all of standard input.
    static func readStandardInput() -> Data {
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = read(0, &buffer, buffer.count)
            if count < 0, errno == EINTR { continue }
            if count <= 0 { break }
            data.append(contentsOf: buffer[0..<count])
        }
        return data
    }
}
