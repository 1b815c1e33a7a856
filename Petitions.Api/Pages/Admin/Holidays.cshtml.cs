using System.Text.RegularExpressions;
using FluentValidation;
using MediatR;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Petitions.Api.Http;
using Petitions.Domain;
using Petitions.Workflows.Features.Administration;

namespace Petitions.Api.Pages.Admin;

/// <summary>
/// A year's holiday table: every administrator reads it; the administrators at the root of the tree, who keep what
/// is national, edit it (rows with a date are the table; clearing a date removes its row). Anyone else posting the
/// form is refused by the command, as on the API (403).
/// </summary>
public sealed partial class HolidaysModel(IMediator mediator, TimeProvider time, IStringLocalizer<Words> words) : PageModel
{
    public sealed class DayForm
    {
        public string? Date { get; set; }
        public bool IsOffDay { get; set; } = true;
        public string? Name { get; set; }
    }

    public sealed class TableForm
    {
        public List<DayForm> Days { get; set; } = [];
    }

    /// <summary>Empty rows offered for new days.</summary>
    public const int BlankRows = 6;

    [BindProperty] public TableForm Input { get; set; } = new();
    [TempData] public string? Done { get; set; }

    public int Year { get; private set; }
    public GetHolidayTable.Response Table { get; private set; } = null!;
    public bool MayEdit { get; private set; }

    public async Task OnGetAsync(int? year, CancellationToken ct)
    {
        await LoadAsync(year, ct);
        Input.Days = [.. Table.Days.Select(d => new DayForm { Date = d.Date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), IsOffDay = d.IsOffDay, Name = d.Name })];
        Input.Days.AddRange(Enumerable.Range(0, BlankRows).Select(_ => new DayForm()));
    }

    public async Task<IActionResult> OnPostAsync(int year, CancellationToken ct)
    {
        // The rows that name a date, and where each came from, so that a message lands beside the row it is about.
        var rows = Input.Days.Select((day, row) => (day, row)).Where(r => !string.IsNullOrWhiteSpace(r.day.Date)).ToList();
        var days = new List<HolidayDay>();
        foreach (var (day, row) in rows)
            if (ModelState.Date(words, $"Input.Days[{row}].Date", day.Date!.Trim()) is { } date) days.Add(new HolidayDay(date, day.IsOffDay, day.Name ?? ""));
        if (ModelState.IsValid)
        {
            try
            {
                await mediator.Send(new PublishHolidayTable.Command(year, days, User.Actor()), ct);
                Done = words["Admin.Holidays.Published0Table1Days", year, days.Count];
                return RedirectToPage(new { year });
            }
            catch (ValidationException invalid)
            {
                foreach (var failure in invalid.Errors)
                {
                    var match = DayIndex().Match(failure.PropertyName);
                    var field = match.Success ? $"Input.Days[{rows[int.Parse(match.Groups["index"].Value, System.Globalization.CultureInfo.InvariantCulture)].row}]{match.Groups["rest"].Value}" : "";
                    ModelState.AddModelError(field, Messages.Of(words, failure));
                }
            }
        }
        await LoadAsync(year, ct);
        return Page();
    }

    private async Task LoadAsync(int? year, CancellationToken ct)
    {
        Year = year ?? ShanghaiTime.DateOf(time.GetUtcNow()).Year;
        Table = await mediator.Send(new GetHolidayTable.Query(Year, User.Actor()), ct);
        var accounts = await this.AccountsAsync(mediator, ct);
        MayEdit = accounts.Organizations[0].ParentId is null;
    }

    /// <summary>The messages beside a row's field: the day's own, and the row's as a whole.</summary>
    public IEnumerable<string> MessagesFor(int row, string field) =>
        new[] { $"Input.Days[{row}].{field}", field == "Date" ? $"Input.Days[{row}]" : null }
            .SelectMany(key => key is not null && ModelState.TryGetValue(key, out var entry) ? entry.Errors.Select(e => e.ErrorMessage) : []);

    [GeneratedRegex(@"^Days\[(?<index>\d+)\](?<rest>.*)$")]
    private static partial Regex DayIndex();
}
