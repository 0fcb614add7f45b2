using Npgsql;
using static VirtualItCompany.Storage.PostgreSql.PostgreSqlDatabase;

namespace VirtualItCompany.Storage.PostgreSql;

/// <summary>
/// The budget account in the PostgreSQL schema: limits, settled spend and open reservations (with their owners) per scope.
/// A reservation is one statement that locks its budgets' rows (the company's, then the project's: one order for every
/// writer, so no deadlock), checks and writes: two workers of any processes can never both take the last dollar, and the
/// rows are locked only while the server runs it. The company's
/// spend and reservations are spread over <see cref="CompanyRows"/> rows: without a company limit a reservation locks one
/// of them at random, so workers do not queue for one row; with a limit it locks all of them and checks their sum. Each of
/// the rows carries the company's limit (schema version 3), so the row a reservation locked tells it whether the company
/// has one, in the same round trip: no reservation reads first whether to lock one row or all.
/// </summary>
/// <remarks>
/// Reservations, settlements and refusals follow <c>InMemoryBudgetAccount</c> to the nano-dollar. A reservation that waits
/// (<see cref="BudgetReservationRequest.MaxWait"/>) wakes when budget is freed in this process or, by <c>NOTIFY</c>, in another,
/// and looks again at least every <see cref="Poll"/>.
/// </remarks>
internal sealed class PostgreSqlBudgetAccount : IBudgetAccount
{
    /// <summary>How often a waiting reservation looks again, in case a notification was missed.</summary>
    internal static readonly TimeSpan Poll = TimeSpan.FromSeconds(1);

    private readonly PostgreSqlDatabase _database;
    private readonly decimal? _companyLimit;
    private readonly bool _applyCompanyLimit;
    private Task? _companyLimitApplied;

    // Whether the company had a limit when this process last looked: the guess of how many company rows to lock. A wrong
    // guess costs one round trip (see ReserveAsync), never a wrong answer: the locked rows decide.
    private volatile bool _companyLimited;

    /// <summary>Creates the account over an open database.</summary>
    /// <param name="database">The database.</param>
    public PostgreSqlBudgetAccount(PostgreSqlDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        _database = database;
    }

    /// <summary>Creates the account over an open database and sets the company limit before its first use.</summary>
    /// <param name="database">The database.</param>
    /// <param name="companyLimit">The company limit from configuration (<c>RoutingOptions.GlobalBudget</c>); <see langword="null"/> for none.</param>
    public PostgreSqlBudgetAccount(PostgreSqlDatabase database, decimal? companyLimit)
        : this(database)
    {
        if (companyLimit is { } limit)
        {
            BudgetLimits.ThrowIfOutOfRange(limit, nameof(companyLimit));
        }

        _companyLimit = companyLimit;
        _applyCompanyLimit = true;
        _companyLimited = companyLimit is not null;
    }

    /// <summary>Gets the database the account lives in.</summary>
    internal PostgreSqlDatabase Database => _database;

