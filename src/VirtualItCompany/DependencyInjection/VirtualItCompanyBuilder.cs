using Microsoft.Extensions.DependencyInjection;

namespace VirtualItCompany.DependencyInjection;

/// <summary>The builder <c>AddVirtualItCompany</c> returns.</summary>
internal sealed class VirtualItCompanyBuilder(IServiceCollection services) : IVirtualItCompanyBuilder
{
    public IServiceCollection Services { get; } = services;
}
