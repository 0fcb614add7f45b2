using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using VirtualItCompany.Providers.Offline;

namespace VirtualItCompany.Tests.EndToEnd;

/// <summary>A whole delivery recorded against a model, then replayed with that model absent: the same project, event for event.</summary>
public sealed class RecordReplayEndToEndTests : IDisposable
{
    // Properties that carry time or identity, not what happened.
    private static readonly HashSet<string> Volatile = new(StringComparer.OrdinalIgnoreCase)
    {
        "projectId", "version", "timestamp", "id", "workItemId", "duration", "createdAt", "scheduledAt", "commit", "commitId", "reservationId",
        "description", // A text made from the payload (it names the commit id).
    };

    private readonly string _folder = Directory.CreateTempSubdirectory("vic-replay-e2e-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task A_replayed_delivery_is_event_for_event_the_recorded_one_with_the_model_absent()
    {
        string path = Path.Combine(_folder, "delivery.json");
        var recorded = await LifecycleRun.DeliverAsync(b => b.AddOfflineModel().UseModelCallRecording(path), Ct, workers: 1);
        Assert.IsType<ProjectCompleted>(recorded[^1]);

        var replayed = await LifecycleRun.DeliverAsync(b => b.AddModel(OfflineModel.Profile, _ => throw new InvalidOperationException("The model is absent.")).UseModelCallReplay(path), Ct, workers: 1);

        Assert.Equal(Shape(recorded), Shape(replayed));
        // What is compared still says what happened: which model answered, its tokens and cost, the stages and triggers.
        var charge = Assert.IsType<ModelCallCompleted>(replayed.First(e => e is ModelCallCompleted));
        Assert.Contains("\"inputTokens\":" + charge.InputTokens, Shape([charge])[0], StringComparison.Ordinal);
        Assert.True(replayed.Count(e => e is ModelCallCompleted) >= 8);
        Assert.Equal(10, replayed.Count(e => e is StageChanged));
    }

    [Fact]
    public async Task A_request_the_recording_does_not_hold_fails_the_work_item_with_the_mismatch()
    {
        string path = Path.Combine(_folder, "changed.json");
        await LifecycleRun.DeliverAsync(b => b.AddOfflineModel().UseModelCallRecording(path), Ct, workers: 1);

        // The code under test changed: every prompt now ends differently.
        var replayed = await LifecycleRun.DeliverAsync(
            b => b.AddModel(OfflineModel.Profile, _ => throw new InvalidOperationException("The model is absent."))
                .UseModelCallReplay(path)
                .ConfigureChatPipeline(p => p.Use((messages, options, next, ct) => next([.. messages, new ChatMessage(ChatRole.User, "Be terse.")], options, ct))),
            Ct,
            workers: 1,
            until: e => e is WorkItemFailed);

        var failed = Assert.IsType<WorkItemFailed>(replayed[^1]);
        Assert.Contains("holds no call to model 'offline/offline-no-ai' like this request", failed.Reason, StringComparison.Ordinal);
        Assert.Contains("Be terse.", failed.Reason, StringComparison.Ordinal);
    }

    /// <summary>Each event as its type and JSON payload without the properties that carry time or ids.</summary>
    private static List<string> Shape(IEnumerable<ProjectEvent> events) =>
        [.. events.Select(e => e.GetType().Name + " " + Strip(JsonNode.Parse(ProjectEventSerializer.Serialize(e))!).ToJsonString())];

    private static JsonNode Strip(JsonNode node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var name in o.Select(p => p.Key).Where(Volatile.Contains).ToList())
                {
                    o.Remove(name);
                }

                foreach (var (_, value) in o.ToList())
                {
                    if (value is not null)
                    {
                        Strip(value);
                    }
                }

                break;
            case JsonArray a:
                foreach (var item in a)
                {
                    if (item is not null)
                    {
                        Strip(item);
                    }
                }

                break;
        }

        return node;
    }
}
