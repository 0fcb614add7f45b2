namespace VirtualItCompany.Providers;

/// <summary>
/// What the HTTP handler learned of the call in flight: the wrapper puts one in the async flow before it calls the SDK,
/// the handler (further down the same flow) fills it, and the wrapper reads it when the SDK throws its own exception.
/// </summary>
internal sealed class ProviderCall
{
    private static readonly AsyncLocal<ProviderCall?> s_current = new();

    public static ProviderCall? Current
    {
        get => s_current.Value;
        set => s_current.Value = value;
    }

    /// <summary>The failure the handler classified, if any.</summary>
    public ModelProviderException? Failure { get; set; }
}
