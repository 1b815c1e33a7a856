using MediatR;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using Petitions.Api.Documents;
using Petitions.Api.Http;
using Petitions.Domain;
using Petitions.Workflows.Features.Petitions;

namespace Petitions.Api.Pages.Reception;

/// <summary>The registration receipt, posted from the result page so the query code never enters a URL.</summary>
public sealed class ReceiptModel(IMediator mediator, TimeProvider time, IOptions<PublicSiteOptions> site) : PageModel
{
    public async Task<IActionResult> OnPostAsync(string caseNumber, string queryCode, CancellationToken ct) =>
        Content(
            NoticeDocument.Receipt(
                await mediator.Send(new GetReceipt.Query(caseNumber, queryCode, User.Actor()), ct), ShanghaiTime.DateOf(time.GetUtcNow()),
                ProgressAddress.For(site.Value, caseNumber)),
            "text/html; charset=utf-8");
}
