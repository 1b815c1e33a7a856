using FluentValidation;
using MediatR;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Petitions.Api.Http;
using Petitions.Domain;
using Petitions.Workflows;
using Microsoft.AspNetCore.Mvc.Filters;
using Petitions.Workflows.Features.Organizations;
using Petitions.Workflows.Features.Petitions;
using Petitions.Workflows.Storage;

namespace Petitions.Api.Pages.Reception;

/// <summary>
/// The reception desk registers a petition: the form is checked first (messages beside the fields) and the person's
/// earlier petitions on similar matters are shown; then it is registered and the case number and query code are
/// shown once, with the printable receipt and a link to the new record. A letter opened late, or a visit entered
/// afterwards, is registered as received on its day, so its deadlines count from then.
/// </summary>
[MaterialUpload(Page = true)]
public sealed class RegisterModel(IMediator mediator, TimeProvider time, IStringLocalizer<Words> words) : PageModel
{
    public sealed class PersonForm
    {
        public string? Name { get; set; }
        public string? IdNumber { get; set; }
        public string? Phone { get; set; }
        public string? Address { get; set; }

        public RegisterPetition.PersonInput ToInput() => new(Name, IdNumber, Phone, Address);
    }

    public sealed class RegistrationForm
    {
        public string? Channel { get; set; } = "visit";
        public string? Category { get; set; } = "complaint";
        public PersonForm Petitioner { get; set; } = new();
        public List<PersonForm> Representatives { get; set; } = [];
        public int? PeopleCount { get; set; }
        public string? Subject { get; set; }
        public string? Content { get; set; }
        public string? InvolvedUnit { get; set; }
        public string? InvolvedUnitCode { get; set; }
        public string? InvolvedOfficer { get; set; }

        /// <summary>The day the petition was received, when not today (the API's <c>receivedAt</c>, as a day).</summary>
        public DateOnly? ReceivedAt { get; set; }
        public string? ReceivingLeader { get; set; }
    }

    [BindProperty] public RegistrationForm Input { get; set; } = new();

    public IReadOnlyList<PetitionStore.PossibleDuplicate>? Duplicates { get; private set; }
    public RegisterPetition.Response? Registered { get; private set; }
    public string? Refusal { get; private set; }

    /// <summary>The organizations below the bureau, for choosing the unit concerned rather than typing it.</summary>
    public IReadOnlyList<ListOrganizationsBelow.Choice> Units { get; private set; } = [];

    public override async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        Units = await mediator.Send(new ListOrganizationsBelow.Query(User.Actor()), HttpContext.RequestAborted);
        await next();
    }

    public void OnGet() { }

    public async Task<IActionResult> OnPostCheckAsync(CancellationToken ct)
    {
        try
        {
            Duplicates = await mediator.Send(new FindPossibleDuplicates.Query(Command()), ct);
        }
        catch (ValidationException invalid)
        {
            ModelState.Show(words, invalid, prefix: "Registration.");
        }
        return Page();
    }

    public async Task<IActionResult> OnPostRegisterAsync(CancellationToken ct)
    {
        // A value the form could not read (letters as the people count) is shown beside its field; registering the
        // petition without it would store something else than was entered.
        if (!ModelState.IsValid) return Page();
        if (MaterialForm.Of(HttpContext)?.Refusals is [var refusedFile, ..])
        {
            Refusal = MaterialText.Refusal(words, refusedFile);
            return Page();
        }
        try
        {
            Registered = await mediator.Send(Command(), ct);
        }
        catch (ValidationException invalid)
        {
            ModelState.Show(words, invalid);
        }
        catch (RuleViolationException refused)
        {
            Refusal = Messages.Of(words, refused);
        }
        return Page();
    }

    /// <summary>When the petition counts as received: now, or the start of an earlier day. A day no instant is stored
    /// for (before 1900, after 2999) is moved to the nearest one, which the registration's rules refuse all the same,
    /// with their own message beside the field.</summary>
    private DateTimeOffset? ReceivedAt()
    {
        if (Input.ReceivedAt is not { } day || day == ShanghaiTime.DateOf(time.GetUtcNow())) return null;
        var storable = day < ValidationRules.EarliestDate ? ValidationRules.EarliestDate : day > ValidationRules.LatestDate ? ValidationRules.LatestDate : day;
        return ShanghaiTime.StartOf(storable);
    }

    private RegisterPetition.Command Command() => new()
    {
        Channel = Input.Channel,
        Category = Input.Category,
        Petitioner = Input.Petitioner.ToInput(),
        Representatives = Input.Representatives.Count == 0 ? null : Input.Representatives.Select(r => r.ToInput()).ToList(),
        PeopleCount = Input.PeopleCount,
        Subject = Input.Subject,
        Content = Input.Content,
        InvolvedUnit = Input.InvolvedUnit,
        InvolvedUnitCode = Input.InvolvedUnitCode,
        InvolvedOfficer = Input.InvolvedOfficer,
        ReceivedAt = ReceivedAt(),
        ReceivingLeader = string.IsNullOrWhiteSpace(Input.ReceivingLeader) ? null : Input.ReceivingLeader.Trim(),
        Files = MaterialForm.FilesOf(HttpContext),
        Actor = User.Actor(),
    };
}
