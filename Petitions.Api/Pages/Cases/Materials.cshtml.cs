using FluentValidation;
using MediatR;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Petitions.Api.Http;
using Petitions.Domain;
using Petitions.Workflows;
using Petitions.Workflows.Features.Materials;

namespace Petitions.Api.Pages.Cases;

/// <summary>
/// A petition's materials: all of them, withdrawn ones marked; attaching more (the case page's form posts here), and
/// withdrawing one with a reason. A refused upload comes back here with its messages; nothing of it was stored.
/// </summary>
[MaterialUpload(Page = true)]
public sealed class MaterialsModel(IMediator mediator, IStringLocalizer<Words> words) : PageModel
{
    public string CaseNumber { get; private set; } = "";
    public IReadOnlyList<ListMaterials.Item> Items { get; private set; } = [];
    public List<string> Problems { get; } = [];
    public long? WithdrawingId { get; private set; }
    [TempData] public string? Done { get; set; }

    public async Task<IActionResult> OnGetAsync(string caseNumber, CancellationToken ct)
    {
        await LoadAsync(caseNumber, ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAttachAsync(string caseNumber, CancellationToken ct)
    {
        var form = MaterialForm.Of(HttpContext);
        if (form is null || form.Refusals.Count > 0)
            Problems.AddRange(form?.Refusals.Select(r => MaterialText.Refusal(words, r)) ?? [Messages.ByCode(words, "multipart")!]);
        else if (await TryAsync(new AttachMaterials.Command(caseNumber, form.Files, User.Actor()), ct))
        {
            Done = words["Materials.0MaterialAttached", form.Files.Count];
            return Redirect($"/cases/{Uri.EscapeDataString(caseNumber)}#materials");
        }
        await LoadAsync(caseNumber, ct);
        return Page();
    }

    public async Task<IActionResult> OnPostWithdrawAsync(string caseNumber, long materialId, string? reason, CancellationToken ct)
    {
        if (await TryAsync(new WithdrawMaterial.Command(caseNumber, materialId, reason, User.Actor()), ct))
        {
            Done = words["Materials.Material0Withdrawn", materialId];
            return RedirectToPage(new { caseNumber });
        }
        WithdrawingId = materialId;
        await LoadAsync(caseNumber, ct);
        return Page();
    }

    /// <summary>Sends a command; a refusal becomes the page's messages.</summary>
    private async Task<bool> TryAsync<T>(IRequest<T> command, CancellationToken ct)
    {
        try
        {
            await mediator.Send(command, ct);
            return true;
        }
        catch (ValidationException invalid)
        {
            Problems.AddRange(invalid.Errors.Select(f => Messages.Of(words, f)).Distinct());
        }
        catch (Exception refused) when (refused is RuleViolationException or ConcurrencyConflictException or ForbiddenException)
        {
            Problems.Add(Messages.Of(words, refused));
        }
        return false;
    }

    private async Task LoadAsync(string caseNumber, CancellationToken ct)
    {
        Items = await mediator.Send(new ListMaterials.Query(caseNumber, User.Actor()), ct);
        CaseNumber = caseNumber;
    }
}
