using System.Data;
using System.Reflection;
using System.Reflection.Emit;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using Petitions.Workflows.Storage;

namespace Petitions.Tests.SqlServer;

/// <summary>
/// Every place in the service's compiled code that hands SQL to the database, read from the IL of every method
/// (lambdas, local functions and async state machines included) and located in the source by the portable PDB.
/// Calls into <see cref="DbSession"/> with a <c>sql</c> argument are statements; calls that reach Dapper or a
/// command around it are bypasses, which the record could not see.
/// </summary>
public static partial class CallSites
{
    /// <summary>A call in the source: the file and the lines of the statement that holds it.</summary>
    public sealed record Site(string File, int StartLine, int EndLine, string Method)
    {
        public bool Contains(StatementRecorder.CallSite call) =>
            string.Equals(Path.GetFullPath(call.File), Path.GetFullPath(File), StringComparison.Ordinal) && call.Line >= StartLine && call.Line <= EndLine;

        public override string ToString() => $"{System.IO.Path.GetFileName(File)}:{StartLine} ({Method})";
    }

    /// <summary>The service's assemblies: every statement it can send starts in one of these.</summary>
    public static readonly Assembly[] Service = [typeof(DbSession).Assembly, typeof(Petitions.Api.Hosting.PetitionsHost).Assembly];

    /// <summary>Calls into <see cref="DbSession"/> that pass it a statement, outside DbSession itself.</summary>
    public static IReadOnlyList<Site> Statements() =>
        Calls(m => m.DeclaringType == typeof(DbSession) && m.GetParameters().Any(p => p.Name == "sql"), allowedIn: [typeof(DbSession)]);

    /// <summary>Calls that run SQL without DbSession: Dapper on a connection, or a command of its own. SQLite's dialect
    /// sets its per-connection pragmas that way (nothing another database runs).</summary>
    public static IReadOnlyList<Site> Bypasses() =>
        Calls(m => m.DeclaringType == typeof(Dapper.SqlMapper) && m.GetParameters().FirstOrDefault()?.ParameterType is { } first && typeof(IDbConnection).IsAssignableFrom(first)
                || (typeof(IDbCommand).IsAssignableFrom(m.DeclaringType) && m.Name.StartsWith("Execute", StringComparison.Ordinal)),
            allowedIn: [typeof(DbSession), typeof(SqliteDialect)]);

    /// <summary>Every string literal of the service's code (a piece of an interpolated string included) that reads as
    /// SQL: an upper-case SQL keyword or a parameter. Each is a piece some statement is built from, perhaps in only one
    /// branch of an optional filter. SQLite's connection pragmas are SQLite's alone; code a source generator wrote (a
    /// regular expression's matcher) holds none.</summary>
    public static IReadOnlyList<(string Literal, Site Site)> SqlLiterals()
    {
        var found = new List<(string, Site)>();
        Walk([typeof(SqliteDialect)], (method, il, pdb) =>
        {
            foreach (var (offset, token) in Operands(il, OperandType.InlineString))
            {
                var literal = method.Module.ResolveString(token);
                if (SqlLike().IsMatch(literal) && Locate(pdb, method, offset) is var site && !site.File.EndsWith(".g.cs", StringComparison.Ordinal))
                    found.Add((literal, site));
            }
        });
        return found;
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"\b(SELECT|INSERT|UPDATE|DELETE|MERGE|WHERE|FROM|JOIN|VALUES|EXISTS|LIKE|IS NULL|IS NOT NULL|ORDER BY|GROUP BY)\b|(^|[\s(=,])@[A-Z]\w*")]
    private static partial System.Text.RegularExpressions.Regex SqlLike();

    private static List<Site> Calls(Func<MethodBase, bool> wanted, Type[] allowedIn)
    {
        var sites = new List<Site>();
        Walk(allowedIn, (method, il, pdb) =>
        {
            var type = method.DeclaringType!;
            foreach (var (offset, token) in Operands(il, OperandType.InlineMethod))
            {
                var target = method.Module.ResolveMethod(token, type.IsGenericType ? type.GetGenericArguments() : null, method.IsGenericMethod ? method.GetGenericArguments() : null);
                if (target is not null && wanted(target)) sites.Add(Locate(pdb, method, offset));
            }
        });
        return sites;
    }

    /// <summary>Every method body of the service's assemblies, but those of the types allowed to be exceptions.</summary>
    private static void Walk(Type[] allowedIn, Action<MethodBase, byte[], MetadataReader> read)
    {
        foreach (var assembly in Service)
        {
            using var pdbStream = File.OpenRead(Path.ChangeExtension(assembly.Location, ".pdb"));
            using var pdbProvider = MetadataReaderProvider.FromPortablePdbStream(pdbStream);
            var pdb = pdbProvider.GetMetadataReader();
            foreach (var type in assembly.GetTypes())
            {
                if (allowedIn.Any(a => Outermost(type) == a)) continue;
                const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
                foreach (var method in type.GetMethods(all).Cast<MethodBase>().Concat(type.GetConstructors(all)))
                {
                    var il = method.GetMethodBody()?.GetILAsByteArray();
                    if (il is not null) read(method, il, pdb);
                }
            }
        }
    }

    private static Type Outermost(Type type) => type.DeclaringType is { } outer ? Outermost(outer) : type;

    private static Site Locate(MetadataReader pdb, MethodBase method, int offset)
    {
        var handle = MetadataTokens.MethodDefinitionHandle(method.MetadataToken);
        var point = pdb.GetMethodDebugInformation(handle).GetSequencePoints()
            .Where(p => !p.IsHidden && p.Offset <= offset)
            .OrderBy(p => p.Offset)
            .LastOrDefault();
        var name = $"{Outermost(method.DeclaringType!).Name}.{method.Name}";
        if (point.Document.IsNil) return new Site("(no source)", 0, 0, name);
        var document = pdb.GetString(pdb.GetDocument(point.Document).Name);
        return new Site(document, point.StartLine, point.EndLine, name);
    }

    private static readonly OpCode[] OneByte = new OpCode[0x100];
    private static readonly OpCode[] TwoByte = new OpCode[0x100];

    static CallSites()
    {
        foreach (var field in typeof(OpCodes).GetFields(BindingFlags.Public | BindingFlags.Static))
        {
            var code = (OpCode)field.GetValue(null)!;
            var value = (ushort)code.Value;
            if (value < 0x100) OneByte[value] = code;
            else if ((value & 0xff00) == 0xfe00) TwoByte[value & 0xff] = code;
        }
    }

    /// <summary>The offset and token of every instruction with that kind of operand (InlineMethod: call, callvirt,
    /// newobj, ldftn; InlineString: ldstr).</summary>
    private static IEnumerable<(int Offset, int Token)> Operands(byte[] il, OperandType wanted)
    {
        var i = 0;
        while (i < il.Length)
        {
            var start = i;
            var code = il[i] == 0xfe ? TwoByte[il[++i]] : OneByte[il[i]];
            i++;
            switch (code.OperandType)
            {
                case OperandType.InlineNone:
                    break;
                case OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar:
                    i += 1;
                    break;
                case OperandType.InlineVar:
                    i += 2;
                    break;
                case OperandType.InlineI8 or OperandType.InlineR:
                    i += 8;
                    break;
                case OperandType.InlineSwitch:
                    i += 4 + 4 * BitConverter.ToInt32(il, i);
                    break;
                default:
                    if (code.OperandType == wanted) yield return (start, BitConverter.ToInt32(il, i));
                    i += 4;
                    break;
            }
        }
    }
}
