using Microsoft.Extensions.Time.Testing;
using VirtualItCompany.Testing.Conformance;

namespace VirtualItCompany.Storage.Sqlite.Tests.Conformance;

/// <summary>The SQLite account meets the budget specification every account must meet, over a fresh file per test.</summary>
public sealed class SqliteBudgetAccountConformanceTests : BudgetAccountConformanceTests, IAsyncDisposable
{
    private readonly TempDatabase _temp = new();

    public ValueTask DisposeAsync() => _temp.DisposeAsync();

    protected override ValueTask<IBudgetAccount> CreateAccountAsync(FakeTimeProvider timeProvider) =>
        new(new SqliteBudgetAccount(_temp.Open(timeProvider)));
}
