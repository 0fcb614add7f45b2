using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.AI;

namespace VirtualItCompany.Agents;

/// <summary>Source-generated JSON metadata for the agents' structured answers and the file tools' arguments and results, so model calls need no reflection (trimming, native AOT, file-based apps).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(Requirements))]
[JsonSerializable(typeof(ProjectPlan))]
[JsonSerializable(typeof(DesignNotes))]
[JsonSerializable(typeof(ReviewVerdict))]
[JsonSerializable(typeof(TestCommand))]
[JsonSerializable(typeof(DeploymentPlan))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(string[]))]
internal sealed partial class AgentJsonContext : JsonSerializerContext
{
    private static JsonSerializerOptions? s_modelOptions;

    // Lazy: the generated Default may not be set yet while this class's static initializers run.
    /// <summary>Gets the options for model calls: Microsoft.Extensions.AI's defaults with this context resolving the agents' types first.</summary>
    public static JsonSerializerOptions ModelOptions => s_modelOptions ??= CreateModelOptions();

    private static JsonSerializerOptions? s_answerOptions;

    /// <summary>Gets the options that read a model's answer: <see cref="ModelOptions"/> that refuse a missing property or a null where the type has none, so no field is guessed.</summary>
    public static JsonSerializerOptions AnswerOptions => s_answerOptions ??= CreateAnswerOptions();

    private static JsonSerializerOptions CreateAnswerOptions()
    {
        var options = new JsonSerializerOptions(ModelOptions)
        {
            RespectNullableAnnotations = true,
            RespectRequiredConstructorParameters = true,
        };
        options.MakeReadOnly();
        return options;
    }

    private static JsonSerializerOptions CreateModelOptions()
    {
        var options = new JsonSerializerOptions(AIJsonUtilities.DefaultOptions);
        options.TypeInfoResolverChain.Insert(0, Default);
        options.MakeReadOnly();
        return options;
    }
}
