namespace VirtualItCompany.Testing.Conformance.Workspace;

/// <summary>One fresh workspace provider a conformance test runs against.</summary>
/// <param name="provider">The provider.</param>
public sealed class WorkspaceProviderUnderTest(IWorkspaceProvider provider) : IAsyncDisposable
{
    /// <summary>Gets the provider.</summary>
    public IWorkspaceProvider Provider { get; } = provider ?? throw new ArgumentNullException(nameof(provider));

    /// <summary>Gets what to do when the test ends, such as stopping deployments and deleting a temporary folder; <see langword="null"/> for nothing.</summary>
    public Func<ValueTask>? OnDispose { get; init; }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => OnDispose?.Invoke() ?? ValueTask.CompletedTask;
}
