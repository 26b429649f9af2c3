#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Mirror
import OCI

/// `ocitool mirror SRC... DST [options]`
struct MirrorCommand: Command {
    static let name = "mirror"
    static let abstract = "Copy images with their signatures, attestations and (opt-in) SBOMs between registries and OCI layouts"
    static let usage = "mirror (SRC... | --config FILE) DST [--jobs N] [--no-signatures] [--include-artifact-type T]... "
        + "[--all-referrers] [--all-tags] [--dry-run] [--fail-fast] [--require-signatures] [-o text|json] [--quiet]"
    static let discussion = """
    SRC is a registry reference (host/repo:tag, host/repo@digest, or host/repo with --all-tags) or a layout
    (oci:DIR for every image it names, oci:DIR:NAME, oci:DIR@DIGEST). DST is:
      oci:DIR         a layout (created if missing); images are named <source repository>:<tag>, cosign
                      signatures <source repository>:sha256-<hex>.sig
      HOST[/PATH]/    a prefix (trailing /): each image lands at HOST/PATH/<source repository path>; a registry
                      DST is also a prefix when there are several sources or a layout source
      HOST/REPO       for one registry source: the repository its image (or every tag) lands in
    Digests are preserved. With each image travel, for the index and every platform manifest (and recursively
    for what is attached): cosign .sig/.att tags and referrers that are signatures or attestations.
    With --config FILE (YAML: images, platforms, signatures, includeArtifactTypes, trust) the images come from
    the file and only DST is given; options given on the command line replace the file's.
    --platform keeps the original index: allowed only to oci:DIR (the layout is then partial); with
    --rewrite-index a new index lists only the chosen platforms (a new digest, to which the original
    index's signatures do not apply; the platform manifests' signatures still travel).
    On a terminal (stderr) a live progress line replaces the per-image lines (not with --quiet).
    Trust files (--trust-dir, or trust: in the config) go to DIR/trust/ of an oci:DIR destination; for a
    registry they are listed on stderr for the operator to carry.
    Exit status 3 when any image failed (the others are still copied, unless --fail-fast).
    """
    static let options = [
        OptionSpec("--config", value: "FILE", help: "Image set (YAML): images, platforms, signatures, includeArtifactTypes, trust"),
        OptionSpec("--platform", value: "OS/ARCH[/VARIANT]", repeatable: true, help: "Only these platforms of an index"),
        OptionSpec("--rewrite-index", help: "With --platform: copy a new index of only those platforms (new digest)"),
        OptionSpec("--trust-dir", value: "DIR", help: "Carry the files in DIR (public keys, Rekor key, trusted_root.json) for offline verification"),
        OptionSpec("--jobs", "-j", value: "N", help: "Images, manifests and blobs transferred at once (default 8)"),
        OptionSpec("--no-signatures", help: "Do not copy signatures and attestations"),
        OptionSpec("--include-artifact-type", value: "TYPE", repeatable: true, help: "Also copy referrers of this artifact type (SBOMs: text/spdx, …)"),
        OptionSpec("--all-referrers", help: "Copy every referrer and cosign attachment"),
        OptionSpec("--all-tags", help: "Every tag of a repository SRC given without a tag"),
        OptionSpec("--dry-run", help: "Print the plan, write nothing"),
        OptionSpec("--fail-fast", help: "Stop at the first image that fails"),
        OptionSpec("--require-signatures", help: "Do not copy an image without a signature; it counts as failed"),
        OptionSpec("--output", "-o", value: "text|json", help: "Summary format: text on stderr (default) or JSON on stdout"),
        OptionSpec("--quiet", "-q", help: "No per-image lines"),
    ]

    let sources: [MirrorSource]
    let destination: String
    let options: MirrorOptions
    let json: Bool
    let quiet: Bool

