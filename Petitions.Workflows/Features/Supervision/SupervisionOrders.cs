using System.Text.Json;
using FluentValidation;
using MediatR;
using Petitions.Domain;
using Petitions.Workflows.Storage;
using Petitions.Workflows.Workflow;

namespace Petitions.Workflows.Features.Supervision;

/// <summary>
/// A supervision order (督办单): the supervision team names the problem and what it requires; the response is due
/// by the petition's supervision-response clock (7 days under the national practice). One order is open per
/// petition at a time. The unit and the deciding office are notified.
/// </summary>
public static class IssueSupervisionOrder
{
    public sealed record Command(string CaseNumber, string? Problem, string? Requirement, Actor Actor) : ICommand<Order>
    {
        string? ICommandRequest.AuditCaseNumber => CaseNumber;
    }

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(c => c.Problem).NotEmpty().MaximumLength(2000);
            RuleFor(c => c.Requirement).NotEmpty().MaximumLength(2000);
        }
    }

    public sealed class Handler(PetitionStore store, SupervisionStore orders, AccountStore accounts, DeadlineRules rules, TimeProvider time)
        : IRequestHandler<Command, Order>
    {
        public async Task<Order> Handle(Command command, CancellationToken ct)
        {
            command.Actor.Require(Role.Supervisor);
            var stored = (await PetitionScope.LoadWithinReachAsync(store, accounts, command.CaseNumber, command.Actor, ct)).Stored;
            var petition = stored.Petition;
            if (petition.Stage == Stage.Final) throw new RuleViolationException("final", "A final petition is not supervised.");
            var now = time.GetUtcNow();
            var clock = petition.StartClock(
                ClockKind.SupervisionResponse, ShanghaiTime.DateOf(now), await rules.ByIdAsync(stored.PolicyId, ct), await rules.CalendarAsync(ct)); // refuses a second open order
            await store.SaveAsync(stored, ct);
            var id = await orders.AddAsync(stored.Id, command.Actor.UserId!.Value, now, command.Problem!, command.Requirement!, clock.DueOn, ct);
            await store.AppendEventAsync(stored.Id, now, "supervision-order", petition.Stage, command.Actor, command.Problem, isPublic: false, ct);
            var details = JsonSerializer.Serialize(new { caseNumber = command.CaseNumber, order = id, dueOn = clock.DueOn.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) });
            foreach (var recipient in new[] { petition.AssignedUnitId, petition.HandlingOrganizationId }.OfType<long>().Distinct())
                await store.AddOutboxAsync(stored.Id, recipient, "supervision-order", now, details, ct);
            return (await orders.FindAsync(id, ct))!;
        }
    }
}

/// <summary>The unit (or the office) answers a supervision order in writing; the response clock stops.</summary>
public static class RespondToSupervisionOrder
{
    public sealed record Command(long OrderId, string? Response, Actor Actor) : ICommand<Order>
    {
        string? ICommandRequest.AuditCaseNumber => null;
    }

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator() => RuleFor(c => c.Response).NotEmpty().MaximumLength(4000);
    }

    public sealed class Handler(PetitionStore store, SupervisionStore orders, AccountStore accounts, TimeProvider time) : IRequestHandler<Command, Order>
    {
        public async Task<Order> Handle(Command command, CancellationToken ct)
        {
            command.Actor.Require(Role.Handler, Role.Office);
            var order = await orders.FindAsync(command.OrderId, ct) ?? throw new NotFoundException($"There is no supervision order {command.OrderId}.");
            var stored = (await PetitionScope.LoadWithinReachAsync(store, accounts, order.CaseNumber, command.Actor, ct)).Stored;
            if (order.State != "issued") throw new RuleViolationException("order-not-open", "This supervision order has already been answered or closed.");
            var now = time.GetUtcNow();
            stored.Petition.RequireOpenClock(ClockKind.SupervisionResponse).Stop(ShanghaiTime.DateOf(now));
            await store.SaveAsync(stored, ct);
            await orders.RespondAsync(order.Id, command.Response!, command.Actor.UserId!.Value, now, ct);
            await store.AppendEventAsync(stored.Id, now, "supervision-response", stored.Petition.Stage, command.Actor, null, isPublic: false, ct);
            return (await orders.FindAsync(order.Id, ct))!;
        }
    }
}

/// <summary>The supervisor closes the order, answered or not (a missing answer is itself on record).</summary>
public static class CloseSupervisionOrder
{
    public sealed record Command(long OrderId, Actor Actor) : ICommand<Order>
    {
        string? ICommandRequest.AuditCaseNumber => null;
    }

    public sealed class Handler(PetitionStore store, SupervisionStore orders, AccountStore accounts, TimeProvider time) : IRequestHandler<Command, Order>
    {
        public async Task<Order> Handle(Command command, CancellationToken ct)
        {
            command.Actor.Require(Role.Supervisor);
            var order = await orders.FindAsync(command.OrderId, ct) ?? throw new NotFoundException($"There is no supervision order {command.OrderId}.");
            var stored = (await PetitionScope.LoadWithinReachAsync(store, accounts, order.CaseNumber, command.Actor, ct)).Stored;
            if (order.State == "closed") throw new RuleViolationException("order-closed", "This supervision order is already closed.");
            var now = time.GetUtcNow();
            stored.Petition.OpenClock(ClockKind.SupervisionResponse)?.Stop(ShanghaiTime.DateOf(now));
            await store.SaveAsync(stored, ct);
            await orders.CloseAsync(order.Id, command.Actor.UserId!.Value, now, ct);
            return (await orders.FindAsync(order.Id, ct))!;
        }
    }
}

/// <summary>The supervision orders within the caller's reach, newest first (at most <see cref="MaxOrders"/>), optionally
/// by state (a handler's: those on the petitions assigned to their unit); or those of one petition, for anyone who may
/// see it (the unit answers them from the case).</summary>
public static class ListSupervisionOrders
{
    public const int MaxOrders = 500;

    public sealed record Query(string? State, Actor Actor) : IQuery<IReadOnlyList<Order>>
    {
        public string? CaseNumber { get; init; }
    }

    public sealed class Validator : AbstractValidator<Query>
    {
        public Validator()
        {
            RuleFor(q => q.State).IsOneOf(["issued", "answered", "closed"], "state").When(q => q.State is not null);
            RuleFor(q => q.CaseNumber).Must(CaseNumber.IsWellFormed).When(q => q.CaseNumber is not null).WithErrorCode("case-number").WithMessage("Not a case number.");
        }
    }

    public sealed class Handler(SupervisionStore orders, PetitionStore store, AccountStore accounts, DbSession session) : IRequestHandler<Query, IReadOnlyList<Order>>
    {
        public async Task<IReadOnlyList<Order>> Handle(Query query, CancellationToken ct)
        {
            if (query.CaseNumber is not null)
            {
                var stored = (await PetitionScope.LoadWithinReachAsync(store, accounts, query.CaseNumber, query.Actor, ct)).Stored;
                return (await orders.ListForPetitionAsync(stored.Id, ct)).Where(o => query.State is null || o.State == query.State).ToList();
            }
            // A unit's handlers read their own unit's orders: the reach of a unit is what is assigned to it.
            query.Actor.Require(Role.Supervisor, Role.Leader, Role.Office, Role.Handler);
            return await orders.ListAsync(await PetitionScope.ReachAsync(accounts, session.Dialect, query.Actor, ct), query.State, MaxOrders, ct);
        }
    }
}
