using FluentValidation;
using MediatR;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Petitions.Api.Http;
using Petitions.Domain;
using Petitions.Workflows.Features.Organizations;
using Petitions.Workflows.Features.Petitions;

namespace Petitions.Api.Pages.Cases;

/// <summary>The petitions within the user's reach, searched by what staff know of them (the list's filters, named as
/// the API names them), by a role's work queue or the user's own cases as officer, sorted by a column, a page at a time, with how many there are and each
/// one's nearest deadline amber when near and red when past.</summary>
public sealed class IndexModel(IMediator mediator, IStringLocalizer<Words> words) : PageModel
{
    /// <summary>The query string's search fields, as <c>GET /api/petitions</c> names them; each link keeps them.</summary>
    public static readonly IReadOnlyList<string> Fields =
        ["queue", "officer", "text", "name", "phone", "idNumber", "receivedFrom", "receivedTo", "unit", "category", "channel", "stage", "firstPetition", "due", "sort", "order"];

    public static string QueueName(IStringLocalizer<Words> words, string code) => words.Code("Queue", code);

    public static string DueName(IStringLocalizer<Words> words, string code) => words.Code("DueFilter", code);

    /// <summary>The colour of a row's deadline.</summary>
    public static string Colour(string? warning) => warning switch
    {
        "overdue" => "red",
        "near-due" => "amber",
        _ => "",
    };

    public ListPetitions.Page List { get; private set; } = new([], null);
    public Workbench.Queue? Current { get; private set; }
    public IEnumerable<Workbench.Queue> MyQueues => Workbench.Queues.Where(q => User.Actor().HasAny(q.Roles));
    public IReadOnlyList<ListOrganizationsBelow.Choice> Units { get; private set; } = [];

    /// <summary>Handlers are officers (承办人): they have their own cases to list.</summary>
    public bool HasOwnCases => User.Actor().HasAny([Role.Handler]);

    /// <summary>Whether this is the list of the user's own cases (我承办的).</summary>
    public bool Mine => Value("officer") == ListPetitions.Me;

    /// <summary>Messages beside the fields they are about, in the page's language.</summary>
    public Dictionary<string, string> Errors { get; } = new(StringComparer.OrdinalIgnoreCase);

    public string Value(string field) => Request.Query[field].ToString();

    public async Task<IActionResult> OnGetAsync(string? after, CancellationToken ct)
    {
        var queue = Given("queue");
        if (queue is not null && (Current = Workbench.Queues.FirstOrDefault(q => q.Code == queue)) is null) return NotFound();
        Units = (await mediator.Send(new ListOrganizationsBelow.Query(User.Actor()), ct)).Where(o => o.Kind == "unit").ToList();
        var query = new ListPetitions.Query
        {
            Stage = Current is not null ? Codes.Of(Current.Stage) : Given("stage"),
            ExtensionRequested = Current?.ExtensionRequested == true,
            Text = Given("text"),
            Name = Given("name"),
            Phone = Given("phone"),
            IdNumber = Given("idNumber"),
            ReceivedFrom = Date("receivedFrom"),
            ReceivedTo = Date("receivedTo"),
            Unit = Given("unit"),
            Officer = Given("officer"),
            Category = Given("category"),
            Channel = Given("channel"),
            FirstPetition = Given("firstPetition") switch { "true" => true, "false" => false, _ => null },
            Due = Given("due"),
            Sort = Given("sort"),
            Order = Given("order"),
            After = string.IsNullOrEmpty(after) ? null : after,
            Limit = 50,
            Actor = User.Actor(),
        };
        if (Errors.Count > 0) return Page();
        try
        {
            List = await mediator.Send(query, ct);
        }
        catch (ValidationException invalid)
        {
            foreach (var failure in invalid.Errors) Errors.TryAdd(failure.PropertyName, Messages.Of(words, failure));
        }
        return Page();
    }

    /// <summary>This search with some fields changed (null removes one); a new search starts at its first page.</summary>
    public string Link(params (string Field, string? Value)[] changes)
    {
        var values = Fields.ToDictionary(f => f, f => (string?)Value(f));
        foreach (var (field, value) in changes) values[field] = value;
        var query = string.Join("&", values.Where(v => !string.IsNullOrEmpty(v.Value)).Select(v => $"{v.Key}={Uri.EscapeDataString(v.Value!)}"));
        return query.Length == 0 ? "/cases" : "/cases?" + query;
    }

    public string NextPage => Link(("after", List.Next));

    /// <summary>A column heading's link: sorts by it in its natural direction, or turns the order round when it is the
    /// sort already.</summary>
    public string SortLink(string column)
    {
        var (current, descending) = Sorting();
        var descend = current == column ? !descending : ListPetitions.DescendingByDefault(column);
        return Link(("sort", column), ("order", descend ? "desc" : "asc"));
    }

    /// <summary>The sort state of a column heading, for <c>aria-sort</c>.</summary>
    public string? SortState(string column)
    {
        var (current, descending) = Sorting();
        return current != column ? null : descending ? "descending" : "ascending";
    }

    private (string Column, bool Descending) Sorting()
    {
        var column = Given("sort") is { } sort && ListPetitions.Sorts.Contains(sort) ? sort : "received";
        return (column, Given("order") is { } order ? order == "desc" : ListPetitions.DescendingByDefault(column));
    }

    private string? Given(string field) => Value(field) is { Length: > 0 } value ? value : null;

    /// <summary>A date field as a browser's date input sends it; anything else is a message beside the field.</summary>
    private DateOnly? Date(string field)
    {
        if (Given(field) is not { } text) return null;
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var date)) return date;
        Errors[field] = words["Cases.DateAsYearMonthDay"];
        return null;
    }
}
