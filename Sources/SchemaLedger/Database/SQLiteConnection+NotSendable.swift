// A connection, its statements and its locks belong to one thread at a time (SQLite's
// handles are not shared here). Declaring them explicitly not `Sendable` makes handing
// one to another task a compile-time error in the app, not a crash in production; the
// same choice as GRDB's `Database`.

@available(*, unavailable, message: "a connection is used from one thread at a time")
extension SQLiteConnection: Sendable {}

@available(*, unavailable, message: "a statement belongs to its connection's thread")
extension SQLiteStatement: Sendable {}
