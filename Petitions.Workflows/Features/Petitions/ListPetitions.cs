using System.Text.Json.Serialization;
using Dapper;
using FluentValidation;
using MediatR;
using Petitions.Domain;
using Petitions.Workflows.Storage;
using Petitions.Workflows.Workflow;

namespace Petitions.Workflows.Features.Petitions;

/// <summary>
/// The petitions the caller may see, newest first, filtered by stage, a pending extension request, unit, category,
/// channel, received dates and text, in pages: each page ends with a cursor for the next (keyset paging: the cost of a page does not grow
/// with how deep it is).
/// </summary>
public static class ListPetitions
{
    public const int MaxLimit = 200;

    public sealed record Query : IQuery<Page>
    {
        public string? Stage { get; init; }

        /// <summary>Only petitions whose unit asked for an extension a leader has not yet decided.</summary>
        public bool ExtensionRequested { get; init; }

        public string? Unit { get; init; }
        public string? Category { get; init; }
        public string? Channel { get; init; }
        public DateOnly? ReceivedFrom { get; init; }
        public DateOnly? ReceivedTo { get; init; }
        public string? Text { get; init; }
        public string? After { get; init; }
        public int? Limit { get; init; }
        public Actor Actor { get; init; } = Actor.Public;
    }

    public sealed record Item
    {
        /// <summary>The row id, for the next page's cursor; not shown.</summary>
        [JsonIgnore] public long Id { get; init; }
        public string CaseNumber { get; init; } = "";
        public string Stage { get; init; } = "";
        public string Channel { get; init; } = "";
        public string Category { get; init; } = "";
        public string Subject { get; init; } = "";
        public DateTimeOffset ReceivedAt { get; init; }
        public string? Unit { get; init; }
        public DateOnly? DueOn { get; init; }
        public bool FirstPetition { get; init; }
    }

    public sealed record Page(IReadOnlyList<Item> Items, string? Next);

    public sealed class Validator : AbstractValidator<Query>
    {
        public Validator()
        {
            RuleFor(q => q.Stage).IsOneOf(Codes.All<Stage>(), "stage").When(q => q.Stage is not null);
            RuleFor(q => q.Category).IsOneOf(Codes.All<Category>(), "category").When(q => q.Category is not null);
            RuleFor(q => q.Channel).IsOneOf(Codes.All<Channel>(), "channel").When(q => q.Channel is not null);
            RuleFor(q => q.Unit).MaximumLength(32);
            RuleFor(q => q.Text).MaximumLength(100);
            RuleFor(q => q.ReceivedFrom).IsWithinDateRange();
            RuleFor(q => q.ReceivedTo).IsWithinDateRange();
            RuleFor(q => q.ReceivedTo).GreaterThanOrEqualTo(q => q.ReceivedFrom).When(q => q.ReceivedFrom is not null && q.ReceivedTo is not null);
            RuleFor(q => q.Limit).InclusiveBetween(1, MaxLimit);
            RuleFor(q => q.After).Must(a => Cursor.TryRead(a, out _)).When(q => q.After is not null).WithMessage("Not a cursor this list gave out.");
        }
    }

    public sealed class Handler(DbSession session, AccountStore accounts) : IRequestHandler<Query, Page>
    {
        public async Task<Page> Handle(Query query, CancellationToken ct)
        {
            var reach = await PetitionScope.ReachAsync(accounts, session.Dialect, query.Actor, ct);
            var limit = query.Limit ?? 50;
            Cursor.TryRead(query.After, out var afterId);

            var where = new List<string> { reach.Condition };
            if (query.Stage is not null) where.Add("p.stage = @Stage");
            if (query.ExtensionRequested) where.Add("p.requested_extension_days IS NOT NULL");
            if (query.Category is not null) where.Add("p.category = @Category");
            if (query.Channel is not null) where.Add("p.channel = @Channel");
            if (query.Unit is not null) where.Add("u.code = @Unit");
            if (query.ReceivedFrom is not null) where.Add("p.received_at >= @ReceivedFrom");
            if (query.ReceivedTo is not null) where.Add("p.received_at < @ReceivedBefore");
            if (query.Text is not null) where.Add("(p.subject LIKE @TextPattern ESCAPE '\\' OR p.case_number = @Text)");
            if (query.After is not null) where.Add("p.id < @AfterId");

            return await PageAsync(
                session,
                where,
                reach.With(new
                {
                    query.Stage,
                    query.Category,
                    query.Channel,
                    query.Unit,
                    // Instants are stored in UTC (SQLite compares them as text).
                    ReceivedFrom = query.ReceivedFrom is { } from ? ShanghaiTime.StartOf(from).ToUniversalTime() : default,
                    ReceivedBefore = query.ReceivedTo is { } to ? ShanghaiTime.EndOf(to).ToUniversalTime() : default,
                    query.Text,
                    TextPattern = $"%{EscapeLike(query.Text ?? "")}%",
                    AfterId = afterId,
                }),
                limit,
                ct);
        }

        private static string EscapeLike(string text) =>
            text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal);
    }

    /// <summary>A page of the petitions <c>p</c> the conditions select, newest first, with the cursor of the next: the
    /// list's query, which the reports' case lists share.</summary>
    internal static async Task<Page> PageAsync(DbSession session, IEnumerable<string> where, object parameters, int limit, CancellationToken ct)
    {
        var arguments = new DynamicParameters(parameters);
        arguments.Add("Take", limit + 1);
        var rows = await session.QueryAsync<Item>(
            session.Dialect.Limit(
                $"""
                SELECT p.id             AS Id,
                       p.case_number    AS CaseNumber,
                       p.stage          AS Stage,
                       p.channel        AS Channel,
                       p.category       AS Category,
                       p.subject        AS Subject,
                       p.received_at    AS ReceivedAt,
                       u.name           AS Unit,
                       (SELECT MIN(c.due_on) FROM clocks c WHERE c.petition_id = p.id AND c.state = 'running') AS DueOn,
                       p.first_petition AS FirstPetition
                FROM petitions p
                LEFT JOIN organizations u ON u.id = p.assigned_unit_id
                WHERE {string.Join("\n  AND ", where)}
                ORDER BY p.id DESC
                """,
                "@Take"),
            arguments, ct);
        return new Page(rows.Take(limit).ToList(), rows.Count > limit ? Cursor.Write(rows[limit - 1].Id) : null);
    }

    /// <summary>The position after which the next page starts: the last row's id, opaque to clients.</summary>
    internal static class Cursor
    {
        public static string Write(long id) => Convert.ToBase64String(BitConverter.GetBytes(id)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

        public static bool TryRead(string? cursor, out long id)
        {
            id = 0;
            if (string.IsNullOrEmpty(cursor) || cursor.Length != 11) return false;
            var bytes = new byte[8];
            if (!Convert.TryFromBase64String(cursor.Replace('-', '+').Replace('_', '/') + "=", bytes, out var written) || written != 8) return false;
            id = BitConverter.ToInt64(bytes);
            return id > 0;
        }
    }
}
