using Microsoft.SqlServer.TransactSql.ScriptDom;

namespace Petitions.Tests.SqlServer;

/// <summary>
/// Microsoft's T-SQL parser, for every compatibility level from SQL Server 2019 (150, the oldest the service supports)
/// to the newest this ScriptDom knows (180): a statement must parse under all of them.
/// </summary>
public static class TSql
{
    public const int OldestLevel = 150;

    private static readonly Func<TSqlParser>[] Parsers =
    [
        () => new TSql150Parser(initialQuotedIdentifiers: true),
        () => new TSql160Parser(initialQuotedIdentifiers: true),
        () => new TSql170Parser(initialQuotedIdentifiers: true),
        () => new TSql180Parser(initialQuotedIdentifiers: true),
    ];

    /// <summary>The script as SQL Server 2019 parses it, or null with the errors of each level that refused it.</summary>
    public static TSqlScript? Parse(string sql, out IReadOnlyList<string> errors)
    {
        var found = new List<string>();
        TSqlScript? oldest = null;
        foreach (var create in Parsers)
        {
            var parser = create();
            var fragment = parser.Parse(new StringReader(sql), out var parseErrors);
            var level = parser.GetType().Name.Replace("TSql", "", StringComparison.Ordinal).Replace("Parser", "", StringComparison.Ordinal);
            found.AddRange(parseErrors.Select(e => $"level {level}, line {e.Line}, column {e.Column}: {e.Message}"));
            oldest ??= fragment as TSqlScript;
        }
        errors = found;
        return found.Count == 0 ? oldest : null;
    }
}
