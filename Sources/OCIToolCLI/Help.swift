/// Help texts, built from the commands' own descriptions so they cannot drift apart.
enum Help {
    static func overview(_ commands: [any Command.Type]) -> String {
        var text = """
        ocitool \(OCITool.version): OCI registry client for verification and mirroring

        Usage: ocitool COMMAND [ARGUMENTS] [OPTIONS]

        Commands:

        """
        for command in commands {
            let padded = command.name + String(repeating: " ", count: max(2, 16 - command.name.count))
            text += "  \(padded)\(command.abstract)\n"
        }
        text += "\nGlobal options (accepted before or after the command):\n"
        text += GlobalOptions.specs.map(\.helpLine).joined(separator: "\n") + "\n"
        text += "\n" + exitCodes
        text += "\nRun `ocitool COMMAND --help` for a command's options.\n"
        return text
    }

    static func command(_ command: any Command.Type) -> String {
        var text = "\(command.abstract)\n\nUsage: ocitool \(command.usage)\n"
        if !command.discussion.isEmpty { text += "\n\(command.discussion)\n" }
        if !command.options.isEmpty {
            text += "\nOptions:\n" + command.options.map(\.helpLine).joined(separator: "\n") + "\n"
        }
        text += "\nGlobal options:\n" + GlobalOptions.specs.map(\.helpLine).joined(separator: "\n") + "\n"
        text += "\n" + exitCodes
        return text
    }

    static let exitCodes = """
    Exit codes: 0 success; 1 verification or policy failure; 2 usage error or bad input;
                3 registry, network, authentication or I/O failure.

    """
}
