using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;

namespace Petitions.Workflows.Storage;

/// <summary>
/// Applies the numbered scripts of <c>db/&lt;provider&gt;/NNNN_name.sql</c> that the database has not seen, in
/// order, each in its own transaction together with its row in <c>schema_migrations</c>. Safe when several
/// instances start at once: the dialect's lock serializes them and each re-checks the ledger under the lock.
/// </summary>
public sealed partial class Migrator(Database database, TimeProvider time, ILogger<Migrator> log)
{
    public sealed record Migration(int Version, string Name, string Sql);

    [GeneratedRegex(@"^db/(?<provider>[a-z]+)/(?<version>\d{4})_(?<name>[a-z0-9_]+)\.sql$")]
    private static partial Regex ScriptName();

    public IReadOnlyList<Migration> Migrations { get; } = Load(database.Dialect.Name);

    /// <summary>Applies the pending migrations and returns the versions it applied.</summary>
    public async Task<IReadOnlyList<int>> MigrateAsync(CancellationToken ct)
    {
        await using (var session = new DbSession(database))
        {
            // Under the lock too: PostgreSQL's CREATE TABLE IF NOT EXISTS is not safe against a concurrent twin.
            await session.BeginAsync(ct);
            await session.ExecuteAsync(database.Dialect.LockMigrations, null, ct);
            await session.ExecuteAsync(database.Dialect.CreateMigrationsTable, null, ct);
            await session.CommitAsync(ct);
        }

        var applied = new List<int>();
        foreach (var migration in Migrations)
        {
            await using var session = new DbSession(database);
            await session.BeginAsync(ct);
            await session.ExecuteAsync(database.Dialect.LockMigrations, null, ct);
            var done = await session.ScalarAsync<int>(
                "SELECT COUNT(*) FROM schema_migrations WHERE version = @Version", new { migration.Version }, ct);
            if (done > 0) continue;

            foreach (var batch in database.Dialect.Batches(migration.Sql)) await session.ExecuteAsync(batch, null, ct);
            await session.ExecuteAsync(
                """
                INSERT INTO schema_migrations (version, name, applied_at)
                VALUES (@Version, @Name, @AppliedAt)
                """,
                new { migration.Version, migration.Name, AppliedAt = time.GetUtcNow() }, ct);
            await session.CommitAsync(ct);
            applied.Add(migration.Version);
            LogApplied(migration.Version, migration.Name, database.Dialect.Name);
        }
        if (applied.Count == 0) LogNothingPending(database.Dialect.Name, Migrations[^1].Version);
        return applied;
    }

    /// <summary>Does work while holding the lock migrations take, so instances that start together do it one at a time.</summary>
    public async Task UnderMigrationLockAsync(Action work, CancellationToken ct)
    {
        await using var session = new DbSession(database);
        await session.BeginAsync(ct);
        await session.ExecuteAsync(database.Dialect.LockMigrations, null, ct);
        work();
        await session.CommitAsync(ct);
    }

    private static List<Migration> Load(string provider)
    {
        var assembly = typeof(Migrator).Assembly;
        var migrations = new List<Migration>();
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            var match = ScriptName().Match(resource.Replace('\\', '/'));
            if (!match.Success || match.Groups["provider"].Value != provider) continue;
            migrations.Add(new Migration(
                int.Parse(match.Groups["version"].Value, CultureInfo.InvariantCulture),
                match.Groups["name"].Value,
                Read(assembly, resource)));
        }
        migrations.Sort((a, b) => a.Version.CompareTo(b.Version));
        var duplicate = migrations.GroupBy(m => m.Version).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new InvalidOperationException($"Two {provider} migrations share version {duplicate.Key}.");
        if (migrations.Count == 0)
            throw new InvalidOperationException($"No migrations are embedded for {provider}.");
        return migrations;
    }

    private static string Read(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Applied migration {Version} {Name} on {Provider}")]
    private partial void LogApplied(int version, string name, string provider);

    [LoggerMessage(Level = LogLevel.Information, Message = "No migrations were pending on {Provider}: the database has every migration up to {Version}")]
    private partial void LogNothingPending(string provider, int version);
}
