using FluentValidation;
using MediatR;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Petitions.Api.Http;
using Petitions.Domain;
using Petitions.Workflows;
using Petitions.Workflows.Features.Actions;
using Petitions.Workflows.Features.Petitions;
using Petitions.Workflows.Features.Supervision;
using Petitions.Workflows.Storage;
using Petitions.Workflows.Workflow;

namespace Petitions.Api.Pages.Cases;

/// <summary>
/// A petition as staff work on it, at a glance: the facts and where it stands, its clocks with the days left (amber
/// near due, red past due) beside the timeline, its notices, and a form for each action the workflow allows this user
/// now, all in view. A refused action keeps what was entered in its form, with the messages beside its fields.
/// </summary>
public sealed class CaseModel(IMediator mediator, WorkflowCatalog workflows, TimeProvider time, IStringLocalizer<Words> words) : PageModel
{
    public GetPetition.Response Petition { get; private set; } = null!;
    public IReadOnlyList<ListActions.AvailableAction> Actions { get; private set; } = [];
    public string? OpenAction { get; private set; }
    public Dictionary<string, string[]> Errors { get; } = [];
    public string? Problem { get; private set; }
    public IReadOnlyList<ListNotices.Notice> Notices { get; private set; } = [];

    /// <summary>The petition a refusal was about (the earlier case of a repeat), linked beside the message.</summary>
    public string? RelatedCaseNumber { get; private set; }

    /// <summary>Values a form starts with: a returned draft to revise, the earlier case a repeat is a duplicate of.</summary>
    private readonly Dictionary<(string Form, string Field), string> _suggested = [];
    public IReadOnlyList<Order> Orders { get; private set; } = [];

    /// <summary>The form that keeps its values and messages after a refusal: a workflow action, or <see cref="OrderForm"/>.</summary>
    public const string OrderForm = "supervision-order";
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
        // An organization is chosen by name among those offered now; a name that matches none is refused beside its
        // field. An action no longer offered goes as typed, for the runtime to say why not.
        var offered = (await mediator.Send(new ListActions.Query(caseNumber, User.Actor()), ct)).FirstOrDefault(a => a.Action == action);
        var organizations = ActionForms.Fields(words, definition).Where(f => f.Picks is not null).ToDictionary(f => f.Name, f => ActionForms.Options(words, f, offered?.Choices));
        foreach (var (field, options) in organizations)
            if (offered is not null && Request.Form[field].ToString().Trim() is { Length: > 0 } typed && ActionForms.Resolve(options, typed) is null)
                Errors[field] = [Messages.NoSuchChoice(words, ActionForms.Label(words, action, field), typed, ActionForms.Fields(words, definition).Single(f => f.Name == field).Picks == OrganizationChoice.UnitOfficer)];
        if (Errors.Count > 0)
        {
            OpenAction = action;
            await LoadAsync(caseNumber, ct);
            return Page();
        }
        return await SendAsync(caseNumber, action, ActionForms.Name(words, action),
            new PerformAction.Command(caseNumber, action, ActionForms.Body(definition, Request.Form, organizations), User.Actor()), ct);
    }

    public Task<IActionResult> OnPostIssueOrderAsync(string caseNumber, string? problem, string? requirement, CancellationToken ct) =>
        SendAsync(caseNumber, OrderForm, words["Case.SupervisionOrderIssued"],
            new IssueSupervisionOrder.Command(caseNumber, problem, requirement, User.Actor()), ct);

    public Task<IActionResult> OnPostRespondToOrderAsync(string caseNumber, long order, string? response, CancellationToken ct) =>
        SendAsync(caseNumber, OrderForm, words["Case.SupervisionOrderAnswered"], new RespondToSupervisionOrder.Command(order, response, User.Actor()), ct);

    public Task<IActionResult> OnPostCloseOrderAsync(string caseNumber, long order, CancellationToken ct) =>
        SendAsync(caseNumber, OrderForm, words["Case.SupervisionOrderClosed"], new CloseSupervisionOrder.Command(order, User.Actor()), ct);

    /// <summary>Sends a form's command: done, back to the case; refused, the form stays open with its messages.</summary>
    private async Task<IActionResult> SendAsync<TResponse>(string caseNumber, string form, string done, IRequest<TResponse> command, CancellationToken ct)
    {
        try
        {
            await mediator.Send(command, ct);
            Done = done;
            return RedirectToPage(new { caseNumber });
        }
        catch (ValidationException invalid)
        {
            foreach (var group in invalid.Errors.GroupBy(e => ProblemMapping.FieldPath(e.PropertyName)))
                Errors[group.Key] = group.Select(f => Messages.Of(words, f)).ToArray();
        }
        catch (Exception refused) when (refused is RuleViolationException or ConcurrencyConflictException or ForbiddenException)
        {
            Problem = Messages.Of(words, refused);
            if (refused is RuleViolationException { Rule: "repeat-in-handling" or "repeat-after-final", RelatedCaseNumber: { } earlier })
            {
                // A repeat is offered as what it is: not accepted again, as a duplicate of the earlier case.
                RelatedCaseNumber = earlier;
                _suggested[("mark-duplicate", "earlierCaseNumber")] = earlier;
                form = "mark-duplicate";
            }
        }
        OpenAction = form;
        await LoadAsync(caseNumber, ct);
        return Page();
    }

    /// <summary>A posted value of the open form, to show again after a refusal; else the value the form starts with.</summary>
    public string Posted(string form, string field) =>
        OpenAction == form && Request.HasFormContentType && Request.Form.ContainsKey(field) ? Request.Form[field].ToString()
        : _suggested.GetValueOrDefault((form, field), "");

    public string[] MessagesFor(string form, string field) => OpenAction == form && Errors.TryGetValue(field, out var messages) ? messages : [];

    private async Task LoadAsync(string caseNumber, CancellationToken ct)
    {
        var actor = User.Actor();
        Petition = await mediator.Send(new GetPetition.Query(caseNumber, actor), ct);
        Actions = [.. (await mediator.Send(new ListActions.Query(caseNumber, actor), ct)).Where(a => ActionForms.CanBeFilled(words, Definition(a.Action), a.Choices))];
        Notices = await mediator.Send(new ListNotices.Query(caseNumber, actor), ct);
        Orders = await mediator.Send(new ListSupervisionOrders.Query(null, actor) { CaseNumber = caseNumber }, ct);
        // A returned draft comes back to its unit with its text, to revise rather than retype.
        if (Petition.Opinion?.Versions is [.., { Decision: "returned" } returned])
        {
            _suggested.TryAdd(("submit-opinion", "outcome"), returned.Outcome);
            _suggested.TryAdd(("submit-opinion", "text"), returned.Text);
        }
    }

    public ActionDefinition Definition(string action) => workflows.AllActions.First(a => a.Code == action);

    /// <summary>"red" past due, "amber" within the warning lead, else none.</summary>
    public string Warning(GetPetition.ClockView clock) =>
        clock.State is "stopped" or "paused" ? "" : clock.State == "overdue" ? "red" : Text.Warning(clock.DueOn, Today);
}
