using MediatR;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Petitions.Api.Http;
using Petitions.Domain;
using Petitions.Workflows.Features.Petitions;

namespace Petitions.Api.Pages.Cases;

/// <summary>The inbox: the petitions within the user's reach, newest first, by stage or by a role's work queue, a
/// page at a time, with their nearest deadline coloured amber when near and red when past.</summary>
public sealed class IndexModel(IMediator mediator, TimeProvider time) : PageModel
{
    /// <summary>A role's work: the petitions waiting for that role's next step.</summary>
    public sealed record Queue(string Code, Stage Stage, bool ExtensionRequested, Role[] Roles, Func<string> Name);

    public static readonly IReadOnlyList<Queue> Queues =
    [
        new("triage", Domain.Stage.Registered, false, [Role.Office], () => Text.T("待受理审查", "Triage")),
        new("handling", Domain.Stage.InHandling, false, [Role.Handler], () => Text.T("办理中", "In handling")),
        new("extensions", Domain.Stage.InHandling, true, [Role.Leader], () => Text.T("延期审批", "Extension requests")),
        new("opinions", Domain.Stage.OpinionReview, false, [Role.Leader, Role.Office], () => Text.T("待审核意见", "Opinions to review")),
        new("service", Domain.Stage.AwaitingService, false, [Role.Office, Role.Handler], () => Text.T("待送达", "To serve")),
        new("return-visits", Domain.Stage.ReturnVisit, false, [Role.Office, Role.Handler, Role.Supervisor], () => Text.T("待回访", "Return visits")),
        new("reviews", Domain.Stage.UnderReview, false, [Role.Office, Role.Leader], () => Text.T("复查", "Reviews")),
        new("rereviews", Domain.Stage.UnderRereview, false, [Role.Office, Role.Leader], () => Text.T("复核", "Re-reviews")),
    ];

    public ListPetitions.Page List { get; private set; } = new([], null);
    public string? Stage { get; private set; }
    public Queue? Current { get; private set; }
    public IEnumerable<Queue> MyQueues => Queues.Where(q => User.Actor().HasAny(q.Roles));
    public DateOnly Today => ShanghaiTime.DateOf(time.GetUtcNow());

    public async Task<IActionResult> OnGetAsync(string? queue, string? stage, string? after, CancellationToken ct)
    {
        if (!string.IsNullOrEmpty(queue) && (Current = Queues.FirstOrDefault(q => q.Code == queue)) is null) return NotFound();
        Stage = Current is not null ? Codes.Of(Current.Stage) : string.IsNullOrEmpty(stage) ? null : stage;
        List = await mediator.Send(new ListPetitions.Query
        {
            Stage = Stage, ExtensionRequested = Current?.ExtensionRequested == true, After = after, Limit = 50, Actor = User.Actor(),
        }, ct);
        return Page();
    }

    public string NextPage => Current is not null ? $"?queue={Current.Code}&after={List.Next}" : $"?stage={Stage}&after={List.Next}";

    public string Warning(DateOnly? due) => Text.Warning(due, Today);
}
