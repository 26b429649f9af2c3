internal import CCurl

/// libcurl must be initialised once per process before any other call; a global `let` runs its
/// initialiser exactly once, on first use, from whichever thread gets there first.
let curlGlobalInitialization: CURLcode = curl_global_init(Int(CURL_GLOBAL_DEFAULT))

/// Owns one libcurl easy handle and the C memory curl keeps pointers into (header list, error buffer),
/// freeing all of it in `deinit`.
///
/// Not thread-safe: one owner at a time (see `CurlExchange` for how ownership moves between threads).
final class CurlEasyHandle {
    /// The `CURL *`.
    let raw: UnsafeMutableRawPointer
    private var headerList: UnsafeMutablePointer<curl_slist>?
    /// curl writes a human-readable reason for a failure here (CURLOPT_ERRORBUFFER).
    private let errorBuffer: UnsafeMutablePointer<CChar>

    init() throws(TransportError) {
        _ = curlGlobalInitialization
        guard let raw = curl_easy_init() else {
            throw .curl(code: -1, message: "curl_easy_init failed (out of memory?)", url: "")
        }
        self.raw = raw
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE))
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE))
        try set(CURLOPT_ERRORBUFFER, pointer: UnsafeMutableRawPointer(errorBuffer))
    }

    deinit {
        curl_easy_cleanup(raw)
        curl_slist_free_all(headerList)
        errorBuffer.deallocate()
    }

    // MARK: Options

    func set(_ option: CURLoption, _ value: Int) throws(TransportError) {
        try check(ocitool_easy_setopt_long(raw, option, value), option)
    }

    func set(_ option: CURLoption, _ value: Bool) throws(TransportError) {
        try set(option, value ? 1 : 0)
    }

    func set(_ option: CURLoption, offset value: Int64) throws(TransportError) {
        try check(ocitool_easy_setopt_off(raw, option, curl_off_t(value)), option)
    }

    /// curl copies string arguments, so the Swift string need not outlive the call.
    func set(_ option: CURLoption, _ value: String) throws(TransportError) {
        try check(ocitool_easy_setopt_string(raw, option, value), option)
    }

    func set(_ option: CURLoption, pointer value: UnsafeMutableRawPointer?) throws(TransportError) {
        try check(ocitool_easy_setopt_pointer(raw, option, value), option)
    }

    /// Replaces the request header list (`Name: value` lines; curl keeps a pointer, so this object owns it).
    func setHeaderLines(_ lines: [String]) throws(TransportError) {
        var list: UnsafeMutablePointer<curl_slist>?
        for line in lines {
            guard let appended = curl_slist_append(list, line) else {
                curl_slist_free_all(list)
                throw .curl(code: -1, message: "curl_slist_append failed (out of memory?)", url: "")
            }
            list = appended
        }
        try check(ocitool_easy_setopt_slist(raw, CURLOPT_HTTPHEADER, list), CURLOPT_HTTPHEADER)
        curl_slist_free_all(headerList)
        headerList = list
    }

    /// Turns a failed `curl_easy_setopt` into an error naming the option.
    func check(_ code: CURLcode, _ option: CURLoption) throws(TransportError) {
        guard code != CURLE_OK else { return }
        throw .curl(code: Int(code.rawValue),
                    message: "setting option \(option.rawValue) failed: \(String(cString: curl_easy_strerror(code)))",
                    url: "")
    }

    // MARK: Information about the finished transfer

    func longInfo(_ info: CURLINFO) -> Int {
        var value = 0
        return ocitool_easy_getinfo_long(raw, info, &value) == CURLE_OK ? value : 0
    }

    func offsetInfo(_ info: CURLINFO) -> Int64 {
        var value: curl_off_t = 0
        return ocitool_easy_getinfo_off(raw, info, &value) == CURLE_OK ? Int64(value) : 0
    }

    /// curl's own explanation of `code`: the error buffer when curl filled it, else the generic text.
    func errorMessage(for code: CURLcode) -> String {
        let detail = String(cString: errorBuffer)
        return detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail
    }
}
