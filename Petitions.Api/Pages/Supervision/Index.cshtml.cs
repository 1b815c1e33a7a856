using MediatR;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Petitions.Api.Http;
using Petitions.Domain;
using Petitions.Workflows.Features.Supervision;

namespace Petitions.Api.Pages.Supervision;

/// <summary>The supervision board: red (past due) or amber (near due) clocks within reach, sortable and filtered by
/// unit and category, with the count per unit.</summary>
public sealed class IndexModel(IMediator mediator, IStringLocalizer<Words> words) : PageModel
{
    public IReadOnlyList<SupervisionBoard.Entry> Entries { get; private set; } = [];
    public WarningLevel Level { get; private set; }
    public string? Sort { get; private set; }
    public string? Unit { get; private set; }
    public string? Category { get; private set; }

    public IEnumerable<(string Unit, int Count)> PerUnit =>
        Entries.GroupBy(e => e.Unit ?? words["Supervision.OfficeNotYetAssigned"]).Select(g => (g.Key, g.Count())).OrderByDescending(g => g.Item2);

    public async Task<IActionResult> OnGetAsync(string? level, string? sort, string? unit, string? category, CancellationToken ct)
    {
        Level = level == "near-due" ? WarningLevel.NearDue : WarningLevel.Overdue;
        (Sort, Unit, Category) = (Blank(sort), Blank(unit), Blank(category));
        Entries = await mediator.Send(new SupervisionBoard.Query(Level, Sort, Unit, Category, User.Actor()), ct);
        return Page();
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
