using Petitions.Domain;

namespace Petitions.Tests.Domain;

public sealed class MaterialTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 20, 10, 0, 0, TimeSpan.FromHours(8));

    private static string Refused(Action rule) => Assert.Throws<RuleViolationException>(rule).Rule;

    [Fact]
    public void A_material_is_withdrawn_once_with_a_reason_and_stays()
    {
        var material = Material.Restore(7, MaterialKind.Evidence, attachedBy: 3, withdrawnAt: null);

        Assert.Equal("withdrawal-reason", Refused(() => material.Withdraw("  ", Now)));
        material.Withdraw(" 上传错了文件 ", Now);

        Assert.Equal((Now, "上传错了文件"), (material.WithdrawnAt, material.WithdrawalReason));
        Assert.Equal("material-withdrawn", Refused(() => material.Withdraw("再次撤回", Now)));
    }

    [Theory]
    [InlineData(0, 100, 100, true)]
    [InlineData(60, 40, 100, true)]
    [InlineData(60, 41, 100, false)]
    [InlineData(100, 1, 100, false)]
    public void A_petition_keeps_at_most_its_limit_of_materials(long stored, long added, long limit, bool fits)
    {
        if (fits) Material.RequireRoom(stored, added, limit);
        else Assert.Equal("materials-limit", Refused(() => Material.RequireRoom(stored, added, limit)));
    }

    [Fact]
    public void The_same_file_stands_once()
    {
        Material.RequireNew(null);
        Assert.Equal("material-duplicate", Refused(() => Material.RequireNew(4)));
    }

    [Fact]
    public void By_default_no_service_method_needs_the_signed_proof()
    {
        foreach (var method in Enum.GetValues<ServiceMethod>()) ProofOfServicePolicy.None.Require(method, signedProofAttached: false);
    }

    [Fact]
    public void Where_the_policy_names_a_method_its_service_waits_for_the_signed_proof()
    {
        var policy = new ProofOfServicePolicy(new HashSet<ServiceMethod> { ServiceMethod.InPerson });

        Assert.Equal("proof-of-service-required", Refused(() => policy.Require(ServiceMethod.InPerson, signedProofAttached: false)));
        policy.Require(ServiceMethod.InPerson, signedProofAttached: true);
        policy.Require(ServiceMethod.Post, signedProofAttached: false);
    }

    [Fact]
    public void A_petitioner_online_attaches_only_their_own_papers()
    {
        Assert.Equal(
            [MaterialKind.Letter, MaterialKind.Evidence, MaterialKind.Recording, MaterialKind.Other],
            Enum.GetValues<MaterialKind>().Where(Material.PetitionerKinds.Contains));
    }
}
