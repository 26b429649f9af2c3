import Foundation
import TestSupport

/// Bundles (gzip'd tars) written by Python's tarfile and gzip, not by the Archive module: valid ones the way
/// tar(1) writes them, and hostile ones no well-behaved tool writes.
enum BundleBuilder {
    static let script = #"""
        import gzip, io, json, os, sys, tarfile

        def policy(name):
            return ("apiVersion: kyverno.io/v1\nkind: ClusterPolicy\nmetadata:\n  name: %s\n" % name).encode()

        def add(archive, name, data=b"", kind=tarfile.REGTYPE, link="", mode=0o644):
            info = tarfile.TarInfo(name)
            info.type, info.linkname, info.mode = kind, link, mode
            info.mtime, info.uid, info.gid, info.uname, info.gname = 1700000000, 1000, 1000, "dev", "dev"
            info.size = len(data) if kind == tarfile.REGTYPE else 0
            if kind in (tarfile.CHRTYPE, tarfile.BLKTYPE):
                info.devmajor, info.devminor = 1, 3
            archive.addfile(info, io.BytesIO(data) if kind == tarfile.REGTYPE else None)

        def tar(build, fmt=tarfile.PAX_FORMAT):
            buffer = io.BytesIO()
            with tarfile.open(fileobj=buffer, mode="w", format=fmt) as archive:
                build(archive)
            return buffer.getvalue()

        def gz(data):
            return gzip.compress(data, compresslevel=9, mtime=0)

        def valid(files):
            def build(archive):
                directories = sorted({os.path.dirname(path) for path in files} - {""})
                parents = set()
                for directory in directories:
                    parts = directory.split("/")
                    parents.update("/".join(parts[:i]) for i in range(1, len(parts) + 1))
                add(archive, "./", kind=tarfile.DIRTYPE, mode=0o755)
                for directory in sorted(parents):
                    add(archive, "./" + directory + "/", kind=tarfile.DIRTYPE, mode=0o755)
                for path in sorted(files):
                    add(archive, "./" + path, files[path].encode())
            return gz(tar(build))

        ok = lambda a: add(a, "ok.yaml", policy("ok"))
        four_mib = b"\0" * (4 << 20)
        long_escape = "../" + "x" * 120 + ".yaml"
        cases = {
            "dotdot": lambda out: gz(tar(lambda a: (ok(a), add(a, "../escaped.yaml", policy("escaped"))))),
            "nested-dotdot": lambda out: gz(tar(lambda a: (ok(a), add(a, "policies/../../escaped.yaml", policy("escaped"))))),
            "absolute": lambda out: gz(tar(lambda a: (ok(a), add(a, out, policy("absolute"))))),
            "pax-dotdot": lambda out: gz(tar(lambda a: (ok(a), add(a, long_escape, policy("long"))))),
            "gnu-dotdot": lambda out: gz(tar(lambda a: (ok(a), add(a, long_escape, policy("long"))), tarfile.GNU_FORMAT)),
            "symlink": lambda out: gz(tar(lambda a: (ok(a), add(a, "link.yaml", kind=tarfile.SYMTYPE, link=out)))),
            "symlink-directory": lambda out: gz(tar(lambda a: (add(a, "dir", kind=tarfile.SYMTYPE, link=".."),
                                                               add(a, "dir/escaped.yaml", policy("escaped"))))),
            "hardlink": lambda out: gz(tar(lambda a: (ok(a), add(a, "hard.yaml", kind=tarfile.LNKTYPE, link=out)))),
            "chardev": lambda out: gz(tar(lambda a: (ok(a), add(a, "null.yaml", kind=tarfile.CHRTYPE)))),
            "blockdev": lambda out: gz(tar(lambda a: (ok(a), add(a, "sda.yaml", kind=tarfile.BLKTYPE)))),
            "fifo": lambda out: gz(tar(lambda a: (ok(a), add(a, "pipe.yaml", kind=tarfile.FIFOTYPE)))),
            "file-bomb": lambda out: gz(tar(lambda a: (ok(a), add(a, "bomb.yaml", b"\0" * (5 << 20))))),
            "total-bomb": lambda out: gz(tar(lambda a: [add(a, "f%02d.yaml" % i, four_mib) for i in range(17)])),
            "zeros-bomb": lambda out: gz(b"\0" * (80 << 20)),
            "many-files": lambda out: gz(tar(lambda a: [add(a, "p%04d.yaml" % i, policy("p%04d" % i)) for i in range(1001)])),
            "truncated": lambda out: (lambda whole: whole[: len(whole) // 2])(gz(tar(lambda a: [add(a, "p%d.yaml" % i, policy("p%d" % i) * 40) for i in range(20)]))),
            "trailing-garbage": lambda out: gz(tar(ok)) + b"garbage",
            "not-gzip": lambda out: tar(ok),
            "duplicate": lambda out: gz(tar(lambda a: (ok(a), add(a, "./ok.yaml", policy("again"))))),
        }

        if sys.argv[1] == "valid":
            data = valid(json.loads(sys.argv[3]))
        else:
            data = cases[sys.argv[1]](sys.argv[3])
        with open(sys.argv[2], "wb") as output:
            output.write(data)
        """#

    /// A bundle of `files` (path → text) as tar(1) writes it: "./" prefixes, directory entries, pax format,
    /// real times and owners.
    static func valid(_ files: [String: String]) async throws -> Data {
        let json = String(decoding: try JSONSerialization.data(withJSONObject: files, options: [.sortedKeys]), as: UTF8.self)
        return try await build("valid", json)
    }

    /// The hostile bundle `name`; `outside` is the path absolute entries and links point at.
    static func hostile(_ name: String, outside: String) async throws -> Data {
        try await build(name, outside)
    }

    private static func build(_ name: String, _ argument: String) async throws -> Data {
        let scratch = try TemporaryDirectory()
        let path = scratch.file("bundle.tgz")
        try await runPython(script, [name, path, argument])
        return try Data(contentsOf: URL(fileURLWithPath: path))
    }
}
