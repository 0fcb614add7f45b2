using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using VirtualItCompany.Providers.Tests.Wire;
using VirtualItCompany.Runtime;
using VirtualItCompany.Testing;
using VirtualItCompany.Testing.Conformance;

namespace VirtualItCompany.Providers.Tests;

/// <summary>
/// What a user gets wrong: no key, a model the provider rejects, a configuration value that is not one. A clear error
/// names the provider, the model and what to set; the work item is parked (never lost); the key appears in no log,
/// event or trace.
/// </summary>
public sealed class BadInputTests
{
    private const string Key = "sk-proj-bad-input-test-9f8e7d6c5b4a";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("openai", "OPENAI_API_KEY", "VirtualItCompany:Providers:OpenAI:ApiKey")]
    [InlineData("groq", "GROQ_API_KEY", "VirtualItCompany:Providers:Groq:ApiKey")]
    [InlineData("anthropic", "ANTHROPIC_API_KEY", "VirtualItCompany:Providers:Anthropic:ApiKey")]
    public void A_missing_key_is_refused_at_start_saying_where_to_set_it(string provider, string variable, string setting)
    {
        Assert.SkipWhen(Environment.GetEnvironmentVariable(variable) is { Length: > 0 }, $"{variable} is set in this environment.");
        var services = new ServiceCollection();
        var builder = new BareBuilder(services);
        _ = provider switch
        {
            "openai" => builder.AddOpenAI(),
            "groq" => builder.AddGroq(),
            _ => builder.AddAnthropic(),
        };
        using var sp = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => sp.GetServices<ModelRegistration>().ToList());

        Assert.Contains(variable, error.Message, StringComparison.Ordinal);
        Assert.Contains(setting, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Keys_endpoints_and_profile_values_come_from_configuration()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["VirtualItCompany:Providers:OpenAI:ApiKey"] = Key,
            ["VirtualItCompany:Providers:OpenAI:Endpoint"] = "http://127.0.0.1:9/v1",
            ["VirtualItCompany:Providers:OpenAI:Profiles:gpt-4o-mini:InputPerMillion"] = "0.2",
            ["VirtualItCompany:Providers:OpenAI:Profiles:gpt-4o-mini:Capabilities"] = "Tools, JsonSchema, Code",
            ["VirtualItCompany:Providers:Ollama:Endpoint"] = "0.0.0.0:11500",
        }).Build());
        new BareBuilder(services).AddOpenAI().AddOllama(o => o.Models.Add("qwen2.5-coder"));
        using var sp = services.BuildServiceProvider();

        var profiles = sp.GetServices<ModelRegistration>().Select(r => r.Profile).ToDictionary(p => p.Id);

        var mini = profiles["openai/gpt-4o-mini"];
        Assert.Equal(0.2m, mini.Pricing.InputPerMillion);
        Assert.Equal(0.60m, mini.Pricing.OutputPerMillion);
        Assert.Equal(ModelCapabilities.Tools | ModelCapabilities.JsonSchema | ModelCapabilities.Code, mini.Capabilities);
        Assert.Equal(2.50m, profiles["openai/gpt-4o"].Pricing.InputPerMillion);
        var qwen = profiles["ollama/qwen2.5-coder"];
        Assert.True(qwen.IsLocal);
        Assert.Equal(ModelPricing.Free, qwen.Pricing);
    }

    [Fact]
    public void A_configured_value_that_is_not_one_is_refused_naming_the_setting()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["VirtualItCompany:Providers:OpenAI:ApiKey"] = Key,
            ["VirtualItCompany:Providers:OpenAI:Profiles:gpt-4o:OutputPerMillion"] = "ten dollars",
        }).Build());
        new BareBuilder(services).AddOpenAI();
        using var sp = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => sp.GetServices<ModelRegistration>().ToList());

        Assert.Contains("VirtualItCompany:Providers:OpenAI:Profiles:gpt-4o:OutputPerMillion", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_model_with_no_shipped_profile_needs_its_prices()
    {
        var services = new ServiceCollection();
        new BareBuilder(services).AddOpenAI(o =>
        {
            o.ApiKey = Key;
            o.Models.Add("gpt-9-preview");
        });
        using var sp = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => sp.GetServices<ModelRegistration>().ToList());

        Assert.Contains("gpt-9-preview", error.Message, StringComparison.Ordinal);
        Assert.Contains("VirtualItCompany:Providers:OpenAI:Profiles:gpt-9-preview:InputPerMillion", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_model_the_provider_rejects_parks_the_work_item_with_a_clear_reason_and_the_key_is_in_no_log_event_or_trace()
    {
        await using var server = await FakeProviderServer.StartAsync(new OpenAIWire(), Ct);
        server.Responder = (_, _) => Task.FromResult<ProviderScript>(new ScriptedFailure(ProviderFailure.ModelNotFound));
        var logs = new ConcurrentQueue<string>();
        var traces = new ConcurrentQueue<string>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = _ => true,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a => traces.Enqueue($"{a.DisplayName} {a.StatusDescription} {string.Join(";", a.TagObjects.Select(t => $"{t.Key}={t.Value}"))} {string.Join(";", a.Events.Select(e => e.Name + string.Join(",", e.Tags.Select(t => $"{t.Key}={t.Value}"))))}"),
        };
        ActivitySource.AddActivityListener(listener);
        var services = new ServiceCollection();
        services.AddLogging(l => l.AddProvider(new ListLoggerProvider(logs)).SetMinimumLevel(LogLevel.Trace));
        services.AddSingleton<IWorkspaceProvider>(new InMemoryWorkspaceProvider());
        services.AddVirtualItCompany(o =>
            {
                o.Workers = 1;
                o.PollInterval = TimeSpan.FromMilliseconds(50);
                o.RetryBaseDelay = TimeSpan.FromMilliseconds(10);
            })
            .AddOpenAI(o =>
            {
                o.ApiKey = Key;
                o.Endpoint = server.BaseAddress;
                o.Models.Add("gpt-4o-mini");
            });
        await using var sp = services.BuildServiceProvider();
        var company = sp.GetRequiredService<IDeliveryCompany>();
        using var stop = new CancellationTokenSource();
        var workers = sp.GetRequiredService<WorkDispatcher>().RunAsync(stop.Token);

        var project = await company.SubmitAsync(new ProjectBrief { Title = "Recipe box", Description = "Recipes for a cafe.", AcceptanceCriteria = ["Lists the recipes"], Budget = 1m }, Ct);
        var events = new List<ProjectEvent>();
        await foreach (var e in company.WatchAsync(project.Id, cancellationToken: Ct))
        {
            events.Add(e);
            if (e is ProjectPaused)
            {
                break;
            }
        }

        await stop.CancelAsync();
        await workers;
        var parked = Assert.Single(events.OfType<WorkItemParked>());
        Assert.Contains("OpenAI", parked.Reason, StringComparison.Ordinal);
        Assert.Contains("gpt-4o-mini", parked.Reason, StringComparison.Ordinal);
        Assert.Contains("model name", parked.Reason, StringComparison.Ordinal);
        Assert.Equal(ProjectStatus.Paused, (await company.GetAsync(project.Id, Ct)).Status);
        Assert.True(server.Requests.Count > 0);
        Assert.All(server.Requests, r => Assert.Equal("Bearer " + Key, r.Headers["Authorization"]));

        Assert.All(events, e => Assert.DoesNotContain(Key, ProjectEventSerializer.Serialize(e), StringComparison.Ordinal));
        Assert.NotEmpty(logs);
        Assert.All(logs, l => Assert.DoesNotContain(Key, l, StringComparison.Ordinal));
        Assert.NotEmpty(traces);
        Assert.All(traces, t => Assert.DoesNotContain(Key, t, StringComparison.Ordinal));
    }

    private sealed class ListLoggerProvider(ConcurrentQueue<string> lines) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new ListLogger(categoryName, lines);

        public void Dispose()
        {
        }

        private sealed class ListLogger(string category, ConcurrentQueue<string> lines) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                lines.Enqueue($"{category} {logLevel} {formatter(state, exception)} {exception}");
        }
    }
}