    /// <inheritdoc />
    public async ValueTask<BudgetReservationResult> TryReserveAsync(BudgetReservationRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        BudgetLimits.ThrowIfOutOfRange(request.Amount, nameof(request.Amount));
        ArgumentException.ThrowIfNullOrWhiteSpace(request.Owner, nameof(request.Owner));
        ArgumentOutOfRangeException.ThrowIfLessThan(request.MaxWait, TimeSpan.Zero, nameof(request.MaxWait));
        cancellationToken.ThrowIfCancellationRequested();
        await EnsureCompanyLimitAsync().ConfigureAwait(false);
        long units = BudgetUnits.FromDollarsCeiling(request.Amount);
        var time = _database.Time;
        long started = time.GetTimestamp();
        while (true)
        {
            // Take the signal before trying, so a settlement between the try and the wait is not missed.
            var changed = _database.BudgetChanged.Next;
            string reservationId = "res_" + Guid.CreateVersion7().ToString("N");
            if (await _database.RunAsync((c, tryNumber, ct) => ReserveAsync(c, request, units, reservationId, tryNumber, ct), cancellationToken).ConfigureAwait(false) is not { } attempt)
            {
                continue; // the company has a limit now: again, locking all of its rows
            }

            if (attempt.Result.IsGranted || !attempt.OnlyInFlightStandsInWay)
            {
                return attempt.Result;
            }

            var left = request.MaxWait - time.GetElapsedTime(started);
            if (left <= TimeSpan.Zero)
            {
                return attempt.Result;
            }

            try
            {
                await changed.WaitAsync(left < Poll ? left : Poll, time, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // Look again: a notification may have been missed, or the deadline came (one last try).
            }
        }
    }

    /// <inheritdoc />
    public async ValueTask<bool> SettleAsync(BudgetReservation reservation, decimal actualCost, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reservation);
        BudgetLimits.ThrowIfOutOfRange(actualCost, nameof(actualCost));
        long actual = BudgetUnits.FromDollarsCeiling(actualCost);
        return await CloseInOwnTransactionAsync(reservation.Id, actual, release: false, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<bool> ReleaseAsync(BudgetReservation reservation, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reservation);
        return await CloseInOwnTransactionAsync(reservation.Id, 0, release: true, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<BudgetReservation>> SettleOwnerAsync(string owner, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(owner);
        var settled = await _database.InTransactionAsync((c, _, ct) => SettleOwnerAsync(c, owner, ct), cancellationToken).ConfigureAwait(false);
        if (settled.Count > 0)
        {
            _database.BudgetChanged.Raise();
        }

        return settled;
    }

    /// <summary>
    /// Charges at their full amount the reservations <paramref name="owner"/> left open, in the caller's transaction, and
    /// announces the change to other processes when it charged any (the caller raises <see cref="PostgreSqlDatabase.BudgetChanged"/> after its commit).
    /// </summary>
    internal async Task<IReadOnlyList<BudgetReservation>> SettleOwnerAsync(NpgsqlConnection c, string owner, CancellationToken ct)
    {
        var open = new List<(BudgetReservation Reservation, long Units)>();
        await using (var command = Command(c, "SELECT id, project_id, amount, units, model_id FROM budget_reservations WHERE owner = $1 ORDER BY seq;", owner))
        await using (var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                var projectId = reader.IsDBNull(1) ? (ProjectId?)null : new ProjectId(reader.GetString(1));
                var reservation = new BudgetReservation(reader.GetString(0), projectId, reader.GetDecimal(2), owner, reader.IsDBNull(4) ? null : reader.GetString(4));
                open.Add((reservation, reader.GetInt64(3)));
            }
        }

        var closed = new List<BudgetReservation>();
        foreach (var (reservation, units) in open)
        {
            // Left open by its owner: charged at its full amount, so none is under-counted.
            if (await CloseAsync(c, reservation.Id, units, release: false, ct).ConfigureAwait(false))
            {
                closed.Add(reservation);
            }
        }

        if (closed.Count > 0)
        {
            await NotifyAsync(c, ct).ConfigureAwait(false);
        }

        return closed;
    }

    /// <inheritdoc />
    public async ValueTask<BudgetBalance> GetBalanceAsync(BudgetScope scope, CancellationToken cancellationToken = default) =>
        (await GetBalancesAsync([scope], cancellationToken).ConfigureAwait(false))[0];

    /// <summary>A budget's balance from its figures; a budget without a row has no limit and nothing spent.</summary>
    private static BudgetBalance Balance(BudgetScope scope, Tally? tally) => tally is not { } t
        ? new BudgetBalance(scope, null, 0m, 0m)
        : new BudgetBalance(scope, t.Limit >= BudgetUnits.Unlimited ? null : BudgetUnits.ToDollars(t.Limit), BudgetUnits.ToDollars(t.Spent), BudgetUnits.ToDollars(t.Reserved));

    /// <summary>The company's figures from its rows: the limit of its first row, the spend and reservations of all of them (saturating); <see langword="null"/> when it has none.</summary>
    private static Tally? CompanyTally(IEnumerable<(string Scope, long? Limit, long Spent, long Reserved)> rows)
    {
        long limit = BudgetUnits.Unlimited, spent = 0, reserved = 0;
        bool any = false;
        foreach (var row in rows)
        {
            any = true;
            if (row.Scope == BudgetScope.Company.Value && row.Limit is { } l)
            {
                limit = l;
            }

            spent = BudgetUnits.AddSaturating(spent, row.Spent);
            reserved = BudgetUnits.AddSaturating(reserved, row.Reserved);
        }

        return any ? new Tally(limit, spent, reserved) : null;
    }

    /// <inheritdoc />
    /// <remarks>One statement reads every row the scopes need (the company's 16, each project's one).</remarks>
    public async ValueTask<IReadOnlyList<BudgetBalance>> GetBalancesAsync(IReadOnlyList<BudgetScope> scopes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scopes);
        cancellationToken.ThrowIfCancellationRequested();
        await EnsureCompanyLimitAsync().ConfigureAwait(false);
        string[] rows = [.. scopes.SelectMany(s => s.IsCompany ? AllCompanyRows : [s.Value]).Distinct(StringComparer.Ordinal)];
        var found = await _database.RunAsync((c, _, ct) => ReadRowsAsync(c, rows, ct), cancellationToken).ConfigureAwait(false);
        return [.. scopes.Select(scope => Balance(scope, scope.IsCompany
            ? CompanyTally(found.Where(r => AllCompanyRows.Contains(r.Scope)))
            : found.Where(r => r.Scope == scope.Value).Select(r => (Tally?)new Tally(r.Limit ?? BudgetUnits.Unlimited, r.Spent, r.Reserved)).FirstOrDefault()))];
    }

    /// <inheritdoc />
    public async ValueTask SetLimitAsync(BudgetScope scope, decimal? limit, CancellationToken cancellationToken = default)
    {
        if (limit is { } value)
        {
            BudgetLimits.ThrowIfOutOfRange(value, nameof(limit));
        }

        await EnsureCompanyLimitAsync().ConfigureAwait(false);
        await SetLimitCoreAsync(scope, limit, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask RaiseLimitAsync(BudgetScope scope, decimal limit, CancellationToken cancellationToken = default)
    {
        BudgetLimits.ThrowIfOutOfRange(limit, nameof(limit));
        await EnsureCompanyLimitAsync().ConfigureAwait(false);
        long units = BudgetUnits.FromDollarsFloor(limit);
        bool raised = await _database.InTransactionAsync(
            async (c, _, ct) =>
            {
                bool changed = await RaiseLimitAsync(c, scope, units, ct).ConfigureAwait(false);
                if (changed)
                {
                    await NotifyAsync(c, ct).ConfigureAwait(false);
                }

                return changed;
            },
            cancellationToken).ConfigureAwait(false);
        if (raised)
        {
            _database.BudgetChanged.Raise();
        }
    }

    /// <inheritdoc />
    public override string ToString() => $"PostgreSQL budget account ({_database.Server}, database '{_database.DatabaseName}', schema '{_database.Schema}')";

    /// <summary>Applies a commit's budget operation inside the commit's transaction (see <see cref="IBudgetCommitStore"/>).</summary>
    /// <param name="connection">The commit's connection, in its transaction.</param>
    /// <param name="operation">The operation, checked by <see cref="ProjectCommit.Validate"/>.</param>
    /// <param name="cancellationToken">Cancels the commit.</param>
    /// <returns>A task that completes when applied.</returns>
    internal static async Task ApplyAsync(NpgsqlConnection connection, BudgetOperation operation, CancellationToken cancellationToken)
    {
        switch (operation)
        {
            case SettleReservation:
                // Batched with the rest of the commit (AddSettlement), so the budgets' rows are held only to its end.
                break;
            case RaiseBudgetLimit raise:
                await RaiseLimitAsync(connection, raise.Scope, BudgetUnits.FromDollarsFloor(raise.Limit), cancellationToken).ConfigureAwait(false);
                break;
            default:
                throw new NotSupportedException($"The PostgreSQL store does not know the budget operation {operation.GetType().Name}.");
        }
    }

    /// <summary>Raises a limit: never lowers one, gives one to a budget without (the company's: on each of its rows).</summary>
    private static async Task<bool> RaiseLimitAsync(NpgsqlConnection c, BudgetScope scope, long units, CancellationToken ct)
    {
        string[] rows = await LockLimitRowsAsync(c, scope, ct).ConfigureAwait(false);
        return await ExecuteAsync(c, "UPDATE budgets SET limit_units = $2 WHERE scope = ANY ($1) AND (limit_units IS NULL OR limit_units < $2);", ct, Parameters.TextArray(rows), units).ConfigureAwait(false) > 0;
    }

    /// <summary>
    /// Creates (when missing) and locks, in scope order, the rows that hold a budget's limit: the project's row, or all the
    /// company's rows (each carries the company's limit, so a reservation that locks any one of them sees a change).
    /// </summary>
    /// <returns>The scopes of the rows.</returns>
    private static async Task<string[]> LockLimitRowsAsync(NpgsqlConnection c, BudgetScope scope, CancellationToken ct)
    {
        string[] rows = scope == BudgetScope.Company ? AllCompanyRows : [scope.Value];
        await using (var batch = new NpgsqlBatch(c))
        {
            batch.BatchCommands.Add(BatchCommand("INSERT INTO budgets (scope) SELECT unnest($1::text[]) ON CONFLICT (scope) DO NOTHING;", Parameters.TextArray(rows)));
            batch.BatchCommands.Add(BatchCommand("SELECT 1 FROM budgets WHERE scope = ANY ($1) ORDER BY scope FOR UPDATE;", Parameters.TextArray(rows)));
            await batch.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }

        return rows;
    }

    private static Task<int> EnsureScopeAsync(NpgsqlConnection c, string scope, CancellationToken ct) =>
        ExecuteAsync(c, "INSERT INTO budgets (scope) VALUES ($1) ON CONFLICT (scope) DO NOTHING;", ct, scope);

    private Task<int> NotifyAsync(NpgsqlConnection c, CancellationToken ct) =>
        ExecuteAsync(c, "SELECT pg_notify($1, $2);", ct, _database.BudgetChannel, _database.InstanceId);

    /// <summary>Reads the budgets' rows of the given scopes (those that exist), in one statement.</summary>
    private static async Task<List<(string Scope, long? Limit, long Spent, long Reserved)>> ReadRowsAsync(NpgsqlConnection c, string[] scopes, CancellationToken ct)
    {
        await using var command = Command(c, "SELECT scope, limit_units, spent_units, reserved_units FROM budgets WHERE scope = ANY ($1);", Parameters.TextArray(scopes));
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        var rows = new List<(string Scope, long? Limit, long Spent, long Reserved)>(scopes.Length);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            rows.Add((reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3)));
        }

        return rows;
    }

    /// <summary>How many rows the company's spend and reservations are spread over (schema version 2), each with a copy of its limit (version 3).</summary>
    internal const int CompanyRows = 16;

    private static readonly string[] AllCompanyRows = [.. Enumerable.Range(0, CompanyRows).Select(CompanyRow)];

    /// <summary>The scope of one of the company's rows: <c>company</c> (which also holds the limit), then <c>company#1</c> to <c>company#15</c>.</summary>
    internal static string CompanyRow(int index) => index == 0 ? BudgetScope.Company.Value : "company#" + index.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// Reserves in one statement, so the budgets' rows are locked only while it runs (never across a round trip): it locks
    /// in scope order the company's rows in $1 and the project's row ($2) when given, sums the
    /// company's (its limit is the locked rows' copy of it: current, since every change of the limit locks every company
    /// row), and writes the reservation only when no row is missing, the company has no limit or every company row is
    /// locked, and the amount fits both budgets. The sums saturate at <see cref="BudgetUnits.Unlimited"/> as
    /// <see cref="BudgetUnits.AddSaturating"/> does (the figures are never negative), so the statement and <see cref="Tally.Fits"/> agree.
    /// </summary>
    private const string ReserveSql = """
        WITH locked AS MATERIALIZED (
            SELECT scope, limit_units, spent_units, reserved_units FROM budgets
            WHERE scope = ANY ($1) OR scope = $2 ORDER BY scope FOR UPDATE),
        tally AS (
            SELECT
                count(*) FILTER (WHERE l.scope = ANY ($1)) AS company_rows,
                min(coalesce(l.limit_units, $4)) FILTER (WHERE l.scope = ANY ($1)) AS company_limit,
                least(coalesce(sum(l.spent_units) FILTER (WHERE l.scope = ANY ($1)), 0), $4) AS company_spent,
                least(coalesce(sum(l.reserved_units) FILTER (WHERE l.scope = ANY ($1)), 0), $4) AS company_reserved,
                count(*) FILTER (WHERE l.scope = $2) AS project_rows,
                coalesce(min(coalesce(l.limit_units, $4)) FILTER (WHERE l.scope = $2), $4) AS project_limit,
                coalesce(sum(l.spent_units) FILTER (WHERE l.scope = $2), 0) AS project_spent,
                coalesce(sum(l.reserved_units) FILTER (WHERE l.scope = $2), 0) AS project_reserved
            FROM locked l),
        decision AS (
            SELECT t.*, coalesce(
                t.company_rows > 0 AND ($2 IS NULL OR t.project_rows > 0)
                AND ($5 OR t.company_limit = $4)
                AND ($2 IS NULL OR $3 <= t.project_limit - least(t.project_spent + t.project_reserved, $4))
                AND $3 <= t.company_limit - least(t.company_spent + t.company_reserved, $4), false) AS granted
            FROM tally t),
        reserved AS (
            INSERT INTO budget_reservations (id, owner, project_id, amount, units, model_id, reserved_at, company_scope)
            SELECT $6, $7, $8, $9, $3, $10, $11, $12 FROM decision WHERE granted),
        charged AS (
            UPDATE budgets b SET reserved_units = greatest(0, b.reserved_units + $3)
            FROM decision d WHERE d.granted AND (b.scope = $12 OR b.scope = $2))
        SELECT company_rows, coalesce(company_limit, $4)::bigint, company_spent::bigint, company_reserved::bigint,
               project_rows, project_limit::bigint, project_spent::bigint, project_reserved::bigint, granted
        FROM decision;
        """;

    /// <summary>Runs <see cref="ReserveSql"/>: whether it reserved, the company's and the project's figures, and whether a row is missing (then it wrote nothing).</summary>
    private async Task<(bool Granted, Tally Company, Tally? Project, bool Missing)> TryReserveOnceAsync(NpgsqlConnection c, BudgetReservationRequest request, long units, string reservationId, string[] companyRows, string companyRow, string? projectScope, bool lockAll, CancellationToken ct)
    {
        await using var command = Command(
            c,
            ReserveSql,
            Parameters.TextArray(companyRows),
            Parameters.Text(projectScope),
            units,
            BudgetUnits.Unlimited,
            lockAll,
            reservationId,
            request.Owner,
            Parameters.Text(request.ProjectId?.Value),
            request.Amount,
            Parameters.Text(request.ModelId),
            UnixTime.Floor(_database.Time.GetUtcNow()),
            companyRow);
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        await reader.ReadAsync(ct).ConfigureAwait(false);
        var company = new Tally(reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3));
        Tally? project = projectScope is null ? null : new Tally(reader.GetInt64(5), reader.GetInt64(6), reader.GetInt64(7));
        bool missing = reader.GetInt64(0) == 0 || (projectScope is not null && reader.GetInt64(4) == 0);
        return (reader.GetBoolean(8), company, project, missing);
    }

