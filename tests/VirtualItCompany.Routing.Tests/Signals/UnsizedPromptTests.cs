using Microsoft.Extensions.AI;

namespace VirtualItCompany.Routing.Tests.Signals;

/// <summary>A prompt the router cannot size is reserved at its worst case: the model's whole context window.</summary>
public sealed class UnsizedPromptTests
{
    private static readonly decimal WholeWindow = 128_000m * 1m / 1_000_000m;

    private static CostAwareRoutingChatClient Router() =>
        new([new RoutedModel(Models.Profile("a", input: 1m, output: 2m, contextWindow: 128_000), new FakeModel("a"))], Models.OneBand(BandOrder.Preference, "a"));

    [Fact]
    public async Task A_plain_prompt_reserves_far_less_than_the_window()
    {
        Assert.True((await Router().PreviewAsync(Models.Ask("hi"), cancellationToken: TestContext.Current.CancellationToken)).EstimatedCost < WholeWindow / 10);
    }

    [Fact]
    public async Task A_URI_to_a_document_reserves_the_whole_context_window()
    {
        var message = new ChatMessage(ChatRole.User, [new TextContent("summarise"), new UriContent("https://example.com/report.pdf", "application/pdf")]);

        Assert.True((await Router().PreviewAsync([message], cancellationToken: TestContext.Current.CancellationToken)).EstimatedCost >= WholeWindow);
    }

    [Fact]
    public async Task A_hosted_file_reserves_the_whole_context_window()
    {
        var message = new ChatMessage(ChatRole.User, [new TextContent("summarise"), new HostedFileContent("file_123")]);

        Assert.True((await Router().PreviewAsync([message], cancellationToken: TestContext.Current.CancellationToken)).EstimatedCost >= WholeWindow);
    }

    [Fact]
    public async Task A_hosted_tool_reserves_the_whole_context_window()
    {
        var options = new ChatOptions { Tools = [new HostedWebSearchTool()] };

        Assert.True((await Router().PreviewAsync(Models.Ask("what is new?"), options, cancellationToken: TestContext.Current.CancellationToken)).EstimatedCost >= WholeWindow);
    }
}
