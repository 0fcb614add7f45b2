using FsCheck;
using FsCheck.Fluent;
using Microsoft.Extensions.AI;

namespace VirtualItCompany.Routing.Tests.Budgets;

public sealed class BudgetProperties
{
    [FsCheck.Xunit.Property(MaxTest = 200)]
    public bool Ledger_spend_never_exceeds_any_budget_with_64_concurrent_callers_Meets_Specification(PositiveInt seed)
    {
        var random = new Random(seed.Get);
        decimal globalLimit = random.Next(0, 2_000) / 1000m;
        var ledger = new BudgetLedger(globalLimit);
        var projects = Enumerable.Range(0, 1 + random.Next(4)).Select(i => ledger.ObserveProject($"p{i}", random.Next(0, 1_000) / 1000m, 0m)).ToArray();
        int[] seeds = [.. Enumerable.Range(0, 64).Select(_ => random.Next())];

        Parallel.For(0, 64, new ParallelOptions { MaxDegreeOfParallelism = 64 }, caller =>
        {
            var r = new Random(seeds[caller]);
            for (int i = 0; i < 50; i++)
            {
                var account = projects[r.Next(projects.Length)];
                decimal worst = r.Next(1, 100_000) / 1_000_000m;
                if (ledger.TryReserve(account, worst, out var reservation))
                {
                    if (r.Next(4) == 0)
                    {
                        ledger.Release(reservation);
                    }
                    else
                    {
                        ledger.Settle(reservation, worst * r.Next(0, 101) / 100m);
                    }
                }
            }
        });

        return ledger.Global.Spent <= globalLimit
            && projects.All(p => p.Spent <= p.Limit && p.Reserved == 0m)
            && ledger.Global.Reserved == 0m
            && projects.Sum(p => p.Spent) == ledger.Global.Spent;
    }

    [FsCheck.Xunit.Property(MaxTest = 200)]
    public async Task<bool> Router_spend_never_exceeds_any_budget_with_64_concurrent_callers_Meets_Specification(PositiveInt seed)
    {
        var random = new Random(seed.Get);
        int count = 1 + random.Next(5);
        var fakes = Enumerable.Range(0, count).Select(i => new FakeModel($"m{i}") { OutputTokens = random.Next(1, 3_000) }).ToArray();
        var profiles = fakes.Select(f => Models.Profile(f.ModelId, input: random.Next(0, 20), output: random.Next(0, 80), maxOutput: 1 + random.Next(4_096))).ToArray();
        decimal globalLimit = random.Next(0, 400) / 100m;
        var ledger = new BudgetLedger(globalLimit);
        var options = Models.OneBand(random.Next(2) == 0 ? BandOrder.CheapestFirst : BandOrder.Preference, [.. profiles.Select(p => p.Id)]);
        var router = new CostAwareRoutingChatClient(profiles.Zip(fakes, (p, f) => new RoutedModel(p, f)), options, ledger);
        decimal[] projectLimits = [.. Enumerable.Range(0, 3).Select(_ => random.Next(0, 200) / 100m)];
        int[] seeds = [.. Enumerable.Range(0, 64).Select(_ => random.Next())];

        await Task.WhenAll(Enumerable.Range(0, 64).Select(caller => Task.Run(async () =>
        {
            var r = new Random(seeds[caller]);
            for (int i = 0; i < 4; i++)
            {
                int project = r.Next(projectLimits.Length);
                var call = new ChatOptions().WithComplexity(r.Next(1, 11)).WithBudget($"p{project}", projectLimits[project]);
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
            }
        })));

        bool projectsWithin = Enumerable.Range(0, projectLimits.Length).All(p => ledger.GetProjectAccount($"p{p}").Spent <= projectLimits[p]);
        return ledger.Global.Spent <= globalLimit && projectsWithin && ledger.Global.Reserved == 0m;
    }
}