    /// <summary>Adds a statement that settles (charging <paramref name="actualUnits"/>) an open reservation to a commit's last batch: its budgets' rows are locked in order and updated in the same round trip as the rest of the commit. Nothing happens when the reservation is not open.</summary>
    internal static void AddSettlement(NpgsqlBatch batch, string reservationId, long actualUnits)
    {
        batch.BatchCommands.Add(BatchCommand("""
            SELECT 1 FROM budgets
            WHERE scope = (SELECT company_scope FROM budget_reservations WHERE id = $1)
               OR scope = (SELECT 'project:' || project_id FROM budget_reservations WHERE id = $1)
            ORDER BY scope FOR UPDATE;
            """, reservationId));
        batch.BatchCommands.Add(BatchCommand("""
            WITH closed AS (DELETE FROM budget_reservations WHERE id = $1 RETURNING project_id, units, company_scope)
            UPDATE budgets b SET
                reserved_units = greatest(0, b.reserved_units - closed.units),
                spent_units = CASE WHEN $2 > 0 AND b.spent_units > $3 - $2 THEN $3 ELSE b.spent_units + $2 END
            FROM closed
            WHERE b.scope = closed.company_scope OR b.scope = 'project:' || closed.project_id;
            """, reservationId, actualUnits, BudgetUnits.Unlimited));
    }

