using System.Collections;
using System.Collections.Concurrent;
using System.Data.Common;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text;
using Dapper;
using Petitions.Workflows.Storage;

namespace Petitions.Tests.SqlServer;

/// <summary>
/// Records every statement the service issues while the suites run on SQLite and PostgreSQL, rendered for all three
/// databases (docs/decisions/0012). Each <see cref="Database"/> of this test process gets a <see cref="MarkedDialect"/>:
/// the dialect's pieces come back as markers, so the text a store builds names each dialect call with its arguments.
/// Before the statement runs, the markers are rendered by the real dialect (what the service sends, byte for byte), and
/// by the other two for the record.
/// </summary>
public static class StatementRecorder
{
    /// <summary>One statement as the service issued it, rendered for each database, with the parameters bound to it.</summary>
    public sealed record Issued(string SqlServer, string Sqlite, string Postgres, IReadOnlySet<string> Bound, bool InTransaction, CallSite Site);

    /// <summary>Where a statement was issued: the file and line of the call into <see cref="DbSession"/>.</summary>
    public readonly record struct CallSite(string File, int Line)
    {
        public override string ToString() => $"{Path.GetFileName(File)}:{Line}";
    }

    private static readonly ConcurrentDictionary<string, Issued> Statements = new();
    private static readonly ConcurrentDictionary<CallSite, bool> Sites = new();
    private static readonly SqlServerDialect SqlServer = new();
    private static readonly SqliteDialect Sqlite = new("NORMAL");
    private static readonly PostgresDialect Postgres = new();

    /// <summary>The service's statements issued so far in this test run, each distinct rendering once.</summary>
    public static IReadOnlyCollection<Issued> Recorded => Statements.Values.ToList();

    /// <summary>The call sites that issued a statement (a migration batch included) so far in this run.</summary>
    public static IReadOnlySet<CallSite> Exercised => Sites.Keys.ToHashSet();

    [ModuleInitializer]
    internal static void Install() => DbSession.Observer = new Observer();

    /// <summary>The text the markers stand for, as <paramref name="dialect"/> writes it.</summary>
    public static string Render(string marked, SqlDialect dialect)
    {
        if (marked.IndexOf(MarkedDialect.Open) < 0) return marked;
        var i = 0;
        return Sequence(marked, ref i, dialect, inCall: false);
    }

    /// <summary>Whether a file is the service's (not a test's or a benchmark's seeding code).</summary>
    public static bool IsService(string file) =>
        file.Replace('\\', '/') is var f && (f.Contains("/Petitions.Workflows/", StringComparison.Ordinal) || f.Contains("/Petitions.Api/", StringComparison.Ordinal));

    private sealed class Observer : IStatementObserver
    {
        public SqlDialect Dialect(SqlDialect provider) => new MarkedDialect(provider);

        public string Issuing(SqlDialect dialect, string sql, object? parameters, bool inTransaction, string file, int line)
        {
            var real = dialect is MarkedDialect marked ? marked.Inner : dialect;
            var text = Render(sql, real);
            if (!IsService(file)) return text;
            var site = new CallSite(file, line);
            Sites.TryAdd(site, true);
            // A migration script's batch: proven from db/sqlserver by the migration tests, not by re-rendering.
            if (MigrationScripts.Value.Contains(text)) return text;
            var issued = new Issued(Render(sql, SqlServer), Render(sql, Sqlite), Render(sql, Postgres), BoundNames(parameters), inTransaction, site);
            Statements.TryAdd($"{issued.SqlServer}\u0000{string.Join(",", issued.Bound.Order(StringComparer.Ordinal))}\u0000{inTransaction}\u0000{site}", issued);
            return text;
        }
    }

    private static readonly Lazy<HashSet<string>> MigrationScripts = new(() =>
    {
        var assembly = typeof(Migrator).Assembly;
        var scripts = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.EndsWith(".sql", StringComparison.Ordinal)))
        {
            using var reader = new StreamReader(assembly.GetManifestResourceStream(name)!);
            var script = reader.ReadToEnd();
            scripts.Add(script);
            foreach (var batch in SqlServer.Batches(script)) scripts.Add(batch);
        }
        return scripts;
    });

    private static readonly FieldInfo Templates = typeof(DynamicParameters).GetField("templates", BindingFlags.Instance | BindingFlags.NonPublic)
        ?? throw new InvalidOperationException("Dapper's DynamicParameters no longer keeps its templates in 'templates': teach StatementRecorder where they are.");

    /// <summary>The parameter names Dapper binds from what the code passes: an object's properties, the names of
    /// DynamicParameters and of the objects it was made from; for a list (one execution per item), its first item's.</summary>
    public static IReadOnlySet<string> BoundNames(object? parameters)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        void Add(object? p)
        {
            switch (p)
            {
                case null:
                    return;
                case DynamicParameters dynamic:
                    names.UnionWith(dynamic.ParameterNames);
                    foreach (var template in (IEnumerable?)Templates.GetValue(dynamic) ?? Array.Empty<object>()) Add(template);
                    return;
                case IEnumerable<KeyValuePair<string, object?>> dictionary:
                    names.UnionWith(dictionary.Select(kv => kv.Key));
                    return;
                case IEnumerable list and not string:
                    Add(list.Cast<object?>().FirstOrDefault());
                    return;
                default:
                    names.UnionWith(p.GetType().GetProperties(BindingFlags.Instance | BindingFlags.Public).Select(property => property.Name));
                    return;
            }
        }
        Add(parameters);
        return names;
    }

    private static string Sequence(string s, ref int i, SqlDialect dialect, bool inCall)
    {
        var text = new StringBuilder();
        while (i < s.Length)
        {
            var c = s[i];
            if (inCall && c is MarkedDialect.Separator or MarkedDialect.Close) break;
            i++;
            if (c == MarkedDialect.Open) text.Append(Call(s, ref i, dialect));
            else text.Append(c);
        }
        return text.ToString();
    }

    private static string Call(string s, ref int i, SqlDialect dialect)
    {
        var end = s.IndexOfAny([MarkedDialect.Separator, MarkedDialect.Close], i);
        var name = s[i..end];
        i = end;
        var arguments = new List<string>();
        while (s[i] == MarkedDialect.Separator)
        {
            i++;
            arguments.Add(Sequence(s, ref i, dialect, inCall: true));
        }
        i++; // the call's Close
        return MarkedDialect.Call(dialect, name, arguments);
    }
}

