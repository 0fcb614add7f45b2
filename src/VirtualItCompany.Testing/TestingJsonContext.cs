using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.AI;

namespace VirtualItCompany.Testing;

/// <summary>Source-generated JSON metadata for the in-memory workspace's file tools, so they need no reflection (trimming, native AOT, file-based apps).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(string))]
internal sealed partial class TestingJsonContext : JsonSerializerContext
{
    private static JsonSerializerOptions? s_toolOptions;

    // Lazy: the generated Default may not be set yet while this class's static initializers run.
    /// <summary>Gets Microsoft.Extensions.AI's default options with this context resolving first.</summary>
    public static JsonSerializerOptions ToolOptions => s_toolOptions ??= CreateToolOptions();

    private static JsonSerializerOptions CreateToolOptions()
    {
        var options = new JsonSerializerOptions(AIJsonUtilities.DefaultOptions);
        options.TypeInfoResolverChain.Insert(0, Default);
        options.MakeReadOnly();
        return options;
    }
}
