using System.Globalization;
using System.Text;
using System.Text.Json.Serialization;
using Dapper;
using FluentValidation;
using MediatR;
using Petitions.Domain;
using Petitions.Workflows.Privacy;
using Petitions.Workflows.Storage;
using Petitions.Workflows.Workflow;

namespace Petitions.Workflows.Features.Petitions;

/// <summary>
/// The petitions the caller may see, found by what staff know of them (words of the case number, subject or content,
/// a person's name, phone or ID number, dates, unit, officer, category, channel, stage, first petition, deadlines),
/// sorted by a column, with how many there are, in pages: each page ends with a cursor for the next (keyset paging: the
/// cost of a page does not grow with how deep it is). Each row carries its nearest deadline and its colour.
/// </summary>
public static class ListPetitions
{
    public const int MaxLimit = 200;

    /// <summary>Words of <see cref="Query.Text"/> beyond this many are refused: each costs a pass over the texts.</summary>
    public const int MaxWords = 5;

    /// <summary>The columns a list sorts by; <c>received</c> (newest first) unless told.</summary>
    public static readonly IReadOnlyList<string> Sorts = ["received", "case-number", "stage", "unit", "due"];

    /// <summary>The deadline filters: a clock past its due day (red), one near it (amber, and none red), or one due
    /// from today to 7 days on.</summary>
    public static readonly IReadOnlyList<string> DueFilters = ["overdue", "near-due", "next-7-days"];

    public const int DueSoonDays = 7;

    /// <summary>The <see cref="Query.Officer"/> that means the caller (我的案件).</summary>
    public const string Me = "me";

    /// <summary>Whether a column of <see cref="Sorts"/> sorts descending unless told: dates and case numbers newest first.</summary>
    public static bool DescendingByDefault(string sort) => Columns[sort].Descending;

    public sealed record Query : IQuery<Page>
    {
        public string? Stage { get; init; }

        /// <summary>Only petitions whose unit asked for an extension a leader has not yet decided.</summary>
        public bool ExtensionRequested { get; init; }

        public string? Unit { get; init; }

        /// <summary>The officer (承办人) by user name, or <see cref="Me"/>: the caller's own cases.</summary>
        public string? Officer { get; init; }

        public string? Category { get; init; }
        public string? Channel { get; init; }
        public DateOnly? ReceivedFrom { get; init; }
        public DateOnly? ReceivedTo { get; init; }

        /// <summary>Words (split at spaces), each found in the case number, the subject or the content.</summary>
        public string? Text { get; init; }

        /// <summary>Part of the name of the petitioner or of a representative.</summary>
        public string? Name { get; init; }

        /// <summary>A phone of the petitioner or of a representative, whole.</summary>
        public string? Phone { get; init; }

        /// <summary>An ID number of the petitioner or of a representative, whole: matched by its keyed hash.</summary>
        public string? IdNumber { get; init; }

        public bool? FirstPetition { get; init; }

        /// <summary>One of <see cref="DueFilters"/>.</summary>
        public string? Due { get; init; }

        public string? Sort { get; init; }

        /// <summary><c>asc</c> or <c>desc</c>; each column has its natural direction.</summary>
        public string? Order { get; init; }

        public string? After { get; init; }
        public int? Limit { get; init; }
        public Actor Actor { get; init; } = Actor.Public;

        internal string SortColumn => Sort ?? "received";
        internal bool Descending => Order is null ? DescendingByDefault(SortColumn) : Order == "desc";
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

        /// <summary>The officer's display name, when one is assigned.</summary>
        public string? Officer { get; init; }

        /// <summary>The nearest due day of the petition's open clocks (running, overdue or paused); null when none is open.</summary>
        public DateOnly? DueOn { get; init; }

        /// <summary><c>overdue</c> (red) when a running clock is past its due day, <c>near-due</c> (amber) when one is
        /// within its warning lead, else null.</summary>
        public string? Warning { get; init; }

