using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using VirtualItCompany;

namespace PackageSnippets;

/// <summary>
/// src/VirtualItCompany.Storage.Sqlite/README.md: the company kept in one SQLite file. The program delivers a project
/// offline into a fresh file, then opens the file again in a second host and finds the project and its history there.
/// </summary>
internal static class SqliteSnippets
{
    public static async Task<string> RunAsync()
    {
        string folder = Directory.CreateTempSubdirectory("vic-snippet-sqlite-").FullName;
        try
        {
            Directory.SetCurrentDirectory(folder); // the snippet's relative "company.db" lands here
            ProjectId id;
            using (var host = Build())
            {
                await host.StartAsync();
                var delivered = await host.Services.GetRequiredService<IDeliveryCompany>().DeliverAsync(
                    new ProjectBrief { Title = "Recipe box", Description = "A recipe box.", AcceptanceCriteria = ["It lists recipes."] });
                await host.StopAsync();
                id = delivered.Status == ProjectStatus.Completed ? delivered.Id : throw new InvalidOperationException($"The project ended {delivered.Status}.");
            }

            using var reopened = Build();
            var store = reopened.Services.GetRequiredService<IProjectStore>();
            var found = await store.GetAsync(id) ?? throw new InvalidOperationException("The project is not in the file after a restart.");
            int events = await store.ReadEventsAsync(id).CountAsync();
            return $"delivered into {Path.Combine(folder, "company.db")}; reopened: {found.Status}, {events} events";
        }
        finally
        {
            Directory.SetCurrentDirectory(AppContext.BaseDirectory);
            Directory.Delete(folder, recursive: true);
        }
    }

    private static IHost Build()
    {
        var builder = Host.CreateApplicationBuilder();
        // README:start
        builder.Services.AddVirtualItCompany()
            .UseSqliteStorage("Data Source=company.db")   // or UseSqliteStorage() with configuration
            .AddOfflineModel()
            .AddWorker();
        // README:end
        return builder.Build();
    }
}
