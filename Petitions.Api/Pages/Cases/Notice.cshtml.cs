using MediatR;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Petitions.Api.Documents;
using Petitions.Api.Http;
using Petitions.Workflows.Features.Petitions;

namespace Petitions.Api.Pages.Cases;

/// <summary>A notice as its printable page, for staff signed in to the pages.</summary>
public sealed class NoticeModel(IMediator mediator) : PageModel
{
    public async Task<IActionResult> OnGetAsync(string caseNumber, long noticeId, CancellationToken ct) =>
        Content(NoticeDocument.Render(await mediator.Send(new GetNotice.Query(caseNumber, noticeId, User.Actor()), ct)), "text/html; charset=utf-8");
}