    /// <summary>Adds to a budget's reservations and spend in one statement (never below zero reserved; spend saturates at <see cref="BudgetUnits.Unlimited"/>).</summary>
    private static Task<int> AddReservedAsync(NpgsqlConnection c, string scope, long reservedDelta, long spentDelta, CancellationToken ct) =>
        ExecuteAsync(c, """
            INSERT INTO budgets (scope, spent_units, reserved_units) VALUES ($1, least($3, $4), greatest(0, $2))
            ON CONFLICT (scope) DO UPDATE SET
                reserved_units = greatest(0, budgets.reserved_units + $2),
                spent_units = CASE WHEN $3 > 0 AND budgets.spent_units > $4 - $3 THEN $4 ELSE budgets.spent_units + $3 END;
            """, ct, scope, reservedDelta, spentDelta, BudgetUnits.Unlimited);

    /// <summary>Reserves in the project (when given) and the company, or in neither; says who refused and whether only reservations stood in the way.</summary>
    /// <returns>The attempt, or <see langword="null"/> to start again locking every company row (nothing was written).</returns>
    private async Task<Attempt?> ReserveAsync(NpgsqlConnection c, BudgetReservationRequest request, long units, string reservationId, int tryNumber, CancellationToken ct)
    {
        var granted = new Attempt(BudgetReservationResult.Granted(new BudgetReservation(reservationId, request.ProjectId, request.Amount, request.Owner, request.ModelId)), false);
        if (tryNumber > 0 && await ScalarAsync<bool>(c, "SELECT EXISTS (SELECT 1 FROM budget_reservations WHERE id = $1);", ct, reservationId).ConfigureAwait(false))
        {
            // The first try committed and its reply was lost: that reservation is this one.
            return granted;
        }

        string? projectScope = request.ProjectId is { } id ? BudgetScope.ForProject(id).Value : null;
        // Without a company limit only one of the company's rows is locked (a random one of CompanyRows), with the
        // project's; with one, every company row, so the check sees the whole company. One statement locks them (in scope
        // order: 'company', 'company#1'..., then 'project:...', one order for every writer), checks and writes, in one
        // round trip and its own transaction. How many to lock is guessed from the last look; the locked rows say whether
        // the guess was right, and a wrong guess writes nothing.
        bool lockAll = _companyLimited;
        string companyRow = lockAll ? BudgetScope.Company.Value : CompanyRow(Random.Shared.Next(CompanyRows));
        string[] companyRows = lockAll ? AllCompanyRows : [companyRow];
        var (isGranted, company, project, missing) = await TryReserveOnceAsync(c, request, units, reservationId, companyRows, companyRow, projectScope, lockAll, ct).ConfigureAwait(false);
        if (missing)
        {
            // The first reservation in a budget: its rows are created (idempotently), then it runs again.
            await EnsureScopeAsync(c, companyRow, ct).ConfigureAwait(false);
            if (projectScope is not null)
            {
                await EnsureScopeAsync(c, projectScope, ct).ConfigureAwait(false);
            }

            (isGranted, company, project, _) = await TryReserveOnceAsync(c, request, units, reservationId, companyRows, companyRow, projectScope, lockAll, ct).ConfigureAwait(false);
        }

        bool limited = company.Limit != BudgetUnits.Unlimited;
        if (limited != lockAll)
        {
            _companyLimited = limited;
            if (limited)
            {
                // One row of a company that has a limit: the check needs them all. Nothing was written; the caller tries
                // again with every row.
                return null;
            }
        }

        if (isGranted)
        {
            return granted;
        }

        return project is { } p && !p.Fits(units) ? Refused(BudgetScope.ForProject(request.ProjectId!.Value), p) : Refused(BudgetScope.Company, company);

        Attempt Refused(BudgetScope scope, Tally refusedBy) => new(
            BudgetReservationResult.Refused(scope, BudgetUnits.ToDollars(refusedBy.Remaining), BudgetUnits.ToDollars(refusedBy.Reserved)),
            refusedBy.RoomAfterSpent >= units && (project is null || project.Value.RoomAfterSpent >= units) && company.RoomAfterSpent >= units);
    }

