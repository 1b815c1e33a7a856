using FluentValidation;
using MediatR;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Petitions.Api.Hosting;
using Petitions.Api.Http;
using Petitions.Api.Pages.Reception;
using Petitions.Domain;
using Petitions.Workflows;
using Petitions.Workflows.Features.Petitions;
using Petitions.Workflows.Features.Public;

namespace Petitions.Api.Pages.Public;

/// <summary>A petitioner submits a petition online to a bureau, and gets the case number and query code once.</summary>
[EnableRateLimiting(RateLimits.Submissions)]
[MaterialUpload(Petitioner = true, Page = true)]
public sealed class SubmitModel(IMediator mediator, IStringLocalizer<Words> words) : PageModel
{
    public sealed class SubmissionForm
    {
        public string? Bureau { get; set; }
        public string? Category { get; set; } = "complaint";
        public RegisterModel.PersonForm Petitioner { get; set; } = new();
        public string? Subject { get; set; }
        public string? Content { get; set; }
    }

    [BindProperty] public SubmissionForm Input { get; set; } = new();

    public IReadOnlyList<ListBureaus.Bureau> Bureaus { get; private set; } = [];
    public RegisterPetition.PublicReceipt? Submitted { get; private set; }

    /// <summary>The address's submissions of the hour are used up (Hosting/RateLimits.cs).</summary>
    public bool Limited { get; private set; }

    public async Task OnGetAsync(string? limited, CancellationToken ct)
    {
        Limited = limited is not null;
        Bureaus = await mediator.Send(new ListBureaus.Query(), ct);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        try
        {
            if (MaterialForm.Of(HttpContext)?.Refusals is { Count: > 0 } refused)
                foreach (var file in refused) ModelState.AddModelError("Files", MaterialText.Refusal(words, file));
            else Submitted = (await mediator.Send(new RegisterPetition.Command
            {
                Channel = "online",
                Bureau = Input.Bureau,
                Category = Input.Category,
                Petitioner = Input.Petitioner.ToInput(),
                Subject = Input.Subject,
                Content = Input.Content,
                Files = MaterialForm.FilesOf(HttpContext),
                Actor = Actor.Public,
            }, ct)).ForPublic;
        }
        catch (ValidationException invalid)
        {
            ModelState.Show(words, invalid);
        }
        catch (RuleViolationException refused)
        {
            ModelState.AddModelError("Files", Messages.Of(words, refused));
        }
        Bureaus = await mediator.Send(new ListBureaus.Query(), ct);
        return Page();
    }
}
