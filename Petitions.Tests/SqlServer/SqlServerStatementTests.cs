using System.Reflection;
using System.Text.RegularExpressions;
using Petitions.Workflows.Storage;

namespace Petitions.Tests.SqlServer;

/// <summary>Runs after every other test class of the run: xUnit starts collections that are not parallel last.</summary>
[CollectionDefinition(nameof(AfterEveryOtherTest), DisableParallelization = true)]
public sealed class AfterEveryOtherTest;

/// <summary>
/// Every statement the service issued in this test run (on SQLite and PostgreSQL), rendered for SQL Server, parses and
/// fits the schema the SQL Server migrations build; and every call into DbSession in the service's code issued one
/// (docs/decisions/0012). Alone, without the other suites, there is nothing to check: run the whole suite.
/// </summary>
[Collection(nameof(AfterEveryOtherTest))]
public sealed partial class SqlServerStatementTests(ITestOutputHelper output)
{
    private static readonly SqlServerSchema Schema = SqlServerSchema.FromMigrations();

    private static IReadOnlyCollection<StatementRecorder.Issued> Recorded()
    {
        var recorded = StatementRecorder.Recorded;
        if (recorded.Count == 0)
            Assert.Skip("No service statement ran before this test: it checks what the other suites of the same run issue. Run the whole suite (dotnet test).");
        return recorded;
    }

    [Fact]
    public void Every_statement_the_service_issued_parses_and_fits_the_SQL_Server_schema()
    {
        Assert.True(Schema.Problems.Count == 0, string.Join("\n", Schema.Problems));
        var recorded = Recorded();
        var failures = new List<string>();
        foreach (var issued in recorded)
        {
            var problems = Problems(issued, out _);
            if (problems.Count > 0)
                failures.Add($"{issued.Site}:\n  {string.Join("\n  ", problems)}\n---- as SQL Server gets it:\n{issued.SqlServer}\n----");
        }
        output.WriteLine($"{recorded.Count} distinct SQL Server statements from {recorded.Select(r => r.Site).Distinct().Count()} call sites parsed and checked.");
        Assert.True(failures.Count == 0, $"{failures.Count} of {recorded.Count} statements would fail on SQL Server:\n{string.Join("\n", failures)}");
    }

    [Fact]
    public void Every_call_into_DbSession_issued_a_statement_in_this_run()
    {
        Recorded();
        var exercised = StatementRecorder.Exercised;
        var sites = CallSites.Statements();
        var never = sites.Where(site => !exercised.Any(site.Contains)).Select(s => s.ToString()).Distinct().ToList();
        // A filtered run reaches few call sites; CI always runs everything, so there it is never a reason.
        if (!Support.DatabaseServers.InCi && never.Count > sites.Count / 2)
            Assert.Skip($"Only {sites.Count - never.Count} of {sites.Count} calls into DbSession ran: a filtered run. Run the whole suite (dotnet test).");
        Assert.True(never.Count == 0,
            $"These calls into DbSession issued no statement while the suites ran, so their SQL Server rendering was never checked; " +
            $"give each a test on SQLite and PostgreSQL:\n{string.Join("\n", never)}");
    }

    /// <summary>Every piece of SQL in the service's code went into a statement that ran: a filter, hint or branch that no
    /// test reached would otherwise go to SQL Server unread.</summary>
    [Fact]
    public void Every_piece_of_SQL_in_the_service_went_into_a_statement_that_ran()
    {
        var recorded = Recorded();
        var texts = recorded.SelectMany(r => new[] { r.SqlServer, r.Sqlite, r.Postgres }).Distinct().ToList();
        var literals = CallSites.SqlLiterals();
        var never = literals.Where(l => !texts.Any(t => t.Contains(l.Literal, StringComparison.Ordinal)))
            .Select(l => $"{l.Site}: {l.Literal.Trim().ReplaceLineEndings(" ")}")
            .Distinct()
            .ToList();
        if (!Support.DatabaseServers.InCi && never.Count > literals.Count / 2)
            Assert.Skip($"{never.Count} of {literals.Count} pieces of SQL did not run: a filtered run. Run the whole suite (dotnet test).");
        Assert.True(never.Count == 0,
            $"These pieces of SQL went into no statement while the suites ran, so their SQL Server rendering was never checked; " +
            $"give the branch that uses each a test on SQLite and PostgreSQL:\n{string.Join("\n", never)}");
    }

