using System.Data.Common;
using Microsoft.Extensions.Options;

namespace Petitions.Workflows.Storage;

/// <summary>The configured database: its dialect and how to open a connection to it.</summary>
public sealed class Database
{
    public Database(IOptions<StorageOptions> options)
    {
        var o = options.Value;
        if (string.IsNullOrWhiteSpace(o.ConnectionString))
            throw new InvalidOperationException("ConnectionStrings:Petitions is not set.");
        SqlDialect dialect = o.Provider switch
        {
            StorageProvider.Sqlite => new SqliteDialect(o.SqliteSynchronous),
            StorageProvider.Postgres => new PostgresDialect(),
            StorageProvider.SqlServer => new SqlServerDialect(),
            _ => throw new InvalidOperationException($"Unknown storage provider {o.Provider}."),
        };
        Dialect = DbSession.Observer?.Dialect(dialect) ?? dialect;
        // On first use: the provider's defaults and the pool's size are read from the connection string, which only a
        // connection needs to be valid.
        _connectionString = new Lazy<string>(() => Dialect.WithDefaults(o.ConnectionString));
        _work = new Lazy<DatabaseWork>(() => DatabaseWork.For(o, Dialect.PoolSize(ConnectionString)));
        DapperTypeHandlers.Register();
    }

    private readonly Lazy<string> _connectionString;
    private readonly Lazy<DatabaseWork> _work;

    /// <summary>The limit on concurrent database work of this instance, which every session goes through.</summary>
    public DatabaseWork Work => _work.Value;

    public SqlDialect Dialect { get; }
    public string ConnectionString => _connectionString.Value;

    public async Task<DbConnection> OpenAsync(CancellationToken ct)
    {
        var connection = Dialect.CreateConnection(ConnectionString);
        try
        {
            await connection.OpenAsync(ct);
            await Dialect.OnOpenedAsync(connection, ct);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }
}
