using System.Globalization;
using Microsoft.Data.Sqlite;

namespace VirtualItCompany.Storage.Sqlite;

/// <summary>
/// The schema of the file, versioned with <c>PRAGMA user_version</c> and marked as this package's with <c>PRAGMA application_id</c>.
/// Migrations only go forward, all of them in the one transaction that opens the file; a file of a newer version is refused, never downgraded.
/// </summary>
internal static class SqliteSchema
{
    /// <summary>The file's application id: "VIC1" in ASCII, so that a SQLite file of another application is recognised and left alone.</summary>
    public const int ApplicationId = 0x56494331;

    /// <summary>The migrations, in order: the one at index <c>i</c> takes the schema from version <c>i</c> to <c>i + 1</c>. Never edit one that has shipped; add the next.</summary>
    private static readonly string[] Migrations =
    [
        // 1: projects, queue, outbox, journal, artifacts, budgets.
        """
        CREATE TABLE counters (
            name TEXT NOT NULL PRIMARY KEY,
            value INTEGER NOT NULL
        ) WITHOUT ROWID;
        INSERT INTO counters (name, value) VALUES ('lease_token', 0);

        CREATE TABLE snapshots (
            project_id TEXT NOT NULL PRIMARY KEY,
            version INTEGER NOT NULL,
            status TEXT NOT NULL,
            created_at_ticks INTEGER NOT NULL,
            updated_at INTEGER NOT NULL,
            snapshot TEXT NOT NULL
        ) WITHOUT ROWID;
        CREATE INDEX snapshots_newest_first ON snapshots (created_at_ticks DESC, project_id DESC);
        CREATE INDEX snapshots_by_status ON snapshots (status, created_at_ticks DESC, project_id DESC);

        CREATE TABLE events (
            project_id TEXT NOT NULL REFERENCES snapshots (project_id),
            version INTEGER NOT NULL,
            event TEXT NOT NULL,
            PRIMARY KEY (project_id, version)
        ) WITHOUT ROWID;

        CREATE TABLE work_items (
            sequence INTEGER PRIMARY KEY AUTOINCREMENT,
            item_id TEXT NOT NULL UNIQUE,
            project_id TEXT NOT NULL,
            role TEXT NOT NULL,
            available_at INTEGER NOT NULL,
            lease_token INTEGER,
            lease_worker TEXT,
            lease_expires_at INTEGER,
            attempts INTEGER NOT NULL DEFAULT 0,
            item TEXT NOT NULL
        );
        CREATE INDEX work_items_waiting ON work_items (available_at) WHERE lease_token IS NULL;
        CREATE INDEX work_items_leased ON work_items (lease_expires_at) WHERE lease_token IS NOT NULL;

        CREATE TABLE outbox (
            sequence INTEGER PRIMARY KEY AUTOINCREMENT,
            topic TEXT NOT NULL,
            message_key TEXT NOT NULL,
            project_id TEXT NOT NULL,
            payload TEXT NOT NULL
        );
        CREATE INDEX outbox_by_topic ON outbox (topic, sequence);

        CREATE TABLE model_calls (
            work_item_id TEXT NOT NULL,
            call_key TEXT NOT NULL,
            response TEXT NOT NULL,
            provider TEXT NOT NULL,
            model_id TEXT NOT NULL,
            input_tokens INTEGER NOT NULL,
            output_tokens INTEGER NOT NULL,
            cost TEXT NOT NULL,
            duration_ticks INTEGER NOT NULL,
            reservation_id TEXT,
            lease_token INTEGER NOT NULL,
            recorded_at TEXT NOT NULL,
            UNIQUE (work_item_id, call_key)
        );

        CREATE TABLE artifact_blobs (
            hash TEXT NOT NULL UNIQUE,
            content BLOB NOT NULL
        );

        CREATE TABLE artifact_versions (
            project_id TEXT NOT NULL,
            path TEXT NOT NULL,
            version INTEGER NOT NULL,
            hash TEXT NOT NULL REFERENCES artifact_blobs (hash),
            length INTEGER NOT NULL,
            saved_at INTEGER NOT NULL,
            PRIMARY KEY (project_id, path, version)
        ) WITHOUT ROWID;

        CREATE TABLE budgets (
            scope TEXT NOT NULL PRIMARY KEY,
            limit_units INTEGER,
            spent_units INTEGER NOT NULL DEFAULT 0,
            reserved_units INTEGER NOT NULL DEFAULT 0
        ) WITHOUT ROWID;
        INSERT INTO budgets (scope) VALUES ('company');

        CREATE TABLE budget_reservations (
            id TEXT NOT NULL PRIMARY KEY,
            owner TEXT NOT NULL,
            project_id TEXT,
            amount TEXT NOT NULL,
            units INTEGER NOT NULL,
            model_id TEXT,
            reserved_at INTEGER NOT NULL
        );
        CREATE INDEX budget_reservations_by_owner ON budget_reservations (owner);
        """,

        // 2: a project's budget limit is now raised by the commits that set its budget (creation, budget added), no longer
        // before each work item; a file written before gets each project's limit raised to its budget now, once.
        """
        INSERT INTO budgets (scope, limit_units)
        SELECT 'project:' || project_id, CAST(round(coalesce(json_extract(snapshot, '$.brief.budget'), 0) * 1000000000) AS INTEGER) FROM snapshots WHERE true
        ON CONFLICT (scope) DO UPDATE SET limit_units = excluded.limit_units WHERE limit_units IS NULL OR limit_units < excluded.limit_units;
        """,

        // 3: snapshots and events move to rowid tables. As WITHOUT ROWID tables their rows (a snapshot is kilobytes, an
        // event about half of one) lived in the primary key's b-tree, where anything over ~1 KB of a 4 KB page spills to
        // overflow pages and every insert between other projects' rows splits big pages: each commit wrote and flushed
        // about twice the pages it needed (files about twice as large, a commit's statements ~45% slower). Rebuilt as
        // SQLite's documented table change: copied, dropped, renamed, indexes again, foreign keys checked before commit.
        """
        CREATE TABLE snapshots_v3 (
            project_id TEXT NOT NULL PRIMARY KEY,
            version INTEGER NOT NULL,
            status TEXT NOT NULL,
            created_at_ticks INTEGER NOT NULL,
            updated_at INTEGER NOT NULL,
            snapshot TEXT NOT NULL
        );
        INSERT INTO snapshots_v3 (project_id, version, status, created_at_ticks, updated_at, snapshot)
        SELECT project_id, version, status, created_at_ticks, updated_at, snapshot FROM snapshots ORDER BY created_at_ticks, project_id;

        CREATE TABLE events_v3 (
            project_id TEXT NOT NULL REFERENCES snapshots (project_id),
            version INTEGER NOT NULL,
            event TEXT NOT NULL,
            UNIQUE (project_id, version)
        );
        INSERT INTO events_v3 (project_id, version, event) SELECT project_id, version, event FROM events ORDER BY project_id, version;

        DROP TABLE events;
        DROP TABLE snapshots;
        ALTER TABLE snapshots_v3 RENAME TO snapshots;
        ALTER TABLE events_v3 RENAME TO events;
        CREATE INDEX snapshots_newest_first ON snapshots (created_at_ticks DESC, project_id DESC);
        CREATE INDEX snapshots_by_status ON snapshots (status, created_at_ticks DESC, project_id DESC);
        """,

        // 4: the waiting items in enqueue order. A lease takes the oldest waiting item that is due; without this index
        // SQLite walked the table in enqueue order past every leased item first (all the work in flight sits at the head
        // of the queue), or sorted every waiting item, on the writer for each lease.
        """
        CREATE INDEX work_items_ready ON work_items (sequence, available_at) WHERE lease_token IS NULL;
        """,

        // 5: fewer b-trees written per work item. Each b-tree a transaction touches costs at least one page appended to
        // and flushed from the write-ahead log, and most of an item's rows live only until its commit. Open reservations
        // (at most one per call in flight) become one clustered b-tree: their owner index only served the sweep of a
        // failed item's reservations, which now reads the few open rows. The queue drops AUTOINCREMENT (its counter row
        // in sqlite_sequence was rewritten by every enqueue; a plain rowid still grows past every item on the queue, which
        // is all enqueue order needs) and work_items_waiting, which every enqueue and lease wrote: the next due time of a
        // waiting item can only be a retry's (an item is enqueued due at once, a release keeps its time, and a retry follows
        // a lease, so attempts > 0), and work_items_delayed holds just those.
        """
        CREATE TABLE budget_reservations_v5 (
            id TEXT NOT NULL PRIMARY KEY,
            owner TEXT NOT NULL,
            project_id TEXT,
            amount TEXT NOT NULL,
            units INTEGER NOT NULL,
            model_id TEXT,
            reserved_at INTEGER NOT NULL
        ) WITHOUT ROWID;
        INSERT INTO budget_reservations_v5 (id, owner, project_id, amount, units, model_id, reserved_at)
        SELECT id, owner, project_id, amount, units, model_id, reserved_at FROM budget_reservations;
        DROP TABLE budget_reservations;
        ALTER TABLE budget_reservations_v5 RENAME TO budget_reservations;

        CREATE TABLE work_items_v5 (
            sequence INTEGER PRIMARY KEY,
            item_id TEXT NOT NULL UNIQUE,
            project_id TEXT NOT NULL,
            role TEXT NOT NULL,
            available_at INTEGER NOT NULL,
            lease_token INTEGER,
            lease_worker TEXT,
            lease_expires_at INTEGER,
            attempts INTEGER NOT NULL DEFAULT 0,
            item TEXT NOT NULL
        );
        INSERT INTO work_items_v5 (sequence, item_id, project_id, role, available_at, lease_token, lease_worker, lease_expires_at, attempts, item)
        SELECT sequence, item_id, project_id, role, available_at, lease_token, lease_worker, lease_expires_at, attempts, item FROM work_items ORDER BY sequence;
        DROP TABLE work_items;
        ALTER TABLE work_items_v5 RENAME TO work_items;
        DELETE FROM sqlite_sequence WHERE name = 'work_items';
        CREATE INDEX work_items_ready ON work_items (sequence, available_at) WHERE lease_token IS NULL;
        CREATE INDEX work_items_leased ON work_items (lease_expires_at) WHERE lease_token IS NOT NULL;
        CREATE INDEX work_items_delayed ON work_items (available_at) WHERE lease_token IS NULL AND attempts > 0;
        """,
    ];

