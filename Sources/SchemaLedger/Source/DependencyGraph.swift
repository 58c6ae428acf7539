/// The `-- depends:` graph of a migration source: resolution of names to ids, cycle
/// detection, and the deterministic order that respects it. Pure.
enum DependencyGraph {
  /// `migrations` (sorted by version) with every dependency resolved to a migration id.
  /// A dependency may name an id or a version. Throws `unknownDependency` or
  /// `dependencyCycle` (the whole cycle, named from the file that closes it).
  static func resolve(_ migrations: [Migration]) throws -> [Migration] {
    let ids = Set(migrations.map(\.id))
    var byVersion: [MigrationVersion: String] = [:]
    for migration in migrations where !migration.isRepeatable {
      byVersion[migration.version] = migration.id
    }
    var errors: [MigrationSourceError] = []
    var resolved = migrations
    for index in resolved.indices {
      resolved[index].dependencies = resolved[index].dependencies.compactMap { name in
        if ids.contains(name) { return name }
        if let version = MigrationVersion(name), let id = byVersion[version] { return id }
        errors.append(
          .unknownDependency(
            file: resolved[index].upLocation.file, migration: resolved[index].id,
            dependency: name))
        return nil
      }
    }
    try MigrationSource.throwIfAny(errors)
    if let cycle = firstCycle(resolved) {
      let file = resolved.first { $0.id == cycle[0] }?.upLocation.file ?? ""
      throw MigrationSourceError.dependencyCycle(file: file, cycle: cycle)
    }
    return resolved
  }

  /// A cycle, as ids with the first repeated at the end, or `nil`. Deterministic: the
  /// search starts from the lowest version.
  private static func firstCycle(_ migrations: [Migration]) -> [String]? {
    let edges = Dictionary(migrations.map { ($0.id, $0.dependencies) }) { first, _ in first }
    var state: [String: Int] = [:]  // 1 visiting, 2 done
    var path: [String] = []
    func visit(_ id: String) -> [String]? {
      if state[id] == 2 { return nil }
      if state[id] == 1, let start = path.firstIndex(of: id) {
        return Array(path[start...]) + [id]
      }
      state[id] = 1
      path.append(id)
      for dependency in edges[id] ?? [] {
        if let cycle = visit(dependency) { return cycle }
      }
      path.removeLast()
      state[id] = 2
      return nil
    }
    for migration in migrations {
      if let cycle = visit(migration.id) { return cycle }
    }
    return nil
  }

  /// `pending` in an order where every migration comes after its pending dependencies,
  /// ties broken by version (then id): a deterministic topological order (Kahn's
  /// algorithm, always taking the lowest ready version).
  static func order(_ pending: [Migration]) -> [Migration] {
    let ids = Set(pending.map(\.id))
    let sorted = pending.sorted { ($0.version, $0.id) < ($1.version, $1.id) }
    // The common case: no pending migration waits for another pending one.
    guard sorted.contains(where: { $0.dependencies.contains(where: ids.contains) }) else {
      return sorted
    }
    var remaining = Dictionary(
      sorted.map { ($0.id, Set($0.dependencies.filter(ids.contains))) }
    ) { first, _ in first }
    var dependents: [String: [String]] = [:]
    for migration in sorted {
      for dependency in migration.dependencies where ids.contains(dependency) {
        dependents[dependency, default: []].append(migration.id)
      }
    }
    let byID = Dictionary(sorted.map { ($0.id, $0) }) { first, _ in first }
    // `ready` stays sorted, highest first, so the lowest ready version is at the end.
    var ready = Array(sorted.filter { remaining[$0.id]?.isEmpty ?? true }.reversed())
    var result: [Migration] = []
    while let next = ready.popLast() {
      result.append(next)
      for dependent in dependents[next.id] ?? [] {
        remaining[dependent]?.remove(next.id)
        guard remaining[dependent]?.isEmpty == true, let migration = byID[dependent] else {
          continue
        }
        let key = (migration.version, migration.id)
        let position = ready.firstIndex { ($0.version, $0.id) < key } ?? ready.count
        ready.insert(migration, at: position)
      }
    }
    return result
  }
}
