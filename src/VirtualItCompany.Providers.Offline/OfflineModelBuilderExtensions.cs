using Microsoft.Extensions.AI;
using VirtualItCompany;
using VirtualItCompany.Providers.Offline;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the offline model (no AI) to a company.</summary>
public static class OfflineModelBuilderExtensions
{
    /// <summary>Registers the deterministic offline model as the company's <see cref="IChatClient"/>, so the company runs without keys.</summary>
    /// <param name="builder">The company builder.</param>
    /// <param name="configure">Configures the options, or <see langword="null"/> for the defaults.</param>
    /// <returns>The builder, for chaining.</returns>
    /// <exception cref="ArgumentException">The configured options are not valid; every problem is listed.</exception>
    public static IVirtualItCompanyBuilder AddOfflineModel(this IVirtualItCompanyBuilder builder, Action<OfflineModelOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = new OfflineModelOptions();
        configure?.Invoke(options);
        options.Validate();
        // Add, not replace: like AddOpenAI, the offline model may sit beside other models that a router chooses among.
        builder.Services.AddSingleton<IChatClient>(_ => new OfflineChatClient(options));
        return builder;
    }
}
