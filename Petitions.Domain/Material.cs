namespace Petitions.Domain;

/// <summary>What a material attached to a petition is (材料).</summary>
public enum MaterialKind
{
    Letter,
    Evidence,
    Recording,
    InvestigationRecord,
    SignedProofOfService,
    SignedReturnVisitRecord,
    Other,
}

/// <summary>
/// A file attached to a petition: the letter, evidence, a recording, the unit's investigation records, the signed proof
/// of service or return-visit record. It is never deleted: a material attached by mistake is withdrawn with a reason and
/// kept, so the record shows what was there and why it went (TL2022 Art 30 ¶3 keeps an accusation's materials from the
/// accused; the scope rules do that, not this type).
/// </summary>
public sealed class Material
{
    /// <summary>What a petitioner may attach online: their own papers, never the office's records.</summary>
    public static readonly IReadOnlySet<MaterialKind> PetitionerKinds =
        new HashSet<MaterialKind> { MaterialKind.Letter, MaterialKind.Evidence, MaterialKind.Recording, MaterialKind.Other };

    private Material(long id, MaterialKind kind, long? attachedBy, DateTimeOffset? withdrawnAt)
    {
        Id = id;
        Kind = kind;
        AttachedBy = attachedBy;
        WithdrawnAt = withdrawnAt;
    }

    public long Id { get; }
    public MaterialKind Kind { get; }

    /// <summary>The staff member who attached it; null for a petitioner's online upload.</summary>
    public long? AttachedBy { get; }

    public DateTimeOffset? WithdrawnAt { get; private set; }
    public string? WithdrawalReason { get; private set; }

    public static Material Restore(long id, MaterialKind kind, long? attachedBy, DateTimeOffset? withdrawnAt) => new(id, kind, attachedBy, withdrawnAt);

    /// <summary>Withdraws the material: it stays stored and listed, marked with when and why.</summary>
    public void Withdraw(string reason, DateTimeOffset at)
    {
        if (WithdrawnAt is not null) throw new RuleViolationException("material-withdrawn", "The material has already been withdrawn.");
        if (string.IsNullOrWhiteSpace(reason)) throw new RuleViolationException("withdrawal-reason", "A material is withdrawn with a reason.");
        WithdrawnAt = at;
        WithdrawalReason = reason.Trim();
    }

    /// <summary>A petition keeps at most <paramref name="limit"/> bytes of materials, withdrawn ones included (they stay stored).</summary>
    public static void RequireRoom(long storedBytes, long addedBytes, long limit)
    {
        if (storedBytes + addedBytes > limit)
            throw new RuleViolationException("materials-limit",
                $"The petition's materials would take {storedBytes + addedBytes} bytes, over its limit of {limit} bytes.");
    }

    /// <summary>The same file (by content) is attached to a petition once while it stands.</summary>
    public static void RequireNew(long? sameContent)
    {
        if (sameContent is { } earlier)
            throw new RuleViolationException("material-duplicate", $"The same file is already attached as material {earlier}.");
    }
}

/// <summary>
/// Which ways of serving a written reply need the signed proof of service (送达回证) attached before the service is
/// recorded: policy data of a bureau or a level above it. The national default asks for none.
/// </summary>
public sealed record ProofOfServicePolicy(IReadOnlySet<ServiceMethod> RequiredFor)
{
    public static ProofOfServicePolicy None { get; } = new(new HashSet<ServiceMethod>());

    public void Require(ServiceMethod method, bool signedProofAttached)
    {
        if (RequiredFor.Contains(method) && !signedProofAttached)
            throw new RuleViolationException("proof-of-service-required",
                $"Service by '{Codes.Of(method)}' is recorded once the signed proof of service is attached (after the reply was issued).");
    }
}
