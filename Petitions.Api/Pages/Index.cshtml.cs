using Microsoft.AspNetCore.Mvc.RazorPages;
using Petitions.Api.Http;
using Petitions.Api.Pages.Cases;

namespace Petitions.Api.Pages;

/// <summary>Where a signed-in user starts: the work queues of their roles.</summary>
public sealed class IndexModel : PageModel
{
    public IEnumerable<Cases.IndexModel.Queue> Queues => Cases.IndexModel.Queues.Where(q => User.Actor().HasAny(q.Roles));
}
