namespace Petitions.Workflows.Storage;

public enum StorageProvider { Sqlite, Postgres, SqlServer }

/// <summary>Configuration section <c>Storage</c>; the connection string is <c>ConnectionStrings:Petitions</c>.</summary>
public sealed class StorageOptions
{
    public StorageProvider Provider { get; set; } = StorageProvider.Sqlite;
    public string ConnectionString { get; set; } = "";

    /// <summary>Apply pending migrations when the service starts.</summary>
    public bool MigrateOnStartup { get; set; } = true;

    /// <summary>
    /// SQLite's <c>synchronous</c> setting. NORMAL (with WAL) keeps every acknowledged write through a process
    /// crash; FULL also survives a power loss at a cost per commit. See docs/decisions/0003.
    /// </summary>
    public string SqliteSynchronous { get; set; } = "NORMAL";

    /// <summary>The most database sessions (each holding a pooled connection) that work at once in this instance;
    /// default: four per core (at least 8), and no more than the pool's size less a tenth. See <see cref="DatabaseWork"/>.</summary>
    public int? MaxConcurrentWork { get; set; }

    /// <summary>Sessions that may wait for a slot; more are refused at once (503). Default: ten times the limit.</summary>
    public int? WorkQueueLimit { get; set; }

    /// <summary>How long a session waits for a slot before it is refused (503).</summary>
    public TimeSpan WorkQueueTimeout { get; set; } = TimeSpan.FromSeconds(2);
}
