using System.Globalization;
using Microsoft.Data.Sqlite;

namespace VirtualItCompany.Storage.Sqlite;

/// <summary>
/// The budget account in the SQLite file: limits, settled spend and open reservations (with their owners) per scope,
/// changed only inside write transactions, so every worker of every process that opens the file shares one truth.
/// </summary>
/// <remarks>
/// Reservations, settlements and refusals follow <c>InMemoryBudgetAccount</c> to the nano-dollar. A reservation that waits
/// (<see cref="BudgetReservationRequest.MaxWait"/>) wakes when this process frees budget, and looks again at least every
/// <see cref="CrossProcessPoll"/> for what other processes freed.
/// </remarks>
internal sealed class SqliteBudgetAccount : IBudgetAccount
{
    /// <summary>How often a waiting reservation looks again for budget freed by other processes.</summary>
    internal static readonly TimeSpan CrossProcessPoll = TimeSpan.FromMilliseconds(250);

    private readonly SqliteDatabase _database;
    private readonly decimal? _companyLimit;
    private readonly bool _applyCompanyLimit;
    private Task? _companyLimitApplied;

    /// <summary>Creates the account over an open database.</summary>
    /// <param name="database">The database.</param>
    public SqliteBudgetAccount(SqliteDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        _database = database;
    }

