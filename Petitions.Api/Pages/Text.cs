using System.Globalization;
using Petitions.Domain;

namespace Petitions.Api.Pages;

/// <summary>
/// The pages' words for the codes they show (stages, steps, clocks…), looked up in <see cref="Words"/> by table and code,
/// and the dates in the request's UI culture (Chinese by default, English with <c>?lang=en</c>).
/// </summary>
public static class Text
{
    public static bool English => CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "en";

    /// <summary>The words for a code of a table (<c>Stage.registered</c>); a code the table lacks shows as itself.</summary>
    public static string Code(this IStringLocalizer<Words> words, string table, string code) =>
        words[$"{table}.{code}"] is { ResourceNotFound: false } known ? known : code;

    /// <summary>A stage as a petitioner would say it.</summary>
    public static string Stage(this IStringLocalizer<Words> words, string code) => words.Code("Stage", code);

    /// <summary>A stage by its short name (DOMAIN.md §2), as staff and reports name it.</summary>
    public static string StageName(this IStringLocalizer<Words> words, string code) => words.Code("StageName", code);

    /// <summary>A timeline step as a petitioner would say it.</summary>
    public static string Event(this IStringLocalizer<Words> words, string code) => words.Code("Event", code);

    public static string Clock(this IStringLocalizer<Words> words, string kind) => words.Code("Clock", kind);

    public static string Channel(this IStringLocalizer<Words> words, string code) => words.Code("Channel", code);

    public static string Category(this IStringLocalizer<Words> words, string code) => words.Code("Category", code);

    public static string Satisfaction(this IStringLocalizer<Words> words, string code) => words.Code("Satisfaction", code);

    /// <summary>What triage decided, as a report names it.</summary>
    public static string Triage(this IStringLocalizer<Words> words, string code) => words.Code("Triage", code);

    /// <summary>What a review (复查) or re-review (复核) decided; an outcome we have no word for is "other".</summary>
    public static string ReviewOutcome(this IStringLocalizer<Words> words, string code) =>
        words[$"ReviewOutcome.{code}"] is { ResourceNotFound: false } known ? known : words["ReviewOutcome.other"];

    public static string ClockState(this IStringLocalizer<Words> words, string state) => words.Code("ClockState", state);

    public static string Notice(this IStringLocalizer<Words> words, string code) => words.Code("Notice", code);

    /// <summary>How another petition is linked to this one.</summary>
    public static string Link(this IStringLocalizer<Words> words, string kind) => words.Code("Link", kind);

    /// <summary>How a bureau answered a referral.</summary>
    public static string ReferralAnswer(this IStringLocalizer<Words> words, string code) => words.Code("ReferralAnswer", code);

    /// <summary>A decision level: first handling, review or re-review.</summary>
    public static string Level(this IStringLocalizer<Words> words, string code) => words.Code("Level", code);

    /// <summary>Who gave a satisfaction.</summary>
    public static string EvaluationSource(this IStringLocalizer<Words> words, string code) => words.Code("EvaluationSource", code);

    /// <summary>What became of a version of an opinion; none yet while it awaits review.</summary>
    public static string OpinionDecision(this IStringLocalizer<Words> words, string? code) => words.Code("OpinionDecision", code ?? "pending");

    /// <summary>A handling opinion's or a review's outcome, in words.</summary>
    public static string OpinionOutcome(this IStringLocalizer<Words> words, string code) =>
        words[$"OpinionOutcome.{code}"] is { ResourceNotFound: false } known ? known : words.ReviewOutcome(code);

    /// <summary>The colour of a due day: "red" once past, "amber" within the three days before, else none.</summary>
    public static string Warning(DateOnly? due, DateOnly today) =>
        due is not { } d ? "" : d < today ? "red" : d.DayNumber - today.DayNumber <= 3 ? "amber" : "";

    public static string OrderState(this IStringLocalizer<Words> words, string state) => words.Code("OrderState", state);

    /// <summary>Who took a step: a user by name, with their organization; without a user, the petitioner (their own
    /// submission, its files, their evaluation) or the system (the deadline sweep, a window closing unused).</summary>
    public static string Actor(this IStringLocalizer<Words> words, string action, string? user, string? organization) =>
        user is not null ? (organization is null ? user : words["Actor.UserOf", user, organization])
        : action is "register" or "evaluate" or "attach-material" ? words["Actor.Petitioner"]
        : organization is null ? words["Actor.System"] : words["Actor.SystemOf", organization];

    /// <summary>How far a due day is: days left, due today, or days past (English counts one day apart).</summary>
    public static string DaysLeft(this IStringLocalizer<Words> words, DateOnly due, DateOnly today) => (due.DayNumber - today.DayNumber) switch
    {
        0 => words["Due.Today"],
        1 => words["Due.DayLeft", 1],
        > 1 and var left => words["Due.DaysLeft", left],
        -1 => words["Due.DayOverdue", 1],
        var past => words["Due.DaysOverdue", -past],
    };

    /// <summary>A staff role (DOMAIN.md §1).</summary>
    public static string RoleName(this IStringLocalizer<Words> words, string code) => words.Code("RoleName", code);

    /// <summary>A level of the organization tree.</summary>
    public static string OrganizationKindName(this IStringLocalizer<Words> words, string code) => words.Code("OrganizationKindName", code);

    public static string Date(DateOnly date) =>
        English ? date.ToString("d MMM yyyy", CultureInfo.GetCultureInfo("en")) : date.ToString("yyyy年M月d日", CultureInfo.InvariantCulture);

    /// <summary>Dates on the pages are Shanghai dates.</summary>
    public static string Date(DateTimeOffset instant) => Date(ShanghaiTime.DateOf(instant));
}
