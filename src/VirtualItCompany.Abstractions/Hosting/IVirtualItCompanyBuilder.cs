using Microsoft.Extensions.DependencyInjection;

namespace VirtualItCompany;

/// <summary>Configures the company's services; returned by <c>AddVirtualItCompany</c> and extended by storage and provider packages (<c>UseSqliteStorage</c>, <c>AddOfflineModel</c>...).</summary>
public interface IVirtualItCompanyBuilder
{
    /// <summary>Gets the service collection being configured.</summary>
    IServiceCollection Services { get; }
}