    init(_ arguments: ParsedArguments) throws {
        let given = arguments.positionals
        let config = try arguments.value("--config").map { path throws(UsageError) in
            do { return try MirrorConfig.load(path: path) } catch { throw UsageError("--config \(error)", command: Self.name) }
        }
        if config != nil {
            guard given.count == 1 else {
                throw UsageError(given.isEmpty ? "missing DST" : "with --config the images come from the file: give only DST", command: Self.name)
            }
        } else {
            guard given.count >= 2 else { throw UsageError("missing \(given.isEmpty ? "SRC... DST" : "DST")", command: Self.name) }
        }
        let allTags = arguments.flag("--all-tags")
        sources = config?.sources.map { MirrorSource($0.raw, allTags: $0.allTags || allTags) } ?? given.dropLast().map { MirrorSource($0, allTags: allTags) }
        destination = given[given.count - 1]
        do {
            let specs = try sources.map { source throws(MirrorError) in try MirrorSourceSpec(parsing: source.raw) }
            _ = try MirrorDestinationSpec(parsing: destination, sources: specs)
        } catch {
            throw UsageError(error.description, command: Self.name)
        }
        let output = arguments.value("--output") ?? "text"
        let signatures = !arguments.flag("--no-signatures") && (config?.signatures ?? true)
        if arguments.flag("--require-signatures"), !signatures {
            throw UsageError("--require-signatures needs signatures: drop --no-signatures (or signatures: false in the config)", command: Self.name)
        }
        guard output == "text" || output == "json" else { throw UsageError("-o takes text or json, got \"\(output)\"", command: Self.name) }
        json = output == "json"
        quiet = arguments.flag("--quiet")
        let types = arguments.all("--include-artifact-type")
        let selection = ReferrerSelection(signatures: signatures,
                                          artifactTypes: Set(types.isEmpty ? config?.includeArtifactTypes ?? [] : types),
                                          all: arguments.flag("--all-referrers"))
        var platforms = config?.platforms ?? []
        let requested = arguments.all("--platform")
        if !requested.isEmpty {
            platforms = try requested.map { raw throws(UsageError) in
                do { return try Platform(parsing: raw) } catch { throw UsageError("--platform takes OS/ARCH[/VARIANT], got \"\(raw)\"", command: Self.name) }
            }
        }
        if arguments.flag("--rewrite-index"), platforms.isEmpty {
            throw UsageError("--rewrite-index needs --platform (or platforms: in the config)", command: Self.name)
        }
        let trust: MirrorTrust?
        do {
            if let directory = arguments.value("--trust-dir") {
                trust = try MirrorTrust.load(directory: directory)
            } else if let files = config?.trustFiles, !files.isEmpty {
                trust = try MirrorTrust.load(paths: files)
            } else {
                trust = nil
            }
        } catch {
            throw UsageError(error.description, command: Self.name)
        }
        options = MirrorOptions(jobs: try arguments.integer("--jobs", default: 8, range: 1...64, command: Self.name),
                                platforms: platforms, rewriteIndex: arguments.flag("--rewrite-index"),
                                referrers: selection, allTags: allTags,
                                dryRun: arguments.flag("--dry-run"), failFast: arguments.flag("--fail-fast"),
                                requireSignatures: arguments.flag("--require-signatures"), trust: trust)
    }

    func run(_ context: CommandContext) async throws -> ExitStatus {
        // On a terminal a live bar replaces the per-image lines; elsewhere (logs, pipes) one line per image.
        let meter = !quiet && isatty(2) != 0 ? MirrorProgressMeter { Output.standardError($0) } : nil
        let lines = !quiet && meter == nil
        let mirror = Mirror(client: try context.makeClient(), options: options, log: { line in
            if lines { Output.standardError(line + "\n") }
        }, progress: { event in meter?.record(event) })
        let report: MirrorReport
        do {
            defer { meter?.finish() }
            report = try await mirror.run(sources: sources, destination: destination)
        } catch {
            switch error {
            case .invalidSource, .invalidDestination, .invalidTrust: throw UsageError(error.description, command: Self.name)
            default: throw error
            }
        }
        for image in report.failed {
            Output.standardError("ocitool: error: mirroring \(image.source) failed: \(image.error ?? "unknown error")\n")
        }
        if json {
            Output.standardOutput(try JSONEncoder.stable.encode(report) + Data("\n".utf8))
        }
        Output.standardError((report.dryRun ? "dry run, nothing written: " : "") + report.summary.text)
        if let files = report.trustFiles { Output.standardError(Self.trustText(files, destination: report.destination, dryRun: report.dryRun)) }
        return report.failed.isEmpty ? .success : .failure
    }

    /// Where the trust files went, or, for a registry (which does not hold them), what the operator must carry.
    static func trustText(_ files: [String], destination: String, dryRun: Bool) -> String {
        let list = files.map { "  \($0)\n" }.joined()
        if destination.hasPrefix("oci:") {
            return (dryRun ? "trust files would be written:\n" : "trust files written for offline verification:\n") + list
        }
        return "trust files are not stored in a registry: carry these to the machines that verify images from "
            + "\(destination) and give them to ocitool verify (--key ...):\n" + list
    }
}
