using FluentValidation;
using MediatR;
using Petitions.Domain;
using Petitions.Workflows.Storage;

namespace Petitions.Workflows.Features.Administration;

/// <summary>One clock's rule as an administrator writes it.</summary>
public sealed record ClockRuleInput(string? Clock, int Days, string? Count, bool RollForward, int WarningLeadDays);

/// <summary>A published policy as the API shows it.</summary>
public sealed record PolicyView(long Id, string Organization, int Version, IReadOnlyList<ClockRuleInput> Rules);

/// <summary>The published policies that concern the caller, newest first: those of their own organization and the
/// levels above it (which apply to them) and those below it; never another bureau's. Petitions with no policy follow the
/// national rules shown first.</summary>
public static class ListDeadlinePolicies
{
    public sealed record Query(Actor Actor) : IQuery<IReadOnlyList<PolicyView>>;

    public sealed class Handler(DeadlineRules rules, AccountStore accounts) : IRequestHandler<Query, IReadOnlyList<PolicyView>>
    {
        public async Task<IReadOnlyList<PolicyView>> Handle(Query query, CancellationToken ct)
        {
            query.Actor.Require(Role.Admin, Role.Office, Role.Supervisor);
            var viewer = (await accounts.OrganizationAsync(query.Actor.OrganizationId!.Value, ct))!;
            var views = new List<PolicyView> { new(0, "national", 0, Inputs(DeadlinePolicy.National)) };
            foreach (var published in (await rules.PublishedAsync(ct)).OrderByDescending(p => p.Id))
            {
                var organization = (await accounts.OrganizationAsync(published.OrganizationId, ct))!;
                if (organization.IsAtOrAbove(viewer.Path) || viewer.IsAtOrAbove(organization.Path))
                    views.Add(new PolicyView(published.Id, organization.Code, published.Version, Inputs(published.Policy)));
            }
            return views;
        }

        private static List<ClockRuleInput> Inputs(DeadlinePolicy policy) =>
            Enum.GetValues<ClockKind>().Select(policy.Rule)
                .Select(r => new ClockRuleInput(Codes.Of(r.Kind), r.Days, Codes.Of(r.Count), r.RollForward, r.WarningLeadDays)).ToList();
    }
}

/// <summary>
/// An administrator publishes a policy for a bureau of their own subtree and everything below it (a province's own
/// regulations, say):
/// a new version, with a rule for every clock. New petitions below it start under it; running ones keep theirs.
/// </summary>
public static class PublishDeadlinePolicy
{
    public sealed record Command(string? Organization, IReadOnlyList<ClockRuleInput>? Rules, Actor Actor) : ICommand<PolicyView>
    {
        string? ICommandRequest.AuditCaseNumber => null;
    }

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(c => c.Organization).NotEmpty().MaximumLength(32);
            // Stop at a missing list, and read a null rule as no clock: both failed with a 500 before.
            RuleFor(c => c.Rules).Cascade(CascadeMode.Stop).NotNull()
                .Must(r => r!.Select(x => x?.Clock).Order().SequenceEqual(Codes.All<ClockKind>().Order()))
                .WithMessage($"Give exactly one rule for each clock: {string.Join(", ", Codes.All<ClockKind>())}.");
            RuleForEach(c => c.Rules).ChildRules(rule =>
            {
                rule.RuleFor(r => r.Days).InclusiveBetween(1, 365);
                rule.RuleFor(r => r.Count).IsOneOf(Codes.All<DayCount>(), "count");
                rule.RuleFor(r => r.WarningLeadDays).InclusiveBetween(0, 365).LessThan(r => r.Days);
            });
        }
    }

    public sealed class Handler(DbSession session, AccountStore accounts, DeadlineRulesCache cache, TimeProvider time) : IRequestHandler<Command, PolicyView>
    {
        public async Task<PolicyView> Handle(Command command, CancellationToken ct)
        {
            var organization = await (await AdministeredTree.OfAsync(accounts, command.Actor, ct)).OrganizationAsync(command.Organization!, ct);
            if (organization.Ref.Kind == OrganizationKind.Unit)
                throw new ValidationException([new FluentValidation.Results.ValidationFailure("organization", $"'{command.Organization}' is not a bureau.")]);
            var rules = command.Rules!.Select(r => new ClockRule(Codes.Parse<ClockKind>(r.Clock!), r.Days, Codes.Parse<DayCount>(r.Count!), r.RollForward, r.WarningLeadDays)).ToList();
            var version = 1 + await session.ScalarAsync<int>(
                "SELECT COALESCE(MAX(version), 0) FROM deadline_policies WHERE organization_id = @Id", new { organization.Id }, ct);
            var id = await session.ScalarAsync<long>(
                session.Dialect.InsertReturningId(
                    "INSERT INTO deadline_policies (organization_id, version, rules, published_at, published_by)",
                    "VALUES (@OrganizationId, @Version, @Rules, @PublishedAt, @PublishedBy)"),
                new { OrganizationId = organization.Id, Version = version, Rules = PolicyJson.Write(rules), PublishedAt = time.GetUtcNow(), PublishedBy = command.Actor.UserId },
                ct);
            cache.Forget();
            return new PolicyView(id, organization.Code, version, command.Rules!);
        }
    }
}
