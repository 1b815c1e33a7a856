using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Petitions.Domain;
using Petitions.Workflows.Privacy;
using Petitions.Workflows.Storage;

namespace Petitions.Bench;

/// <summary>
/// The petition search as staff use it (<c>/cases</c>, the whole HTML page with its total, signed in with a cookie)
/// and the workbench, over a <see cref="Population"/> of <c>petitions</c> petitions made more like a real year's: contents
/// of a few hundred characters with common words (施工, in about a fifth) and a rare one (违章搭建, one in 997), varied
/// subjects, a representative on one petition in twenty, an ID number on one person's petitions, and the late clocks
/// marked overdue as the sweep would have left them. Each page is asked <see cref="PagesBench"/>'s way: the median and
/// the slowest of 30 in a row after a warm-up.
/// </summary>
internal sealed class SearchBench(int petitions)
{
    public sealed record Figures(int Petitions, IReadOnlyList<PagesBench.Page> Pages)
    {
        /// <summary>The median of the searches' medians (the workbench not included).</summary>
        public TimeSpan Median
        {
            get
            {
                var searches = Pages.Where(p => p.Path.StartsWith("/cases", StringComparison.Ordinal)).Select(p => p.P50).Order().ToList();
                return searches[searches.Count / 2];
            }
        }
    }

    private const string IdNumber = "330799198005060117";

    private static readonly string[] Subjects =
        ["小区周边工地夜间施工噪音扰民", "邻里纠纷处理不公", "报警后出警迟缓", "户籍迁移办理受阻", "交通事故责任认定有异议", "网络诈骗案件进展", "养犬扰民", "非法集资线索", "占道经营影响通行", "居住证办理咨询", "车辆被盗未破案", "对民警执法态度不满"];

    private static readonly string[] Sentences =
    [
        "信访人反映，其居住的小区附近长期存在问题，多次向有关部门反映未得到解决。",
        "近期工地夜间施工，机械轰鸣，严重影响周边居民休息，老人和孩子难以入睡。",
        "信访人称曾于上月拨打报警电话，民警到场后简单询问即离开，未作任何处理。",
        "事发后信访人多次到派出所询问案件进展，接待人员均称正在调查，无明确答复。",
        "信访人要求公安机关依法调查处理，追究相关人员责任，并书面答复处理结果。",
        "据信访人介绍，涉事人员态度恶劣，曾多次发生口角，双方矛盾逐步激化。",
        "信访人提供了现场照片和视频等材料，希望有关部门尽快核实并予以处理。",
        "信访人表示如问题得不到解决，将继续向上级机关反映，情绪较为激动。",
    ];

    public async Task<Figures> RunAsync(StorageProvider provider, string connectionString)
    {
        var keys = PersonalDataKeys.Generate();
        var seeding = provider == StorageProvider.Postgres ? new NpgsqlConnectionStringBuilder(connectionString) { CommandTimeout = 0 }.ConnectionString : connectionString;
        var today = ShanghaiTime.DateOf(TimeProvider.System.GetUtcNow());
        var population = new Population(petitions, today);
        await using (var services = BenchServices.Compose(provider, seeding, keys))
        {
            await BenchServices.PrepareAsync(services);
            var database = services.GetRequiredService<Database>();
            await population.SeedAsync(database);
            await MakeRealisticAsync(database, new PersonalDataProtector(keys).Hash(HashPurpose.IdNumber, IdNumber), today);
        }

        var from = population.FirstDay.AddDays(200).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var to = population.FirstDay.AddDays(230).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        await using var service = await ServiceProcess.StartAsync(provider, connectionString, keys);
        var pages = new List<PagesBench.Page>();
        foreach (var (user, paths) in new[]
        {
            ("office", new[]
            {
                "/", "/cases", "/cases?text=施工", "/cases?text=违章搭建", "/cases?text=施工+报警", $"/cases?text=XF-{Population.County}-",
                "/cases?name=信访人1234", "/cases?name=代表", "/cases?phone=13900012345", $"/cases?idNumber={IdNumber}",
                $"/cases?receivedFrom={from}&receivedTo={to}", "/cases?unit=330799-03&category=complaint&channel=letter", "/cases?firstPetition=false",
                "/cases?due=overdue", "/cases?due=near-due", "/cases?due=next-7-days&sort=due", "/cases?stage=in-handling&sort=due",
                "/cases?sort=due&order=desc", "/cases?sort=unit", "/cases?sort=stage&order=desc", "/cases?sort=case-number&order=asc",
                "/cases?queue=triage&text=施工&sort=due",
            }),
            ("handler", new[] { "/", "/cases?queue=handling", "/cases?queue=handling&due=overdue" }),
            ("supervisor", new[] { "/" }),
        })
        {
            using var browser = await PagesBench.SignedInAsync(service.Address, user);
            foreach (var path in paths) pages.Add(await PagesBench.TimeAsync(browser, user, path));
        }
        return new Figures(petitions, pages);
    }

    /// <summary>Contents, subjects, representatives, one ID number and the sweep's marks, by set-based SQL both
    /// databases speak.</summary>
    private static async Task MakeRealisticAsync(Database database, string idNumberHash, DateOnly today)
    {
        string Pick(string[] texts, string index) =>
            $"CASE {index} {string.Concat(texts.Select((t, i) => $"WHEN {i} THEN '{t}' "))}END";
        await using var session = new DbSession(database);
        await session.BeginAsync(CancellationToken.None);
        var n = Sentences.Length;
        await session.ExecuteAsync(
            $"""
            UPDATE petitions
            SET subject = {Pick(Subjects, $"id % {Subjects.Length}")},
                content = {Pick(Sentences, $"id % {n}")} || {Pick(Sentences, $"(id / {n}) % {n}")} || {Pick(Sentences, $"(id / {n * n}) % {n}")}
                          || {Pick(Sentences, $"(id / 7) % {n}")} || {Pick(Sentences, $"(id / 11) % {n}")} || {Pick(Sentences, $"(id / 13) % {n}")}
                          || CASE WHEN id % 997 = 0 THEN '另查明现场存在违章搭建。' ELSE '' END
            """,
            null, CancellationToken.None);
        await session.ExecuteAsync(
            """
            INSERT INTO petition_people (petition_id, ordinal, role, name)
            SELECT id, 1, 'representative', '代表' || id
            FROM petitions
            WHERE id % 20 = 0
            """,
            null, CancellationToken.None);
        await session.ExecuteAsync(
            "UPDATE petition_people SET id_number_hash = @Hash WHERE name = '信访人4321'", new { Hash = idNumberHash }, CancellationToken.None);
        await session.ExecuteAsync(
            "UPDATE clocks SET state = 'overdue', warned = 'overdue', next_check_on = NULL WHERE state = 'running' AND due_on < @Today",
            new { Today = today }, CancellationToken.None);
        await session.CommitAsync(CancellationToken.None);
        if (database.Dialect.Name == "postgres")
            await session.ExecuteAsync("ANALYZE petitions, petition_people, clocks", null, CancellationToken.None);
    }
}
