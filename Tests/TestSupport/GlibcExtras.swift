import Foundation

/// glibc functions the Glibc module leaves out (it is imported without `_GNU_SOURCE`), looked up at run time.
enum GlibcExtras {
    typealias Pipe2 = @convention(c) (UnsafeMutablePointer<Int32>, Int32) -> Int32
    typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32

    /// `pipe2(2)`: a pipe whose ends are close-on-exec from the start, with no window in which a concurrent
    /// spawn could inherit them (glibc ≥ 2.9).
    static let pipe2: Pipe2 = unsafeBitCast(symbol("pipe2")!, to: Pipe2.self)
    /// `posix_spawn_file_actions_addclosefrom_np` (glibc ≥ 2.34).
    static let addCloseFrom: AddCloseFrom? = symbol("posix_spawn_file_actions_addclosefrom_np")
        .map { unsafeBitCast($0, to: AddCloseFrom.self) }

    private static func symbol(_ name: String) -> UnsafeMutableRawPointer? {
        dlsym(UnsafeMutableRawPointer(bitPattern: 0), name)  // RTLD_DEFAULT
    }
}

/// Writing to a child that already exited must be an error (EPIPE), not a signal that ends the test process.
let ignoreSIGPIPE: Void = {
    signal(SIGPIPE, SIG_IGN)
}()

/// `strerror(errno)`.
func errnoDescription() -> String {
    String(cString: strerror(errno))
}
