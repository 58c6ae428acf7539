import Synchronization

/// What this process's `PostgresConnection`s have sent to servers, for the benchmark
/// (`schemaledger-bench`, docs/performance.md): connections opened, and queries sent. A
/// query is one `PQexec`, `PQexecParams` or `PQsendQuery`: one round trip to the server,
/// however many statements its text holds. Connection start-up is counted apart (its
/// round trips depend on the authentication method). One relaxed atomic add per query or
/// connection; nothing else is kept.
package enum PostgresTraffic {
  /// Connections opened (`PQconnectdb` calls that succeeded).
  package static let connections = Atomic<Int>(0)
  /// Queries sent, each one round trip.
  package static let queries = Atomic<Int>(0)

  /// Both counts now.
  package static var snapshot: (connections: Int, queries: Int) {
    (connections.load(ordering: .relaxed), queries.load(ordering: .relaxed))
  }

  static func countConnection() {
    connections.add(1, ordering: .relaxed)
  }

  static func countQuery() {
    queries.add(1, ordering: .relaxed)
  }
}