        public bool FirstPetition { get; init; }
    }

    public sealed record Page(IReadOnlyList<Item> Items, string? Next)
    {
        /// <summary>How many petitions the search finds in all (the petition list; not the reports' case lists).</summary>
        [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
        public long? Total { get; init; }
    }

    public sealed class Validator : AbstractValidator<Query>
    {
        public Validator(TimeProvider time)
        {
            RuleFor(q => q.Stage).IsOneOf(Codes.All<Stage>(), "stage").When(q => q.Stage is not null);
            RuleFor(q => q.Category).IsOneOf(Codes.All<Category>(), "category").When(q => q.Category is not null);
            RuleFor(q => q.Channel).IsOneOf(Codes.All<Channel>(), "channel").When(q => q.Channel is not null);
            RuleFor(q => q.Due).IsOneOf(DueFilters, "due").When(q => q.Due is not null);
            RuleFor(q => q.Sort).IsOneOf(Sorts, "sort").When(q => q.Sort is not null);
            RuleFor(q => q.Order).IsOneOf(["asc", "desc"], "order").When(q => q.Order is not null);
            RuleFor(q => q.Unit).MaximumLength(32);
            RuleFor(q => q.Officer).MaximumLength(64);
            RuleFor(q => q.Text).MaximumLength(100);
            RuleFor(q => q.Text).Must(t => Words(t).Length <= MaxWords).WithErrorCode("search-words").WithMessage($"At most {MaxWords} words.");
            RuleFor(q => q.Name).MaximumLength(100);
            RuleFor(q => q.Phone).MaximumLength(32).IsPhoneNumber();
            RuleFor(q => q.IdNumber).IsIdNumber(() => ShanghaiTime.DateOf(time.GetUtcNow()));
            RuleFor(q => q.ReceivedFrom).IsWithinDateRange();
            RuleFor(q => q.ReceivedTo).IsWithinDateRange();
            RuleFor(q => q.ReceivedTo).GreaterThanOrEqualTo(q => q.ReceivedFrom).When(q => q.ReceivedFrom is not null && q.ReceivedTo is not null);
            RuleFor(q => q.Limit).InclusiveBetween(1, MaxLimit);
            RuleFor(q => q.After).Must((q, a) => Position.TryRead(a, q.SortColumn, q.Descending, out _))
                .When(q => q.After is not null && Sorts.Contains(q.SortColumn)).WithMessage("Not a cursor this list gave out.");
        }
    }

