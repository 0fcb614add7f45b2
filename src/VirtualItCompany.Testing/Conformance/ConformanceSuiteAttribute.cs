namespace VirtualItCompany.Testing.Conformance;

/// <summary>Marks an abstract conformance suite: an adapter's test project subclasses every suite of the areas it implements, and the guard test fails when one is missing.</summary>
/// <param name="area">What the suite checks: <c>storage</c>, <c>addressable-queue</c>, <c>budget</c>, <c>workspace</c> or <c>providers</c>.</param>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class ConformanceSuiteAttribute(string area) : Attribute
{
    /// <summary>The area of the storage suites (<see cref="IProjectStore"/>, <see cref="IWorkQueue"/>, <see cref="IOutbox"/>).</summary>
    public const string Storage = "storage";

    /// <summary>The area of the suite for queues that lease and find items by id (<see cref="IAddressableWorkQueue"/>), which a delivery path outside the store, such as a Redis stream, needs.</summary>
    public const string AddressableQueue = "addressable-queue";

    /// <summary>The area of the budget suite (<see cref="IBudgetAccount"/>).</summary>
    public const string Budget = "budget";

    /// <summary>The area of the workspace suites (<see cref="IWorkspaceProvider"/>, <see cref="IProjectWorkspace"/>).</summary>
    public const string Workspace = "workspace";

    /// <summary>The area of the model provider suite (an adapter's <see cref="Microsoft.Extensions.AI.IChatClient"/> against its wire protocol).</summary>
    public const string Providers = "providers";

    /// <summary>Gets what the suite checks.</summary>
    public string Area { get; } = area;
}
