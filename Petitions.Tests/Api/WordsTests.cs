using System.Collections;
using System.Globalization;
using System.Resources;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Petitions.Api;
using Petitions.Domain;
using Petitions.Tests.Support;
using Petitions.Workflows.Storage;
using Petitions.Workflows.Workflow;

namespace Petitions.Tests.Api;

/// <summary>
/// The pages' words, one file per language (Resources/Words.resx in Chinese, Words.en.resx in English): a translator
/// can add a key to one and forget the other, or drop a placeholder; and every code the pages name has its words.
/// </summary>
public sealed partial class WordsTests(DatabaseServers servers) : ApiTest(StorageProvider.Sqlite, servers)
{
    private static readonly ResourceManager Resources = new(typeof(Words));

    private static Dictionary<string, string> Language(CultureInfo culture) =>
        Resources.GetResourceSet(culture, createIfNotExists: true, tryParents: false)!.Cast<DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => (string)e.Value!, StringComparer.Ordinal);

    private static readonly Dictionary<string, string> Chinese = Language(CultureInfo.InvariantCulture);
    private static readonly Dictionary<string, string> English = Language(CultureInfo.GetCultureInfo("en"));

    [Fact]
    public void Every_key_has_both_languages_with_the_same_placeholders()
    {
        Assert.True(Chinese.Count > 500, $"found only {Chinese.Count} Chinese words: the resources are not where the pages look");
        Assert.Empty(Chinese.Keys.Except(English.Keys));
        Assert.Empty(English.Keys.Except(Chinese.Keys));
        Assert.Empty(Chinese.Concat(English).Where(e => string.IsNullOrWhiteSpace(e.Value)).Select(e => e.Key));
        Assert.DoesNotContain(Chinese.Keys, key => !Placeholders(Chinese[key]).SetEquals(Placeholders(English[key])));
    }

    [Fact]
    public void Every_code_the_pages_name_has_its_words()
    {
        var actions = Api.Services.GetRequiredService<WorkflowCatalog>().AllActions.Select(a => a.Code).ToList();
        string[] steps = ["register", "evaluate", "overdue", "supervision-order", "supervision-response", "attach-material", "withdraw-material"];
        var families = new (string Table, IEnumerable<string> Codes)[]
        {
            ("Stage", Codes.All<Stage>()), ("StageName", Codes.All<Stage>()), ("Event", actions.Concat(steps)), ("Action", actions),
            ("Clock", Codes.All<ClockKind>()), ("ClockState", Codes.All<ClockState>()), ("Channel", Codes.All<Channel>()),
            ("Category", Codes.All<Category>()), ("Satisfaction", Codes.All<Satisfaction>()), ("Notice", Codes.All<NoticeKind>()),
            ("ReviewOutcome", Codes.All<ReviewOutcome>()), ("Procedure", Codes.All<LegalProcedure>()),
            ("ServiceMethod", Codes.All<ServiceMethod>()), ("MaterialKind", Codes.All<MaterialKind>()),
        };
        var missing = families.SelectMany(f => f.Codes.Select(code => $"{f.Table}.{code}")).Where(key => !Chinese.ContainsKey(key)).ToList();
        Assert.Empty(missing);
    }

    [Fact]
    public async Task A_language_chosen_with_lang_stays_through_the_cookie()
    {
        using var browser = new HttpClient(new SocketsHttpHandler { UseCookies = true, CookieContainer = new() }) { BaseAddress = Client.BaseAddress };
        Assert.Contains(Chinese["Progress.CheckProgress"], await browser.GetStringAsync("/progress", Ct), StringComparison.Ordinal);
        Assert.Contains(English["Progress.CheckProgress"], await browser.GetStringAsync("/progress?lang=en", Ct), StringComparison.Ordinal);
        var remembered = await browser.GetStringAsync("/progress", Ct);
        Assert.Contains(English["Progress.CheckProgress"], remembered, StringComparison.Ordinal);
        Assert.DoesNotContain(Chinese["Progress.CheckProgress"], remembered, StringComparison.Ordinal);
        Assert.Contains(Chinese["Progress.CheckProgress"], await browser.GetStringAsync("/progress?lang=zh-CN", Ct), StringComparison.Ordinal);
        Assert.Contains(Chinese["Progress.CheckProgress"], await browser.GetStringAsync("/progress", Ct), StringComparison.Ordinal);
    }

    private static HashSet<string> Placeholders(string words) => Placeholder().Matches(words).Select(m => m.Value).ToHashSet();

    [GeneratedRegex(@"(?<!\{)\{\d+(:[^}]*)?\}")]
    private static partial Regex Placeholder();
}
