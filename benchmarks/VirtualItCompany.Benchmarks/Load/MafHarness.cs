using System.Diagnostics;
using Microsoft.Agents.AI;
using Microsoft.Agents.AI.Workflows;
using Microsoft.Agents.AI.Workflows.Checkpointing;
using Microsoft.Extensions.AI;
using VirtualItCompany.Testing;

namespace VirtualItCompany.Benchmarks.Load;

/// <summary>How a Microsoft Agent Framework workflow run keeps its state.</summary>
internal enum MafCheckpointing
{
    /// <summary>No checkpoint manager.</summary>
    None,

    /// <summary><c>CheckpointManager.CreateInMemory()</c>: a checkpoint per super step, kept in memory.</summary>
    Memory,

    /// <summary><c>CheckpointManager.CreateJson(new FileSystemJsonCheckpointStore(folder))</c>: a JSON file per super step plus an index line.</summary>
    JsonFiles,
}

/// <summary>One Microsoft Agent Framework run: how many workflows run at once and how they checkpoint.</summary>
internal sealed record MafScenario(int InFlight, MafCheckpointing Checkpointing);

/// <summary>What one run of the comparison measured in its window.</summary>
internal sealed record MafResult(MafScenario Scenario, TimeSpan Window, long Steps, long Workflows, long AllocatedBytes, TimeSpan CpuTime, int Gen0, int Gen1, int Gen2, long CheckpointFiles, IReadOnlyList<string> Problems)
{
    public IReadOnlyList<MafResult> Repeats { get; init; } = [];

    public double StepsPerSecond => Steps / Window.TotalSeconds;

    public double BytesPerStep => Steps == 0 ? double.NaN : (double)AllocatedBytes / Steps;

    public double CpuMicrosecondsPerStep => Steps == 0 ? double.NaN : CpuTime.TotalMicroseconds / Steps;

    public bool Verified => Problems.Count == 0;
}

/// <summary>
/// The same kind of load through Microsoft Agent Framework Workflows: a sequential pipeline of ten <see cref="ChatClientAgent"/>s
/// (<c>AgentWorkflowBuilder.BuildSequential</c>), each making one call to the zero-latency <see cref="FakeChatClient"/>, run in
/// process (<c>InProcessExecution.RunStreamingAsync</c> and a <see cref="TurnToken"/>). A fixed number of lanes each runs one
/// workflow after another (a new one as soon as the last completes), so that many workflows are in flight. A step is one agent's
/// turn; a workflow counts when its output arrives with all ten answers.
/// </summary>
internal static class MafHarness
{
    public const int Agents = 10;

    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(30);

