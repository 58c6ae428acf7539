import FoundationEssentials
import Glibc

/// Who recorded an event: the operating-system user, the host and the process id.
public struct LedgerActor: Sendable, Equatable, CustomStringConvertible {
  /// The user name (`$USER`, else the password database, else the uid).
  public var user: String
  /// The host name.
  public var host: String
  /// The process id.
  public var pid: Int64

  /// Creates an actor from its parts.
  public init(user: String, host: String, pid: Int64) {
    self.user = user
    self.host = host
    self.pid = pid
  }

  /// The current process.
  public static func current() -> LedgerActor {
    let environment = ProcessInfo.processInfo.environment
    var user = environment["USER"] ?? environment["LOGNAME"] ?? ""
    if user.isEmpty, let entry = getpwuid(getuid()), let name = entry.pointee.pw_name {
      user = String(cString: name)
    }
    if user.isEmpty { user = "uid \(getuid())" }
    var buffer = [CChar](repeating: 0, count: 256)
    let host =
      gethostname(&buffer, buffer.count) == 0
      ? String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
      : "unknown-host"
    return LedgerActor(user: user, host: host, pid: Int64(getpid()))
  }

  /// `user@host (pid N)`.
  public var description: String { "\(user)@\(host) (pid \(pid))" }

  /// `{"user": ..., "host": ..., "pid": ...}`: the actor in every JSON output.
  package var json: JSONValue {
    ["user": .string(user), "host": .string(host), "pid": .integer(pid)]
  }

  /// Reads `json`'s form back; `nil` when a member is missing or of another type.
  package init?(json: JSONValue) {
    guard let user = json["user"]?.stringValue, let host = json["host"]?.stringValue,
      let pid = json["pid"]?.integerValue
    else { return nil }
    self.init(user: user, host: host, pid: pid)
  }
}
