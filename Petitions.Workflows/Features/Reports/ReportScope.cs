using System.Globalization;
using FluentValidation;
using Petitions.Domain;
using Petitions.Workflows.Storage;

namespace Petitions.Workflows.Features.Reports;

/// <summary>What every report request names: a period of receipt dates and an organization.</summary>
public interface IReportRequest
{
    /// <summary>The first Shanghai date of receipt (yyyy-MM-dd); default the first of January this year.</summary>
    string? From { get; }

    /// <summary>The last Shanghai date of receipt, inclusive; default today.</summary>
    string? To { get; }

    /// <summary>The organization's code; default the caller's own organization.</summary>
    string? Org { get; }

    Actor Actor { get; }
}

/// <summary>The checks every report request gets: dates that parse, within the range of every date filter, in order,
/// and an organization code of sane length.</summary>
public abstract class ReportRequestValidator<T> : AbstractValidator<T> where T : IReportRequest
{
    protected ReportRequestValidator()
    {
        RuleFor(r => r.From).Must(d => ReportScope.TryParseDate(d, out _)).When(r => r.From is not null)
            .WithMessage("'from' must be a date written yyyy-MM-dd.");
        RuleFor(r => r.To).Must(d => ReportScope.TryParseDate(d, out _)).When(r => r.To is not null)
            .WithMessage("'to' must be a date written yyyy-MM-dd.");
        RuleFor(r => r.From).IsWithinDateRange();
        RuleFor(r => r.To).IsWithinDateRange();
        RuleFor(r => r.To)
            .Must((r, to) => !ReportScope.TryParseDate(r.From, out var from) || !ReportScope.TryParseDate(to, out var last) || from <= last)
            .When(r => r.From is not null && r.To is not null)
            .WithMessage("'to' must not be before 'from'.");
        RuleFor(r => r.Org).NotEmpty().MaximumLength(32).When(r => r.Org is not null)
            .WithMessage("'org' is an organization code.");
    }
}

/// <summary>
/// A report's reach: the petitions received in the period (Shanghai dates, both ends included) by the organization's
/// subtree, or, for a handling unit, the petitions assigned to it now. The organization must be the caller's own or
/// one below it; anything else is answered as not found. Reports are for leaders, the petition office and supervisors.
/// </summary>
public sealed record ReportScope(Organization Organization, DateOnly From, DateOnly To)
{
    public static readonly Role[] Readers = [Role.Leader, Role.Office, Role.Supervisor];

    public bool IsUnit => Organization.Kind == Codes.Of(OrganizationKind.Unit);

    /// <summary>The rows of <c>report_counts</c> in reach.</summary>
    public string CountsFilter =>
        (IsUnit ? "bureau_id = @BureauId AND unit_id = @UnitId" : "bureau_id IN (SELECT id FROM organizations WHERE path LIKE @ScopePrefix AND kind <> 'unit')")
        + " AND received_on >= @From AND received_on <= @To";

    /// <summary>The facts <c>f</c> in reach: a fact counts at its own organization (a review's decision at the reviewing
    /// organ), which may differ from its petition's bureau.</summary>
    public string FactsFilter =>
        IsUnit ? "f.bureau_id = @BureauId AND f.unit_id = @UnitId" : "f.bureau_id IN (SELECT id FROM organizations WHERE path LIKE @ScopePrefix AND kind <> 'unit')";

    /// <summary>The petitions <c>p</c> in reach. Instants are stored in UTC (SQLite compares them as text).</summary>
    public string PetitionsFilter =>
        (IsUnit ? "p.assigned_unit_id = @UnitId" : "p.bureau_path LIKE @ScopePrefix")
        + " AND p.received_at >= @ReceivedFrom AND p.received_at < @ReceivedBefore";

    /// <summary>The parameters both filters use, and today (yyyy-MM-dd): a counting clock due before it is overdue.</summary>
    public Dapper.DynamicParameters Parameters(DateOnly today) => new(new
    {
        BureauId = Organization.ParentId,
        UnitId = Organization.Id,
        ScopePrefix = Organization.Path + "%",
        From,
        To,
        ReceivedFrom = ShanghaiTime.StartOf(From).ToUniversalTime(),
        ReceivedBefore = ShanghaiTime.EndOf(To).ToUniversalTime(),
        Today = today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
    });

    /// <summary>The facts of a clock still counting are <c>due:&lt;kind&gt;</c> with its due day as the value: those
    /// due before today are overdue now (the supervision board's red, without the petitioner's request windows).</summary>
    public const string DuePrefix = "due:";

    public static bool TryParseDate(string? text, out DateOnly date) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date);

    public static async Task<ReportScope> ResolveAsync(IReportRequest request, AccountStore accounts, DateOnly today, CancellationToken ct)
    {
        request.Actor.Require(Readers);
        var viewer = (await accounts.OrganizationAsync(request.Actor.OrganizationId!.Value, ct))!;
        var organization = request.Org is null ? viewer : await accounts.OrganizationByCodeAsync(request.Org, ct);
        if (organization is null || !viewer.IsAtOrAbove(organization.Path))
            throw new NotFoundException($"No organization {request.Org} is within your reach.");
        var from = TryParseDate(request.From, out var f) ? f : new DateOnly(today.Year, 1, 1);
        var to = TryParseDate(request.To, out var t) ? t : today;
        if (from > to) throw new FluentValidation.ValidationException([new FluentValidation.Results.ValidationFailure(nameof(request.From), "'from' must not be after 'to' (today when not given).")]);
        return new ReportScope(organization, from, to);
    }
}
