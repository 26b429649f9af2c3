import Foundation

extension ChildProcess {
    /// Reads standard output up to the first newline and returns the line without it, or, when the output
    /// ends first, whatever came before its end. Returns nil when no newline came within `timeout` seconds.
    /// Reads one byte at a time, so nothing after the line is consumed.
    public func readLine(timeout: Double) throws -> String? {
        let deadline = Date().addingTimeInterval(timeout)
        var line = Data()
        var byte: UInt8 = 0
        while true {
            guard try waitReadable(output, until: deadline) else { return nil }
            let count = read(output, &byte, 1)
            if count < 0 && (errno == EINTR || errno == EAGAIN) { continue }
            guard count == 1, byte != UInt8(ascii: "\n") else { break }
            line.append(byte)
        }
        return String(decoding: line, as: UTF8.self)
    }

    /// Writes `input` to standard input and closes it, reads standard output and (when captured) error to
    /// their ends, and waits for the exit status, all within `timeout` seconds. Writing and reading go on
    /// together, so neither a large input nor a large output can dead-lock the child. Past the timeout the
    /// child is killed and reaped, and `TestSupportError.processTimedOut` is thrown.
    public func finish(input: Data = Data(), timeout: Double) throws -> (status: Int32, stdout: Data, stderr: Data) {
        let deadline = Date().addingTimeInterval(timeout)
        var writer = takeInput()
        defer { if writer >= 0 { close(writer) } }
        if writer >= 0 && input.isEmpty {
            close(writer)
            writer = -1
        } else if writer >= 0 {
            // Only our end: the child's end of the pipe is another open file description, still blocking.
            _ = fcntl(writer, F_SETFL, fcntl(writer, F_GETFL) | O_NONBLOCK)
        }
        var written = 0
        var collected: [Int32: Data] = [output: Data(), errors: Data()]
        var reading = [output, errors].filter { $0 >= 0 }
        var buffer = [UInt8](repeating: 0, count: 65_536)

        while writer >= 0 || !reading.isEmpty {
            var polled = reading.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
            if writer >= 0 { polled.append(pollfd(fd: writer, events: Int16(POLLOUT), revents: 0)) }
            let remaining = deadline.timeIntervalSinceNow
            guard remaining > 0 else { throw timedOut(timeout) }
            let ready = poll(&polled, nfds_t(polled.count), Int32(min(remaining, 1) * 1000) + 1)
            if ready < 0 && errno != EINTR {
                throw TestSupportError.launchFailed(program: name, reason: "poll: \(errnoDescription())")
            }
            guard ready > 0 else { continue }
            for entry in polled.prefix(reading.count) where entry.revents != 0 {
                let count = read(entry.fd, &buffer, buffer.count)
                if count > 0 {
                    collected[entry.fd]!.append(contentsOf: buffer[..<count])
                } else if count == 0 || (errno != EINTR && errno != EAGAIN) {
                    reading.removeAll { $0 == entry.fd }
                }
            }
            if writer >= 0, polled.last!.revents != 0 {
                let count = input.withUnsafeBytes { bytes in
                    write(writer, bytes.baseAddress! + written, min(bytes.count - written, 65_536))
                }
                if count > 0 { written += count }
                let failed = count < 0 && errno != EINTR && errno != EAGAIN  // EPIPE: it did not want the rest
                if written == input.count || failed {
                    close(writer)
                    writer = -1
                }
            }
        }
        guard let status = waitForExit(timeout: max(0, deadline.timeIntervalSinceNow)) else { throw timedOut(timeout) }
        return (status, collected[output]!, collected[errors] ?? Data())
    }

    /// Kills and reaps the child, and describes why.
    private func timedOut(_ timeout: Double) -> TestSupportError {
        killAndWait()
        return .processTimedOut(path: name, seconds: timeout)
    }

    /// Whether `descriptor` became readable (or hung up) before `deadline`.
    private func waitReadable(_ descriptor: Int32, until deadline: Date) throws -> Bool {
        var polled = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        while true {
            let remaining = deadline.timeIntervalSinceNow
            guard remaining > 0 else { return false }
            let ready = poll(&polled, 1, Int32(min(remaining, 1) * 1000) + 1)
            if ready > 0 { return true }
            if ready < 0 && errno != EINTR {
                throw TestSupportError.launchFailed(program: name, reason: "poll: \(errnoDescription())")
            }
        }
    }
}
