/// A short unified diff of two texts, line by line (longest common subsequence), for
/// messages: what changed in an applied migration's file since it ran. Pure.
package enum LineDiff {
  /// `-` lines of `old`, `+` lines of `new`, with up to `context` unchanged lines around
  /// each change and `...` between distant changes; at most `limit` lines (then `...`).
  /// Empty when the texts have the same lines.
  package static func unified(
    old: String, new: String, context: Int = 1, limit: Int = 20
  ) -> [String] {
    let a = old.split(separator: "\n", omittingEmptySubsequences: false)
    let b = new.split(separator: "\n", omittingEmptySubsequences: false)
    // Common prefix and suffix first: most edits touch a few lines of a long file.
    var prefix = 0
    while prefix < a.count, prefix < b.count, a[prefix] == b[prefix] { prefix += 1 }
    var suffix = 0
    while suffix < a.count - prefix, suffix < b.count - prefix,
      a[a.count - 1 - suffix] == b[b.count - 1 - suffix]
    {
      suffix += 1
    }
    let oldMiddle = Array(a[prefix..<(a.count - suffix)])
    let newMiddle = Array(b[prefix..<(b.count - suffix)])
    guard !oldMiddle.isEmpty || !newMiddle.isEmpty else { return [] }
    var lines = a[max(0, prefix - context)..<prefix].map { "  " + $0 }
    if prefix - context > 0 { lines.insert("  ...", at: 0) }
    lines += middle(oldMiddle, newMiddle)
    let after = a[(a.count - suffix)..<min(a.count, a.count - suffix + context)]
    lines += after.map { "  " + $0 }
    if suffix > context { lines.append("  ...") }
    return lines.count > limit ? Array(lines.prefix(limit)) + ["  ..."] : lines
  }

  /// The changed middle as `-`, `+` and unchanged lines, by a longest common subsequence.
  private static func middle(_ a: [Substring], _ b: [Substring]) -> [String] {
    // Quadratic table, bounded: beyond it, every old line out and every new line in.
    guard a.count * b.count <= 250_000 else {
      return a.map { "- " + $0 } + b.map { "+ " + $0 }
    }
    var table = Array(repeating: Array(repeating: 0, count: b.count + 1), count: a.count + 1)
    for i in stride(from: a.count - 1, through: 0, by: -1) {
      for j in stride(from: b.count - 1, through: 0, by: -1) {
        table[i][j] = a[i] == b[j] ? table[i + 1][j + 1] + 1 : max(table[i + 1][j], table[i][j + 1])
      }
    }
    var lines: [String] = []
    var i = 0
    var j = 0
    while i < a.count || j < b.count {
      if i < a.count, j < b.count, a[i] == b[j] {
        lines.append("  " + a[i])
        i += 1
        j += 1
      } else if i < a.count, j == b.count || table[i + 1][j] >= table[i][j + 1] {
        lines.append("- " + a[i])
        i += 1
      } else {
        lines.append("+ " + b[j])
        j += 1
      }
    }
    return lines
  }
}
