using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using VirtualItCompany;

namespace PackageSnippets;

/// <summary>
/// src/VirtualItCompany.Storage.PostgreSql/README.md: the company kept in PostgreSQL. The program delivers a project offline
/// in one host (a worker), then a second host on the same schema (another machine, say) finds the project and its history.
/// It runs against the server of <c>VIRTUALITCOMPANY_TEST_POSTGRES</c> (.ci/run starts one with eng/test-servers.sh), in a
/// schema of its own that it drops at the end.
/// </summary>
internal static class PostgreSqlSnippets
{
    public static async Task<string> RunAsync()
    {
        string connectionString = Environment.GetEnvironmentVariable("VIRTUALITCOMPANY_TEST_POSTGRES") is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException("VIRTUALITCOMPANY_TEST_POSTGRES is not set: start a server with  source <(bash eng/test-servers.sh env)");
        string schema = "snippet_" + Guid.NewGuid().ToString("N")[..12];
        try
        {
            ProjectId id;
            using (var worker = Build(connectionString, schema))
            {
                await worker.StartAsync();
                var delivered = await worker.Services.GetRequiredService<IDeliveryCompany>().DeliverAsync(
                    new ProjectBrief { Title = "Recipe box", Description = "A recipe box.", AcceptanceCriteria = ["It lists recipes."] });
                await worker.StopAsync();
                id = delivered.Status == ProjectStatus.Completed ? delivered.Id : throw new InvalidOperationException($"The project ended {delivered.Status}.");
            }

            using var other = Build(connectionString, schema);
            var store = other.Services.GetRequiredService<IProjectStore>();
            var found = await store.GetAsync(id) ?? throw new InvalidOperationException("The second host does not find the project.");
            int events = await store.ReadEventsAsync(id).CountAsync();
            return $"delivered into schema '{schema}'; a second host finds it {found.Status}, {events} events";
        }
        finally
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP SCHEMA IF EXISTS \"{schema}\" CASCADE;", connection);
            await drop.ExecuteNonQueryAsync();
        }
    }

    private static IHost Build(string connectionString, string schema)
    {
        var builder = Host.CreateApplicationBuilder();
        // README:start
        builder.Services.AddVirtualItCompany()
            .UsePostgreSqlStorage(o =>
            {
                o.ConnectionString = connectionString;   // "Host=db;Port=5432;Database=company;Username=app;Password=..."
                o.Schema = schema;                       // the default is "virtualitcompany"
            })
            .AddOfflineModel()
            .AddWorker();
        // README:end
        return builder.Build();
    }
}
