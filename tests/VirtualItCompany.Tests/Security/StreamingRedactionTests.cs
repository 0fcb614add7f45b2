using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using VirtualItCompany.Security;

namespace VirtualItCompany.Tests.Security;

/// <summary>A secret split across streamed updates is still replaced, and the text around it arrives whole and in order.</summary>
public sealed class StreamingRedactionTests
{
    private static readonly SecretRedactor Redactor = new([new("DbPassword", "hunter2-is-long")], fromEnvironment: false);

    [Theory]
    [InlineData("Use the key sk-proj-abcdefghijklmnopqrstuvwxyz0123 to call it.", "Use the key [secret:openai-key] to call it.")]
    [InlineData("Connect with hunter2-is-long please", "Connect with [secret:DbPassword] please")]
    [InlineData("Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.payload.sig\nnext", "Authorization: Bearer [secret:bearer-token]\nnext")]
    [InlineData("aws_secret_access_key = abcdefghijABCDEFGHIJ0123456789abcdefghij end", "aws_secret_access_key = [secret:aws-secret-key] end")]
    [InlineData("key:\n-----BEGIN RSA PRIVATE KEY-----\nMIIEow abc\ndef\n-----END RSA PRIVATE KEY-----\ndone", "key:\n[secret:private-key]\ndone")]
    [InlineData("Nothing secret here, just prose about a recipe box.", "Nothing secret here, just prose about a recipe box.")]
    public async Task Text_split_at_every_size_is_redacted_as_the_whole_would_be(string text, string expected)
    {
        foreach (int size in new[] { 1, 2, 3, 5, 7, 11, 64 })
        {
            var chunks = Enumerable.Range(0, (text.Length + size - 1) / size).Select(i => text.Substring(i * size, Math.Min(size, text.Length - (i * size)))).ToArray();
            var client = new RedactingChatClient(new ChunkedClient(chunks), Redactor);

            var updates = new List<ChatResponseUpdate>();
            await foreach (var update in client.GetStreamingResponseAsync("go", cancellationToken: TestContext.Current.CancellationToken))
            {
                updates.Add(update);
            }

            Assert.Equal(expected, string.Concat(updates.Select(u => u.Text)));
            // Every update passed on as it came (one carries the usage), then one with the text held back after the last line break.
            Assert.Equal(chunks.Length + 2, updates.Count);
            Assert.Single(updates.SelectMany(u => u.Contents), c => c is UsageContent);
            Assert.All(updates, u => Assert.Equal("m1", u.MessageId));
        }
    }

    [Theory]
    [InlineData("abc def", 0)]
    [InlineData("abc\ndef", 4)]
    [InlineData("first line\nAuthorization: Bearer ", 11)]
    [InlineData("x -----BEGIN RSA PRIVATE KEY-----\nabc\n", 2)]
    [InlineData("x -----BEGIN RSA PRIVATE KEY-----\nabc\n-----END RSA PRIVATE KEY-----", 2)]
    [InlineData("x -----BEGIN RSA PRIVATE KEY-----\nabc\n-----END RSA PRIVATE KEY-----\nok", 68)]
    public void Text_is_cut_only_where_no_secret_can_continue(string text, int expected) =>
        Assert.Equal(expected, RedactingChatClient.SafeEnd(text));

    /// <summary>Streams the given text chunks, then a usage update.</summary>
    private sealed class ChunkedClient(string[] chunks) : IChatClient
    {
        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
            IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            foreach (var chunk in chunks)
            {
                await Task.Yield();
                yield return new ChatResponseUpdate(ChatRole.Assistant, chunk) { MessageId = "m1" };
            }

            yield return new ChatResponseUpdate { Role = ChatRole.Assistant, MessageId = "m1", Contents = [new UsageContent(new UsageDetails { InputTokenCount = 3, OutputTokenCount = 5 })] };
        }

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
