using FluentValidation;
using MediatR;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Petitions.Api.Http;
using Petitions.Domain;
using Petitions.Workflows.Features.Administration;

namespace Petitions.Api.Pages.Admin;

/// <summary>Per organization of the administrator's tree: whether a bureau shows petitioners the handling officer's
/// contact card, and the office phone shown on it (a unit's, or the bureau's). One form per organization; one from
/// elsewhere (a form edited by hand) is not found.</summary>
public sealed class ContactCardsModel(IMediator mediator, IStringLocalizer<Words> words) : PageModel
{
    [TempData] public string? Done { get; set; }

    public IReadOnlyList<ListContactCards.Card> Cards { get; private set; } = [];

    /// <summary>The organization whose form was refused, what was posted, and the messages.</summary>
    public string? Refused { get; private set; }
    public bool PostedEnabled { get; private set; }
    public string? PostedPhone { get; private set; }
    public List<string> Problems { get; } = [];

    public async Task OnGetAsync(CancellationToken ct) => Cards = await mediator.Send(new ListContactCards.Query(User.Actor()), ct);

    public async Task<IActionResult> OnPostAsync(string code, bool enabled, string? phone, CancellationToken ct)
    {
        try
        {
            await mediator.Send(new SetContactCard.Command(code, enabled, string.IsNullOrWhiteSpace(phone) ? null : phone.Trim(), User.Actor()), ct);
            Done = words["Admin.ContactCards.Saved0", code];
            return RedirectToPage();
        }
        catch (ValidationException invalid)
        {
            Problems.AddRange(invalid.Errors.Select(f => Messages.Of(words, f)));
        }
        catch (RuleViolationException rule)
        {
            Problems.Add(Messages.Of(words, rule));
        }
        (Refused, PostedEnabled, PostedPhone) = (code, enabled, phone);
        Cards = await mediator.Send(new ListContactCards.Query(User.Actor()), ct);
        return Page();
    }
}