    public sealed class Handler(DbSession session, AccountStore accounts, PersonalDataProtector protector, TimeProvider time) : IRequestHandler<Query, Page>
    {
        public async Task<Page> Handle(Query query, CancellationToken ct)
        {
            var reach = await PetitionScope.ReachAsync(accounts, session.Dialect, query.Actor, ct);
            var today = ShanghaiTime.DateOf(time.GetUtcNow());
            var where = new List<string> { reach.Condition };
            if (query.Stage is not null) where.Add("p.stage = @Stage");
            if (query.ExtensionRequested) where.Add("p.requested_extension_days IS NOT NULL");
            if (query.Category is not null) where.Add("p.category = @Category");
            if (query.Channel is not null) where.Add("p.channel = @Channel");
            if (query.Unit is not null) where.Add("p.assigned_unit_id = (SELECT o.id FROM organizations o WHERE o.code = @Unit)");
            if (query.Officer == Me) where.Add("p.officer_id = @OfficerId");
            else if (query.Officer is not null) where.Add("p.officer_id = (SELECT ou.id FROM users ou WHERE ou.user_name = @Officer)");
            if (query.ReceivedFrom is not null) where.Add("p.received_at >= @ReceivedFrom");
            if (query.ReceivedTo is not null) where.Add("p.received_at < @ReceivedBefore");
            if (query.FirstPetition is not null) where.Add("p.first_petition = @FirstPetition");
            var words = Words(query.Text);
            for (var i = 0; i < words.Length; i++)
                where.Add($"(p.case_number LIKE UPPER(@Word{i}) ESCAPE '\\' OR p.subject LIKE @Word{i} ESCAPE '\\' OR p.content LIKE @Word{i} ESCAPE '\\')");
            if (query.Name is not null) where.Add(PersonIs("pp.name LIKE @NamePattern ESCAPE '\\'"));
            if (query.Phone is not null) where.Add(PersonIs("pp.phone = @Phone"));
            if (query.IdNumber is not null) where.Add(PersonIs("pp.id_number_hash = @IdNumberHash"));
            if (query.Due is not null) where.Add(DueCondition(query.Due));

            var parameters = reach.With(new
            {
                query.Stage,
                query.Category,
                query.Channel,
                query.Unit,
                query.Officer,
                OfficerId = query.Actor.UserId,
                // Instants are stored in UTC (SQLite compares them as text).
                ReceivedFrom = query.ReceivedFrom is { } from ? ShanghaiTime.StartOf(from).ToUniversalTime() : default,
                ReceivedBefore = query.ReceivedTo is { } to ? ShanghaiTime.EndOf(to).ToUniversalTime() : default,
                query.FirstPetition,
                NamePattern = $"%{EscapeLike(query.Name?.Trim() ?? "")}%",
                Phone = PhoneNumber.TryNormalize(query.Phone, out var phone) ? phone : null,
                IdNumberHash = Domain.IdNumber.TryParse(query.IdNumber, today, out var idNumber, out _) ? protector.Hash(HashPurpose.IdNumber, idNumber!.Value) : null,
                DueToday = today,
                DueSoonUntil = today.AddDays(DueSoonDays),
            });
            for (var i = 0; i < words.Length; i++) parameters.Add($"Word{i}", $"%{EscapeLike(words[i])}%");

            Position.TryRead(query.After, query.SortColumn, query.Descending, out var after);
            var page = await SortedPageAsync(session, where, parameters, query.SortColumn, query.Descending, after, query.Limit ?? 50, today, ct);
            var total = await session.ScalarAsync<long>($"SELECT COUNT(*) FROM petitions p WHERE {string.Join("\n  AND ", where)}", parameters, ct);
            return page with { Total = total };
        }

        /// <summary>The petitioner or a representative matches.</summary>
        private static string PersonIs(string condition) => $"p.id IN (SELECT pp.petition_id FROM petition_people pp WHERE {condition})";

        private static string EscapeLike(string text) =>
            text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal);
    }