/// <summary>
/// A dialect that writes its pieces as markers naming the call (private-use characters no statement contains), for
/// <see cref="StatementRecorder"/> to render for any dialect. Everything else goes to the real dialect. A test holds
/// that it overrides every member of <see cref="SqlDialect"/>, so a new dialect piece cannot slip past the record.
/// </summary>
public sealed class MarkedDialect(SqlDialect inner) : SqlDialect
{
    public const char Open = '\uE000', Separator = '\uE001', Close = '\uE002';

    public SqlDialect Inner => inner;

    public override string Name => inner.Name;
    public override DbConnection CreateConnection(string connectionString) => inner.CreateConnection(connectionString);
    public override Task OnOpenedAsync(DbConnection connection, CancellationToken ct) => inner.OnOpenedAsync(connection, ct);
    public override ValueTask<IDisposable?> EnterWriteAsync(CancellationToken ct) => inner.EnterWriteAsync(ct);
    public override bool IsUniqueViolation(Exception exception) => inner.IsUniqueViolation(exception);
    public override IReadOnlyList<string> Batches(string script) => inner.Batches(script);
    public override int? PoolSize(string connectionString) => inner.PoolSize(connectionString);
    public override string WithDefaults(string connectionString) => inner.WithDefaults(connectionString);
    public override bool IsOverloaded(Exception exception) => inner.IsOverloaded(exception);
    public override int MaxParameters => inner.MaxParameters;
    public override bool BatchesWrites => inner.BatchesWrites;
    public override bool CommitsWithHeldWrites => inner.CommitsWithHeldWrites;
    public override string? TransactionSettings => inner.TransactionSettings;

    public override string InsertReturningId(string insertInto, string values) => Mark(nameof(InsertReturningId), insertInto, values);
    public override string UpdateReturning(string updateSet, string where, string column) => Mark(nameof(UpdateReturning), updateSet, where, column);
    public override string NextCaseSequence => Mark(nameof(NextCaseSequence));
    public override string AddReportCounts(string rows) => Mark(nameof(AddReportCounts), rows);
    public override string CreateMigrationsTable => Mark(nameof(CreateMigrationsTable));
    public override string LockMigrations => Mark(nameof(LockMigrations));
    public override (string TableHint, string Suffix) SkipLocked => (Mark("SkipLocked.TableHint"), Mark("SkipLocked.Suffix"));
    public override string Limit(string orderedQuery, string countParameter) => Mark(nameof(Limit), orderedQuery, countParameter);
    public override string Concat(string left, string right) => Mark(nameof(Concat), left, right);

    /// <summary>The piece a marker names, as <paramref name="dialect"/> writes it.</summary>
    public static string Call(SqlDialect dialect, string name, IReadOnlyList<string> a) => name switch
    {
        nameof(InsertReturningId) => dialect.InsertReturningId(a[0], a[1]),
        nameof(UpdateReturning) => dialect.UpdateReturning(a[0], a[1], a[2]),
        nameof(NextCaseSequence) => dialect.NextCaseSequence,
        nameof(AddReportCounts) => dialect.AddReportCounts(a[0]),
        nameof(CreateMigrationsTable) => dialect.CreateMigrationsTable,
        nameof(LockMigrations) => dialect.LockMigrations,
        "SkipLocked.TableHint" => dialect.SkipLocked.TableHint,
        "SkipLocked.Suffix" => dialect.SkipLocked.Suffix,
        nameof(Limit) => dialect.Limit(a[0], a[1]),
        nameof(Concat) => dialect.Concat(a[0], a[1]),
        _ => throw new InvalidOperationException($"No dialect piece is called {name}."),
    };

    private static string Mark(string name, params string[] arguments) =>
        $"{Open}{name}{string.Concat(arguments.Select(a => Separator + a))}{Close}";
}
