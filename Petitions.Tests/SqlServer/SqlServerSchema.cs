using Microsoft.SqlServer.TransactSql.ScriptDom;
using Petitions.Workflows.Storage;

namespace Petitions.Tests.SqlServer;

/// <summary>
/// The tables, views, columns and indexes SQL Server will have, built by following the parsed migrations of
/// db/sqlserver in order (CREATE, ALTER, DROP), batch by batch as the migrator runs them. Every statement of a
/// migration is checked against the schema as SQL Server compiles it: a batch is compiled whole before it runs, so
/// a column added by a batch is not there for the DML of that same batch (only tables it creates are, resolved late).
/// </summary>
public sealed class SqlServerSchema
{
    public sealed class Table(string name, bool isView)
    {
        public string Name { get; } = name;
        public bool IsView { get; } = isView;
        public Dictionary<string, DataTypeReference?> Columns { get; } = new(StringComparer.OrdinalIgnoreCase);
        public List<string> Order { get; } = [];

        public void Add(string column, DataTypeReference? type)
        {
            Columns[column] = type;
            Order.Add(column);
        }
    }

    public Dictionary<string, Table> Tables { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Index name → table, for every index the migrations leave.</summary>
    public Dictionary<string, string> Indexes { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>What does not fit: each problem names the migration and batch.</summary>
    public List<string> Problems { get; } = [];

    /// <summary>The columns of a table or view, or null when there is none of that name.</summary>
    public IReadOnlySet<string>? ColumnsOf(string table) =>
        Tables.TryGetValue(table, out var t) ? t.Columns.Keys.ToHashSet(StringComparer.OrdinalIgnoreCase) : null;

    /// <summary>The schema the SQL Server migrations build, with the migrator's own ledger table.</summary>
    public static SqlServerSchema FromMigrations()
    {
        var schema = new SqlServerSchema();
        var dialect = new SqlServerDialect();
        schema.Apply("the migrator's ledger", dialect.CreateMigrationsTable);
        foreach (var migration in Migrations())
        {
            var batches = dialect.Batches(migration.Sql);
            for (var i = 0; i < batches.Count; i++) schema.Apply($"{migration.Version:D4}_{migration.Name} batch {i + 1}", batches[i]);
        }
        return schema;
    }

    /// <summary>The SQL Server migrations exactly as the migrator loads them.</summary>
    public static IReadOnlyList<Migrator.Migration> Migrations() =>
        new Migrator(
            new Database(Microsoft.Extensions.Options.Options.Create(new StorageOptions { Provider = StorageProvider.SqlServer, ConnectionString = "Server=never-opened" })),
            TimeProvider.System,
            Microsoft.Extensions.Logging.Abstractions.NullLogger<Migrator>.Instance).Migrations;

    /// <summary>Applies one batch: parses it, checks its statements, and follows its DDL.</summary>
    public void Apply(string where, string batch)
    {
        var script = TSql.Parse(batch, out var errors);
        if (script is null)
        {
            Problems.AddRange(errors.Select(e => $"{where}: does not parse ({e})"));
            return;
        }
        // What SQL Server binds the batch's DML to: the tables as they were when the batch began.
        var atStart = Tables.ToDictionary(t => t.Key, t => t.Value.Columns.Keys.ToHashSet(StringComparer.OrdinalIgnoreCase), StringComparer.OrdinalIgnoreCase);
        IReadOnlySet<string>? Compiled(string table) => atStart.TryGetValue(table, out var columns) ? columns : ColumnsOf(table);
        foreach (var statement in script.Batches.SelectMany(b => b.Statements)) Follow(where, statement, Compiled);
    }

    private void Follow(string where, TSqlStatement statement, Func<string, IReadOnlySet<string>?> compiled)
    {
        void Problem(string message) => Problems.Add($"{where}: {message}");
        switch (statement)
        {
            case IfStatement s:
                Follow(where, s.ThenStatement, compiled);
                if (s.ElseStatement is not null) Follow(where, s.ElseStatement, compiled);
                break;
            case BeginEndBlockStatement s:
                foreach (var inner in s.StatementList.Statements) Follow(where, inner, compiled);
                break;
            case CreateTableStatement s:
            {
                var name = s.SchemaObjectName.BaseIdentifier.Value;
                if (Tables.ContainsKey(name)) { Problem($"table {name} already exists"); break; }
                var table = new Table(name, isView: false);
                foreach (var column in s.Definition.ColumnDefinitions) table.Add(column.ColumnIdentifier.Value, column.DataType);
                Tables[name] = table;
                Constraints(Problem, table, s.Definition);
                break;
            }
            case AlterTableAddTableElementStatement s when TableOf(Problem, s.SchemaObjectName) is { } table:
                foreach (var column in s.Definition.ColumnDefinitions)
                {
                    if (table.Columns.ContainsKey(column.ColumnIdentifier.Value)) Problem($"{table.Name}.{column.ColumnIdentifier.Value} already exists");
                    else table.Add(column.ColumnIdentifier.Value, column.DataType);
                }
                Constraints(Problem, table, s.Definition);
                break;
            case AlterTableDropTableElementStatement s when TableOf(Problem, s.SchemaObjectName) is { } table:
                foreach (var element in s.AlterTableDropTableElements.Where(e => e.TableElementType == TableElementType.Column))
                {
                    if (!table.Columns.Remove(element.Name.Value) && !element.IsIfExists) Problem($"{table.Name} has no column {element.Name.Value} to drop");
                    table.Order.RemoveAll(c => string.Equals(c, element.Name.Value, StringComparison.OrdinalIgnoreCase));
                }
                break;
            case AlterTableAlterColumnStatement s when TableOf(Problem, s.SchemaObjectName) is { } table:
                if (!table.Columns.ContainsKey(s.ColumnIdentifier.Value)) Problem($"{table.Name} has no column {s.ColumnIdentifier.Value} to alter");
                else if (s.DataType is not null) table.Columns[s.ColumnIdentifier.Value] = s.DataType;
                break;
            case DropTableStatement s:
                foreach (var name in s.Objects.Select(o => o.BaseIdentifier.Value))
                {
                    if (!Tables.Remove(name) && !s.IsIfExists) Problem($"no table {name} to drop");
                    foreach (var index in Indexes.Where(i => string.Equals(i.Value, name, StringComparison.OrdinalIgnoreCase)).ToList()) Indexes.Remove(index.Key);
                }
                break;
            case CreateIndexStatement s when TableOf(Problem, s.OnName) is { } table:
            {
                var name = s.Name.Value;
                if (Indexes.ContainsKey(name)) Problem($"index {name} already exists");
                Indexes[name] = table.Name;
                Key(Problem, table, $"index {name}", s.Columns.Select(c => c.Column), s.Clustered == true ? 900 : 1700);
                foreach (var column in s.IncludeColumns) Known(Problem, table, column, $"index {name}");
                if (s.FilterPredicate is not null)
                {
                    var checker = new StatementChecker(_ => table.Columns.Keys.ToHashSet(StringComparer.OrdinalIgnoreCase), bound: null, inTransaction: true);
                    checker.CheckFilter(table.Name, s.FilterPredicate);
                    Problems.AddRange(checker.Problems.Select(p => $"{where}: index {name} filter: {p}"));
                }
                break;
            }
            case DropIndexStatement s:
                foreach (var clause in s.DropIndexClauses.OfType<DropIndexClause>())
                {
                    var name = clause.Index.Value;
                    if (!Indexes.TryGetValue(name, out var on) || !string.Equals(on, clause.Object.BaseIdentifier.Value, StringComparison.OrdinalIgnoreCase))
                    {
                        if (!s.IsIfExists) Problem($"no index {name} on {clause.Object.BaseIdentifier.Value} to drop");
                    }
                    else Indexes.Remove(name);
                }
                break;
            case ViewStatementBody s when s is CreateViewStatement or CreateOrAlterViewStatement or AlterViewStatement:
            {
                var name = s.SchemaObjectName.BaseIdentifier.Value;
                if (s is CreateViewStatement && Tables.ContainsKey(name)) Problem($"view {name} already exists");
                var checker = new StatementChecker(ColumnsOf, bound: null, inTransaction: true);
                checker.Check(s);
                Problems.AddRange(checker.Problems.Select(p => $"{where}: view {name}: {p}"));
                var view = new Table(name, isView: true);
                var columns = s.Columns.Count > 0 ? s.Columns.Select(c => c.Value).ToList() : StatementChecker.OutputColumns(s.SelectStatement.QueryExpression);
                if (columns is null) Problem($"view {name} selects * or an unnamed column: name every column");
                foreach (var column in columns ?? []) view.Add(column, null);
                Tables[name] = view;
                break;
            }
            case DropViewStatement s:
                foreach (var name in s.Objects.Select(o => o.BaseIdentifier.Value))
                    if (!Tables.Remove(name) && !s.IsIfExists) Problem($"no view {name} to drop");
                break;
            case SelectStatement or InsertStatement or UpdateStatement or DeleteStatement or MergeStatement or ExecuteStatement or PredicateSetStatement:
            {
                var checker = new StatementChecker(compiled, bound: null, inTransaction: true);
                checker.Check(statement);
                Problems.AddRange(checker.Problems.Select(p => $"{where}: {p}"));
                break;
            }
            case AlterTableAddTableElementStatement or AlterTableDropTableElementStatement or AlterTableAlterColumnStatement or CreateIndexStatement:
                break; // the table was missing: already reported
            default:
                Problem($"{statement.GetType().Name} is not modelled by the schema check: teach Petitions.Tests/SqlServer/SqlServerSchema.cs what it does");
                break;
        }
    }

    private Table? TableOf(Action<string> problem, SchemaObjectName name)
    {
        if (Tables.TryGetValue(name.BaseIdentifier.Value, out var table) && !table.IsView) return table;
        problem($"no table {name.BaseIdentifier.Value}");
        return null;
    }

    private void Constraints(Action<string> problem, Table table, TableDefinition definition)
    {
        foreach (var column in definition.ColumnDefinitions)
        {
            foreach (var constraint in column.Constraints)
            {
                if (constraint is UniqueConstraintDefinition unique)
                    Width(problem, table, unique.IsPrimaryKey ? "primary key" : "unique key", [column.ColumnIdentifier.Value], unique.IsPrimaryKey && unique.Clustered != false ? 900 : 1700);
                if (constraint is ForeignKeyConstraintDefinition foreign) References(problem, foreign);
            }
            if (column.DataType is UserDataTypeReference user) problem($"{table.Name}.{column.ColumnIdentifier.Value} has type {user.Name.BaseIdentifier.Value}, which SQL Server does not have");
        }
        foreach (var constraint in definition.TableConstraints)
        {
            if (constraint is UniqueConstraintDefinition unique)
                Key(problem, table, unique.IsPrimaryKey ? "primary key" : "unique key", unique.Columns.Select(c => c.Column), unique.IsPrimaryKey && unique.Clustered != false ? 900 : 1700);
            if (constraint is ForeignKeyConstraintDefinition foreign)
            {
                foreach (var column in foreign.Columns) Known(problem, table, column.Value, "foreign key");
                References(problem, foreign);
            }
        }
    }

    private void References(Action<string> problem, ForeignKeyConstraintDefinition foreign)
    {
        var name = foreign.ReferenceTableName.BaseIdentifier.Value;
        if (!Tables.TryGetValue(name, out var referenced)) { problem($"a foreign key references missing table {name}"); return; }
        foreach (var column in foreign.ReferencedTableColumns) Known(problem, referenced, column.Value, "foreign key");
    }

    private static void Known(Action<string> problem, Table table, ColumnReferenceExpression column, string what) =>
        Known(problem, table, column.MultiPartIdentifier.Identifiers[^1].Value, what);

    private static void Known(Action<string> problem, Table table, string column, string what)
    {
        if (!table.Columns.ContainsKey(column)) problem($"{what} names {table.Name}.{column}, which does not exist");
    }

    private static void Key(Action<string> problem, Table table, string what, IEnumerable<ColumnReferenceExpression> columns, int limit)
    {
        var names = columns.Select(c => c.MultiPartIdentifier.Identifiers[^1].Value).ToList();
        foreach (var name in names) Known(problem, table, name, what);
        Width(problem, table, what, names, limit);
    }

    /// <summary>SQL Server refuses (max) columns in a key, and rows whose key is wider than 900 bytes (clustered) or
    /// 1,700 (nonclustered): a key that could be wider fails on the first such row, not when it is created.</summary>
    private static void Width(Action<string> problem, Table table, string what, IReadOnlyList<string> columns, int limit)
    {
        var bytes = 0;
        foreach (var column in columns)
        {
            if (!table.Columns.TryGetValue(column, out var type) || type is not SqlDataTypeReference sql) continue;
            var length = sql.Parameters.Count > 0 ? sql.Parameters[0] : null;
            if (length is MaxLiteral) { problem($"{what} of {table.Name} includes {column}, a (max) column"); continue; }
            var n = length is IntegerLiteral literal ? int.Parse(literal.Value, System.Globalization.CultureInfo.InvariantCulture) : 1;
            bytes += sql.SqlDataTypeOption switch
            {
                SqlDataTypeOption.NVarChar or SqlDataTypeOption.NChar => 2 * n,
                SqlDataTypeOption.VarChar or SqlDataTypeOption.Char or SqlDataTypeOption.VarBinary or SqlDataTypeOption.Binary => n,
                SqlDataTypeOption.BigInt or SqlDataTypeOption.Float or SqlDataTypeOption.DateTime or SqlDataTypeOption.DateTime2 => 8,
                SqlDataTypeOption.DateTimeOffset => 10,
                SqlDataTypeOption.UniqueIdentifier => 16,
                SqlDataTypeOption.Date => 3,
                SqlDataTypeOption.Bit or SqlDataTypeOption.TinyInt => 1,
                SqlDataTypeOption.SmallInt => 2,
                _ => 4,
            };
        }
        if (bytes > limit) problem($"{what} of {table.Name} ({string.Join(", ", columns)}) can be {bytes} bytes wide, over SQL Server's {limit}");
    }
}
