import OCIToolCLI
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif

// A reader that closes the pipe early (`ocitool tags … | head`) must not kill the process mid-write.
signal(SIGPIPE, SIG_IGN)
exit(await OCITool.main(Array(CommandLine.arguments.dropFirst()), environment: ProcessInfo.processInfo.environment))
