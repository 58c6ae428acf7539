import FoundationEssentials
import Glibc
import SchemaLedger

// Past the file size limit ('ulimit -f') a write fails with EFBIG, which SQLite reports
// and SchemaLedger explains, instead of the signal killing the process mid-transaction.
signal(SIGXFSZ, SIG_IGN)

let exitCode = CommandLineTool(commands: CommandLineTool.allCommands).run(
  Array(CommandLine.arguments.dropFirst()), environment: ProcessInfo.processInfo.environment)
exit(exitCode.rawValue)
