using Microsoft.SqlServer.TransactSql.ScriptDom;

namespace Petitions.Tests.SqlServer;

/// <summary>
/// Checks one parsed SQL Server statement against a schema: every table and view it names exists, every column it
/// names exists in the table or alias it belongs to (or, unqualified, in one of those in scope), every parameter it
/// reads is bound by the code, claiming hints are <c>WITH (UPDLOCK, READPAST, ROWLOCK)</c> on a SELECT inside a
/// transaction, and every MERGE holds its range lock and inserts what it names. The parser itself refuses a MERGE
/// without its semicolon, ORDER BY in a subquery without TOP or OFFSET, and OFFSET without ORDER BY. It also collects the names it resolved, for comparing dialects.
/// </summary>
public sealed class StatementChecker(Func<string, IReadOnlySet<string>?> columnsOf, IReadOnlySet<string>? bound, bool inTransaction) : TSqlFragmentVisitor
{
    private static readonly HashSet<TableHintKind> Claim = [TableHintKind.UpdLock, TableHintKind.ReadPast, TableHintKind.Rowlock];
    private static readonly HashSet<string> DateParts = new(StringComparer.OrdinalIgnoreCase) { "DATEADD", "DATEDIFF", "DATEDIFF_BIG", "DATENAME", "DATEPART", "DATETRUNC", "DATE_BUCKET" };

    /// <summary>A table, view, CTE or derived table in a query's FROM; null columns: not known (selects *).</summary>
    private sealed record Source(string Name, IReadOnlySet<string>? Columns);

    private sealed record Scope(Dictionary<string, Source> Aliases, HashSet<string> SelectAliases);