    /// <summary>Creates the account over an open database and sets the company limit before its first use.</summary>
    /// <param name="database">The database.</param>
    /// <param name="companyLimit">The company limit from configuration (<c>RoutingOptions.GlobalBudget</c>); <see langword="null"/> for none.</param>
    public SqliteBudgetAccount(SqliteDatabase database, decimal? companyLimit)
        : this(database)
    {
        if (companyLimit is { } limit)
        {
            BudgetLimits.ThrowIfOutOfRange(limit, nameof(companyLimit));
        }

        _companyLimit = companyLimit;
        _applyCompanyLimit = true;
    }

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
            var attempt = await _database.WriteAsync(context => Reserve(context.Connection, request, units), cancellationToken).ConfigureAwait(false);
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
                await changed.WaitAsync(left < CrossProcessPoll ? left : CrossProcessPoll, time, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // Look again: another process may have settled, or the deadline came (one last try).
            }
        }
    }

    /// <inheritdoc />
    public async ValueTask<bool> SettleAsync(BudgetReservation reservation, decimal actualCost, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reservation);
        BudgetLimits.ThrowIfOutOfRange(actualCost, nameof(actualCost));
        long actual = BudgetUnits.FromDollarsCeiling(actualCost);
        return await _database.WriteAsync(context => Close(context, reservation.Id, actual, release: false), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<bool> ReleaseAsync(BudgetReservation reservation, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reservation);
        return await _database.WriteAsync(context => Close(context, reservation.Id, 0, release: true), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<BudgetReservation>> SettleOwnerAsync(string owner, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(owner);
        return await _database.WriteAsync(context => SettleOwner(context, owner), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Charges at their full amount the reservations <paramref name="owner"/> left open, in the caller's write.</summary>
    internal static IReadOnlyList<BudgetReservation> SettleOwner(WriteContext context, string owner)
    {
        var open = new List<(BudgetReservation Reservation, long Units)>();
        using (var command = context.Connection.Command("SELECT id, project_id, amount, units, model_id FROM budget_reservations WHERE owner = $owner ORDER BY reserved_at, id;").With("$owner", owner))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                var projectId = reader.StringOrNull(1) is { } id ? new ProjectId(id) : (ProjectId?)null;
                var reservation = new BudgetReservation(reader.GetString(0), projectId, ParseAmount(reader.GetString(2)), owner, reader.StringOrNull(4));
                open.Add((reservation, reader.GetInt64(3)));
            }
        }

        foreach (var (reservation, units) in open)
        {
            // Left open by its owner: charged at its full amount, so none is under-counted.
            Close(context, reservation.Id, units, release: false);
        }

        return [.. open.Select(o => o.Reservation)];
    }

    /// <inheritdoc />
    public async ValueTask<BudgetBalance> GetBalanceAsync(BudgetScope scope, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        await EnsureCompanyLimitAsync().ConfigureAwait(false);
        var tally = _database.Read(c => ReadTally(c, scope.Value));
        if (tally is null)
        {
            return new BudgetBalance(scope, null, 0m, 0m);
        }

        return new BudgetBalance(
            scope,
            tally.Value.Limit >= BudgetUnits.Unlimited ? null : BudgetUnits.ToDollars(tally.Value.Limit),
            BudgetUnits.ToDollars(tally.Value.Spent),
            BudgetUnits.ToDollars(tally.Value.Reserved));
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
        await _database.WriteAsync(
            context =>
            {
                RaiseLimit(context, scope, units);
                return true;
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Raises a limit in a write: never lowers one, gives one to a budget without.</summary>
    private static void RaiseLimit(WriteContext context, BudgetScope scope, long units)
    {
        EnsureScope(context.Connection, scope.Value);
        using var command = context.Connection.Command("UPDATE budgets SET limit_units = $limit WHERE scope = $scope AND (limit_units IS NULL OR limit_units < $limit);")
            .With("$scope", scope.Value)
            .With("$limit", units);
        if (command.ExecuteNonQuery() > 0)
        {
            context.BudgetChanged = true;
        }
    }

    /// <inheritdoc />
    public override string ToString() => $"SQLite budget account ({_database.FilePath})";

    /// <summary>Gets the database the account lives in.</summary>
    internal SqliteDatabase Database => _database;

    /// <summary>Applies a commit's budget operation inside the commit's write (see <see cref="IBudgetCommitStore"/>).</summary>
    /// <param name="context">The commit's write.</param>
    /// <param name="operation">The operation, checked by <see cref="ProjectCommit.Validate"/>.</param>
    internal static void Apply(WriteContext context, BudgetOperation operation)
    {
        switch (operation)
        {
            case SettleReservation settle:
                // Ignored when the reservation is already settled or released, as SettleAsync has it.
                Close(context, settle.ReservationId, BudgetUnits.FromDollarsCeiling(settle.Cost), release: false);
                break;
            case RaiseBudgetLimit raise:
                RaiseLimit(context, raise.Scope, BudgetUnits.FromDollarsFloor(raise.Limit));
                break;
            default:
                throw new NotSupportedException($"The SQLite store does not know the budget operation {operation.GetType().Name}.");
        }
    }

    private static decimal ParseAmount(string text) => decimal.Parse(text, NumberStyles.Number, CultureInfo.InvariantCulture);

    private static Tally? ReadTally(SqliteConnection connection, string scope)
    {
        using var command = connection.Command("SELECT limit_units, spent_units, reserved_units FROM budgets WHERE scope = $scope;").With("$scope", scope);
        using var reader = command.ExecuteReader();
        return reader.Read() ? new Tally(reader.Int64OrNull(0) ?? BudgetUnits.Unlimited, reader.GetInt64(1), reader.GetInt64(2)) : null;
    }

    private static void EnsureScope(SqliteConnection connection, string scope)
    {
        using var command = connection.Command("INSERT INTO budgets (scope) VALUES ($scope) ON CONFLICT (scope) DO NOTHING;").With("$scope", scope);
        command.ExecuteNonQuery();
    }

    /// <summary>Adds to a budget's reservations and spend in one statement (never below zero reserved; spend saturates at <see cref="BudgetUnits.Unlimited"/>, as <see cref="BudgetUnits.AddSaturating"/>).</summary>
    private static void AddReserved(SqliteConnection connection, string scope, long reservedDelta, long spentDelta)
    {
        using var command = connection.Command("""
            INSERT INTO budgets (scope, spent_units, reserved_units) VALUES ($scope, min($spent, $unlimited), max(0, $reserved))
            ON CONFLICT (scope) DO UPDATE SET
                reserved_units = max(0, reserved_units + $reserved),
                spent_units = CASE WHEN $spent > 0 AND spent_units > $unlimited - $spent THEN $unlimited ELSE spent_units + $spent END;
            """).With("$scope", scope).With("$spent", spentDelta).With("$reserved", reservedDelta).With("$unlimited", BudgetUnits.Unlimited);
        command.ExecuteNonQuery();
    }

    /// <summary>Reserves in the project (when given) and the company, or in neither; says who refused and whether only reservations stood in the way.</summary>
    private Attempt Reserve(SqliteConnection connection, BudgetReservationRequest request, long units)
    {
        string? projectScope = request.ProjectId is { } id ? BudgetScope.ForProject(id).Value : null;
        var project = projectScope is null ? (Tally?)null : ReadTally(connection, projectScope) ?? new Tally(BudgetUnits.Unlimited, 0, 0);
        var company = ReadTally(connection, BudgetScope.Company.Value) ?? new Tally(BudgetUnits.Unlimited, 0, 0);
        if (project is { } p && !p.Fits(units))
        {
            return Refused(BudgetScope.ForProject(request.ProjectId!.Value), p);
        }

        if (!company.Fits(units))
        {
            return Refused(BudgetScope.Company, company);
        }

        string reservationId = "res_" + Guid.CreateVersion7().ToString("N");
        using (var command = connection.Command("""
            INSERT INTO budget_reservations (id, owner, project_id, amount, units, model_id, reserved_at)
            VALUES ($id, $owner, $project, $amount, $units, $model, $at);
            """))
        {
            command.With("$id", reservationId)
                .With("$owner", request.Owner)
                .With("$project", request.ProjectId?.Value)
                .With("$amount", request.Amount.ToString(CultureInfo.InvariantCulture))
                .With("$units", units)
                .With("$model", request.ModelId)
                .With("$at", UnixTime.Floor(_database.Time.GetUtcNow()))
                .ExecuteNonQuery();
        }

        if (projectScope is not null)
        {
            AddReserved(connection, projectScope, units, 0);
        }

        AddReserved(connection, BudgetScope.Company.Value, units, 0);
        return new Attempt(BudgetReservationResult.Granted(new BudgetReservation(reservationId, request.ProjectId, request.Amount, request.Owner, request.ModelId)), false);

        Attempt Refused(BudgetScope scope, Tally refusedBy) => new(
            BudgetReservationResult.Refused(scope, BudgetUnits.ToDollars(refusedBy.Remaining), BudgetUnits.ToDollars(refusedBy.Reserved)),
            refusedBy.RoomAfterSpent >= units && (project is null || project.Value.RoomAfterSpent >= units) && company.RoomAfterSpent >= units);
    }

    /// <summary>Settles (charging <paramref name="actual"/>) or releases an open reservation; false when it is not open.</summary>
    private static bool Close(WriteContext context, string reservationId, long actual, bool release)
    {
        var connection = context.Connection;
        string? projectId;
        long units;
        using (var command = connection.Command("DELETE FROM budget_reservations WHERE id = $id RETURNING project_id, units;").With("$id", reservationId))
        using (var reader = command.ExecuteReader())
        {
            if (!reader.Read())
            {
                return false; // already settled or released
            }

            projectId = reader.StringOrNull(0);
            units = reader.GetInt64(1);
        }

        long spent = release ? 0 : actual;
        if (projectId is not null)
        {
            AddReserved(connection, BudgetScope.ForProject(new ProjectId(projectId)).Value, -units, spent);
        }

        AddReserved(connection, BudgetScope.Company.Value, -units, spent);
        context.BudgetChanged = true;
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

        // First use, or the last try failed (the file was locked): apply it now.
        var mine = SetLimitCoreAsync(BudgetScope.Company, _companyLimit, CancellationToken.None);
        return Interlocked.CompareExchange(ref _companyLimitApplied, mine, applied) == applied ? mine : Volatile.Read(ref _companyLimitApplied)!;
    }

    private Task<bool> SetLimitCoreAsync(BudgetScope scope, decimal? limit, CancellationToken cancellationToken) =>
        _database.WriteAsync(
            context =>
            {
                EnsureScope(context.Connection, scope.Value);
                using var command = context.Connection.Command("UPDATE budgets SET limit_units = $limit WHERE scope = $scope;")
                    .With("$scope", scope.Value)
                    .With("$limit", limit is { } l ? BudgetUnits.FromDollarsFloor(l) : null);
                command.ExecuteNonQuery();
                context.BudgetChanged = true;
                return true;
            },
            cancellationToken);

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
