import SchemaLedger

/// A small hand-written parser in the conventions of swift-argument-parser:
/// `--flag value`, `--flag=value`, short flags, `--` ends options. Unknown options are
/// reported with the closest known spelling.
struct ParsedArguments {
  /// Option values by long name (repeatable options keep every value, in order).
  var values: [String: [String]] = [:]
  /// Positional arguments, in order.
  var positionals: [String] = []
  /// The environment variable each option filled from the environment came from.
  var environmentSources: [String: String] = [:]

  /// The last value of `name`, if given.
  func value(_ name: String) -> String? { values[name]?.last }
  /// Every value of `name`.
  func all(_ name: String) -> [String] { values[name] ?? [] }
  /// `true` when the flag `name` was given.
  func flag(_ name: String) -> Bool { values[name] != nil }
  /// How the user gave the option `name`, for messages: `--name`, or the environment
  /// variable that supplied it.
  func origin(_ name: String) -> String { environmentSources[name] ?? "--\(name)" }
}

enum ArgumentParser {
  /// Parses `arguments` against `specs`, then fills unset options from the environment.
  static func parse(
    _ arguments: [String], specs: [OptionSpec], command: String?,
    environment: [String: String]
  ) throws -> ParsedArguments {
    var parsed = ParsedArguments()
    var index = 0
    var optionsEnded = false
    while index < arguments.count {
      let argument = arguments[index]
      index += 1
      if optionsEnded || !argument.hasPrefix("-") || argument == "-" {
        parsed.positionals.append(argument)
        continue
      }
      if argument == "--" {
        optionsEnded = true
        continue
      }
      var name: String
      var inlineValue: String?
      if argument.hasPrefix("--") {
        name = String(argument.dropFirst(2))
        if let equals = name.firstIndex(of: "=") {
          inlineValue = String(name[name.index(after: equals)...])
          name = String(name[..<equals])
        }
      } else {
        name = String(argument.dropFirst())
        if name.count > 1 {
          inlineValue = String(name.dropFirst())
          name = String(name.prefix(1))
        }
      }
      guard
        let spec = specs.first(where: {
          $0.name == name
            || (argument.count >= 2 && !argument.hasPrefix("--")
              && $0.short.map(String.init) == name)
        })
      else {
        throw UsageError(
          message: "Unknown option '\(argument.split(separator: "=").first ?? "")'."
            + suggestion(for: name, among: specs.map(\.name)),
          command: command)
      }
      if spec.isFlag {
        if inlineValue != nil {
          throw UsageError(message: "Option '--\(spec.name)' takes no value.", command: command)
        }
        parsed.values[spec.name, default: []].append("")
        continue
      }
      let value: String
      if let inlineValue {
        value = inlineValue
      } else {
        guard index < arguments.count, !arguments[index].hasPrefix("-") || arguments[index] == "-"
        else {
          throw UsageError(
            message: "Option '--\(spec.name)' needs a value (\(spec.valueName ?? "VALUE")).",
            command: command)
        }
        value = arguments[index]
        index += 1
      }
      if !spec.isRepeatable, parsed.values[spec.name] != nil {
        throw UsageError(message: "Option '--\(spec.name)' was given twice.", command: command)
      }
      parsed.values[spec.name, default: []].append(value)
    }
    for spec in specs where parsed.values[spec.name] == nil {
      if let variable = spec.environment, let value = environment[variable], !value.isEmpty {
        parsed.values[spec.name] = [value]
        parsed.environmentSources[spec.name] = variable
      }
    }
    return parsed
  }

  /// ` Did you mean '--dry-run'?` when a known name is close, else an empty string.
  static func suggestion(for name: String, among names: [String]) -> String {
    let scored = names.map { ($0, EditDistance.between(name, $0)) }.filter {
      $0.1 <= max(2, $0.0.count / 3)
    }
    guard let best = scored.min(by: { $0.1 < $1.1 }) else { return "" }
    return " Did you mean '--\(best.0)'?"
  }
}
