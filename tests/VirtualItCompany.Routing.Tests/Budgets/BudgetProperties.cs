using FsCheck;
using FsCheck.Fluent;
using Microsoft.Extensions.AI;

namespace VirtualItCompany.Routing.Tests.Budgets;

public sealed class BudgetProperties
{
    private static readonly ProjectId[] Projects = [new("p0"), new("p1"), new("p2")];

    /// <summary>
    /// Random reserve, settle, release, settle-owner and limit sequences against the in-memory account agree, after every
    /// step, with a plain model of the specification (decimal sums, both-or-neither, settle once, never past a limit).
    /// </summary>
    [FsCheck.Xunit.Property(MaxTest = 300)]
    public async Task<bool> Budget_account_Meets_Specification(PositiveInt seed)
    {
        var random = new Random(seed.Get);
        decimal? companyLimit = random.Next(4) == 0 ? null : random.Next(0, 3_000) / 1000m;
        var account = new InMemoryBudgetAccount(companyLimit);
        var model = new Dictionary<string, (decimal? Limit, decimal Spent, decimal Reserved)> { ["company"] = (companyLimit, 0m, 0m) };
        foreach (var p in Projects)
        {
            model[BudgetScope.ForProject(p).Value] = (null, 0m, 0m);
        }

        var open = new List<BudgetReservation>();
        var closed = new List<BudgetReservation>();
        for (int step = 0; step < 60; step++)
        {
            var project = random.Next(4) is var p && p < Projects.Length ? Projects[p] : (ProjectId?)null;
            string? projectKey = project is { } id ? BudgetScope.ForProject(id).Value : null;
            switch (random.Next(7))
            {
                case 0 or 1 or 2:
                    decimal amount = random.Next(0, 800) / 1000m;
                    var result = await account.TryReserveAsync(new(project, amount, $"owner{random.Next(3)}"));
                    bool fits = Fits("company", amount) && (projectKey is null || Fits(projectKey, amount));
                    if (result.IsGranted != fits)
                    {
                        return false;
                    }

                    if (fits)
                    {
                        Add("company", 0m, amount);
                        if (projectKey is not null)
                        {
                            Add(projectKey, 0m, amount);
                        }

                        open.Add(result.Reservation!);
                    }

                    break;
                case 3 when open.Count > 0:
                    var settled = Take(open);
                    decimal actual = random.Next(0, 1_000) / 1000m;
                    if (!await account.SettleAsync(settled, actual))
                    {
                        return false;
                    }

                    Close(settled, actual);
                    break;
                case 4 when open.Count > 0:
                    var released = Take(open);
                    if (!await account.ReleaseAsync(released))
                    {
                        return false;
                    }

                    Close(released, null);
                    break;
                case 5 when closed.Count > 0:
                    var again = closed[random.Next(closed.Count)];
                    if (await account.SettleAsync(again, 0.5m) || await account.ReleaseAsync(again))
                    {
                        return false;
                    }

                    break;
                case 6:
                    string owner = $"owner{random.Next(3)}";
                    var expected = open.Where(r => r.Owner == owner).Select(r => r.Id).Order(StringComparer.Ordinal).ToList();
                    var taken = await account.SettleOwnerAsync(owner);
                    if (!taken.Select(r => r.Id).Order(StringComparer.Ordinal).SequenceEqual(expected))
                    {
                        return false;
                    }

                    foreach (var r in taken)
                    {
                        open.RemoveAll(o => o.Id == r.Id);
                        Close(r, r.Amount);
                    }

                    break;
                default:
                    decimal limit = random.Next(0, 3_000) / 1000m;
                    var scope = project is { } pid ? BudgetScope.ForProject(pid) : BudgetScope.Company;
                    var before = model[scope.Value];
                    if (random.Next(2) == 0)
                    {
                        await account.SetLimitAsync(scope, limit);
                        model[scope.Value] = before with { Limit = limit };
                    }
                    else
                    {
                        await account.RaiseLimitAsync(scope, limit);
                        model[scope.Value] = before with { Limit = before.Limit is { } l ? Math.Max(l, limit) : limit };
                    }

                    break;
            }

            foreach (var (key, (limit, spent, reserved)) in model)
            {
                BudgetScope.TryParse(key, out var scope);
                if (await account.GetBalanceAsync(scope) != new BudgetBalance(scope, limit, spent, reserved))
                {
                    return false;
                }
            }
        }

        return true;

        bool Fits(string key, decimal amount) => model[key] is var (limit, spent, reserved) && (limit is null || spent + reserved + amount <= limit);

        void Add(string key, decimal spent, decimal reserved) =>
            model[key] = model[key] with { Spent = model[key].Spent + spent, Reserved = model[key].Reserved + reserved };

        BudgetReservation Take(List<BudgetReservation> list)
        {
            int i = random.Next(list.Count);
            var r = list[i];
            list.RemoveAt(i);
            return r;
        }

        void Close(BudgetReservation r, decimal? actual)
        {
            closed.Add(r);
            Add("company", actual ?? 0m, -r.Amount);
            if (r.ProjectId is { } id)
            {
                Add(BudgetScope.ForProject(id).Value, actual ?? 0m, -r.Amount);
            }
        }
    }

