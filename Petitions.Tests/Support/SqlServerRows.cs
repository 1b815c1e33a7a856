using System.Reflection;
using Xunit.Sdk;
using Xunit.v3;

[assembly: TestFramework(typeof(Petitions.Tests.Support.SqlServerRows.Framework))]

namespace Petitions.Tests.Support;

/// <summary>
/// The SQL Server rows (the nested <c>OnSqlServer</c> classes) run only against the server named by
/// <c>PETITIONS_TEST_SQLSERVER</c>. Without it they are left out of the run, and this one row says so, with why and
/// what stands in for them: one line in the test command's output instead of a skip per row. A missing SQL Server
/// never fails the run, under CI either: no SQL Server can run on these machines.
/// </summary>
public sealed class SqlServerRows
{
    public const string Variable = "PETITIONS_TEST_SQLSERVER";

    /// <summary>Why the SQL Server rows do not run; null when they do.</summary>
    public static string? NotRunning =>
        string.IsNullOrEmpty(Environment.GetEnvironmentVariable(Variable))
            ? $"SQL Server rows did not run ({Rows()}): {Variable} is not set (no SQL Server can run on this machine); " +
              "every SQL Server migration and statement is parsed and checked instead by Petitions.Tests.SqlServer"
            : null;

    public static IEnumerable<ITheoryDataRow> Status()
    {
        yield return new TheoryDataRow { TestDisplayName = NotRunning ?? $"SQL Server rows ran against {Variable} ({Rows()})", Skip = NotRunning };
    }

    // A row without arguments: its display name is the whole line (xUnit appends only "()").
#pragma warning disable xUnit1006
    [Theory]
    [MemberData(nameof(Status))]
    public void Sql_server_rows() { }
#pragma warning restore xUnit1006

    private static bool IsSqlServerRow(Type type) => type.Name == "OnSqlServer" && type.IsNested;

    private static string Rows()
    {
        var classes = typeof(SqlServerRows).Assembly.GetTypes().Where(IsSqlServerRow).ToList();
        var tests = classes.Sum(c => c.GetMethods().Count(m => m.GetCustomAttributes<FactAttribute>().Any()));
        return $"{tests} tests of {string.Join(", ", classes.Select(c => c.DeclaringType!.Name).Order(StringComparer.Ordinal))}";
    }

    /// <summary>xUnit, leaving the <c>OnSqlServer</c> classes out of discovery when there is no server.</summary>
    public sealed class Framework : XunitTestFramework
    {
        protected override ITestFrameworkDiscoverer CreateDiscoverer(Assembly assembly) =>
            new Discoverer(new XunitTestAssembly(assembly, null, assembly.GetName().Version));

        private sealed class Discoverer(IXunitTestAssembly assembly) : XunitTestFrameworkDiscoverer(assembly)
        {
            protected override ValueTask<bool> FindTestsForType(IXunitTestClass testClass, ITestFrameworkDiscoveryOptions discoveryOptions, Func<ITestCase, ValueTask<bool>> discoveryCallback) =>
                NotRunning is not null && IsSqlServerRow(testClass.Class)
                    ? new(true)
                    : base.FindTestsForType(testClass, discoveryOptions, discoveryCallback);
        }
    }
}
