namespace Petitions.Domain;

/// <summary>One row of a year's holiday table: a day off, or a make-up working day (调休) on a weekend.</summary>
public sealed record CalendarDay(DateOnly Date, bool IsOffDay, string Name);

/// <summary>
/// Which dates government organs rest on: Saturdays and Sundays, plus the State Council's days off, minus its
/// make-up working days. A year without a table falls back to plain weekends and its deadlines are provisional.
/// </summary>
public sealed class HolidayCalendar
{
    private readonly Dictionary<DateOnly, CalendarDay> _days;
    private readonly HashSet<int> _years;

    public HolidayCalendar(IEnumerable<CalendarDay> days)
    {
        _days = days.ToDictionary(d => d.Date);
        _years = _days.Keys.Select(d => d.Year).ToHashSet();
    }

    public bool HasTable(int year) => _years.Contains(year);

    /// <summary>Every day of the tables, by date.</summary>
    public IEnumerable<CalendarDay> Days => _days.Values.OrderBy(d => d.Date);

    public bool IsRestDay(DateOnly date) =>
        _days.TryGetValue(date, out var day)
            ? day.IsOffDay
            : date.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday;

    /// <summary>The national tables of DOMAIN.md §3 (State Council notices for 2025 and 2026).</summary>
    public static HolidayCalendar National { get; } = new(
    [
        .. Off(2025, "元旦", (1, 1, 1, 1)),
        .. Off(2025, "春节", (1, 28, 2, 4)),
        .. Off(2025, "清明节", (4, 4, 4, 6)),
        .. Off(2025, "劳动节", (5, 1, 5, 5)),
        .. Off(2025, "端午节", (5, 31, 6, 2)),
        .. Off(2025, "国庆节、中秋节", (10, 1, 10, 8)),
        .. Working(2025, "调休上班", (1, 26), (2, 8), (4, 27), (9, 28), (10, 11)),
        .. Off(2026, "元旦", (1, 1, 1, 3)),
        .. Off(2026, "春节", (2, 15, 2, 23)),
        .. Off(2026, "清明节", (4, 4, 4, 6)),
        .. Off(2026, "劳动节", (5, 1, 5, 5)),
        .. Off(2026, "端午节", (6, 19, 6, 21)),
        .. Off(2026, "中秋节", (9, 25, 9, 27)),
        .. Off(2026, "国庆节", (10, 1, 10, 7)),
        .. Working(2026, "调休上班", (1, 4), (2, 14), (2, 28), (5, 9), (9, 20), (10, 10)),
    ]);

    private static IEnumerable<CalendarDay> Off(int year, string name, (int FromMonth, int FromDay, int ToMonth, int ToDay) span)
    {
        for (var d = new DateOnly(year, span.FromMonth, span.FromDay); d <= new DateOnly(year, span.ToMonth, span.ToDay); d = d.AddDays(1))
            yield return new CalendarDay(d, IsOffDay: true, name);
    }

    private static IEnumerable<CalendarDay> Working(int year, string name, params (int Month, int Day)[] days) =>
        days.Select(d => new CalendarDay(new DateOnly(year, d.Month, d.Day), IsOffDay: false, name));
}
