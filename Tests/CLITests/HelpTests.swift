import Foundation
import Testing
import TestSupport

/// `--help`, `--version` and command-line mistakes (README "Commands", "Global options", "Exit codes").
@Suite("Help, version and usage errors")
struct HelpTests {
    static let globalOptions = ["--insecure-registry", "--ca-file", "--auth-file", "--stats", "--debug", "--help", "-h", "--version"]
    static let commands = ["digest", "manifest get", "tags", "referrers", "blob get", "copy", "login", "verify", "verify-blob"]

    @Test("--help and -h list every command and the global options", arguments: ["--help", "-h"])
    func overview(flag: String) async throws {
        let result = try await ocitool(flag)
        #expect(result.status == 0, "\(result)")
        #expect(result.stderr.isEmpty)
        for name in Self.commands + Self.globalOptions {
            #expect(result.output.contains(name), "\(name) is listed: \(result.output)")
        }
    }

    @Test("COMMAND --help exits 0 with its usage and its options", arguments: [
        ("digest", "digest REF", [String]()),
        ("manifest get", "manifest get REF [--platform OS/ARCH[/VARIANT]]", ["--platform"]),
        ("tags", "tags REPO", []),
        ("referrers", "referrers REF|oci:DIR[:NAME|@DIGEST] [--artifact-type TYPE]", ["--artifact-type"]),
        ("blob get", "blob get REPO@DIGEST -o FILE", ["-o", "--output"]),
        ("copy", "copy SRC DST [--jobs N]", ["--jobs"]),
        ("login", "login HOST -u USER --password-stdin", ["-u", "--username", "--password-stdin"]),
        ("verify-blob", "verify-blob FILE|sha256:HEX|sha512:HEX --bundle BUNDLE.json", ["--bundle", "--key", "--certificate-identity",
         "--certificate-identity-regexp", "--certificate-oidc-issuer", "--certificate-oidc-issuer-regexp", "--trusted-root", "--ca-roots",
         "--ca-intermediates", "--insecure-ignore-sct", "--certificate-github-workflow-repository", "--certificate-github-workflow-ref",
         "--certificate-github-workflow-sha", "--certificate-github-workflow-trigger", "--certificate-github-workflow-name", "--output"]),
        ("verify", "verify IMAGE|oci:DIR[:NAME|@DIGEST]... (--key PUB.pem | --certificate-identity ID", ["--certificate-identity",
         "--certificate-identity-regexp", "--certificate-oidc-issuer", "--certificate-oidc-issuer-regexp", "--ca-roots", "--ca-intermediates",
         "--insecure-ignore-sct", "--certificate-github-workflow-repository", "--trusted-root", "--key"]),
    ])
    func commandHelp(command: String, usage: String, options: [String]) async throws {
        for help in ["--help", "-h"] {
            let result = try await ocitool(command.split(separator: " ").map(String.init) + [help])
            #expect(result.status == 0, "\(result)")
            #expect(result.stderr.isEmpty)
            #expect(result.output.contains("Usage: ocitool \(usage)"), "\(result.output)")
            for option in options + Self.globalOptions {
                #expect(result.output.contains(option), "\(option) is listed: \(result.output)")
            }
        }
    }

    @Test("--help after a command's arguments prints help instead of running")
    func helpAfterArguments() async throws {
        let result = try await ocitool("--debug", "digest", "127.0.0.1:1/never/contacted:v1", "--help")
        #expect(result.status == 0, "\(result)")
        #expect(result.output.contains("Usage: ocitool digest REF"))
        #expect(!result.stderr.contains("debug:"), "\(result)")
    }

    @Test("--version prints `ocitool <version>`")
    func version() async throws {
        let result = try await ocitool("--version")
        #expect(result.status == 0, "\(result)")
        #expect(result.output.wholeMatch(of: #/ocitool \d+\.\d+\.\d+\S*\n/#) != nil, "\(result)")
        #expect(result.stderr.isEmpty)
    }

    @Test("mistakes on the command line are exit 2, one error line naming the mistake, and a hint to --help", arguments: [
        (["frob"], "frob", "ocitool --help"),
        (["manifest", "put", "x"], "manifest put", "ocitool --help"),
        (["digest", "--frob", "127.0.0.1:5000/r:v1"], "--frob", "--help"),
        (["--frob", "digest", "127.0.0.1:5000/r:v1"], "--frob", "--help"),
        (["tags", "127.0.0.1:5000/r", "--platform", "linux/amd64"], "--platform", "ocitool tags --help"),
        (["digest", "127.0.0.1:5000/r:v1", "--jobs", "2"], "--jobs", "ocitool digest --help"),
        (["blob", "get", "127.0.0.1:5000/r@sha256:" + String(repeating: "a", count: 64), "-o", "f", "--artifact-type", "x"],
         "--artifact-type", "ocitool blob get --help"),
        (["manifest", "get", "127.0.0.1:5000/r:v1", "--platform"], "--platform", "--help"),
        (["digest"], "REF", "ocitool digest --help"),
        (["digest", "127.0.0.1:5000/r:v1", "extra"], "extra", "ocitool digest --help"),
        (["copy", "127.0.0.1:5000/r:v1"], "DST", "ocitool copy --help"),
        (["--stats=yes", "digest", "127.0.0.1:5000/r:v1"], "--stats", "--help"),
    ])
    func usageErrors(arguments: [String], mentioning: String, hint: String) async throws {
        let result = try await ocitool(["--debug"] + arguments)
        expectFailure(result, status: 2, mentioning: [mentioning])
        #expect(result.errorLines.count == 2 && result.errorLines[1].contains(hint), "\(result)")
        #expect(!result.stderr.contains("debug:"), "\(result)")
    }

    @Test("no command at all is a usage error (exit 2) and shows the command list")
    func noCommand() async throws {
        let result = try await ocitool([])
        #expect(result.status == 2, "\(result)")
        for name in Self.commands {
            #expect(result.output.contains(name) || result.stderr.contains(name), "\(result)")
        }
    }
}
