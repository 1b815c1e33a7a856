using FluentValidation;
using MediatR;
using Petitions.Domain;
using Petitions.Workflows.Storage;

namespace Petitions.Workflows.Features.Administration;

/// <summary>A day of a year's holiday table: a day off, or a make-up working day on a weekend.</summary>
public sealed record HolidayDay(DateOnly Date, bool IsOffDay, string Name);

/// <summary>A year's holiday table as it stands. A year without rows has no table: its deadlines are provisional.</summary>
public static class GetHolidayTable
{
    public sealed record Query(int Year, Actor Actor) : IQuery<Response>;

    public sealed record Response(int Year, bool HasTable, IReadOnlyList<HolidayDay> Days);

    /// <summary>The years a table can be published for; year 0 or -1 made no date and answered 500.</summary>
    public sealed class Validator : AbstractValidator<Query>
    {
        public Validator() => RuleFor(q => q.Year).InclusiveBetween(PublishHolidayTable.FirstYear, PublishHolidayTable.LastYear);
    }

    public sealed class Handler(DbSession session) : IRequestHandler<Query, Response>
    {
        private sealed record DayRow
        {
            public DateOnly Date { get; init; }
            public bool IsOffDay { get; init; }
            public string Name { get; init; } = "";
        }

        public async Task<Response> Handle(Query query, CancellationToken ct)
        {
            query.Actor.Require(Role.Admin, Role.Office, Role.Supervisor);
            var days = await session.QueryAsync<DayRow>(
                """
                SELECT calendar_day AS Date,
                       is_off_day   AS IsOffDay,
                       name         AS Name
                FROM holiday_days
                WHERE calendar_day >= @From
                  AND calendar_day <= @To
                ORDER BY calendar_day
                """,
                new { From = new DateOnly(query.Year, 1, 1), To = new DateOnly(query.Year, 12, 31) }, ct);
            return new Response(query.Year, days.Count > 0, days.Select(d => new HolidayDay(d.Date, d.IsOffDay, d.Name)).ToList());
        }
    }
}

/// <summary>
/// An administrator at the root of the tree publishes a year's table from the State Council notice, replacing what
/// the year had: it is national, every bureau counts by it, so no bureau below changes it. New deadlines count with it
/// at once; deadlines already set keep their dates.
/// </summary>
public static class PublishHolidayTable
{
    public sealed record Command(int Year, IReadOnlyList<HolidayDay>? Days, Actor Actor) : ICommand<GetHolidayTable.Response>
    {
        string? ICommandRequest.AuditCaseNumber => null;
    }

    public const int FirstYear = 2000, LastYear = 2100;

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(c => c.Year).InclusiveBetween(FirstYear, LastYear);
            RuleFor(c => c.Days).NotNull().Must(d => d!.Count <= 366).WithMessage("A year has at most 366 days.");
            RuleFor(c => c.Days).Must(d => d!.Select(x => x?.Date).Distinct().Count() == d!.Count).WithMessage("Each date appears once.")
                .When(c => c.Days is not null);
            RuleForEach(c => c.Days).ChildRules(day =>
            {
                day.RuleFor(d => d.Name).NotEmpty().MaximumLength(100);
                day.RuleFor(d => d.Date.DayOfWeek).Must(w => w is DayOfWeek.Saturday or DayOfWeek.Sunday).When(d => !d.IsOffDay)
                    .OverridePropertyName("date").WithMessage("A make-up working day (调休) falls on a weekend.");
            });
            // Stop at a null day ([null] in the body), which the date check would otherwise fail on with a 500.
            RuleForEach(c => c.Days).Cascade(CascadeMode.Stop).NotNull().Must((c, d) => d.Date.Year == c.Year).WithMessage("Every date lies in the year published.");
        }
    }

    public sealed class Handler(DbSession session, AccountStore accounts, DeadlineRulesCache cache, IMediator mediator) : IRequestHandler<Command, GetHolidayTable.Response>
    {
        public async Task<GetHolidayTable.Response> Handle(Command command, CancellationToken ct)
        {
            if (!(await AdministeredTree.OfAsync(accounts, command.Actor, ct)).IsWholeTree)
                throw new ForbiddenException("The national holiday table is kept by the administrators at the root of the tree; bureaus below read it.");
            await session.ExecuteAsync(
                "DELETE FROM holiday_days WHERE calendar_day >= @From AND calendar_day <= @To",
                new { From = new DateOnly(command.Year, 1, 1), To = new DateOnly(command.Year, 12, 31) }, ct);
            await session.ExecuteAsync(
                "INSERT INTO holiday_days (calendar_day, is_off_day, name) VALUES (@Date, @IsOffDay, @Name)",
                command.Days!.Select(d => new { d.Date, d.IsOffDay, Name = d.Name.Trim() }), ct);
            cache.Forget();
            return await mediator.Send(new GetHolidayTable.Query(command.Year, command.Actor), ct);
        }
    }
}
