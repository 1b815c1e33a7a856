using Microsoft.Extensions.DependencyInjection;
using Petitions.Domain;
using Petitions.Workflows;
using Petitions.Workflows.Features.Administration;
using Petitions.Workflows.Features.Petitions;
using Petitions.Workflows.Storage;

namespace Petitions.Tests.Support;

/// <summary>The people and places every test can count on, and well-formed petitions to register.</summary>
public static class TestData
{
    public const string Password = "Test-Password-1";

    /// <summary>PBKDF2 rounds for test users: hashing is not under test, and a fresh database per test stays cheap.</summary>
    public const int PasswordIterations = 1_000;

    /// <summary>The administrator at the root of the tree (the demo's).</summary>
    public const string ProvinceAdmin = SeedDemoData.ProvinceAdmin;

    /// <summary>A second county beside the demo one, with its own reception desk, for scope tests.</summary>
    public const string OtherCountyCode = "330798";

    /// <summary>The GB 11643 example number; valid check digit.</summary>
    public const string IdNumber = "11010519491231002X";

    public const string PetitionerName = "张三丰";
    public const string PetitionerPhone = "13912345678";
    public const string PetitionerAddress = "示范县城关镇解放路88号";

    /// <summary>The demo tree and users (as in Development), plus the second county and its reception user.</summary>
    public static async Task SeedAsync(IServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        var mediator = scope.ServiceProvider.GetRequiredService<MediatR.IMediator>();
        await mediator.Send(new SeedDemoData.Command(Password));

        var session = scope.ServiceProvider.GetRequiredService<DbSession>();
        var accounts = scope.ServiceProvider.GetRequiredService<AccountStore>();
        if (await accounts.OrganizationByCodeAsync(OtherCountyCode, CancellationToken.None) is not null) return;
        await session.BeginAsync(CancellationToken.None);
        var city = await accounts.OrganizationByCodeAsync("330700", CancellationToken.None);
        var province = await accounts.OrganizationByCodeAsync("330000", CancellationToken.None);
        var county = await accounts.AddOrganizationAsync(city, OtherCountyCode, "邻县公安局", OrganizationKind.County, CancellationToken.None);
        await accounts.AddUserAsync("reception2", "邻县接访员", Password, county, [Role.Reception], CancellationToken.None);
        // The levels above the county decide reviews and re-reviews.
        await accounts.AddUserAsync("city", "市局信访办", Password, city!, [Role.Office, Role.Leader], CancellationToken.None);
        await accounts.AddUserAsync("province", "省厅信访办", Password, province!, [Role.Office, Role.Leader], CancellationToken.None);
        await session.CommitAsync(CancellationToken.None);
    }

    public static RegisterPetition.Command Petition(Actor actor, string subject = "噪音扰民") => new()
    {
        Channel = "visit",
        Category = "complaint",
        Petitioner = new RegisterPetition.PersonInput(PetitionerName, IdNumber, PetitionerPhone, PetitionerAddress),
        Subject = subject,
        Content = "邻居夜间施工，噪音扰民，多次反映未果。",
        Actor = actor,
    };

    private static int _people;

    /// <summary>The petitioner's name with an ID number and phone no other call returns (in this process): another
    /// person as the rules of repeat petitions see it.</summary>
    public static RegisterPetition.PersonInput AnotherPerson()
    {
        var n = Interlocked.Increment(ref _people);
        return new RegisterPetition.PersonInput(PetitionerName, IdNumberFor(new DateOnly(1955, 1, 1).AddDays(n / 1000), n % 1000), $"137{n % 100_000_000:D8}", PetitionerAddress);
    }

    /// <summary>A valid ID number for a birth date and sequence, with its check digit computed.</summary>
    public static string IdNumberFor(DateOnly birthDate, int sequence)
    {
        var first17 = $"330799{birthDate:yyyyMMdd}{sequence % 1000:D3}";
        return first17 + global::Petitions.Domain.IdNumber.CheckCharacter(first17);
    }
}
