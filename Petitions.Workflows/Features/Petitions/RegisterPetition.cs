using System.Text.Json.Serialization;
using FluentValidation;
using FluentValidation.Results;
using MediatR;
using Microsoft.Extensions.Logging;
using Petitions.Domain;
using Petitions.Workflows.Materials;
using Petitions.Workflows.Pipeline;
using Petitions.Workflows.Privacy;
using Petitions.Workflows.Storage;
using Petitions.Workflows.Workflow;

namespace Petitions.Workflows.Features.Petitions;

/// <summary>
/// A petition is registered (登记): by a reception desk or the office, or by the petitioner online (then the
/// petitioner names the bureau). The answer carries the case number and the query code, the only time the code is
/// ever readable, and the same person's earlier petitions on similar matters.
/// </summary>
public static partial class RegisterPetition
{
    public const int MaxSubjectLength = 200;
    public const int MaxContentLength = 10_000;

    public sealed record PersonInput(string? Name, string? IdNumber, string? Phone, string? Address)
    {
        public override string ToString() => nameof(PersonInput); // personal data stays out of logs
    }

    public sealed record Command : ICommand<Response>, IIdempotentCommand
    {
        public string? Channel { get; init; }
        public string? Category { get; init; }
        public PersonInput? Petitioner { get; init; }
        public IReadOnlyList<PersonInput>? Representatives { get; init; }
        public int? PeopleCount { get; init; }
        public string? Subject { get; init; }
        public string? Content { get; init; }
        /// <summary>What the petitioner wrote for the unit the petition concerns (for an accusation, the accused).</summary>
        public string? InvolvedUnit { get; init; }

        /// <summary>The code of that unit, chosen from the bureau's organizations: an accusation never reaches it.</summary>
        public string? InvolvedUnitCode { get; init; }

        public string? InvolvedOfficer { get; init; }
        public DateTimeOffset? ReceivedAt { get; init; }

        /// <summary>On a leadership reception day (局长接待日, TL2022 Art 18): the user name of the leader who received the
        /// visit, one of the bureau's leaders or a leader above it.</summary>
        public string? ReceivingLeader { get; init; }

        /// <summary>The bureau an online submission is addressed to (its code); staff register at their own bureau.</summary>
        public string? Bureau { get; init; }

        /// <summary>Files sent with the registration, checked and sealed at the door; attached in its transaction. Not part
        /// of a JSON body (files come as multipart), so an idempotent JSON registration never carries any.</summary>
        [JsonIgnore] public IReadOnlyList<MaterialInput> Files { get; init; } = [];

        [JsonIgnore] public Actor Actor { get; init; } = Actor.Public;
        [JsonIgnore] public string? IdempotencyKey { get; init; }
        string? ICommandRequest.AuditCaseNumber => null;

        public override string ToString() => nameof(RegisterPetition); // personal data stays out of logs
    }

    public sealed record Response(
        string CaseNumber,
        string QueryCode,
        string Stage,
        DateTimeOffset ReceivedAt,
        DateOnly IntakeDueOn,
        bool IntakeDueProvisional,
        bool FirstPetition,
        IReadOnlyList<PetitionStore.PossibleDuplicate> PossibleDuplicates) : ICreatesCase
    {
        /// <summary>What an anonymous submitter is told: their own case, nothing about any other petition or person
        /// (not even whether they petitioned before).</summary>
        public PublicReceipt ForPublic => new(CaseNumber, QueryCode, Stage, ReceivedAt, IntakeDueOn, IntakeDueProvisional);
    }

