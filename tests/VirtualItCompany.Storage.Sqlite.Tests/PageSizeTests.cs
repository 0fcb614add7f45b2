using Microsoft.Extensions.Time.Testing;
using VirtualItCompany.Testing.Conformance.Storage;

namespace VirtualItCompany.Storage.Sqlite.Tests;

/// <summary>The page size option shapes a file the store creates and leaves an existing file as it is.</summary>
public sealed class PageSizeTests : IAsyncDisposable
{
    private readonly TempDatabase _temp = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 4, 9, 0, 0, TimeSpan.Zero));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask DisposeAsync() => _temp.DisposeAsync();

    [Fact]
    public async Task A_new_file_gets_the_configured_page_size_and_an_existing_file_keeps_its_own()
    {
        Assert.Equal(2048, new SqliteStorageOptions().PageSize);
        var first = _temp.Open(_time, o => o.PageSize = 8192);
        var id = ProjectId.New();
        var created = ProjectCommits.Create(id, _time.GetUtcNow());
        await new SqliteCompanyStore(first).CommitAsync(created, Ct);
        await first.DisposeAsync();
        Assert.Equal(8192, PageSize());

        // Opened again with another page size: the file is not rebuilt, and what it holds is all there.
        var second = _temp.Open(_time, o => o.PageSize = 1024);
        var store = new SqliteCompanyStore(second);
        Assert.Equal(created.Snapshot.Version, (await store.GetAsync(id, Ct))!.Version);
        await store.CommitAsync(ProjectCommits.Next(created.Snapshot, _time.GetUtcNow(), new ClientAnswered("yes")), Ct);
        await second.DisposeAsync();
        Assert.Equal(8192, PageSize());
    }

    [Theory]
    [InlineData(256)]
    [InlineData(3000)]
    [InlineData(131_072)]
    public void A_page_size_SQLite_cannot_use_is_refused_before_anything_is_opened(int pageSize)
    {
        var ex = Assert.Throws<ArgumentException>(() => _temp.Open(_time, o => o.PageSize = pageSize));
        Assert.Contains($"PageSize is {pageSize}; it must be a power of two from 512 to 65536", ex.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(_temp.FilePath));
    }

    private long PageSize()
    {
        using var connection = _temp.OpenRaw();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA page_size;";
        return (long)command.ExecuteScalar()!;
    }
}
