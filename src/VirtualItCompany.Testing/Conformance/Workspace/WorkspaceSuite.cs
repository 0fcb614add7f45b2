using Xunit;

namespace VirtualItCompany.Testing.Conformance.Workspace;

/// <summary>The base of the workspace suites: a fresh provider per test and the shared helpers.</summary>
/// <typeparam name="TFixture">The adapter's fixture.</typeparam>
public abstract class WorkspaceSuite<TFixture> : IAsyncDisposable
    where TFixture : WorkspaceFixture, new()
{
    private WorkspaceProviderUnderTest? _provider;

    /// <summary>Gets the adapter's fixture.</summary>
    protected TFixture Fixture { get; } = new();

    /// <summary>Gets the test's cancellation token.</summary>
    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_provider is not null)
        {
            await _provider.DisposeAsync().ConfigureAwait(false);
        }

        GC.SuppressFinalize(this);
    }

    /// <summary>Gets the test's provider, created on first use.</summary>
    /// <returns>The provider.</returns>
    protected async Task<IWorkspaceProvider> GetProviderAsync()
    {
        _provider ??= await Fixture.CreateAsync(Ct).ConfigureAwait(false);
        return _provider.Provider;
    }

    /// <summary>Gets the workspace of a new project from the test's provider.</summary>
    /// <returns>The workspace.</returns>
    protected async Task<IProjectWorkspace> NewWorkspaceAsync() =>
        await (await GetProviderAsync().ConfigureAwait(false)).GetWorkspaceAsync(ProjectId.New(), Ct).ConfigureAwait(false);
}
