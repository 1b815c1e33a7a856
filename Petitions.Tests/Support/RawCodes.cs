using System.Text.RegularExpressions;
using Petitions.Domain;
using Petitions.Workflows.Workflow;

namespace Petitions.Tests.Support;

/// <summary>
/// The codes the service records and names (stages, channels, outcomes, methods of service, clocks, every action of
/// every installed workflow, …) and the days of an extension as recorded ("+30 d"): none of them may show on a Chinese
/// page as it is. The roles are left out: the demo users' display names carry them.
/// </summary>
public static partial class RawCodes
{
    /// <summary>The first raw code in <paramref name="text"/> as a whole word, or null.</summary>
    public static string? In(string text, WorkflowCatalog workflows)
    {
        string[] codes =
        [
            .. Codes.All<Stage>(), .. Codes.All<Channel>(), .. Codes.All<Category>(), .. Codes.All<ClockKind>(), .. Codes.All<ClockState>(),
            .. Codes.All<Satisfaction>(), .. Codes.All<OpinionOutcome>(), .. Codes.All<ReviewOutcome>(), .. Codes.All<LegalProcedure>(),
            .. Codes.All<ServiceMethod>(), .. Codes.All<NoticeKind>(), .. Codes.All<ReviewLevel>(), .. Codes.All<WarningLevel>(), .. Codes.All<MaterialKind>(),
            .. workflows.AllActions.Select(a => a.Code),
            "register", "evaluate", "supervision-order", "supervision-response", "attach-material", "withdraw-material", "none",
        ];
        var extension = ExtensionDays().Match(text);
        return codes.FirstOrDefault(code => Regex.IsMatch(text, $"(?<![A-Za-z0-9-]){Regex.Escape(code)}(?![A-Za-z0-9-])"))
            ?? (extension.Success ? extension.Value : null);
    }

    [GeneratedRegex(@"\+\d+ d\b")]
    private static partial Regex ExtensionDays();
}