    private readonly Stack<Scope> _scopes = new();
    private readonly Dictionary<string, Source> _ctes = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<TSqlFragment> _done = new(ReferenceEqualityComparer.Instance);
    private readonly HashSet<string> _declared = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);
    private Source? _target;
    private TSqlStatement? _statement;

    public List<string> Problems { get; } = [];

    /// <summary>The tables and views the statement names, and the columns it resolved (lower case).</summary>
    public SortedSet<string> Names { get; } = new(StringComparer.Ordinal);

    public void Check(TSqlFragment fragment)
    {
        fragment.Accept(this);
        if (bound is not null)
            foreach (var name in _read.Where(n => !_declared.Contains(n)).Order(StringComparer.Ordinal))
                if (!bound.Contains(name[1..])) Problems.Add($"parameter {name} is not bound by the code (it binds {(bound.Count == 0 ? "none" : string.Join(", ", bound.Order(StringComparer.Ordinal)))})");
    }

    /// <summary>A filtered index's predicate, on its table.</summary>
    public void CheckFilter(string table, BooleanExpression predicate)
    {
        _scopes.Push(new Scope(new(StringComparer.OrdinalIgnoreCase) { [table] = new Source(table, columnsOf(table)) }, []));
        predicate.Accept(this);
        _scopes.Pop();
    }

    /// <summary>The names of the columns a query returns; null when one has none (an expression without alias) or is *.</summary>
    public static List<string>? OutputColumns(QueryExpression query) => query switch
    {
        QuerySpecification spec => spec.SelectElements.Select(e => e switch
        {
            SelectScalarExpression { ColumnName: { } alias } => alias.Value,
            SelectScalarExpression { Expression: ColumnReferenceExpression { ColumnType: ColumnType.Regular } column } => column.MultiPartIdentifier.Identifiers[^1].Value,
            _ => null,
        }).ToList() is var names && names.All(n => n is not null) ? names.Select(n => n!).ToList() : null,
        BinaryQueryExpression binary => OutputColumns(binary.FirstQueryExpression),
        QueryParenthesisExpression parenthesis => OutputColumns(parenthesis.QueryExpression),
        _ => null,
    };

    private void Problem(string message) => Problems.Add(message);

    private static HashSet<string>? Set(IEnumerable<string>? names) => names?.ToHashSet(StringComparer.OrdinalIgnoreCase);

    public override void Visit(TSqlStatement node)
    {
        _statement ??= node;
        if (node is StatementWithCtesAndXmlNamespaces { WithCtesAndXmlNamespaces: { } with })
            foreach (var cte in with.CommonTableExpressions)
                _ctes[cte.ExpressionName.Value] = new Source(cte.ExpressionName.Value, Set(cte.Columns.Count > 0 ? cte.Columns.Select(c => c.Value) : OutputColumns(cte.QueryExpression)));
    }

    // DDL is followed by SqlServerSchema, not read as queries; a table it creates is named, for comparing dialects.
    public override void ExplicitVisit(CreateTableStatement node)
    {
        Names.Add(node.SchemaObjectName.BaseIdentifier.Value.ToLowerInvariant());
        foreach (var column in node.Definition.ColumnDefinitions) Names.Add(column.ColumnIdentifier.Value.ToLowerInvariant());
    }

    public override void ExplicitVisit(CreateIndexStatement node) { }
    public override void ExplicitVisit(AlterTableAddTableElementStatement node) { }

    public override void ExplicitVisit(ExecuteParameter node)
    {
        if (node.Variable is not null) _done.Add(node.Variable); // @Resource = …: the procedure's parameter's name
        base.ExplicitVisit(node);
    }

    public override void Visit(DeclareVariableElement node) => _declared.Add(node.VariableName.Value);

    public override void Visit(VariableReference node)
    {
        if (!_done.Contains(node)) _read.Add(node.Name);
    }

    public override void Visit(FunctionCall node)
    {
        // DATEDIFF(day, …): the date part parses as a column reference.
        if (DateParts.Contains(node.FunctionName.Value) && node.Parameters.Count > 0) _done.Add(node.Parameters[0]);
    }

    public override void ExplicitVisit(QuerySpecification node)
    {
        var aliases = new Dictionary<string, Source>(StringComparer.OrdinalIgnoreCase);
        foreach (var table in node.FromClause?.TableReferences ?? []) Sources(table, aliases);
        var selectAliases = node.SelectElements.OfType<SelectScalarExpression>().Where(e => e.ColumnName is not null).Select(e => e.ColumnName.Value).ToHashSet(StringComparer.OrdinalIgnoreCase);
        _scopes.Push(new Scope(aliases, selectAliases));
        base.ExplicitVisit(node);
        _scopes.Pop();
    }

    public override void ExplicitVisit(BinaryQueryExpression node)
    {
        // Its ORDER BY names the output columns of the first query.
        _scopes.Push(new Scope(new(StringComparer.OrdinalIgnoreCase), Set(OutputColumns(node)) ?? []));
        base.ExplicitVisit(node);
        _scopes.Pop();
    }

    public override void ExplicitVisit(InsertSpecification node)
    {
        var target = Target(node.Target);
        foreach (var column in node.Columns) TargetColumn(target, column);
        if (node.InsertSource is ValuesInsertSource values)
            foreach (var row in values.RowValues.Where(r => r.ColumnValues.Count != node.Columns.Count))
                Problem($"INSERT INTO {target.Name} names {node.Columns.Count} columns but a row has {row.ColumnValues.Count} values");
        if (node.InsertSource is SelectInsertSource select && OutputColumns(select.Select) is { } selected && node.Columns.Count > 0 && selected.Count != node.Columns.Count)
            Problem($"INSERT INTO {target.Name} names {node.Columns.Count} columns but its SELECT returns {selected.Count}");
        var outer = _target;
        _target = target;
        base.ExplicitVisit(node);
        _target = outer;
    }

    public override void ExplicitVisit(UpdateSpecification node) => Modify(node.Target, node.FromClause, node, node.SetClauses);

    public override void ExplicitVisit(DeleteSpecification node) => Modify(node.Target, node.FromClause, node, []);

    private void Modify(TableReference targetReference, FromClause? from, TSqlFragment node, IList<SetClause> sets)
    {
        var aliases = new Dictionary<string, Source>(StringComparer.OrdinalIgnoreCase);
        foreach (var table in from?.TableReferences ?? []) Sources(table, aliases);
        // UPDATE p … FROM petitions p: the target is an alias of the FROM.
        var target = targetReference is NamedTableReference named && aliases.TryGetValue(named.SchemaObject.BaseIdentifier.Value, out var aliased)
            ? aliased
            : Target(targetReference);
        if (!aliases.ContainsValue(target)) Sources(targetReference, aliases);
        foreach (var set in sets.OfType<AssignmentSetClause>().Where(s => s.Column is not null)) TargetColumn(target, set.Column);
        var outer = _target;
        _target = target;
        _scopes.Push(new Scope(aliases, []));
        node.AcceptChildren(this);
        _scopes.Pop();
        _target = outer;
    }

    public override void ExplicitVisit(MergeSpecification node)
    {
        var target = Target(node.Target);
        var aliases = new Dictionary<string, Source>(StringComparer.OrdinalIgnoreCase) { [node.TableAlias?.Value ?? target.Name] = target };
        Sources(node.TableReference, aliases);
        if (node.Target is NamedTableReference named && !named.TableHints.Any(h => h.HintKind is TableHintKind.HoldLock or TableHintKind.Serializable)
            && node.ActionClauses.Any(c => c.Action is InsertMergeAction))
            Problem($"MERGE into {target.Name} inserts when not matched but does not hold its range (WITH (HOLDLOCK)): two first inserts race");
        foreach (var clause in node.ActionClauses)
        {
            if (clause.Action is InsertMergeAction insert)
            {
                foreach (var column in insert.Columns) TargetColumn(target, column);
                if (insert.Source is ValuesInsertSource values)
                    foreach (var row in values.RowValues.Where(r => r.ColumnValues.Count != insert.Columns.Count))
                        Problem($"MERGE into {target.Name} inserts {insert.Columns.Count} columns but {row.ColumnValues.Count} values");
            }
            if (clause.Action is UpdateMergeAction update)
                foreach (var set in update.SetClauses.OfType<AssignmentSetClause>().Where(s => s.Column is not null)) TargetColumn(target, set.Column);
        }
        var outer = _target;
        _target = target;
        _scopes.Push(new Scope(aliases, []));
        base.ExplicitVisit(node);
        _scopes.Pop();
        _target = outer;
    }

    public override void ExplicitVisit(NamedTableReference node)
    {
        var kinds = node.TableHints.Select(h => h.HintKind).ToList();
        if (kinds.Any(Claim.Contains))
        {
            var name = node.SchemaObject.BaseIdentifier.Value;
            if (!Claim.SetEquals(kinds) || kinds.Count != Claim.Count)
                Problem($"rows of {name} are claimed with WITH ({string.Join(", ", kinds)}): the service claims with exactly UPDLOCK, READPAST, ROWLOCK");
            if (_statement is not SelectStatement) Problem($"rows of {name} are claimed outside a SELECT");
            if (!inTransaction) Problem($"rows of {name} are claimed outside a transaction: the locks end with the statement");
        }
        for (var i = 1; i < node.TableHints.Count; i++)
        {
            var between = Enumerable.Range(node.TableHints[i - 1].LastTokenIndex + 1, node.TableHints[i].FirstTokenIndex - node.TableHints[i - 1].LastTokenIndex - 1);
            if (!between.Any(t => node.ScriptTokenStream[t].TokenType == TSqlTokenType.Comma))
                Problem($"table hints on {node.SchemaObject.BaseIdentifier.Value} are separated by spaces, not commas (deprecated, and not what the service means)");
        }
        base.ExplicitVisit(node);
    }

    public override void Visit(ColumnReferenceExpression node)
    {
        if (_done.Contains(node) || node.ColumnType != ColumnType.Regular || node.MultiPartIdentifier is null) return;
        var parts = node.MultiPartIdentifier.Identifiers.Select(i => i.Value).ToList();
        var column = parts[^1];
        Names.Add(column.ToLowerInvariant());
        if (parts.Count == 1)
        {
            var scopes = _scopes.ToList();
            var sources = scopes.SelectMany(s => s.Aliases.Values).ToList();
            if (sources.Any(s => s.Columns is null || s.Columns.Contains(column)) || scopes.Any(s => s.SelectAliases.Contains(column))) return;
            Problem($"no column {column} in {(sources.Count == 0 ? "any table (nothing is in scope)" : string.Join(", ", sources.Select(s => s.Name).Distinct()))}");
            return;
        }
        var qualifier = parts[^2];
        var source = qualifier.ToLowerInvariant() is "inserted" or "deleted" && _target is not null
            ? _target
            : _scopes.Select(s => s.Aliases.GetValueOrDefault(qualifier)).FirstOrDefault(s => s is not null);
        if (source is null) Problem($"{qualifier}.{column}: no table or alias {qualifier} is in scope");
        else if (source.Columns is not null && !source.Columns.Contains(column)) Problem($"{source.Name} has no column {column} ({qualifier}.{column})");
    }

    private Source Target(TableReference reference)
    {
        var aliases = new Dictionary<string, Source>(StringComparer.OrdinalIgnoreCase);
        Sources(reference, aliases);
        return aliases.Values.Single();
    }

    private void TargetColumn(Source target, ColumnReferenceExpression column)
    {
        _done.Add(column);
        var name = column.MultiPartIdentifier.Identifiers[^1].Value;
        Names.Add(name.ToLowerInvariant());
        if (target.Columns is not null && !target.Columns.Contains(name)) Problem($"{target.Name} has no column {name}");
    }

    private void Sources(TableReference reference, Dictionary<string, Source> aliases)
    {
        switch (reference)
        {
            case NamedTableReference named:
            {
                var name = named.SchemaObject.BaseIdentifier.Value;
                Source source;
                if (_ctes.TryGetValue(name, out var cte)) source = cte;
                else
                {
                    var columns = columnsOf(name);
                    if (columns is null) Problem($"no table or view {name}");
                    else Names.Add(name.ToLowerInvariant());
                    source = new Source(name, columns ?? new HashSet<string>());
                }
                aliases[named.Alias?.Value ?? name] = source;
                break;
            }
            case QueryDerivedTable derived:
                aliases[derived.Alias.Value] = new Source(derived.Alias.Value, Set(derived.Columns.Count > 0 ? derived.Columns.Select(c => c.Value) : OutputColumns(derived.QueryExpression)));
                break;
            case InlineDerivedTable inline:
                aliases[inline.Alias.Value] = new Source(inline.Alias.Value, Set(inline.Columns.Select(c => c.Value)));
                break;
            case JoinTableReference join:
                Sources(join.FirstTableReference, aliases);
                Sources(join.SecondTableReference, aliases);
                break;
            case JoinParenthesisTableReference parenthesis:
                Sources(parenthesis.Join, aliases);
                break;
            case TableReferenceWithAlias { Alias: { } alias }:
                aliases[alias.Value] = new Source(alias.Value, null);
                break;
            default:
                Problem($"a {reference.GetType().Name} in FROM is not modelled by the check: teach Petitions.Tests/SqlServer/StatementChecker.cs");
                break;
        }
    }
}