    [FsCheck.Xunit.Property(MaxTest = 200)]
    public async Task<bool> Account_spend_never_exceeds_any_budget_with_64_concurrent_callers_Meets_Specification(PositiveInt seed)
    {
        var random = new Random(seed.Get);
        decimal companyLimit = random.Next(0, 2_000) / 1000m;
        var account = new InMemoryBudgetAccount(companyLimit);
        var limits = Enumerable.Range(0, 1 + random.Next(4)).Select(_ => random.Next(0, 1_000) / 1000m).ToArray();
        for (int i = 0; i < limits.Length; i++)
        {
            await account.SetLimitAsync(BudgetScope.ForProject(new($"p{i}")), limits[i]);
        }

        int[] seeds = [.. Enumerable.Range(0, 64).Select(_ => random.Next())];
        await Parallel.ForAsync(0, 64, new ParallelOptions { MaxDegreeOfParallelism = 64 }, async (caller, _) =>
        {
            var r = new Random(seeds[caller]);
            for (int i = 0; i < 50; i++)
            {
                decimal worst = r.Next(1, 100_000) / 1_000_000m;
                var result = await account.TryReserveAsync(new(new ProjectId($"p{r.Next(limits.Length)}"), worst, $"c{caller}") { MaxWait = r.Next(4) == 0 ? TimeSpan.FromMilliseconds(5) : TimeSpan.Zero });
                if (result.Reservation is { } reservation)
                {
                    if (r.Next(4) == 0)
                    {
                        await account.ReleaseAsync(reservation);
                    }
                    else
                    {
                        await account.SettleAsync(reservation, worst * r.Next(0, 101) / 100m);
                    }
                }
            }
        });

        var company = await account.GetBalanceAsync(BudgetScope.Company);
        var projects = await Task.WhenAll(Enumerable.Range(0, limits.Length).Select(i => account.GetBalanceAsync(BudgetScope.ForProject(new($"p{i}"))).AsTask()));
        return company.Spent <= companyLimit
            && company.Reserved == 0m
            && projects.All(p => p.Spent <= p.Limit && p.Reserved == 0m)
            && projects.Sum(p => p.Spent) == company.Spent;
    }

    [FsCheck.Xunit.Property(MaxTest = 200)]
    public async Task<bool> Router_spend_never_exceeds_any_budget_with_64_concurrent_callers_Meets_Specification(PositiveInt seed)
    {
        var random = new Random(seed.Get);
        int count = 1 + random.Next(5);
        var fakes = Enumerable.Range(0, count).Select(i => new FakeModel($"m{i}") { OutputTokens = random.Next(1, 3_000) }).ToArray();
        var profiles = fakes.Select(f => Models.Profile(f.ModelId, input: random.Next(0, 20), output: random.Next(0, 80), maxOutput: 1 + random.Next(4_096))).ToArray();
        decimal companyLimit = random.Next(0, 400) / 100m;
        var account = new InMemoryBudgetAccount(companyLimit);
        var options = Models.OneBand(random.Next(2) == 0 ? BandOrder.CheapestFirst : BandOrder.Preference, [.. profiles.Select(p => p.Id)]);
        var router = new CostAwareRoutingChatClient(profiles.Zip(fakes, (p, f) => new RoutedModel(p, f)), options, account);
        decimal[] projectLimits = [.. Enumerable.Range(0, 3).Select(_ => random.Next(0, 200) / 100m)];
        var charged = new decimal[projectLimits.Length];
        int[] seeds = [.. Enumerable.Range(0, 64).Select(_ => random.Next())];
        for (int p = 0; p < projectLimits.Length; p++)
        {
            await account.SetLimitAsync(BudgetScope.ForProject(new($"p{p}")), projectLimits[p]);
        }

        await Task.WhenAll(Enumerable.Range(0, 64).Select(caller => Task.Run(async () =>
        {
            var r = new Random(seeds[caller]);
            for (int i = 0; i < 4; i++)
            {
                int project = r.Next(projectLimits.Length);
                var context = TestBudgets.Context($"p{project}", $"wi_{caller}_{i}");
                var call = context.AttachTo(new ChatOptions().WithComplexity(r.Next(1, 11)));
                if (r.Next(2) == 0)
                {
                    call.MaxOutputTokens = r.Next(1, 5_000);
                }

                try
                {
                    if (r.Next(2) == 0)
                    {
                        await router.GetResponseAsync(Models.Ask(new string('a', r.Next(1, 20_000))), call);
                    }
                    else
                    {
                        await foreach (var _ in router.GetStreamingResponseAsync(Models.Ask(new string('b', r.Next(1, 20_000))), call))
                        {
                        }
                    }
                }
                catch (BudgetExhaustedException)
                {
                }

                lock (charged)
                {
                    charged[project] += context.TakeCharges().Sum(c => c.Cost);
                }
            }
        })));

        bool projectsWithin = Enumerable.Range(0, projectLimits.Length).All(p => account.Project($"p{p}") is var b && b.Spent <= projectLimits[p] && b.Spent == charged[p]);
        var company = account.Company();
        return company.Spent <= companyLimit && projectsWithin && company.Reserved == 0m && company.Spent == charged.Sum();
    }
}
