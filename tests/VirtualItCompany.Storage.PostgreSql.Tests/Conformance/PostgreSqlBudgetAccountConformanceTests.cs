using Microsoft.Extensions.Time.Testing;
using VirtualItCompany.Testing.Conformance;

namespace VirtualItCompany.Storage.PostgreSql.Tests.Conformance;

/// <summary>The PostgreSQL account meets the budget specification every account must meet, in a fresh schema per test.</summary>
public sealed class PostgreSqlBudgetAccountConformanceTests : BudgetAccountConformanceTests, IAsyncDisposable
{
    private readonly TempSchema _schema = new();

    public ValueTask DisposeAsync() => _schema.DisposeAsync();

    protected override async ValueTask<IBudgetAccount> CreateAccountAsync(FakeTimeProvider timeProvider) =>
        new PostgreSqlBudgetAccount(await _schema.OpenAsync(timeProvider));
}
