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
}