    /// <summary>Gets the schema version this package writes.</summary>
    public static int CurrentVersion => Migrations.Length;

    /// <summary>Brings the schema from <paramref name="fromVersion"/> to <see cref="CurrentVersion"/> inside the caller's transaction, and marks the file; the caller's connection has foreign keys off (table rebuilds need it) and they are checked here before the caller commits.</summary>
    /// <param name="connection">The connection, in its write transaction.</param>
    /// <param name="fromVersion">The file's schema version.</param>
    /// <param name="toVersion">The version to stop at; tests make files of earlier versions with it. Default: <see cref="CurrentVersion"/>.</param>
    public static void Migrate(SqliteConnection connection, int fromVersion, int? toVersion = null)
    {
        int target = toVersion ?? Migrations.Length;
        ArgumentOutOfRangeException.ThrowIfGreaterThan(target, Migrations.Length, nameof(toVersion));
        for (int version = fromVersion; version < target; version++)
        {
            SqliteDatabase.Execute(connection, Migrations[version]);
        }

        // Migrations that rebuild a table run with foreign keys off (SQLite cannot switch them inside a transaction, so the
        // caller does before it begins); what they copied must still hold, or nothing of the migration is kept.
        using (var check = connection.Command("PRAGMA foreign_key_check;"))
        using (var reader = check.ExecuteReader())
        {
            if (reader.Read())
            {
                throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"Migrating the schema from version {fromVersion} to {target} would break a reference of table '{reader.GetString(0)}' to '{reader.GetString(2)}'; the file was left at version {fromVersion}."));
            }
        }

        SqliteDatabase.Execute(connection, string.Create(CultureInfo.InvariantCulture, $"PRAGMA application_id = {ApplicationId}; PRAGMA user_version = {target};"));
    }
}
