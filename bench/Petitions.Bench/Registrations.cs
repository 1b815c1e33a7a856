using System.Text.Json;
using Petitions.Workflows;
using Petitions.Workflows.Features.Petitions;

namespace Petitions.Bench;

/// <summary>Registrations as a reception desk sends them: each another petitioner, with a valid ID number and phone.</summary>
internal static class Registrations
{
    public const string Content = "邻居夜间施工，噪音扰民，多次反映未果，请求有关部门依法处理。";
    public const string Address = "示范县城关镇1号";

    /// <summary>Request bodies serialized once, as a load tool would send them: the client's CPU is the service's loss here.</summary>
    public static byte[][] Bodies(int count) => Enumerable.Range(0, count).Select(n => JsonSerializer.SerializeToUtf8Bytes(Body(n))).ToArray();

    public static object Body(long n) => new
    {
        channel = "visit",
        category = "complaint",
        petitioner = new { name = "张三", idNumber = IdNumber(n), phone = Phone(n), address = Address },
        subject = $"噪音扰民 {n}",
        content = Content,
    };

    /// <summary>The same registration as a command, for the workflows in-process.</summary>
    public static RegisterPetition.Command Command(long n, Actor actor) => new()
    {
        Channel = "visit",
        Category = "complaint",
        Petitioner = new RegisterPetition.PersonInput("张三", IdNumber(n), Phone(n), Address),
        Subject = $"噪音扰民 {n}",
        Content = Content,
        Actor = actor,
    };

    public static string IdNumber(long n)
    {
        var first17 = $"330799{new DateOnly(1950, 1, 1).AddDays((int)(n % 20_000)):yyyyMMdd}{n / 20_000 % 1000:D3}";
        return first17 + Domain.IdNumber.CheckCharacter(first17);
    }

    public static string Phone(long n) => $"139{n % 100_000_000:D8}";
}
