// Package failover proves that Helhed survives the loss of its primary database: a streaming
// hot standby (started by internal/pglocal with pg_basebackup) is promoted, the application's
// pool finds it through a multi-host DATABASE_URL with target_session_attrs=read-write, live
// updates resume, and with synchronous replication no acknowledged write is lost. The package
// holds only that test; docs/deployment.md describes the set-up it exercises.
package failover
