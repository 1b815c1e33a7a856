using FluentValidation;
using Petitions.Workflows;

namespace Petitions.Api.Pages.Reports;

/// <summary>How the report pages ask: a blank parameter is an absent one, and a refusal the user can put right (bad
/// dates or codes, an organization out of reach) is a message on the page instead of an error page.</summary>
internal static class ReportRequest
{
    public static string? Given(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    public static async Task<(T? Answer, string? Problem)> TryAsync<T>(IStringLocalizer<Words> words, Task<T> request, string invalid) where T : class
    {
        try
        {
            return (await request, null);
        }
        catch (ValidationException)
        {
            return (null, invalid);
        }
        catch (NotFoundException)
        {
            return (null, words["Reports.ThereIsNoSuchOrganization"]);
        }
    }
}