    private async Task<bool> CloseInOwnTransactionAsync(string reservationId, long actual, bool release, CancellationToken cancellationToken)
    {
        bool closed = await _database.InTransactionAsync(
            async (c, _, ct) =>
            {
                bool done = await CloseAsync(c, reservationId, actual, release, ct).ConfigureAwait(false);
                if (done)
                {
                    await NotifyAsync(c, ct).ConfigureAwait(false);
                }

                return done;
            },
            cancellationToken).ConfigureAwait(false);
        if (closed)
        {
            _database.BudgetChanged.Raise();
        }

        return closed;
    }

    /// <summary>Settles (charging <paramref name="actual"/>) or releases an open reservation; false when it is not open.</summary>
    private static async Task<bool> CloseAsync(NpgsqlConnection c, string reservationId, long actual, bool release, CancellationToken ct)
    {
        string? projectId;
        long units;
        string companyRow;
        await using (var command = Command(c, "DELETE FROM budget_reservations WHERE id = $1 RETURNING project_id, units, company_scope;", reservationId))
        await using (var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false))
        {
            if (!await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                return false; // already settled or released
            }

            projectId = reader.IsDBNull(0) ? null : reader.GetString(0);
            units = reader.GetInt64(1);
            companyRow = reader.GetString(2);
        }

