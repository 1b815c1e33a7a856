using Dapper;

namespace Petitions.Workflows.Storage;

/// <summary>A <c>VALUES</c> list of rows with one parameter per value (<c>@v{row}_{column}</c>), for multi-row statements.</summary>
public static class SqlValues
{
    public static (string Values, DynamicParameters Parameters) Of(IReadOnlyList<object?[]> rows)
    {
        var parameters = new DynamicParameters();
        var list = new List<string>(rows.Count);
        for (var r = 0; r < rows.Count; r++)
        {
            var names = new string[rows[r].Length];
            for (var c = 0; c < names.Length; c++)
            {
                names[c] = $"@v{r}_{c}";
                parameters.Add(names[c][1..], rows[r][c]);
            }
            list.Add($"({string.Join(", ", names)})");
        }
        return (string.Join(",\n       ", list), parameters);
    }

    /// <summary>Row ids as a list of literals for <c>IN (…)</c>: numbers we read ourselves, so nothing to quote, and no
    /// parameter per id (which SQLite binds at a quadratic cost, and SQL Server limits to 2,100).</summary>
    public static string Ids(IEnumerable<long> ids) => string.Join(", ", ids.Select(id => id.ToString(System.Globalization.CultureInfo.InvariantCulture)));
}
