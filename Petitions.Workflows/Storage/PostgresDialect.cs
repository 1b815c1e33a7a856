using System.Data.Common;
using Npgsql;

namespace Petitions.Workflows.Storage;

public sealed class PostgresDialect : SqlDialect
{
    public override string Name => "postgres";

    public override DbConnection CreateConnection(string connectionString) => new NpgsqlConnection(connectionString);

    public override string CreateMigrationsTable => """
        CREATE TABLE IF NOT EXISTS schema_migrations (
            version    integer     NOT NULL PRIMARY KEY,
            name       text        NOT NULL,
            applied_at timestamptz NOT NULL
        )
        """;

    public override string LockMigrations => "SELECT pg_advisory_xact_lock(7411001)";

    public override int? PoolSize(string connectionString) => new NpgsqlConnectionStringBuilder(connectionString).MaxPoolSize;

    // Pool exhausted or a connection not had in time (a timeout inside), too many clients, a lock or statement timeout.
    public override bool IsOverloaded(Exception exception) => exception switch
    {
        PostgresException e => e.SqlState is PostgresErrorCodes.TooManyConnections or PostgresErrorCodes.LockNotAvailable or PostgresErrorCodes.QueryCanceled,
        NpgsqlException { InnerException: TimeoutException } => true,
        _ => false,
    };

    public override bool IsUniqueViolation(Exception exception) =>
        exception is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation };
}