    public static async Task<MafResult> RunAsync(MafScenario scenario, TimeSpan warmup, TimeSpan duration)
    {
        var model = new FakeChatClient("fake-model", new ModelPricing(1m, 2m));
        using var folder = scenario.Checkpointing == MafCheckpointing.JsonFiles ? new TemporaryFolder("vic-maf") : null;
        var problems = new List<string>();
        long workflows = 0;
        long steps = 0;
        var clock = Stopwatch.StartNew();
        using var stop = new CancellationTokenSource();
        using var deadline = new CancellationTokenSource(warmup + duration + DrainTimeout);
        Sample? start = null;
        Sample? end = null;
        var gate = new Lock();

        async Task LaneAsync(int lane)
        {
            // Each lane has its own agents, workflow and checkpoint store: the file store is not thread-safe, and a workflow runs once at a time.
            var agents = Enumerable.Range(1, Agents).Select(i => (AIAgent)new ChatClientAgent(model, instructions: $"You are agent {i}. Do the work.", name: $"agent_{i}")).ToList();
            var workflow = AgentWorkflowBuilder.BuildSequential(agents);
            using var store = folder is null ? null : new FileSystemJsonCheckpointStore(new DirectoryInfo(Path.Combine(folder.Path, "lane-" + lane)));
            var checkpoints = scenario.Checkpointing switch
            {
                MafCheckpointing.Memory => CheckpointManager.CreateInMemory(),
                MafCheckpointing.JsonFiles => CheckpointManager.CreateJson(store!),
                _ => null,
            };
            int n = 0;
            while (!stop.IsCancellationRequested)
            {
                List<ChatMessage> input = [new(ChatRole.User, $"Deliver project {lane}-{n++}.")];
                await using var run = checkpoints is null
                    ? await InProcessExecution.RunStreamingAsync(workflow, input, cancellationToken: deadline.Token).ConfigureAwait(false)
                    : await InProcessExecution.RunStreamingAsync(workflow, input, checkpoints, cancellationToken: deadline.Token).ConfigureAwait(false);
                await run.TrySendMessageAsync(new TurnToken(emitEvents: false)).ConfigureAwait(false);
                List<ChatMessage>? output = null;
                await foreach (var evt in run.WatchStreamAsync(deadline.Token).ConfigureAwait(false))
                {
                    if (evt is WorkflowOutputEvent done)
                    {
                        output = done.As<List<ChatMessage>>();
                        break;
                    }

                    if (evt is WorkflowErrorEvent error)
                    {
                        throw new InvalidOperationException("The workflow failed.", error.Exception);
                    }

                    if (evt is ExecutorFailedEvent failed)
                    {
                        throw new InvalidOperationException($"Executor {failed.ExecutorId} failed: {failed.Data}");
                    }
                }

                int answers = output?.Count(m => m.Role == ChatRole.Assistant) ?? 0;
                lock (gate)
                {
                    if (answers != Agents)
                    {
                        if (problems.Count < 10)
                        {
                            problems.Add($"A workflow ended with {answers} agent answers (expected {Agents}).");
                        }

                        continue;
                    }

                    workflows++;
                    steps += Agents;
                    if (start is null && clock.Elapsed >= warmup)
                    {
                        start = Sample.Take(steps, workflows);
                    }
                    else if (start is not null && end is null && clock.Elapsed >= warmup + duration)
                    {
                        end = Sample.Take(steps, workflows);
                        stop.Cancel();
                    }
                }
            }
        }

        var lanes = Enumerable.Range(0, scenario.InFlight).Select(i => Task.Run(() => LaneAsync(i))).ToArray();
        try
        {
            await Task.WhenAll(lanes).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            await stop.CancelAsync().ConfigureAwait(false);
            problems.Add($"{ex.GetType().Name}: {ex.Message}{(ex.InnerException is { } inner ? $" ({inner.GetType().Name}: {inner.Message})" : string.Empty)}");
        }

        end ??= Sample.Take(steps, workflows);
        start ??= end;
        if (model.Calls != steps)
        {
            problems.Add($"The fake model was called {model.Calls} times for {steps} agent steps.");
        }

        // One file per checkpoint (its name escapes the dots, so it has no extension) beside each lane's index.jsonl.
        long files = folder is null ? 0 : Directory.EnumerateFiles(folder.Path, "*", SearchOption.AllDirectories).LongCount(f => Path.GetFileName(f) != "index.jsonl");
        if (folder is not null && files < workflows)
        {
            problems.Add($"{files} checkpoint files for {workflows} workflows.");
        }

        return new MafResult(
            scenario,
            end.Elapsed - start.Elapsed,
            end.Steps - start.Steps,
            end.Workflows - start.Workflows,
            end.Allocated - start.Allocated,
            end.Cpu - start.Cpu,
            end.Gen0 - start.Gen0,
            end.Gen1 - start.Gen1,
            end.Gen2 - start.Gen2,
            files,
            problems);
    }

    private sealed record Sample(TimeSpan Elapsed, long Steps, long Workflows, long Allocated, TimeSpan Cpu, int Gen0, int Gen1, int Gen2)
    {
        private static readonly Stopwatch Clock = Stopwatch.StartNew();

        public static Sample Take(long steps, long workflows) => new(
            Clock.Elapsed,
            steps,
            workflows,
            GC.GetTotalAllocatedBytes(precise: true),
            Process.GetCurrentProcess().TotalProcessorTime,
            GC.CollectionCount(0),
            GC.CollectionCount(1),
            GC.CollectionCount(2));
    }
}
