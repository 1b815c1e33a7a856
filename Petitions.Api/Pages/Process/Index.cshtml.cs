using MediatR;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Petitions.Api.Http;
using Petitions.Workflows.Features.Actions;
using Petitions.Workflows.Workflow;

namespace Petitions.Api.Pages.Process;

/// <summary>
/// The process, drawn from the workflow definition in force (or an older version, <c>?version=</c>), for anyone
/// signed in. With <c>?case=</c> it draws the version that petition follows, highlights the stage it stands in and the
/// actions this user may take on it now; a petition out of the user's reach is not found, as on its own page.
/// </summary>
public sealed class IndexModel(IMediator mediator, WorkflowCatalog workflows, IStringLocalizer<Words> words) : PageModel
{
    public IReadOnlyList<int> Versions => workflows.Versions;
    public int Latest => workflows.Latest.Version;
    public int Version { get; private set; }
    public LocateInWorkflow.Response? Petition { get; private set; }
    public IReadOnlyList<ListActions.AvailableAction> Available { get; private set; } = [];
    public ProcessDiagram Diagram { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(int? version, string? @case, CancellationToken ct)
    {
        if (!string.IsNullOrWhiteSpace(@case))
        {
            Petition = await mediator.Send(new LocateInWorkflow.Query(@case.Trim(), User.Actor()), ct);
            Available = await mediator.Send(new ListActions.Query(Petition.CaseNumber, User.Actor()), ct);
            version = Petition.WorkflowVersion;
        }
        if (version is { } asked && !Versions.Contains(asked)) return NotFound();
        Version = version ?? Latest;
        Diagram = new ProcessDiagram(words, workflows.Get(Version), Petition?.Stage, Available.Select(a => a.Action).ToHashSet());
        return Page();
    }
}
