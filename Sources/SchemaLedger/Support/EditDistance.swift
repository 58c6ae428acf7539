/// The Levenshtein distance between two strings: how many single-character insertions,
/// deletions or substitutions turn one into the other. Used to suggest the spelling that
/// was meant (a section marker, a command, an option).
package enum EditDistance {
  /// The distance between `a` and `b`, by `Character`.
  package static func between(_ a: String, _ b: String) -> Int {
    let a = Array(a)
    let b = Array(b)
    var previous = Array(0...b.count)
    for i in stride(from: 1, through: a.count, by: 1) {
      var current = [i] + Array(repeating: 0, count: b.count)
      for j in stride(from: 1, through: b.count, by: 1) {
        let cost = a[i - 1] == b[j - 1] ? 0 : 1
        current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
      }
      previous = current
    }
    return previous[b.count]
  }
}
