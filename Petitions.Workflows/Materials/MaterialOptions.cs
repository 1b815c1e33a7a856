namespace Petitions.Workflows.Materials;

/// <summary>Configuration section <c>Materials</c>: how much a petition may carry and what one request may bring.</summary>
public sealed class MaterialOptions
{
    /// <summary>The largest file staff may attach.</summary>
    public long MaxFileBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>All of a petition's materials together, withdrawn ones included (they stay stored).</summary>
    public long MaxPetitionBytes { get; set; } = 512L * 1024 * 1024;

    /// <summary>Files in one request of staff (the registration page, the case page, the API).</summary>
    public int MaxFilesPerRequest { get; set; } = 10;

    /// <summary>The largest file a petitioner may attach to an online submission.</summary>
    public long PublicMaxFileBytes { get; set; } = 10L * 1024 * 1024;

    /// <summary>Files in one online submission.</summary>
    public int PublicMaxFiles { get; set; } = 3;

    /// <summary>Where uploads wait, sealed, until they are checked and written to the database; the system's temporary
    /// folder when empty.</summary>
    public string StagingPath { get; set; } = "";

    public void Check()
    {
        if (MaxFileBytes < 1 || PublicMaxFileBytes < 1 || MaxPetitionBytes < 1 || MaxFilesPerRequest < 1 || PublicMaxFiles < 1)
            throw new InvalidOperationException("Materials:MaxFileBytes, PublicMaxFileBytes, MaxPetitionBytes, MaxFilesPerRequest and PublicMaxFiles must be positive.");
    }

    /// <summary>The largest request body that may carry <paramref name="files"/> files of <paramref name="fileBytes"/>
    /// each, with room for the form's other fields and the parts' headers.</summary>
    public static long RequestLimit(int files, long fileBytes) => files * fileBytes + 2L * 1024 * 1024;
}
