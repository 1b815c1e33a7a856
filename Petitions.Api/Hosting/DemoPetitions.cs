using Petitions.Workflows.Features.Administration;

namespace Petitions.Api.Hosting;

public static partial class PetitionsHost
{
    /// <summary>With <c>Demo:SeedPetitions</c> (on in appsettings.Development.json), the demo's petitions in every stage,
    /// once, after the demo users.</summary>
    private static async Task SeedDemoPetitionsAsync(this WebApplication app)
    {
        if (!app.Configuration.GetValue<bool>("Demo:SeedPetitions")) return;
        var seeded = await SeedDemoPetitions.SeedAsync(app.Services, app.Lifetime.ApplicationStopping);
        if (seeded > 0) LogDemoPetitionsSeeded(app.Logger, seeded);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Seeded {Count} demo petitions in every stage of the workflow")]
    private static partial void LogDemoPetitionsSeeded(ILogger logger, int count);
}
