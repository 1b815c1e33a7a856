using System.Globalization;
using Petitions.Api.Pages.Cases;
using Petitions.Domain;
using Petitions.Workflows.Workflow;

namespace Petitions.Api.Pages.Process;

/// <summary>
/// A workflow definition laid out as a diagram, from the definition alone: one row per stage it uses, in the order of
/// DOMAIN.md §2 (the order of <see cref="Stage"/>), the stage as a box on the left and beside it one label per action
/// that may start there (its name, where it leads, who takes it, what it does to the clocks and which notices it
/// issues). An action that changes the stage leaves its label on a line of its own to a lane on the right and enters
/// the box of each stage it may lead to at the top of that row; one that keeps the stage loops back into its box.
/// The same definition always gives the same drawing; the page draws it as SVG.
/// </summary>
public sealed class ProcessDiagram
{
    private const double BoxX = 20, BoxWidth = 190, LabelX = BoxX + BoxWidth + 40, LabelWidth = 520;
    private const double LaneX = LabelX + LabelWidth + 30, LaneGap = 12, HeaderHeight = 36, RowGap = 18, MinimumRow = 70;
    private const double TitleSize = 14, DetailSize = 12, TitleLine = 19, DetailLine = 16, LabelGap = 12;

    public sealed record StageBox(string Stage, string Name, double Y, double Height, bool Current)
    {
        public double X => BoxX;
        public double Width => BoxWidth;
        public double EntryY => Y + HeaderHeight / 2;
    }

    /// <summary>An action from one stage: its label, and the lines that lead from it to each stage it may lead to.</summary>
    public sealed record Transition(
        string Action, string From, IReadOnlyList<string> To, IReadOnlyList<string> Title, IReadOnlyList<string> Detail,
        double LabelY, IReadOnlyList<string> Paths, bool Stays, bool Backward, bool Available)
    {
        public double LabelX => ProcessDiagram.LabelX;
        public double TitleSize => ProcessDiagram.TitleSize;
        public double DetailSize => ProcessDiagram.DetailSize;
        public double TitleLine => ProcessDiagram.TitleLine;
        public double DetailLine => ProcessDiagram.DetailLine;

        /// <summary>Where the label's first line sits, for the line from the stage's box.</summary>
        public double ExitY => LabelY - TitleSize / 3;
    }

    public IReadOnlyList<StageBox> Stages { get; }
    public IReadOnlyList<Transition> Transitions { get; }
    public double Width { get; }
    public double Height { get; }

    /// <param name="current">The stage a petition stands in, to highlight, or null.</param>
    /// <param name="available">The actions the user may take on that petition now: their lines are highlighted.</param>
    public ProcessDiagram(IStringLocalizer<Words> words, WorkflowDefinition definition, string? current = null, IReadOnlySet<string>? available = null)
    {
        available ??= new HashSet<string>();
        var used = definition.Actions.SelectMany(a => a.From.Concat(a.To)).ToHashSet();
        var stages = Enum.GetValues<Stage>().Where(used.Contains).ToList();
        var row = stages.Select((stage, index) => (stage, index)).ToDictionary(s => s.stage, s => s.index);

        // Rows first: each as tall as its labels.
        var labels = stages.ToDictionary(s => s, s => definition.Actions.Where(a => a.From.Contains(s)).ToList());
        var boxes = new List<StageBox>();
        var placed = new List<(ActionDefinition Action, Stage From, double LabelY, List<string> Title, List<string> Detail)>();
        var y = 12.0;
        foreach (var stage in stages)
        {
            var cursor = y + HeaderHeight;
            foreach (var action in labels[stage])
            {
                var title = Wrap(TitleOf(words, action), TitleSize);
                var detail = Wrap(DetailOf(words, action), DetailSize);
                placed.Add((action, stage, cursor + TitleSize, title, detail));
                cursor += title.Count * TitleLine + detail.Count * DetailLine + LabelGap;
            }
            var height = Math.Max(MinimumRow, cursor - y);
            var code = Codes.Of(stage);
            boxes.Add(new StageBox(code, words.StageName(code), y, height, code == current));
            y += height + RowGap;
        }

        // Lanes: the shortest spans nearest the labels, so fewer lines cross.
        var moving = placed.Where(p => p.Action.To.Count > 0).ToList();
        var lanes = moving
            .Select((p, order) => (p, order, span: p.Action.To.Max(t => Math.Abs(row[t] - row[p.From]))))
            .OrderBy(l => l.span).ThenBy(l => l.order)
            .Select((l, lane) => (l.p.Action.Code, l.p.From, lane))
            .ToDictionary(l => (l.Code, l.From), l => l.lane);

        Transitions = placed.Select(p =>
        {
            var from = Codes.Of(p.From);
            var exitY = p.LabelY - TitleSize / 3;
            var isAvailable = from == current && available.Contains(p.Action.Code);
            if (p.Action.To.Count == 0)
            {
                // A loop out of the box's right edge and back into it.
                var loop = FormattableString.Invariant($"M {BoxX + BoxWidth:0.#} {exitY - 6:0.#} C {BoxX + BoxWidth + 26:0.#} {exitY - 14:0.#}, {BoxX + BoxWidth + 26:0.#} {exitY + 10:0.#}, {BoxX + BoxWidth + 3:0.#} {exitY + 5:0.#}");
                return new Transition(p.Action.Code, from, [], p.Title, p.Detail, p.LabelY, [loop], Stays: true, Backward: false, isAvailable);
            }
            var lane = LaneX + lanes[(p.Action.Code, p.From)] * LaneGap;
            var start = LabelX + Math.Min(LabelWidth, Measure(p.Title[0], TitleSize)) + 8;
            var paths = p.Action.To.Select(to => FormattableString.Invariant(
                $"M {start:0.#} {exitY:0.#} H {lane:0.#} V {boxes[row[to]].EntryY:0.#} H {BoxX + BoxWidth + 3:0.#}")).ToList();
            return new Transition(p.Action.Code, from, p.Action.To.Select(Codes.Of).ToList(), p.Title, p.Detail, p.LabelY, paths,
                Stays: false, Backward: p.Action.To.All(t => row[t] < row[p.From]), isAvailable);
        }).ToList();
        Stages = boxes;
        Width = LaneX + Math.Max(1, lanes.Count) * LaneGap + 20;
        Height = y;
    }