    private static string[] Words(string? text) => (text ?? "").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);

    /// <summary>A clock <c>c</c> that makes its petition red: running (or marked overdue) past its due day. A paused
    /// clock stands still, so it gives no warning.</summary>
    internal const string RedClock = "c.state IN ('running', 'overdue') AND c.due_on < @DueToday";

    /// <summary>A clock <c>c</c> that makes its petition amber: not yet past its due day but within its warning lead
    /// (the day its amber falls due has come, whether or not the sweep has marked it yet), or warned before.</summary>
    internal const string AmberClock = "c.state IN ('running', 'overdue') AND c.due_on >= @DueToday AND (c.warned IS NOT NULL OR c.next_check_on <= @DueToday)";

    /// <summary>The petitions <c>p</c> with a deadline as the filter names it (with @DueToday and @DueSoonUntil).</summary>
    internal static string DueCondition(string due) => due switch
    {
        "overdue" => $"p.id IN (SELECT c.petition_id FROM clocks c WHERE {RedClock})",
        "near-due" => $"p.id IN (SELECT c.petition_id FROM clocks c WHERE {AmberClock}) AND p.id NOT IN (SELECT c.petition_id FROM clocks c WHERE {RedClock})",
        _ => "p.id IN (SELECT c.petition_id FROM clocks c WHERE c.state IN ('running', 'overdue') AND c.due_on >= @DueToday AND c.due_on <= @DueSoonUntil)",
    };

    /// <summary>A column a list sorts by: its SQL over <c>p</c> (and <c>u</c>, the unit), its natural direction, and
    /// its value in a row, for the cursor.</summary>
    private sealed record Column(string Sql, bool Descending, Func<Item, string> Key, Func<string, object> Read, bool ByUnit = false);

    private static readonly DateOnly NoDue = DateOnly.MaxValue;

    private static readonly IReadOnlyList<string> StageOrder = Codes.All<Stage>();

    private static readonly Dictionary<string, Column> Columns = new(StringComparer.Ordinal)
    {
        ["received"] = new("p.received_at", true, i => i.ReceivedAt.UtcTicks.ToString(CultureInfo.InvariantCulture),
            k => new DateTimeOffset(long.Parse(k, CultureInfo.InvariantCulture), TimeSpan.Zero)),
        ["case-number"] = new("p.case_number", true, i => i.CaseNumber, k => k),
        // Stages in the workflow's order, not the alphabet's.
        ["stage"] = new($"CASE p.stage {string.Concat(StageOrder.Select((s, n) => $"WHEN '{s}' THEN {n} "))}ELSE {StageOrder.Count} END", false,
            i => Math.Max(0, IndexOf(StageOrder, i.Stage)).ToString(CultureInfo.InvariantCulture), k => int.Parse(k, CultureInfo.InvariantCulture)),
        ["unit"] = new("COALESCE(u.name, '')", false, i => i.Unit ?? "", k => k, ByUnit: true),
        // Petitions with no open clock last.
        ["due"] = new("COALESCE((SELECT MIN(c.due_on) FROM clocks c WHERE c.petition_id = p.id AND c.state <> 'stopped'), @NoDue)", false,
            i => (i.DueOn ?? NoDue).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), k => DateOnly.ParseExact(k, "yyyy-MM-dd", CultureInfo.InvariantCulture)),
    };

    private static int IndexOf(IReadOnlyList<string> list, string value)
    {
        for (var i = 0; i < list.Count; i++) if (list[i] == value) return i;
        return -1;
    }

    /// <summary>A page of the petitions <c>p</c> the conditions select, sorted by a column then by id, after a position.</summary>
    private static async Task<Page> SortedPageAsync(
        DbSession session, List<string> where, DynamicParameters parameters, string sort, bool descending, Position? after, int limit, DateOnly today,
        CancellationToken ct)
    {
        var column = Columns[sort];
        var (direction, beyond) = descending ? ("DESC", "<") : ("ASC", ">");
        var conditions = new List<string>(where);
        if (after is not null)
        {
            conditions.Add($"({column.Sql} {beyond} @AfterKey OR ({column.Sql} = @AfterKey AND p.id {beyond} @AfterId))");
            parameters.Add("AfterKey", column.Read(after.Key));
            parameters.Add("AfterId", after.Id);
        }
        parameters.Add("NoDue", NoDue);
        var unit = column.ByUnit ? "\nLEFT JOIN organizations u ON u.id = p.assigned_unit_id" : "";
        var rows = await RowsAsync(
            session,
            $"""
            SELECT p.id AS id, {column.Sql} AS sort_key
            FROM petitions p{unit}
            WHERE {string.Join("\n  AND ", conditions)}
            ORDER BY sort_key {direction}, p.id {direction}
            """,
            direction, parameters, limit, today, ct);
        return new Page(rows.Take(limit).ToList(), rows.Count > limit ? Position.Write(sort, descending, rows[limit - 1].Id, column.Key(rows[limit - 1])) : null);
    }

    /// <summary>A page of the petitions <c>p</c> the conditions select, newest first, with the cursor of the next: the
    /// reports' case lists page this way.</summary>
    internal static async Task<Page> PageAsync(DbSession session, IEnumerable<string> where, object parameters, int limit, DateOnly today, CancellationToken ct)
    {
        var rows = await RowsAsync(
            session,
            $"""
            SELECT p.id AS id, p.id AS sort_key
            FROM petitions p
            WHERE {string.Join("\n  AND ", where)}
            ORDER BY sort_key DESC
            """,
            "DESC", new DynamicParameters(parameters), limit, today, ct);
        return new Page(rows.Take(limit).ToList(), rows.Count > limit ? Cursor.Write(rows[limit - 1].Id) : null);
    }

    /// <summary>The rows of the first <paramref name="limit"/> + 1 petitions the ordered query of ids and sort keys
    /// gives: the query picks them, and only those are read whole, with their nearest deadline and its colour.</summary>
    private static Task<IReadOnlyList<Item>> RowsAsync(
        DbSession session, string orderedIds, string direction, DynamicParameters parameters, int limit, DateOnly today, CancellationToken ct)
    {
        parameters.Add("Take", limit + 1);
        parameters.Add("DueToday", today);
        return session.QueryAsync<Item>(
            $"""
            SELECT p.id             AS Id,
                   p.case_number    AS CaseNumber,
                   p.stage          AS Stage,
                   p.channel        AS Channel,
                   p.category       AS Category,
                   p.subject        AS Subject,
                   p.received_at    AS ReceivedAt,
                   u.name           AS Unit,
                   oc.display_name  AS Officer,
                   (SELECT MIN(c.due_on) FROM clocks c WHERE c.petition_id = p.id AND c.state <> 'stopped') AS DueOn,
                   CASE WHEN EXISTS (SELECT 1 FROM clocks c WHERE c.petition_id = p.id AND {RedClock}) THEN 'overdue'
                        WHEN EXISTS (SELECT 1 FROM clocks c WHERE c.petition_id = p.id AND {AmberClock}) THEN 'near-due'
                   END              AS Warning,
                   p.first_petition AS FirstPetition
            FROM ({session.Dialect.Limit(orderedIds, "@Take")}) page
            JOIN petitions p ON p.id = page.id
            LEFT JOIN organizations u ON u.id = p.assigned_unit_id
            LEFT JOIN users oc ON oc.id = p.officer_id
            ORDER BY page.sort_key {direction}, page.id {direction}
            """,
            parameters, ct);
    }

    /// <summary>Where a sorted list's next page starts: the sort, its direction, and the last row's key and id, opaque
    /// to clients. A cursor of another sort is refused.</summary>
    internal sealed record Position(long Id, string Key)
    {
        public static string Write(string sort, bool descending, long id, string key) =>
            Base64Url(Encoding.UTF8.GetBytes($"{sort}|{(descending ? "d" : "a")}|{id.ToString(CultureInfo.InvariantCulture)}|{key}"));

        public static bool TryRead(string? cursor, string sort, bool descending, out Position? position)
        {
            position = null;
            if (string.IsNullOrEmpty(cursor) || cursor.Length > 400 || !Columns.TryGetValue(sort, out var column)) return false;
            var padded = cursor.Replace('-', '+').Replace('_', '/');
            padded += new string('=', (4 - padded.Length % 4) % 4);
            var bytes = new byte[padded.Length];
            if (!Convert.TryFromBase64String(padded, bytes, out var written)) return false;
            string text;
            try
            {
                text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes, 0, written);
            }
            catch (DecoderFallbackException)
            {
                return false;
            }
            var parts = text.Split('|', 4);
            if (parts.Length != 4 || parts[0] != sort || parts[1] != (descending ? "d" : "a")
                || !long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var id) || id <= 0)
                return false;
            try
            {
                column.Read(parts[3]);
            }
            catch (Exception unreadable) when (unreadable is FormatException or OverflowException or ArgumentException)
            {
                return false;
            }
            position = new Position(id, parts[3]);
            return true;
        }

        private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    /// <summary>The position after which the next page of a reports' case list starts: the last row's id, opaque to clients.</summary>
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
