import OCIToolCLI
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif

exit(await OCITool.main(Array(CommandLine.arguments.dropFirst()), environment: ProcessInfo.processInfo.environment))
