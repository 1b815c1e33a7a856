using System.Collections;
using System.Collections.Concurrent;
using System.Data;
using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;
using Dapper;

namespace Petitions.Workflows.Storage;

/// <summary>
/// Writes a transaction holds back to send in one command with its next statement (<see cref="DbSession.WriteAsync"/>):
/// their texts one after the other, each parameter renamed <c>@w{n}_{name}</c> so that two writes' parameters of one name
/// stay apart. The database runs them in order, so the statement after them sees them.
/// </summary>
internal sealed partial class PendingWrites
{
    private readonly StringBuilder _text = new();
    private DynamicParameters _parameters = new();
    private int _written;

    public bool IsEmpty => _written == 0;

    /// <summary>The parameters held so far.</summary>
    public int ParameterCount { get; private set; }

    public void Add(string sql, object? parameters)
    {
        var values = Values(parameters).ToList();
        var names = values.Select(v => v.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var prefix = $"w{_written++}_";
        _text.Append(Parameter().Replace(sql, m => names.Contains(m.Groups[1].Value) ? "@" + prefix + m.Groups[1].Value : m.Value));
        _text.Append(";\n");
        foreach (var (name, value, type) in values)
            _parameters.Add(prefix + name, value ?? NullOf(type));
        ParameterCount += values.Count;
    }

    /// <summary>The held writes followed by <paramref name="sql"/>, with all their parameters; nothing is held after.
    /// Writes without parameters (a transaction's settings) leave the statement's own parameters as they were.</summary>
    public (string Sql, object? Parameters) Before(string sql, object? parameters)
    {
        object? all = parameters;
        if (ParameterCount > 0)
        {
            var merged = new DynamicParameters(parameters);
            merged.AddDynamicParams(_parameters);
            all = merged;
        }
        var text = _text.Append(sql).ToString();
        Clear();
        return (text, all);
    }

    /// <summary>The held writes alone; nothing is held after.</summary>
    public (string Sql, DynamicParameters Parameters) Alone()
    {
        var (text, all) = (_text.ToString(), _parameters);
        Clear();
        return (text, all);
    }

    public void Clear()
    {
        _text.Clear();
        _parameters = new DynamicParameters();
        _written = 0;
        ParameterCount = 0;
    }

    /// <summary>How many values <paramref name="parameters"/> binds, as far as it can be told.</summary>
    public static int Count(object? parameters) => parameters switch
    {
        null => 0,
        DynamicParameters dynamic => dynamic.ParameterNames.Count(),
        IEnumerable<KeyValuePair<string, object?>> pairs => pairs.Count(),
        _ => Properties(parameters.GetType()).Length,
    };

    /// <summary>Whether Dapper runs the statement once for each item of <paramref name="parameters"/>.</summary>
    public static bool IsList(object? parameters) =>
        parameters is IEnumerable and not (string or DynamicParameters or IEnumerable<KeyValuePair<string, object?>>);

    /// <summary>Each value with the type it was declared as, where that is known.</summary>
    private static IEnumerable<(string Name, object? Value, Type? Type)> Values(object? parameters) => parameters switch
    {
        null => [],
        DynamicParameters dynamic => dynamic.ParameterNames.Select(name => (name, dynamic.Get<object?>(name), (Type?)null)),
        IEnumerable<KeyValuePair<string, object?>> pairs => pairs.Select(pair => (pair.Key, pair.Value, (Type?)null)),
        _ => Properties(parameters.GetType()).Select(p => (p.Name, p.GetValue(parameters), (Type?)p.PropertyType)),
    };

    /// <summary>
    /// A null of <paramref name="declared"/>, sent as the type Dapper gives a value of it (plain null where that is not
    /// known). Npgsql keeps a statement prepared for one list of parameter types and runs it unprepared, parsed and
    /// planned afresh, whenever a null arrives untyped where a value was typed.
    /// </summary>
    private static TypedNull? NullOf(Type? declared) =>
        declared is not null && Nulls.TryGetValue(Nullable.GetUnderlyingType(declared) ?? declared, out var typed) ? typed : null;

    private static readonly Dictionary<Type, TypedNull> Nulls = new()
    {
        [typeof(string)] = new(DbType.String),
        [typeof(long)] = new(DbType.Int64),
        [typeof(int)] = new(DbType.Int32),
        [typeof(bool)] = new(DbType.Boolean),
        [typeof(DateOnly)] = new(DbType.Date),
        [typeof(DateTimeOffset)] = new(DbType.DateTimeOffset),
        [typeof(byte[])] = new(DbType.Binary),
    };

    /// <summary>
    /// A null sent as <paramref name="Type"/>. Given to Dapper as a value with a type, a null costs Npgsql a search of
    /// all its type mappings on every statement: Dapper reads the parameter's type back before setting it, and Npgsql
    /// infers that from the value, finds no mapping for <see cref="DBNull"/> and does not remember that it found none
    /// (3 % of the service's CPU in the lifecycle on PostgreSQL). This parameter only sets its type.
    /// </summary>
    private sealed record TypedNull(DbType Type) : SqlMapper.ICustomQueryParameter
    {
        public void AddParameter(IDbCommand command, string name)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.DbType = Type;
            parameter.Value = DBNull.Value;
            command.Parameters.Add(parameter);
        }
    }

    private static readonly ConcurrentDictionary<Type, PropertyInfo[]> PropertiesByType = new();

    private static PropertyInfo[] Properties(Type type) =>
        PropertiesByType.GetOrAdd(type, t => t.GetProperties(BindingFlags.Instance | BindingFlags.Public));

    [GeneratedRegex(@"(?<![@\w])@(\w+)")]
    private static partial Regex Parameter();
}
