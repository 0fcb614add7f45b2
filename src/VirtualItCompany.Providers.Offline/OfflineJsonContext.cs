using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.AI;

namespace VirtualItCompany.Providers.Offline;

/// <summary>Source-generated JSON metadata for what the offline model writes: tool-call arguments and its structured answers, so it needs no reflection (trimming, native AOT, file-based apps).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(IDictionary<string, object?>))]
[JsonSerializable(typeof(JsonElement))]
[JsonSerializable(typeof(string))]
internal sealed partial class OfflineJsonContext : JsonSerializerContext
{
    private static JsonSerializerOptions? s_modelOptions;
    private static JsonSerializerOptions? s_answerOptions;

    // Lazy: the generated Default may not be set yet while this class's static initializers run.
    /// <summary>Gets Microsoft.Extensions.AI's default options with this context resolving first, for the values tool calls carry.</summary>
    public static JsonSerializerOptions ModelOptions => s_modelOptions ??= Chained(new JsonSerializerOptions(AIJsonUtilities.DefaultOptions));

    /// <summary>Gets the options the structured answers are written with: indented, non-ASCII text kept readable.</summary>
    public static JsonSerializerOptions AnswerOptions => s_answerOptions ??= Chained(new JsonSerializerOptions(AIJsonUtilities.DefaultOptions)
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });

    /// <summary>Writes a tool call's arguments as JSON text.</summary>
    /// <param name="arguments">The arguments, or <see langword="null"/>.</param>
    /// <returns>The JSON text.</returns>
    public static string Arguments(IDictionary<string, object?>? arguments) =>
        JsonSerializer.Serialize(arguments, (JsonTypeInfo<IDictionary<string, object?>?>)ModelOptions.GetTypeInfo(typeof(IDictionary<string, object?>)));

    private static JsonSerializerOptions Chained(JsonSerializerOptions options)
    {
        options.TypeInfoResolverChain.Insert(0, Default);
        options.MakeReadOnly();
        return options;
    }
}
