using MediatR;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Petitions.Api.Http;
using Petitions.Domain;
using Petitions.Workflows.Features.Supervision;
using Petitions.Workflows.Storage;

namespace Petitions.Api.Pages.Supervision;

/// <summary>The supervision orders within reach, newest first, by state: what is still unanswered (red once its answer
/// is late), what was answered and waits to be closed, and what is closed. Each order is worked on its case's page.</summary>
public sealed class OrdersModel(IMediator mediator, TimeProvider time) : PageModel
{
    public static readonly IReadOnlyList<string> States = ["issued", "answered", "closed"];

    public IReadOnlyList<Order> Orders { get; private set; } = [];
    public string? State { get; private set; }
    public DateOnly Today => ShanghaiTime.DateOf(time.GetUtcNow());

    public async Task OnGetAsync(string? state, CancellationToken ct)
    {
        State = States.Contains(state) ? state : null;
        Orders = await mediator.Send(new ListSupervisionOrders.Query(State, User.Actor()), ct);
    }
}
