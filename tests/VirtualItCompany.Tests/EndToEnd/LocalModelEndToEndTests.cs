using System.Text.Json;
using Microsoft.Extensions.AI;
using VirtualItCompany.Chat;
using VirtualItCompany.Providers.Offline;

namespace VirtualItCompany.Tests.EndToEnd;

/// <summary>A delivery whose only model has no native structured output and answers in chatty, fenced, sloppy JSON.</summary>
public sealed class LocalModelEndToEndTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_delivery_on_a_model_without_json_schema_output_that_answers_chatty_fenced_json_completes()
    {
        var profile = OfflineModel.Profile with
        {
            Id = "local/chatty",
            Capabilities = ModelCapabilities.Tools | ModelCapabilities.Code | ModelCapabilities.Reasoning,
        };
        var model = new ChattyLocalModel(OfflineModel.CreateChatClient());

        var events = await LifecycleRun.DeliverAsync(b => b.AddModel(profile, _ => model), Ct);

        Assert.IsType<ProjectCompleted>(events[^1]);
        Assert.DoesNotContain(events, e => e is WorkItemFailed);
        // Every structured call reached the model as a prompt, and was answered chattily.
        Assert.True(model.StructuredCalls >= 6, $"{model.StructuredCalls} structured calls");
        Assert.All(events.OfType<ModelCallCompleted>(), c => Assert.Equal("local/chatty", c.Routing!.ChosenModelId));
    }

    /// <summary>
    /// Plays a local model: it refuses a response format (it has none), reads the schema from the prompt as a model would,
    /// answers through the offline model, and wraps the JSON in chat, a fence and a trailing comma.
    /// </summary>
    private sealed class ChattyLocalModel(IChatClient offline) : DelegatingChatClient(offline)
    {
        private int _structured;

        public int StructuredCalls => Volatile.Read(ref _structured);

        public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            if (options?.ResponseFormat is ChatResponseFormatJson)
            {
                throw new InvalidOperationException("This local model has no structured output; a response format must not reach it.");
            }

            var list = messages.ToList();
            int index = list.FindLastIndex(m => m.Role == ChatRole.User);
            string text = index < 0 ? "" : list[index].Text;
            int section = text.IndexOf(PromptedJsonChatClient.SectionHeading, StringComparison.Ordinal);
            if (section < 0)
            {
                return await base.GetResponseAsync(list, options, cancellationToken);
            }

            Interlocked.Increment(ref _structured);
            int start = text.IndexOf("```json\n", section, StringComparison.Ordinal) + "```json\n".Length;
            var schema = JsonDocument.Parse(text[start..text.IndexOf("\n```", start, StringComparison.Ordinal)]).RootElement.Clone();
            list[index] = new ChatMessage(ChatRole.User, text[..section]);
            var asked = (options ?? new ChatOptions()).Clone();
            asked.ResponseFormat = ChatResponseFormat.ForJsonSchema(schema);
            var response = await base.GetResponseAsync(list, asked, cancellationToken);
            string json = response.Text.TrimEnd();
            string sloppy = json.EndsWith('}') ? json[..^1] + ",}" : json;
            response.Messages = [new ChatMessage(ChatRole.Assistant, $"Sure! Here is what you asked for:\n\n```json\n{sloppy}\n```\n\nLet me know if anything should change.")];
            return response;
        }
    }
}
