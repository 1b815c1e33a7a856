using FluentValidation;
using Petitions.Domain;
using Petitions.Workflows.Storage;
using Petitions.Workflows.Workflow;

namespace Petitions.Workflows.Features.Service;

/// <summary>
/// The written reply reached the petitioner (送达), on a date and by a method; the proof of service is issued. A first
/// reply opens the 30-day review window and the return-visit clock; a review opinion opens the re-review window; a
/// re-review opinion makes the petition final. Service is dated no earlier than the reply was issued and not in the
/// future; the windows count from it. Where the serving organization's policy asks for it, a method of service is
/// recorded only once the signed proof of service is attached.
/// </summary>
public static class RecordService
{
    public sealed record Payload(DateOnly? ServedOn, string? Method);

    public sealed class Validator : AbstractValidator<Payload>
    {
        public Validator(TimeProvider time)
        {
            RuleFor(p => p.ServedOn).NotNull().Must(on => on <= ShanghaiTime.DateOf(time.GetUtcNow()))
                .WithErrorCode("served-in-future").WithMessage("'servedOn' cannot be in the future.");
            RuleFor(p => p.Method).IsOneOf(Codes.All<ServiceMethod>(), "method");
        }
    }

    public sealed class Rule(MaterialStore materials) : ActionRule<Payload>
    {
        protected override async Task<ActionOutcome> ApplyAsync(Petition petition, Payload payload, ActionContext context, CancellationToken ct)
        {
            var policy = await materials.ProofOfServicePolicyAsync(petition.HandlingOrganizationId, ct);
            policy.Require(Codes.Parse<ServiceMethod>(payload.Method!), await materials.HasSignedProofOfServiceAsync(context.PetitionId, ct));
            var next = petition.RecordService(payload.ServedOn!.Value, context.Today);
            return new ActionOutcome(
                Summary: payload.Method,
                To: next,
                NoticeDetails: new Dictionary<string, string>
                {
                    ["servedOn"] = payload.ServedOn.Value.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                    ["method"] = payload.Method!,
                    ["document"] = Codes.Of(petition.Level),
                },
                OccurredOn: payload.ServedOn.Value);
        }
    }
}
