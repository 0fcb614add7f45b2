using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using VirtualItCompany.DependencyInjection;

namespace VirtualItCompany;

/// <summary>Records the company's model calls once and replays them: the way to test a pipeline of your own in CI, without keys and deterministically.</summary>
public static class ModelCallRecordingBuilderExtensions
{
    /// <summary>
    /// Records every completed call to every registered model (what the model was sent, below the router, and what it answered,
    /// streamed or not, with usage) to one file, each model's calls under its profile id. The models are called as usual.
    /// </summary>
    /// <param name="builder">The company builder.</param>
    /// <param name="path">The recording file (written again after each call; started empty by the first recording in a process).</param>
    /// <returns>The builder, for chaining.</returns>
    /// <remarks>Replaces an earlier <see cref="UseModelCallRecording"/> or <see cref="UseModelCallReplay"/>. Per client, outside the company: <c>ChatClientBuilder.UseRecording</c>.</remarks>
    public static IVirtualItCompanyBuilder UseModelCallRecording(this IVirtualItCompanyBuilder builder, string path) => Use(builder, path, replay: false);

    /// <summary>
    /// Answers every model call from a recording made with <see cref="UseModelCallRecording"/>: the registered models keep their
    /// profiles (so routing, budgets and charges are as recorded) but their clients are never created or called, so no key or
    /// endpoint is needed.
    /// </summary>
    /// <param name="builder">The company builder.</param>
    /// <param name="path">The recording file; read when the company starts (a missing or malformed file fails there).</param>
    /// <returns>The builder, for chaining.</returns>
    /// <remarks>
    /// A call is matched by model, normalised request and occurrence, not by order, so parallel work may run in any order. A
    /// request the recording does not hold throws <see cref="Microsoft.Extensions.AI.ChatReplayMismatchException"/> (naming
    /// the nearest recorded request and where they differ), which fails the work item with that message.
    /// </remarks>
    public static IVirtualItCompanyBuilder UseModelCallReplay(this IVirtualItCompanyBuilder builder, string path) => Use(builder, path, replay: true);

    private static IVirtualItCompanyBuilder Use(IVirtualItCompanyBuilder builder, string path, bool replay)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        builder.Services.RemoveAll<ModelCallRecording>();
        builder.Services.AddSingleton(new ModelCallRecording(Path.GetFullPath(path), replay));
        return builder;
    }
}
