#ifndef SCHEMALEDGER_CSQLITE_SHIM_H
#define SCHEMALEDGER_CSQLITE_SHIM_H

#include <sqlite3.h>

// SQLITE_TRANSIENT is a macro casting -1 to a function pointer, which Swift cannot
// import; this constant gives Swift the same value.
static const sqlite3_destructor_type schemaledger_sqlite_transient =
    (sqlite3_destructor_type)-1;

// Extended result codes are macros built with '|' and '<<', which Swift does not import.
static const int schemaledger_constraint_check = SQLITE_CONSTRAINT_CHECK;
static const int schemaledger_constraint_foreignkey = SQLITE_CONSTRAINT_FOREIGNKEY;
static const int schemaledger_constraint_notnull = SQLITE_CONSTRAINT_NOTNULL;
static const int schemaledger_constraint_primarykey = SQLITE_CONSTRAINT_PRIMARYKEY;
static const int schemaledger_constraint_trigger = SQLITE_CONSTRAINT_TRIGGER;
static const int schemaledger_constraint_unique = SQLITE_CONSTRAINT_UNIQUE;
static const int schemaledger_busy_snapshot = SQLITE_BUSY_SNAPSHOT;
static const int schemaledger_readonly_dbmoved = SQLITE_READONLY_DBMOVED;
static const int schemaledger_readonly_rollback = SQLITE_READONLY_ROLLBACK;
static const int schemaledger_readonly_recovery = SQLITE_READONLY_RECOVERY;
static const int schemaledger_readonly_cantlock = SQLITE_READONLY_CANTLOCK;
static const int schemaledger_readonly_cantinit = SQLITE_READONLY_CANTINIT;
static const int schemaledger_readonly_directory = SQLITE_READONLY_DIRECTORY;
static const int schemaledger_ioerr_fsync = SQLITE_IOERR_FSYNC;
static const int schemaledger_ioerr_read = SQLITE_IOERR_READ;
static const int schemaledger_ioerr_short_read = SQLITE_IOERR_SHORT_READ;
static const int schemaledger_ioerr_write = SQLITE_IOERR_WRITE;
static const int schemaledger_ioerr_truncate = SQLITE_IOERR_TRUNCATE;
static const int schemaledger_ioerr_delete = SQLITE_IOERR_DELETE;

// sqlite3_db_config is variadic, which Swift cannot call.
static inline int schemaledger_enable_load_extension(sqlite3 *db, int on) {
  return sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, on, (int *)0);
}

#endif
