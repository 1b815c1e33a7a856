using FluentValidation;
using MediatR;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Petitions.Api.Http;
using Petitions.Workflows.Features.Administration;
using Petitions.Workflows.Storage;

namespace Petitions.Api.Pages.Admin;

/// <summary>The audit log of the administrator's tree, newest first, a page at a time: by case number, user (chosen
/// from the tree's users) and a range of Shanghai dates. Filters that cannot be read are shown beside their field.</summary>
public sealed class AuditModel(IMediator mediator, IStringLocalizer<Words> words) : PageModel
{
    public const int PageSize = 50;

    [BindProperty(SupportsGet = true)] public string? CaseNumber { get; set; }
    [BindProperty(SupportsGet = true, Name = "user")] public string? UserName { get; set; }
    [BindProperty(SupportsGet = true)] public string? From { get; set; }
    [BindProperty(SupportsGet = true)] public string? To { get; set; }
    [BindProperty(SupportsGet = true)] public long? Before { get; set; }

    public IReadOnlyList<ListAudit.Entry> Entries { get; private set; } = [];
    public IReadOnlyList<AccountStore.UserView> Users { get; private set; } = [];

    /// <summary>The address of the next (older) page, when there may be one.</summary>
    public string? Older { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        Users = (await this.AccountsAsync(mediator, ct)).Users;
        var from = string.IsNullOrWhiteSpace(From) ? null : ModelState.Date(words, nameof(From), From.Trim());
        var to = string.IsNullOrWhiteSpace(To) ? null : ModelState.Date(words, nameof(To), To.Trim());
        if (!ModelState.IsValid) return;
        try
        {
            Entries = await mediator.Send(new ListAudit.Query(Blank(CaseNumber), Blank(UserName), from, to, Before, PageSize, User.Actor()), ct);
        }
        catch (ValidationException invalid)
        {
            foreach (var failure in invalid.Errors) ModelState.AddModelError(failure.PropertyName == "User" ? nameof(UserName) : failure.PropertyName, Messages.Of(words, failure));
            return;
        }
        if (Entries.Count == PageSize)
            Older = QueryString.Create(new Dictionary<string, string?>
            {
                ["caseNumber"] = Blank(CaseNumber), ["user"] = Blank(UserName), ["from"] = Blank(From), ["to"] = Blank(To),
                ["before"] = Entries[^1].Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
            }.Where(p => p.Value is not null)).ToUriComponent();
    }

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
