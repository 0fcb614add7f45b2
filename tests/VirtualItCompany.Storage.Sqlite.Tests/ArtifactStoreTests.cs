using System.Text;
using Microsoft.Extensions.Time.Testing;

namespace VirtualItCompany.Storage.Sqlite.Tests;

/// <summary>The artifact store keeps versions per project and path as the in-memory one does, contents once by their SHA-256.</summary>
public sealed class ArtifactStoreTests : IAsyncDisposable
{
    private readonly TempDatabase _temp = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 25, 9, 0, 0, TimeSpan.Zero));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask DisposeAsync() => _temp.DisposeAsync();

    [Fact]
    public async Task Saves_version_files_per_project_and_path_and_keep_the_version_when_unchanged()
    {
        var store = new SqliteArtifactStore(_temp.Open(_time));
        var a = ProjectId.New();
        var b = ProjectId.New();

        var first = await store.SaveAsync(a, "docs\\notes.md", Bytes("one"), Ct);
        _time.Advance(TimeSpan.FromSeconds(1));
        var same = await store.SaveAsync(a, "/docs/notes.md", Bytes("one"), Ct);
        var second = await store.SaveAsync(a, "docs/notes.md", Bytes("two"), Ct);
        var other = await store.SaveAsync(b, "docs/notes.md", Bytes("one"), Ct);

        Assert.Equal(new ArtifactInfo(a, "docs/notes.md", 1, first.ContentHash, 3, _time.GetUtcNow() - TimeSpan.FromSeconds(1)), first);
        Assert.Equal(first, same);
        Assert.Equal(2, second.Version);
        Assert.Equal(1, other.Version);
        Assert.Equal(first.ContentHash, other.ContentHash);
        Assert.Equal("one", Text(await store.ReadAsync(a, "docs/notes.md", 1, Ct)));
        Assert.Equal("two", Text(await store.ReadAsync(a, "docs/notes.md", cancellationToken: Ct)));
        Assert.Null(await store.ReadAsync(a, "docs/notes.md", 0, Ct));
        Assert.Null(await store.ReadAsync(a, "missing.md", cancellationToken: Ct));
        Assert.Equal([second], await store.ListAsync(a, Ct).ToListAsync(Ct));
        Assert.Empty(await store.ListAsync(ProjectId.New(), Ct).ToListAsync(Ct));
    }

    [Fact]
    public async Task An_empty_file_is_stored_and_read_back_empty()
    {
        var store = new SqliteArtifactStore(_temp.Open(_time));
        var id = ProjectId.New();

        var saved = await store.SaveAsync(id, ".gitkeep", ReadOnlyMemory<byte>.Empty, Ct);
        var read = await store.ReadAsync(id, ".gitkeep", cancellationToken: Ct);

        Assert.Equal(0, saved.Length);
        Assert.NotNull(read);
        Assert.Equal(0, read.Value.Length);
    }

    [Fact]
    public async Task Files_are_listed_by_path_in_ordinal_order()
    {
        var store = new SqliteArtifactStore(_temp.Open(_time));
        var id = ProjectId.New();
        foreach (var path in new[] { "b.txt", "B.txt", "a/z.txt", "a.txt" })
        {
            await store.SaveAsync(id, path, Bytes(path), Ct);
        }

        Assert.Equal(["B.txt", "a.txt", "a/z.txt", "b.txt"], (await store.ListAsync(id, Ct).ToListAsync(Ct)).Select(f => f.Path));
    }

    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    private static string? Text(ReadOnlyMemory<byte>? content) => content is { } c ? Encoding.UTF8.GetString(c.Span) : null;
}
