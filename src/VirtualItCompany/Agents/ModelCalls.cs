using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace VirtualItCompany.Agents;

/// <summary>The three ways the built-in agents call the model: structured output, plain text, and work with the file tools.</summary>
internal static class ModelCalls
{
    /// <summary>Gets chat options tagged with the call's complexity (1-10), so a router can choose the model.</summary>
    public static ChatOptions Options(int complexity) => new()
    {
        AdditionalProperties = new AdditionalPropertiesDictionary { [AgentChatTags.Complexity] = complexity },
    };

    /// <summary>Asks for structured output; an answer that is not valid JSON of <typeparamref name="T"/> comes back as a problem, not an exception.</summary>
    public static async Task<ModelAnswer<T>> AskAsync<T>(AgentContext context, string system, string user, int complexity, CancellationToken cancellationToken)
        where T : class
    {
        var response = await context.ChatClient.GetResponseAsync<T>(Messages(system, user), AgentJsonContext.ModelOptions, Options(complexity), cancellationToken: cancellationToken).ConfigureAwait(false);
        try
        {
            if (response.TryGetResult(out var value) && value is not null)
            {
                return new ModelAnswer<T>(value, null);
            }
        }
        catch (JsonException)
        {
            // Reported below with the text the model gave.
        }

        return new ModelAnswer<T>(null, $"The model's answer is not a valid {typeof(T).Name} (JSON): \"{Excerpt(response.Text)}\".");
    }

    /// <summary>Asks for plain text.</summary>
    public static async Task<string> AskTextAsync(AgentContext context, string system, string user, int complexity, CancellationToken cancellationToken)
    {
        var response = await context.ChatClient.GetResponseAsync(Messages(system, user), Options(complexity), cancellationToken).ConfigureAwait(false);
        return response.Text.Trim();
    }

    /// <summary>Lets the model work with the workspace's file tools; the client in the context invokes them.</summary>
    /// <returns>The paths written (distinct, sorted) and the model's closing summary.</returns>
    public static async Task<(IReadOnlyList<string> Written, string Summary)> WorkWithFilesAsync(AgentContext context, string system, string user, int complexity, CancellationToken cancellationToken)
    {
        // Tools may be invoked concurrently.
        var written = new ConcurrentQueue<string>();
        var options = Options(complexity);
        options.Tools = context.Workspace.CreateFileTools(written.Enqueue);
        var response = await context.ChatClient.GetResponseAsync(Messages(system, user), options, cancellationToken).ConfigureAwait(false);
        return ([.. written.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)], response.Text.Trim());
    }

    /// <summary>Gets the start of a text for an error message.</summary>
    public static string Excerpt(string text, int max = 200)
    {
        string oneLine = PromptDocument.OneLine(text);
        return oneLine.Length <= max ? oneLine : oneLine[..max] + "...";
    }

    private static List<ChatMessage> Messages(string system, string user) => [new(ChatRole.System, system), new(ChatRole.User, user)];
}

/// <summary>A structured answer, or why the model's answer could not be used.</summary>
/// <param name="Value">The answer, when valid JSON of the type.</param>
/// <param name="Problem">Why not, otherwise.</param>
internal sealed record ModelAnswer<T>(T? Value, string? Problem)
    where T : class;
