using FluentValidation;
using MediatR;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Petitions.Api.Http;
using Petitions.Domain;
using Petitions.Workflows;
using Petitions.Workflows.Features.Actions;
using Petitions.Workflows.Features.Petitions;
using Petitions.Workflows.Workflow;

namespace Petitions.Api.Pages.Cases;

/// <summary>
/// A petition as staff work on it: the record, its clocks (amber near due, red past due), timeline and notices, and
/// a form for each action the workflow allows this user now. A refused action keeps its form open with the
/// messages beside its fields.
/// </summary>
public sealed class CaseModel(IMediator mediator, WorkflowCatalog workflows, TimeProvider time) : PageModel
{
    public GetPetition.Response Petition { get; private set; } = null!;
    public IReadOnlyList<ListActions.AvailableAction> Actions { get; private set; } = [];
    public string? OpenAction { get; private set; }
    public Dictionary<string, string[]> Errors { get; } = [];
    public string? Problem { get; private set; }
    public IReadOnlyList<(long Id, string Kind, DateTimeOffset IssuedAt)> Notices { get; private set; } = [];
    public DateOnly Today => ShanghaiTime.DateOf(time.GetUtcNow());
    [TempData] public string? Done { get; set; }

    public async Task<IActionResult> OnGetAsync(string caseNumber, CancellationToken ct)
    {
        await LoadAsync(caseNumber, ct);
        return Page();
    }

    public async Task<IActionResult> OnPostActAsync(string caseNumber, string action, CancellationToken ct)
    {
        var definition = workflows.AllActions.FirstOrDefault(a => a.Code == action);
        if (definition is null) return NotFound();
        try
        {
            await mediator.Send(new PerformAction.Command(caseNumber, action, ActionForms.Body(definition, Request.Form), User.Actor()), ct);
            Done = ActionForms.Name(action);
            return RedirectToPage(new { caseNumber });
        }
        catch (ValidationException invalid)
        {
            foreach (var group in invalid.Errors.GroupBy(e => ProblemMapping.FieldPath(e.PropertyName)))
                Errors[group.Key] = group.Select(Messages.Of).ToArray();
        }
        catch (Exception refused) when (refused is RuleViolationException or ConcurrencyConflictException or ForbiddenException)
        {
            Problem = Messages.Of(refused);
        }
        OpenAction = action;
        await LoadAsync(caseNumber, ct);
        return Page();
    }

    private async Task LoadAsync(string caseNumber, CancellationToken ct)
    {
        var actor = User.Actor();
        Petition = await mediator.Send(new GetPetition.Query(caseNumber, actor), ct);
        Actions = await mediator.Send(new ListActions.Query(caseNumber, actor), ct);
        Notices = (await mediator.Send(new ListNotices.Query(caseNumber, actor), ct)).Select(n => (n.Id, n.Kind, n.IssuedAt)).ToList();
    }

    public ActionDefinition Definition(string action) => workflows.AllActions.First(a => a.Code == action);

    /// <summary>"red" past due, "amber" within the warning lead, else none.</summary>
    public string Warning(GetPetition.ClockView clock) =>
        clock.State is "stopped" or "paused" ? ""
        : clock.DueOn < Today || clock.State == "overdue" ? "red"
        : clock.DueOn.DayNumber - Today.DayNumber <= 3 ? "amber" : "";
}
