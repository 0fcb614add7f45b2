using Microsoft.Data.Sqlite;

namespace VirtualItCompany.Storage.Sqlite.Tests;

/// <summary>A fresh folder for a test's database file, deleted when the test ends.</summary>
internal sealed class TempDatabase : IAsyncDisposable
{
    private readonly List<SqliteDatabase> _opened = [];

    public TempDatabase()
    {
        Folder = Directory.CreateTempSubdirectory("vic-sqlite-").FullName;
        FilePath = Path.Combine(Folder, "company.db");
    }

    public string Folder { get; }

    public string FilePath { get; }

    public string ConnectionString => $"Data Source={FilePath}";

    /// <summary>Opens the file as a store process would; closed when the test ends.</summary>
    public SqliteDatabase Open(TimeProvider time, Action<SqliteStorageOptions>? configure = null)
    {
        var options = new SqliteStorageOptions { ConnectionString = ConnectionString };
        configure?.Invoke(options);
        var database = SqliteDatabase.Open(options, time);
        _opened.Add(database);
        return database;
    }

    /// <summary>Opens the raw file with Microsoft.Data.Sqlite, outside the store (no pooling, so it really closes).</summary>
    public SqliteConnection OpenRaw()
    {
        var connection = new SqliteConnection($"Data Source={FilePath};Pooling=False");
        connection.Open();
        return connection;
    }

    /// <summary>Makes this file a file of an earlier schema version holding rows of <paramref name="from"/>: the schema up to <paramref name="version"/>, then <paramref name="copy"/> run with <paramref name="from"/> attached as <c>written</c>.</summary>
    /// <returns>An open raw connection to this file, for the caller's checks.</returns>
    public SqliteConnection MakeOlderCopy(TempDatabase from, int version, string copy)
    {
        var raw = OpenRaw();
        SqliteDatabase.Execute(raw, "BEGIN IMMEDIATE;");
        SqliteSchema.Migrate(raw, fromVersion: 0, toVersion: version);
        SqliteDatabase.Execute(raw, "COMMIT;");
        using (var attach = raw.CreateCommand())
        {
            attach.CommandText = "ATTACH DATABASE $file AS written;";
            attach.Parameters.AddWithValue("$file", from.FilePath);
            attach.ExecuteNonQuery();
        }

        SqliteDatabase.Execute(raw, "BEGIN IMMEDIATE;\n" + copy + "\nCOMMIT;\nDETACH DATABASE written;");
        return raw;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var database in _opened)
        {
            await database.DisposeAsync();
        }

        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