        long spent = release ? 0 : actual;
        await AddReservedAsync(c, companyRow, -units, spent, ct).ConfigureAwait(false);
        if (projectId is not null)
        {
            await AddReservedAsync(c, BudgetScope.ForProject(new ProjectId(projectId)).Value, -units, spent, ct).ConfigureAwait(false);
        }

        return true;
    }

    /// <summary>Applies the configured company limit once, before the account is first used.</summary>
    private Task EnsureCompanyLimitAsync()
    {
        if (!_applyCompanyLimit)
        {
            return Task.CompletedTask;
        }

        var applied = Volatile.Read(ref _companyLimitApplied);
        if (applied is not null && !applied.IsFaulted && !applied.IsCanceled)
        {
            return applied;
        }

        var mine = SetLimitCoreAsync(BudgetScope.Company, _companyLimit, CancellationToken.None);
        return Interlocked.CompareExchange(ref _companyLimitApplied, mine, applied) == applied ? mine : Volatile.Read(ref _companyLimitApplied)!;
    }

    private async Task SetLimitCoreAsync(BudgetScope scope, decimal? limit, CancellationToken cancellationToken)
    {
        await _database.InTransactionAsync(
            async (c, _, ct) =>
            {
                string[] rows = await LockLimitRowsAsync(c, scope, ct).ConfigureAwait(false);
                await ExecuteAsync(c, "UPDATE budgets SET limit_units = $2 WHERE scope = ANY ($1);", ct, Parameters.TextArray(rows), Parameters.Bigint(limit is { } l ? BudgetUnits.FromDollarsFloor(l) : null)).ConfigureAwait(false);
                await NotifyAsync(c, ct).ConfigureAwait(false);
                return true;
            },
            cancellationToken).ConfigureAwait(false);
        _database.BudgetChanged.Raise();
    }

    private readonly record struct Attempt(BudgetReservationResult Result, bool OnlyInFlightStandsInWay);

    /// <summary>One budget's figures in units: the limit (<see cref="BudgetUnits.Unlimited"/> for none), settled spend and open reservations.</summary>
    private readonly record struct Tally(long Limit, long Spent, long Reserved)
    {
        private long Committed => BudgetUnits.AddSaturating(Spent, Reserved);

        public long Remaining => Math.Max(0, Limit - Committed);

        public long RoomAfterSpent => Math.Max(0, Limit - Spent);

        public bool Fits(long units) => units <= Limit - Committed;
    }
}
