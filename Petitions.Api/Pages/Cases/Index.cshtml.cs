using MediatR;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Petitions.Api.Http;
using Petitions.Domain;
using Petitions.Workflows.Features.Petitions;

namespace Petitions.Api.Pages.Cases;

/// <summary>The inbox: the petitions within the user's reach, newest first, by stage, a page at a time, with their
/// nearest deadline coloured amber when near and red when past.</summary>
public sealed class IndexModel(IMediator mediator, TimeProvider time) : PageModel
{
    public ListPetitions.Page List { get; private set; } = new([], null);
    public string? Stage { get; private set; }
    public DateOnly Today => ShanghaiTime.DateOf(time.GetUtcNow());

    public async Task OnGetAsync(string? stage, string? after, CancellationToken ct)
    {
        Stage = string.IsNullOrEmpty(stage) ? null : stage;
        List = await mediator.Send(new ListPetitions.Query { Stage = Stage, After = after, Limit = 50, Actor = User.Actor() }, ct);
    }

    public string Warning(DateOnly? due) => due is not { } d ? "" : d < Today ? "red" : d.DayNumber - Today.DayNumber <= 3 ? "amber" : "";
}
