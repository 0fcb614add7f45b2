using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace VirtualItCompany;

/// <summary>Adds models to the company.</summary>
public static class ModelBuilderExtensions
{
    /// <summary>Adds a model; with more than one, the company routes each call to the cheapest that can do it.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="profile">What the model costs and can do; validated now.</param>
    /// <param name="createClient">Creates the model's chat client.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentException">The profile is not valid; every problem is listed.</exception>
    public static IVirtualItCompanyBuilder AddModel(this IVirtualItCompanyBuilder builder, ModelProfile profile, Func<IServiceProvider, IChatClient> createClient)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(createClient);
        if (profile.GetProblems() is { Count: > 0 } problems)
        {
            throw new ArgumentException("The model profile is not valid: " + string.Join(" ", problems), nameof(profile));
        }

        builder.Services.AddSingleton(new ModelRegistration(profile, createClient));
        return builder;
    }
}
