using VirtualItCompany.Providers.Offline;

namespace VirtualItCompany;

/// <summary>Adds the offline model (no AI) to a company.</summary>
public static class OfflineModelBuilderExtensions
{
    /// <summary>Adds the deterministic offline model (<see cref="OfflineModel.Profile"/>: free, local, labelled "offline (no AI)"), so the company runs without keys.</summary>
    /// <param name="builder">The company builder.</param>
    /// <param name="configure">Configures the options, or <see langword="null"/> for the defaults.</param>
    /// <returns>The builder, for chaining.</returns>
    /// <exception cref="ArgumentException">The configured options are not valid; every problem is listed.</exception>
    /// <remarks>Like any model added with <c>AddModel</c>, it may sit beside others that the router chooses among; it is in none of the default routing bands, so a router sends it nothing unless a policy names it.</remarks>
    public static IVirtualItCompanyBuilder AddOfflineModel(this IVirtualItCompanyBuilder builder, Action<OfflineModelOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = new OfflineModelOptions();
        configure?.Invoke(options);
        options.Validate();
        return builder.AddModel(OfflineModel.Profile, _ => new OfflineChatClient(options));
    }
}
