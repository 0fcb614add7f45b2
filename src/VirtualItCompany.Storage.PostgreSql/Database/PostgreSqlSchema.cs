namespace VirtualItCompany.Storage.PostgreSql;

/// <summary>
/// The tables of the company's schema, versioned in <c>schema_version</c> (one row per migration applied, with when and by
/// whom). Migrations only go forward, all of them in one transaction under an advisory lock, so hosts that start together
/// migrate once; a schema of a newer version is refused, never downgraded.
/// </summary>
internal static class PostgreSqlSchema
{
    /// <summary>The migrations, in order: the one at index <c>i</c> takes the schema from version <c>i</c> to <c>i + 1</c>. Never edit one that has shipped; add the next.</summary>
    private static readonly string[] Migrations =
    [
        // 1: projects, queue, outbox, journal, artifacts, budgets, and the log that makes a retried commit idempotent.
        """
        CREATE SEQUENCE lease_tokens;

        CREATE TABLE snapshots (
            project_id text NOT NULL PRIMARY KEY,
            version bigint NOT NULL,
            status text NOT NULL,
            created_at_ticks bigint NOT NULL,
            updated_at bigint NOT NULL,
            snapshot text NOT NULL
        );
        CREATE INDEX snapshots_newest_first ON snapshots (created_at_ticks DESC, project_id DESC);
        CREATE INDEX snapshots_by_status ON snapshots (status, created_at_ticks DESC, project_id DESC);

        CREATE TABLE events (
            project_id text NOT NULL REFERENCES snapshots (project_id),
            version bigint NOT NULL,
            event text NOT NULL,
            PRIMARY KEY (project_id, version)
        );

        CREATE TABLE work_items (
            sequence bigserial PRIMARY KEY,
            item_id text NOT NULL UNIQUE,
            project_id text NOT NULL,
            role text NOT NULL,
            available_at bigint NOT NULL,
            lease_token bigint,
            lease_worker text,
            lease_expires_at bigint,
            attempts integer NOT NULL DEFAULT 0,
            item text NOT NULL
        );
        -- Ready items (no lease) in queue order: what TryLease scans first; leased items by expiry: lapsed leases and wake-ups.
        CREATE INDEX work_items_ready ON work_items (sequence) INCLUDE (available_at, role) WHERE lease_token IS NULL;
        CREATE INDEX work_items_leased ON work_items (lease_expires_at) WHERE lease_token IS NOT NULL;

        CREATE TABLE outbox (
            sequence bigserial PRIMARY KEY,
            topic text NOT NULL,
            message_key text NOT NULL,
            project_id text NOT NULL,
            payload text NOT NULL
        );
        CREATE INDEX outbox_by_topic ON outbox (topic, sequence);

        CREATE TABLE model_calls (
            id bigserial PRIMARY KEY,
            work_item_id text NOT NULL,
            call_key text NOT NULL,
            response text NOT NULL,
            provider text NOT NULL,
            model_id text NOT NULL,
            input_tokens bigint NOT NULL,
            output_tokens bigint NOT NULL,
            cost numeric NOT NULL,
            duration_ticks bigint NOT NULL,
            reservation_id text,
            lease_token bigint NOT NULL,
            recorded_at_ticks bigint NOT NULL,
            recorded_offset_minutes integer NOT NULL,
            UNIQUE (work_item_id, call_key)
        );

        CREATE TABLE artifact_blobs (
            hash text NOT NULL PRIMARY KEY,
            content bytea NOT NULL
        );

        CREATE TABLE artifact_versions (
            project_id text NOT NULL,
            path text NOT NULL,
            version integer NOT NULL,
            hash text NOT NULL REFERENCES artifact_blobs (hash),
            length bigint NOT NULL,
            saved_at bigint NOT NULL,
            PRIMARY KEY (project_id, path, version)
        );

        CREATE TABLE budgets (
            scope text NOT NULL PRIMARY KEY,
            limit_units bigint,
            spent_units bigint NOT NULL DEFAULT 0,
            reserved_units bigint NOT NULL DEFAULT 0
        );
        INSERT INTO budgets (scope) VALUES ('company');

        CREATE TABLE budget_reservations (
            id text NOT NULL PRIMARY KEY,
            seq bigserial NOT NULL,
            owner text NOT NULL,
            project_id text,
            amount numeric NOT NULL,
            units bigint NOT NULL,
            model_id text,
            reserved_at bigint NOT NULL
        );
        CREATE INDEX budget_reservations_by_owner ON budget_reservations (owner, seq);

        CREATE TABLE commit_log (
            commit_id uuid NOT NULL PRIMARY KEY,
            committed_at bigint NOT NULL
        );
        CREATE INDEX commit_log_by_time ON commit_log (committed_at);
        """,

        // 2: the company's spend and reservations spread over 16 rows ('company' and 'company#1' to 'company#15'; the limit
        // stays on 'company'), so that workers reserving without a company limit do not all queue for one row lock. A
        // reservation records the row it used, and its settlement updates that row; existing ones used 'company'.
        """
        ALTER TABLE budget_reservations ADD COLUMN company_scope text NOT NULL DEFAULT 'company';
        INSERT INTO budgets (scope) SELECT 'company#' || n FROM generate_series(1, 15) AS n ON CONFLICT (scope) DO NOTHING;
        """,

        // 3: the company's limit on each of its 16 rows (set and raised on all of them together, under their locks), so a
        // reservation that locks one row at random learns from that row whether the company has a limit, instead of
        // reading it first in a round trip of its own.
        """
        INSERT INTO budgets (scope) VALUES ('company') ON CONFLICT (scope) DO NOTHING;
        UPDATE budgets SET limit_units = (SELECT limit_units FROM budgets WHERE scope = 'company') WHERE scope LIKE 'company#%';
        """,

        // 4: a commit's checks as a function that raises an error when one fails, so a commit's checks and writes can go
        // in one round trip without a transaction block of their own: the error rolls back the implicit transaction of the
        // batch, writes and all, with nothing left open between round trips. It locks the project's row, then the leased
        // item's (the order every commit locks them in). SQLSTATE VC404: no such project; VC409: another version (the
        // message is the version found); VC410: the lease is not the item's current, unexpired one.
        """
        CREATE OR REPLACE FUNCTION commit_check(p_project text, p_expected bigint, p_item text, p_token bigint, p_now bigint) RETURNS void
        LANGUAGE plpgsql AS $$
        DECLARE
            found_version bigint;
            held_token bigint;
            held_until bigint;
        BEGIN
            SELECT version INTO found_version FROM snapshots WHERE project_id = p_project FOR UPDATE;
            IF NOT FOUND THEN
                RAISE EXCEPTION 'project % does not exist', p_project USING ERRCODE = 'VC404';
            END IF;
            IF found_version <> p_expected THEN
                RAISE EXCEPTION USING ERRCODE = 'VC409', MESSAGE = found_version::text, DETAIL = format('project %s is at version %s, not %s', p_project, found_version, p_expected);
            END IF;
            IF p_item IS NOT NULL THEN
                SELECT lease_token, lease_expires_at INTO held_token, held_until FROM work_items WHERE item_id = p_item FOR UPDATE;
                IF NOT FOUND OR held_token IS DISTINCT FROM p_token OR held_until IS NULL OR held_until <= p_now THEN
                    RAISE EXCEPTION 'lease % of work item % is not the current one', p_token, p_item USING ERRCODE = 'VC410';
                END IF;
            END IF;
        END;
        $$;
        """,

        // 5: whether an item may have model-call records, on the item's row. A record sets it under the same row lock that
        // fences the record by its lease, and the commit that removes the records clears it, so a lease that finds it
        // false knows the journal holds nothing of the item without reading the journal in a round trip of its own.
        // Hosts of version 4 still running while the schema moves on record without setting it: the trigger sets it for
        // them. This version's records say that their fence has set it (item_marked), so the trigger's condition skips
        // them without calling the function. The function keeps the migration's search path, so it finds the item's row
        // whatever the inserting session's path.
        """
        ALTER TABLE work_items ADD COLUMN IF NOT EXISTS journaled boolean NOT NULL DEFAULT false;
        UPDATE work_items w SET journaled = true WHERE EXISTS (SELECT 1 FROM model_calls m WHERE m.work_item_id = w.item_id);
        ALTER TABLE model_calls ADD COLUMN IF NOT EXISTS item_marked boolean NOT NULL DEFAULT false;
        CREATE OR REPLACE FUNCTION mark_journaled() RETURNS trigger
        LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
        BEGIN
            UPDATE work_items SET journaled = true WHERE item_id = NEW.work_item_id AND NOT journaled;
            RETURN NULL;
        END;
        $$;
        DROP TRIGGER IF EXISTS model_calls_mark_journaled ON model_calls;
        CREATE TRIGGER model_calls_mark_journaled AFTER INSERT ON model_calls FOR EACH ROW WHEN (NOT NEW.item_marked) EXECUTE FUNCTION mark_journaled();
        """,
    ];

    /// <summary>Gets the schema version this package writes.</summary>
    public static int CurrentVersion => Migrations.Length;

    /// <summary>Gets the migration that takes the schema from <paramref name="fromVersion"/> to the next version.</summary>
    public static string Migration(int fromVersion) => Migrations[fromVersion];
}