    public sealed record PublicReceipt(string CaseNumber, string QueryCode, string Stage, DateTimeOffset ReceivedAt, DateOnly IntakeDueOn, bool IntakeDueProvisional);

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator(TimeProvider time)
        {
            DateOnly Today() => ShanghaiTime.DateOf(time.GetUtcNow());

            RuleFor(c => c.Channel).NotEmpty().IsOneOf(Codes.All<Channel>(), "channel");
            RuleFor(c => c.Channel).Equal(Codes.Of(Domain.Channel.Online)).When(c => !c.Actor.IsStaff)
                .WithMessage("A petition submitted online has the channel 'online'.");
            RuleFor(c => c.Bureau).NotEmpty().MaximumLength(32).When(c => !c.Actor.IsStaff)
                .WithMessage("Name the bureau the petition is addressed to, by its code.");
            RuleFor(c => c.ReceivedAt).Null().When(c => !c.Actor.IsStaff)
                .WithMessage("An online submission is received when it arrives.");
            RuleFor(c => c.ReceivingLeader).Null().When(c => !c.Actor.IsStaff)
                .WithMessage("An online submission is not received by a leader.");
            RuleFor(c => c.ReceivingLeader).MaximumLength(64);
            RuleFor(c => c.Channel).Equal(Codes.Of(Domain.Channel.Visit)).When(c => !string.IsNullOrWhiteSpace(c.ReceivingLeader))
                .WithErrorCode("reception-day-visit").WithMessage("A leader receives visitors on a reception day: the channel is 'visit'.");
            RuleFor(c => c.Category).NotEmpty().IsOneOf(Codes.All<Category>(), "category");

            RuleFor(c => c.Petitioner).NotNull();
            RuleFor(c => c.Petitioner!).ChildRules(person =>
            {
                PersonRules(person, Today);
                person.RuleFor(p => p.Address).MaximumLength(300);
                person.RuleFor(p => p.Phone).NotEmpty().When(p => string.IsNullOrWhiteSpace(p.Address))
                    .WithErrorCode("phone-or-address").WithMessage("Give a phone number or an address, so the reply can reach the petitioner.");
            }).When(c => c.Petitioner is not null);

            RuleFor(c => c.Representatives!.Count).LessThanOrEqualTo(Petition.MaxRepresentatives)
                .OverridePropertyName("representatives")
                .WithErrorCode("representatives-limit")
                .WithMessage($"A group visit has at most {Petition.MaxRepresentatives} representatives (TL2022 Art 20).")
                .When(c => c.Representatives is not null);
            RuleForEach(c => c.Representatives).NotNull().ChildRules(person =>
            {
                PersonRules(person, Today);
                person.RuleFor(p => p.IdNumber).NotEmpty().WithMessage("A representative shows an ID number.");
            });

            RuleFor(c => c.PeopleCount).InclusiveBetween(1, 10_000);
            RuleFor(c => c.PeopleCount).GreaterThanOrEqualTo(c => c.Representatives!.Count)
                .WithErrorCode("representatives-limit").WithMessage("'peopleCount' cannot be smaller than the number of representatives.")
                .When(c => c.PeopleCount is not null && c.Representatives is not null);

            RuleFor(c => c.Subject).NotEmpty().MaximumLength(MaxSubjectLength);
            RuleFor(c => c.Content).NotEmpty().MaximumLength(MaxContentLength);
            RuleFor(c => c.InvolvedUnit).MaximumLength(200);
            RuleFor(c => c.InvolvedUnitCode).MaximumLength(32);
            RuleFor(c => c.InvolvedOfficer).MaximumLength(100);

            RuleFor(c => c.ReceivedAt).Must(at => at is null || at <= time.GetUtcNow() + Petition.ReceiptClockTolerance)
                .WithErrorCode("received-in-future").WithMessage("'receivedAt' cannot be in the future.");
            RuleFor(c => c.ReceivedAt).Must(at => at is null || at >= time.GetUtcNow().AddYears(-1))
                .WithErrorCode("received-too-early").WithMessage("'receivedAt' is more than a year ago.");
        }

