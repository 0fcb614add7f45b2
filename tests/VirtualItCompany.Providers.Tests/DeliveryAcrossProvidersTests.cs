using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using VirtualItCompany.Providers.OpenAI;
using VirtualItCompany.Providers.Tests.Wire;
using VirtualItCompany.Routing;
using VirtualItCompany.Runtime;
using VirtualItCompany.Testing;
using VirtualItCompany.Testing.Conformance;

namespace VirtualItCompany.Providers.Tests;

/// <summary>
/// A whole delivery, routed across two providers that are real HTTP servers speaking OpenAI's protocol (OpenAI and Groq,
/// through AddOpenAI and AddGroq), whose answers are the offline model's. The cheaper one (GPT-4o mini) rate-limits a call
/// with a Retry-After and later is overloaded (503) for a while: the project still completes, through retries and
/// fallback to Groq, each call charged to the provider that served it at its price, and never more than the budget.
/// </summary>
public sealed class DeliveryAcrossProvidersTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Counts what a fake provider served, and fails the calls it is told to.</summary>
    private sealed class Served(Func<int, ScriptedFailure?> failOn)
    {
        private int _requests;
        private int _answers;

        public int Answers => _answers;

        public List<int> Failed { get; } = [];

        public async Task<ProviderScript> RespondAsync(RecordedRequest request, CancellationToken cancellationToken)
        {
            int n = Interlocked.Increment(ref _requests);
            if (failOn(n) is { } failure)
            {
                lock (Failed)
                {
                    Failed.Add(n);
                }

                return failure;
            }

            var answer = await OfflineResponder.AnswerAsync(request, cancellationToken);
            Interlocked.Increment(ref _answers);
            return answer;
        }
    }

    [Fact]
    public async Task A_delivery_completes_through_rate_limits_and_overload_with_each_call_charged_to_the_provider_that_served_it()
    {
        await using var openAI = await FakeProviderServer.StartAsync(new OpenAIWire(), Ct);
        await using var groq = await FakeProviderServer.StartAsync(new OpenAIWire(), Ct);
        // OpenAI: the 3rd call is rate-limited (Retry-After: 1 s, short enough to wait for), calls 6 to 8 are overloaded
        // (the first try and both retries of one call), so that call falls back to Groq.
        var openAIServed = new Served(n => n == 3 ? new ScriptedFailure(ProviderFailure.RateLimited, TimeSpan.FromSeconds(1))
            : n is >= 6 and <= 8 ? new ScriptedFailure(ProviderFailure.Overloaded) : null);
        var groqServed = new Served(_ => null);
        openAI.Responder = openAIServed.RespondAsync;
        groq.Responder = groqServed.RespondAsync;

        var services = new ServiceCollection();
        services.AddSingleton<IWorkspaceProvider>(new InMemoryWorkspaceProvider());
        services.AddVirtualItCompany(o =>
            {
                o.Workers = 2;
                o.PollInterval = TimeSpan.FromMilliseconds(50);
                o.RetryBaseDelay = TimeSpan.FromMilliseconds(10);
            })
            .AddOpenAI(o =>
            {
                o.ApiKey = "sk-delivery-test-0123456789";
                o.Endpoint = openAI.BaseAddress;
                o.Models.Add("gpt-4o-mini");
            })
            .AddGroq(o =>
            {
                o.ApiKey = "gsk_delivery_test_0123456789";
                o.Endpoint = groq.BaseAddress;
                // Groq serves structured output for this model; the shipped profile does not claim it, so without this the
                // agents' JSON-schema calls have nowhere to go while OpenAI's circuit is open (the item is parked).
                o.Profiles.Add(GroqModels.Llama with { Capabilities = GroqModels.Llama.Capabilities | ModelCapabilities.JsonSchema });
            });
        services.Configure<RoutingOptions>(o => o.Resilience.RetryDelay = TimeSpan.FromMilliseconds(20));
        await using var sp = services.BuildServiceProvider();
        var company = sp.GetRequiredService<IDeliveryCompany>();
        using var stop = new CancellationTokenSource();
        var workers = sp.GetRequiredService<WorkDispatcher>().RunAsync(stop.Token);

        var project = await company.SubmitAsync(new ProjectBrief { Title = "Recipe box", Description = "A small service where a cafe keeps its recipes.", AcceptanceCriteria = ["Lists the recipes", "Answers a health check"], Budget = 1m }, Ct);
        var events = new List<ProjectEvent>();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromMinutes(3));
        try
        {
            await foreach (var e in company.WatchAsync(project.Id, cancellationToken: timeout.Token))
            {
                events.Add(e);
                if (e is ClientInputRequested { Kind: ClientInputKind.Review })
                {
                    await company.ApproveAsync(project.Id, "Looks right.", Ct);
                }
            }
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !Ct.IsCancellationRequested)
        {
            Assert.Fail("The delivery did not end in time; its events: " + string.Join(" | ", events.Select(e => e.Description)));
        }

        await stop.CancelAsync();
        await workers;
        var done = await company.GetAsync(project.Id, Ct);
        Assert.Equal(ProjectStatus.Completed, done.Status);
        Assert.IsType<ProjectCompleted>(events[^1]);

        // The failures happened, and the project went on through them.
        Assert.Equal([3, 6, 7, 8], openAIServed.Failed);
        Assert.True(groqServed.Answers > 0, "The overloaded call should have fallen back to Groq.");

        // Each call is charged to the provider that served it, at that provider's price.
        var calls = events.OfType<ModelCallCompleted>().ToList();
        var byModel = calls.GroupBy(c => c.Routing!.ChosenModelId).ToDictionary(g => g.Key, g => g.ToList());
        Assert.Equal(openAIServed.Answers, byModel.GetValueOrDefault(OpenAIModels.Gpt4oMini.Id)?.Count ?? 0);
        Assert.Equal(groqServed.Answers, byModel.GetValueOrDefault(GroqModels.Llama.Id)?.Count ?? 0);
        foreach (var call in calls)
        {
            var profile = call.Routing!.ChosenModelId == GroqModels.Llama.Id ? GroqModels.Llama : OpenAIModels.Gpt4oMini;
            Assert.Equal(profile.ModelId, call.ModelId);
            Assert.True(call.Cost > 0m);
            Assert.Equal(profile.Pricing.CostOf(new UsageDetails { InputTokenCount = call.InputTokens, OutputTokenCount = call.OutputTokens }), call.Cost);
        }

        // The call that met the overload failed over from OpenAI to Groq, and says so.
        Assert.Contains(calls, c => c.Routing!.ChosenModelId == GroqModels.Llama.Id && c.Routing.FailedOver.Contains(OpenAIModels.Gpt4oMini.Id));

        // The rate limit and the overload were refused before any work: nothing was charged for them.
        Assert.Equal(calls.Sum(c => c.Cost), done.Spent);
        Assert.True(done.Spent <= done.Brief.Budget, $"spent {done.Spent} of {done.Brief.Budget}");
    }
}
