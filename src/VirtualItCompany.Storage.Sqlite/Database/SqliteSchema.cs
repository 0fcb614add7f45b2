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
    ];

    /// <summary>Gets the schema version this package writes.</summary>
    public static int CurrentVersion => Migrations.Length;

    /// <summary>Brings the schema from <paramref name="fromVersion"/> to <see cref="CurrentVersion"/> inside the caller's transaction, and marks the file.</summary>
    public static void Migrate(SqliteConnection connection, int fromVersion)
    {
        for (int version = fromVersion; version < Migrations.Length; version++)
        {
            SqliteDatabase.Execute(connection, Migrations[version]);
        }

        SqliteDatabase.Execute(connection, string.Create(CultureInfo.InvariantCulture, $"PRAGMA application_id = {ApplicationId}; PRAGMA user_version = {Migrations.Length};"));
    }
}