    /// <summary>The action's name and, when it changes the stage, the stages it may lead to.</summary>
    private static string TitleOf(IStringLocalizer<Words> words, ActionDefinition action) =>
        action.To.Count == 0
            ? ActionForms.Name(words, action.Code)
            : $"{ActionForms.Name(words, action.Code)} → {string.Join(" / ", action.To.Select(t => words.StageName(Codes.Of(t))))}";

    /// <summary>Who takes it, what it does to the clocks, which notices it issues.</summary>
    private static string DetailOf(IStringLocalizer<Words> words, ActionDefinition action)
    {
        var parts = new List<string>
        {
            action.Roles.Count == 0
                ? words["Process.AutomaticFollowsActionOnLinked"]
                : string.Join(words["Process.ListSeparator"], action.Roles.Select(r => words.RoleName(Codes.Of(r)))),
        };
        if (action.Clocks.Count > 0) parts.Add(string.Join(words["Process.ClockSeparator"], action.Clocks.Select(c => Clock(words, c))));
        if (action.Notices.Count > 0) parts.Add(words["Process.Issues"] + string.Join(words["Process.ListSeparator"], action.Notices.Select(n => words.Notice(Codes.Of(n)))));
        return string.Join(" · ", parts);
    }

    private static string Clock(IStringLocalizer<Words> words, ClockEffect effect)
    {
        var clock = words.Clock(Codes.Of(effect.Kind));
        var level = effect.AtLevel switch
        {
            ReviewLevel.Handling => words["Process.FirstHandling"],
            ReviewLevel.Review => words["Process.Review"],
            ReviewLevel.Rereview => words["Process.ReReview"],
            _ => "",
        };
        var operation = effect.Operation switch
        {
            ClockOperation.Start => words["Process.Starts"],
            ClockOperation.StartOrContinue => words["Process.StartsOrContinues"],
            ClockOperation.Stop => words["Process.Stops"],
            ClockOperation.Pause => words["Process.Pauses"],
            ClockOperation.Resume => words["Process.Resumes"],
            ClockOperation.Extend => words["Process.Extends"],
            var other => Codes.Of(other),
        };
        return words["Process.ClockEffect", operation, clock, level];
    }

    /// <summary>Lines no wider than a label, by an estimate of the glyphs' widths: a CJK character is one em, other
    /// characters a little over half; English breaks between words, Chinese between any two characters.</summary>
    private static List<string> Wrap(string text, double size)
    {
        var lines = new List<string>();
        var line = "";
        foreach (var token in Tokens(text))
        {
            if (line.Length > 0 && Measure(line + token, size) > LabelWidth)
            {
                lines.Add(line.TrimEnd());
                line = token.TrimStart();
            }
            else line += token;
        }
        if (line.Length > 0) lines.Add(line.TrimEnd());
        return lines.Count == 0 ? [""] : lines;
    }

    private static IEnumerable<string> Tokens(string text)
    {
        var word = "";
        foreach (var c in text)
        {
            if (IsWide(c))
            {
                if (word.Length > 0) yield return word;
                word = "";
                yield return c.ToString();
            }
            else
            {
                word += c;
                if (c == ' ')
                {
                    yield return word;
                    word = "";
                }
            }
        }
        if (word.Length > 0) yield return word;
    }

    public static double Measure(string text, double size) => text.Sum(c => IsWide(c) ? size : size * 0.53);

    private static bool IsWide(char c) => c >= '\u2E80' && !(c is >= '\uFF61' and <= '\uFFDC');

    public static string N(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);
}