    [Fact]
    public void No_service_code_runs_SQL_around_DbSession()
    {
        var bypasses = CallSites.Bypasses();
        Assert.True(bypasses.Count == 0,
            $"These run SQL without DbSession, where the SQL Server proof cannot see it; go through DbSession:\n{string.Join("\n", bypasses)}");
    }

    /// <summary>A dialect piece the marking dialect does not override would be rendered by the base class for every
    /// database, and its SQL Server form never seen.</summary>
    [Fact]
    public void The_marking_dialect_overrides_every_member_of_the_dialect()
    {
        const BindingFlags instance = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance;
        var missing = typeof(SqlDialect).GetMethods(instance)
            .Where(m => (m.IsVirtual || m.IsAbstract) && m.DeclaringType == typeof(SqlDialect))
            .Where(m => typeof(MarkedDialect).GetMethod(m.Name, instance, m.GetParameters().Select(p => p.ParameterType).ToArray())?.DeclaringType != typeof(MarkedDialect))
            .Select(m => m.Name)
            .ToList();
        Assert.True(missing.Count == 0, $"MarkedDialect (Petitions.Tests/SqlServer/StatementRecorder.cs) must mark or forward: {string.Join(", ", missing)}");
    }

    /// <summary>The three renderings of each statement name the same tables and columns: the dialects differ only in
    /// the pieces they own.</summary>
    [Fact]
    public void The_three_dialects_name_the_same_tables_and_columns()
    {
        var known = Schema.Tables.Values.SelectMany(t => t.Columns.Keys.Append(t.Name)).Select(n => n.ToLowerInvariant()).ToHashSet();
        var failures = new List<string>();
        foreach (var issued in Recorded())
        {
            if (Problems(issued, out var names).Count > 0) continue; // reported by the test above
            foreach (var (database, text) in new[] { ("SQLite", issued.Sqlite), ("PostgreSQL", issued.Postgres) })
            {
                var theirs = Identifiers(text).Where(known.Contains).ToHashSet();
                var ours = names.Where(known.Contains).ToHashSet();
                if (!theirs.SetEquals(ours))
                    failures.Add($"{issued.Site}: only on {database}: {string.Join(", ", theirs.Except(ours))}; only on SQL Server: {string.Join(", ", ours.Except(theirs))}");
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures.Distinct()));
    }

    private static List<string> Problems(StatementRecorder.Issued issued, out IReadOnlySet<string> names)
    {
        names = new HashSet<string>();
        var script = TSql.Parse(issued.SqlServer, out var errors);
        if (script is null) return errors.ToList();
        var checker = new StatementChecker(Schema.ColumnsOf, issued.Bound, issued.InTransaction);
        checker.Check(script);
        names = checker.Names;
        return checker.Problems;
    }

    /// <summary>The words of a statement outside its string literals, comments and aliases (AS Kind), lower case.</summary>
    private static IEnumerable<string> Identifiers(string sql) =>
        Word().Matches(Skipped().Replace(sql, " ")).Select(m => m.Value.ToLowerInvariant());

    [GeneratedRegex(@"'(?:[^']|'')*'|--[^\n]*|/\*.*?\*/|\bAS\s+(\w+|""\w+"")", RegexOptions.Singleline)]
    private static partial Regex Skipped();

    [GeneratedRegex(@"(?<![@\w])[A-Za-z_]\w*")]
    private static partial Regex Word();
}
