import FoundationEssentials
import SchemaLedger

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The commands, in the order `help` lists them.
let commands: [any Command.Type] = [
  ApplyCommand.self, PlanCommand.self, RollbackCommand.self, StatusCommand.self,
  HistoryCommand.self, ReplayCommand.self, VerifyCommand.self, ExportCommand.self,
  BaselineCommand.self, ImportCommand.self, ResolveCommand.self, AcceptCommand.self,
  NewCommand.self,
]

// Past the file size limit ('ulimit -f') a write fails with EFBIG, which SQLite reports
// and SchemaLedger explains, instead of the signal killing the process mid-transaction.
signal(SIGXFSZ, SIG_IGN)

let exitCode = CommandLineTool(commands: commands).run(
  Array(CommandLine.arguments.dropFirst()), environment: ProcessInfo.processInfo.environment)
exit(exitCode.rawValue)