        private static void PersonRules(InlineValidator<PersonInput> person, Func<DateOnly> today)
        {
            person.RuleFor(p => p.Name).NotEmpty().MaximumLength(100);
            person.RuleFor(p => p.IdNumber).IsIdNumber(today);
            person.RuleFor(p => p.Phone).IsPhoneNumber();
        }
    }

    public sealed partial class Handler(
        PetitionStore store,
        AccountStore accounts,
        WorkflowCatalog workflows,
        PersonalDataProtector protector,
        DeadlineRules rules,
        MaterialStore materials,
        TimeProvider time,
        ILogger<Handler> log) : IRequestHandler<Command, Response>
    {
        public async Task<Response> Handle(Command command, CancellationToken ct)
        {
            Bureau bureau;
            if (command.Actor.IsStaff)
            {
                command.Actor.Require(Role.Reception, Role.Office);
                bureau = await store.BureauOfAsync(command.Actor.OrganizationId!.Value, ct)
                    ?? throw new ForbiddenException("Your organization does not belong to a bureau.");
            }
            else
            {
                bureau = await store.BureauByCodeAsync(command.Bureau!, ct)
                    ?? throw new ValidationException([new ValidationFailure("Bureau", $"There is no bureau with the code '{command.Bureau}'.")]);
            }

            var now = time.GetUtcNow();
            var today = ShanghaiTime.DateOf(now);
            var intake = new PetitionIntake(
                Codes.Parse<Channel>(command.Channel!),
                Codes.Parse<Category>(command.Category!),
                ToPerson(command.Petitioner!, today),
                command.Representatives?.Select(r => ToPerson(r, today)).ToArray() ?? [],
                command.PeopleCount ?? Math.Max(1, command.Representatives?.Count ?? 1),
                command.Subject!.Trim(),
                command.Content!,
                Blank(command.InvolvedUnit),
                Blank(command.InvolvedOfficer),
                command.ReceivedAt?.ToUniversalTime() ?? now,
                Blank(command.ReceivingLeader) is { } leader ? await ReceivingLeaderAsync(leader, bureau, ct) : null);

            var duplicates = await store.PossibleDuplicatesAsync(People(intake), intake.Subject, bureau, ct);
            var (involvedUnit, accusedUnitToConfirm) = await InvolvedUnitAsync(command, intake, bureau, ct);

            var (policyId, policy) = await rules.ForBureauAsync(bureau.Path, ct);
            var calendar = await rules.CalendarAsync(ct);

            var contents = await materials.StoreContentsAsync(command.Files, ct);

            // From here to the commit, the bureau's counter row is locked: nothing slow below this line.
            var caseNumber = await store.NextCaseNumberAsync(bureau, today.Year, ct);
            var petition = Petition.Register(intake, caseNumber, bureau.Id, bureau.Path, involvedUnit, accusedUnitToConfirm, now, policy, calendar);
            var queryCode = QueryCode.New();
            var firstPetition = !duplicates.Any(d => d.Similarity >= MatterSimilarity.SameMatter);
            var petitionId = await store.InsertRegisteredAsync(
                petition, bureau, protector.Hash(HashPurpose.QueryCode, $"{caseNumber}:{queryCode}"), workflows.Latest.Version, policyId, firstPetition, command.Actor, now, ct);
            await materials.AttachAsync(petitionId, petition.Stage, contents, command.Actor, now, ct);

            LogRegistered(caseNumber, intake.Channel);
            // Staff register at their own bureau, so its subtree is within their reach; the public learns nothing of
            // anyone's earlier petitions (the endpoint answers with ForPublic only, this is the second fence).
            return new Response(
                caseNumber, queryCode, Codes.Of(petition.Stage), intake.ReceivedAt, petition.IntakeDeadline.Due, petition.IntakeDeadline.Provisional,
                firstPetition, command.Actor.IsStaff ? duplicates : []);
        }

        /// <summary>
        /// The organization the petition names: the one chosen by code (within the bureau's subtree), else one whose
        /// name the written words give exactly. When an accusation's words only resemble our organizations, no unit is
        /// set and the office must confirm one, or that none is meant, before the matter goes to any unit.
        /// </summary>
        private async Task<(OrganizationRef? Unit, bool ToConfirm)> InvolvedUnitAsync(Command command, PetitionIntake intake, Bureau bureau, CancellationToken ct)
        {
            if (Blank(command.InvolvedUnitCode) is { } code)
            {
                var chosen = await accounts.OrganizationByCodeAsync(code, ct);
                return chosen is not null && chosen.Ref.IsAtOrUnder(bureau.Path)
                    ? (chosen.Ref, false)
                    : throw new ValidationException([new ValidationFailure(nameof(Command.InvolvedUnitCode), $"There is no organization '{code}' in {bureau.Name}.")]);
            }
            if (intake.InvolvedUnit is not { } written) return (null, false);
            var resembling = await accounts.ResemblingAsync(bureau.Path, written, ct);
            var exact = resembling.Where(o => UnitNames.IsExactly(written, o.Name, o.Code)).ToList();
            return exact.Count == 1 ? (exact[0].Ref, false) : (null, resembling.Count > 0);
        }

        /// <summary>Everyone who brings the petition: the petitioner and the representatives (or co-signers).</summary>
        internal static IReadOnlyList<Person> People(PetitionIntake intake) => [intake.Petitioner, .. intake.Representatives];

        /// <summary>The leader named as receiving the visit: a leader of this bureau or of one above it.</summary>
        private async Task<long> ReceivingLeaderAsync(string userName, Bureau bureau, CancellationToken ct) =>
            await store.LeaderAsync(userName, bureau, ct)
                ?? throw new ValidationException([new ValidationFailure(nameof(Command.ReceivingLeader), $"'{userName}' is not a leader of this bureau or of one above it.")
                {
                    ErrorCode = "not-a-leader",
                }]);

        internal static Person ToPerson(PersonInput input, DateOnly today)
        {
            IdNumber? idNumber = null;
            if (!string.IsNullOrWhiteSpace(input.IdNumber) && !IdNumber.TryParse(input.IdNumber, today, out idNumber, out var error))
                throw new RuleViolationException("id-number", $"The ID number {error}.");
            string? phone = null;
            if (!string.IsNullOrWhiteSpace(input.Phone) && !PhoneNumber.TryNormalize(input.Phone, out phone!))
                throw new RuleViolationException("phone", "Not a valid phone number.");
            return new Person(input.Name!.Trim(), idNumber, phone, Blank(input.Address));
        }

        private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

        [LoggerMessage(Level = LogLevel.Information, Message = "Registered petition {CaseNumber} received by {Channel}")]
        private partial void LogRegistered(string caseNumber, Channel channel);
    }
}
