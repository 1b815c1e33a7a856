using System.ComponentModel.DataAnnotations;
using MediatR;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Petitions.Api.Hosting;
using Petitions.Workflows;
using Petitions.Workflows.Features.Public;

namespace Petitions.Api.Pages.Public;

/// <summary>The petitioner's progress page: case number and query code in, stage, timeline and notices out. The code is
/// posted, never put in a URL; wrong attempts count towards the same limit as the API's. The case number may come in the
/// address (the receipt's QR code), to be filled in already.</summary>
public sealed class ProgressModel(IMediator mediator, LookupGuard guard, IStringLocalizer<Words> words) : PageModel
{
    [BindProperty(SupportsGet = true), Required] public string? CaseNumber { get; set; }
    [BindProperty, Required] public string? QueryCode { get; set; }

    [BindProperty] public string? Satisfaction { get; set; }
    [BindProperty] public string? Comment { get; set; }

    public LookUpPetition.Response? Progress { get; private set; }
    public string? Problem { get; private set; }
    public string? Thanks { get; private set; }

    /// <summary>Offered only when it can be accepted: a reply was served and the petitioner has not evaluated it yet.</summary>
    public bool CanEvaluate => Progress?.CanEvaluate == true;

    public void OnGet() { }

    public Task<IActionResult> OnPostAsync(CancellationToken ct) => AnswerAsync(evaluate: false, ct);

    public Task<IActionResult> OnPostEvaluateAsync(CancellationToken ct) => AnswerAsync(evaluate: true, ct);

    /// <summary>The lookup, after the evaluation when one is sent: both behind the same guard as the API's, which
    /// reserves a try before the code is checked at all.</summary>
    private async Task<IActionResult> AnswerAsync(bool evaluate, CancellationToken ct)
    {
        if (!ModelState.IsValid)
        {
            Problem = words["Progress.CaseNumberAndCodeMissing"];
            return Page();
        }
        var caseNumber = CaseNumber!.Trim().ToUpperInvariant();
        using var attempt = await guard.BeginAsync(HttpContext.Connection.RemoteIpAddress?.ToString() ?? "unknown", caseNumber, ct);
        if (attempt is null)
        {
            Problem = words["Progress.TooManyFailedAttemptsPlease"];
            Response.StatusCode = StatusCodes.Status429TooManyRequests;
            return Page();
        }
        try
        {
            if (evaluate) await EvaluateAsync(caseNumber, ct);
            Progress = await mediator.Send(new LookUpPetition.Query(caseNumber, QueryCode), ct);
        }
        catch (NotFoundException)
        {
            attempt.Failed();
            Problem = words["Progress.CaseNumberAndQueryCode"];
        }
        return Page();
    }

    private async Task EvaluateAsync(string caseNumber, CancellationToken ct)
    {
        try
        {
            await mediator.Send(new EvaluatePetition.Command(caseNumber, QueryCode, Satisfaction, Comment), ct);
            Thanks = words["Progress.ThankYouForYourEvaluation"];
        }
        catch (FluentValidation.ValidationException invalid)
        {
            Problem = invalid.Errors.Any(e => e.PropertyName == nameof(Comment))
                ? words["Progress.KeepCommentWithin2000"]
                : words["Progress.ChooseHowSatisfiedYouAre"];
        }
        catch (Petitions.Domain.RuleViolationException refused)
        {
            Problem = refused.Rule == "already-evaluated"
                ? words["Progress.YouHaveAlreadyEvaluatedThis"]
                : words["Progress.OutcomeCanBeEvaluatedOnce"];
        }
    }
}
