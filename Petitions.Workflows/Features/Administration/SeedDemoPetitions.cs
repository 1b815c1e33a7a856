using System.Text.Json;
using FluentValidation;
using MediatR;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Petitions.Domain;
using Petitions.Workflows.Features.Actions;
using Petitions.Workflows.Features.Petitions;
using Petitions.Workflows.Features.Supervision;
using Petitions.Workflows.Privacy;
using Petitions.Workflows.Storage;
using Petitions.Workflows.Workflow;

namespace Petitions.Workflows.Features.Administration;

/// <summary>
/// The Development demo's petitions, so that a newcomer's first sign-in shows full boards: some twenty-five petitions
/// of the demo county (three referred to it by the city: waiting, objected to, reported back) in every stage of the
/// workflow, some near their due day and some past it, with a supervision order and a leader in charge. Each is made
/// through the real commands by the demo users, every step at the moment it would have happened, up to four months
/// back (the commands run on a clock of their own that is set back for each step, so receipt times, history, clocks
/// and the audit log agree). Runs once: a
/// database with petitions is left as it is. The API runs it only in Development, with <c>Demo:SeedPetitions</c>.
/// </summary>
public static partial class SeedDemoPetitions
{
    private const string CityOffice = SeedDemoData.CityOffice;

    /// <summary>One step of a demo petition: how many days before now it happened, by whom, and what. Register is the
    /// first step of each; an action of the workflow, or a supervision order, follow. A step on the referred case is
    /// taken by the receiving bureau on the case the referral made.</summary>
    private sealed record Step(int DaysAgo, string User, string What, object? Payload = null)
    {
        public bool OnReferredCase { get; init; }
    }

    private static Step OnReferred(int daysAgo, string user, string what, object? payload = null) => new(daysAgo, user, what, payload) { OnReferredCase = true };

    private sealed record Scenario(RegisterPetition.Command Registration, params Step[] Steps);

    private const string Register = "register", Order = "supervision-order";

    /// <summary>Payloads as written: the placeholders below are found in the Chinese text as it is.</summary>
    private static readonly JsonSerializerOptions Unescaped = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Seeds the petitions and returns how many it registered (0 when the database has petitions already).</summary>
    public static async Task<int> SeedAsync(IServiceProvider service, CancellationToken ct)
    {
        await using (var scope = service.CreateAsyncScope())
        {
            var session = scope.ServiceProvider.GetRequiredService<DbSession>();
            if (await session.ScalarAsync<long>("SELECT COUNT(*) FROM petitions", null, ct) > 0) return 0;
        }

        var now = service.GetRequiredService<TimeProvider>().GetUtcNow();
        var clock = new DemoClock(now);
        var log = service.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(SeedDemoPetitions));
        // The service's own parts (database, keys, workflow definitions, logs) on the demo's clock.
        var services = new ServiceCollection()
            .AddSingleton(service.GetRequiredService<ILoggerFactory>())
            .AddLogging()
            .AddSingleton<TimeProvider>(clock)
            .AddSingleton(service.GetRequiredService<IOptions<StorageOptions>>())
            .AddSingleton(service.GetRequiredService<WorkflowCatalog>());
        services.AddPetitionsWorkflows(service.GetRequiredService<PersonalDataKeys>());
        await using var demo = services.BuildServiceProvider();

        var scenarios = Scenarios();
        var actors = new Dictionary<string, Actor>();
        var caseNumbers = new Dictionary<int, string>();
        var referredCases = new Dictionary<int, string>();
        var stopped = new HashSet<int>();
        // Every step of every petition in the order it happened, so case numbers follow the days of receipt.
        var timeline = scenarios
            .SelectMany((scenario, index) => scenario.Steps.Select((step, order) => (index, at: MomentOf(now, step.DaysAgo, index, order), step, scenario)))
            .OrderBy(s => s.at).ThenBy(s => s.index);
        foreach (var (index, at, step, scenario) in timeline)
        {
            if (stopped.Contains(index)) continue;
            clock.Now = at;
            await using var scope = demo.CreateAsyncScope();
            var mediator = scope.ServiceProvider.GetRequiredService<IMediator>();
            var actor = step.User == "public" ? Actor.Public : actors.TryGetValue(step.User, out var known) ? known : actors[step.User] = await ActorAsync(scope.ServiceProvider, step.User, ct);
            try
            {
                if (step.What == Register)
                {
                    caseNumbers[index] = (await mediator.Send(scenario.Registration with { Actor = actor }, ct)).CaseNumber;
                    continue;
                }
                var caseNumber = step.OnReferredCase ? referredCases[index] : caseNumbers[index];
                if (step.What == Order)
                {
                    var (problem, requirement) = ((string, string))step.Payload!;
                    await mediator.Send(new IssueSupervisionOrder.Command(caseNumber, problem, requirement, actor), ct);
                    continue;
                }
                // {case:subject} is the case number of the demo petition with that subject; {today} the day of the step.
                var payload = JsonSerializer.Serialize(step.Payload ?? new { }, Unescaped)
                    .Replace("{today}", ShanghaiTime.DateOf(clock.Now).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
                foreach (var (earlier, number) in caseNumbers)
                    payload = payload.Replace($"{{case:{scenarios[earlier].Registration.Subject}}}", number, StringComparison.Ordinal);
                await mediator.Send(new PerformAction.Command(caseNumber, step.What, JsonDocument.Parse(payload).RootElement, actor), ct);
                if (step.What == "refer")
                    referredCases[index] = (await mediator.Send(new GetPetition.Query(caseNumber, actor), ct)).Links.Single(l => l.Kind == "referred-to").CaseNumber;
            }
            catch (Exception refused) when (refused is RuleViolationException or ValidationException or NotFoundException or ForbiddenException)
            {
                // A demo that no longer fits the workflow stops that petition where it is, and says so, rather than
                // keeping the service from starting.
                stopped.Add(index);
                LogStepRefused(log, index, step.What, refused.Message);
            }
        }
        return caseNumbers.Count;
    }

    /// <summary>When a step happened: its day, at an office hour that differs from step to step, and never after now.</summary>
    private static DateTimeOffset MomentOf(DateTimeOffset now, int daysAgo, int index, int order)
    {
        var day = ShanghaiTime.DateOf(now - TimeSpan.FromDays(daysAgo));
        var at = ShanghaiTime.StartOf(day) + TimeSpan.FromMinutes(8 * 60 + 30 + (index * 53 + order * 29) % 480);
        return at < now ? at : now - TimeSpan.FromMinutes(1);
    }

    private static async Task<Actor> ActorAsync(IServiceProvider services, string userName, CancellationToken ct)
    {
        var rows = await services.GetRequiredService<DbSession>().QueryAsync<UserRole>(
            """
            SELECT u.id              AS UserId,
                   u.organization_id AS OrganizationId,
                   r.role            AS Role
            FROM users u
            JOIN user_roles r ON r.user_id = u.id
            WHERE u.user_name = @UserName
            """,
            new { UserName = userName }, ct);
        return rows.Count == 0
            ? throw new InvalidOperationException($"The demo user '{userName}' is missing: seed the demo users first.")
            : new Actor(rows[0].UserId, rows[0].OrganizationId, rows.Select(r => Codes.Parse<Role>(r.Role)).ToHashSet());
    }

    private sealed record UserRole
    {
        public long UserId { get; init; }
        public long OrganizationId { get; init; }
        public string Role { get; init; } = "";
    }

    /// <summary>A clock the seeding sets to the moment of each step.</summary>
    private sealed class DemoClock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now.ToUniversalTime();
    }

    private static RegisterPetition.Command Petition(
        string channel, string category, string name, int born, string? phone, string? address, string subject, string content,
        string? involvedUnit = null, string? involvedUnitCode = null, int? peopleCount = null, IReadOnlyList<RegisterPetition.PersonInput>? representatives = null) => new()
    {
        Channel = channel,
        Category = category,
        Petitioner = new RegisterPetition.PersonInput(name, IdNumberOf(born), phone, address),
        Subject = subject,
        Content = content,
        InvolvedUnit = involvedUnit,
        InvolvedUnitCode = involvedUnitCode,
        PeopleCount = peopleCount,
        Representatives = representatives,
        Bureau = channel == "online" ? SeedDemoData.CountyCode : null,
    };

    /// <summary>A well-formed ID number of the demo county for a birth date written yyyymmdd (with its check digit).</summary>
    private static string IdNumberOf(int born)
    {
        var first17 = $"330702{born:D8}{born % 997:D3}";
        return first17 + IdNumber.CheckCharacter(first17);
    }

    private const string Unit = SeedDemoData.CountyCode + "-01", Criminal = SeedDemoData.CountyCode + "-02", PublicOrder = SeedDemoData.CountyCode + "-03";

    private static object Accept(string unit) => new { unit, comment = "请依法调查处理" };

    private static readonly object Opinion = new { outcome = "explain", text = "经调查核实，已向信访人说明有关政策和处理依据，并督促相关方整改。" };
    private static readonly object Served = new { servedOn = "{today}", method = "in-person" };

    /// <summary>The demo's petitions, each from its registration to where it stands now (days before now).</summary>
    private static List<Scenario> Scenarios() =>
    [
        // Registered: fresh, near the 15-day intake limit (amber), past it (red), an accusation to confirm, one online.
        new(Petition("visit", "complaint", "陈建国", 19650312, "13905791234", "示范县城关镇解放路12号", "小区门口占道经营影响通行",
                "小区大门两侧长期有摊贩占道经营，早晚高峰车辆和行人难以通行，请求依法整治。"),
            new Step(0, "reception", Register)),
        new(Petition("letter", "suggestion", "李秀英", 19720805, null, "示范县湖畔街道青年路8号", "建议在学校周边增设护学岗",
                "来信建议在实验小学周边上下学时段增设护学岗，保障学生过马路安全。"),
            new Step(13, "reception", Register)),
        new(Petition("phone", "complaint", "王志强", 19800117, "13857990001", null, "邻居饲养犬只夜间吠叫扰民",
                "来电反映邻居饲养的大型犬夜间频繁吠叫，多次协商无果，影响家人休息。"),
            new Step(18, "reception", Register)),
        new(Petition("visit", "accusation", "赵丽华", 19781023, "13967901122", "示范县城关镇北门街3号", "反映城关所民警办案态度粗暴",
                "来访反映在城关所办理户籍业务时民警态度粗暴，请求调查处理。", involvedUnit: "城关所"),
            new Step(2, "reception", Register)),
        new(Petition("online", "suggestion", "孙海燕", 19900214, "13588881234", null, "建议延长户籍窗口周末服务时间",
                "上班族工作日难以办理户籍业务，建议户籍窗口周末增加服务时段。"),
            new Step(1, "public", Register)),

        // In handling at the station whose handler is a demo user: on time, near its 60 days (amber), past them (red,
        // supervised and a leader in charge), an extension waiting for the leader, an extension granted.
        new(Petition("visit", "complaint", "周国平", 19600709, "13606791234", "示范县城关镇南街5号", "工地夜间施工噪音扰民",
                "十余户居民反映附近工地夜间施工，噪音严重影响休息，请求依法处理。", peopleCount: 12,
                representatives: [new("吴建华", IdNumberOf(19680302), "13706790001", null), new("郑美玲", IdNumberOf(19750611), null, null)]),
            new Step(10, "reception", Register), new Step(8, "office", "accept", Accept(Unit)),
            new Step(3, "handler", "record-progress", new { note = "已到现场查看，约谈施工单位负责人" })),
        new(Petition("letter", "complaint", "冯玉兰", 19551130, null, "示范县东阳镇西村15号", "宅基地纠纷调解后仍受阻挠",
                "来信反映宅基地纠纷经村委会调解后，邻居仍阻挠其建房，请求协调处理。"),
            new Step(62, "reception", Register), new Step(58, "office", "accept", Accept(Unit))),
        new(Petition("visit", "complaint", "何志明", 19700408, "13567891234", "示范县城关镇建设路22号", "报警后久未处理的车辆被盗案件",
                "反映电动车被盗报警后两个多月未有进展，请求加快侦办。"),
            new Step(75, "reception", Register), new Step(70, "office", "accept", Accept(Unit)),
            new Step(20, "handler", "record-progress", new { note = "已调取周边监控，正在排查" }),
            new Step(5, "supervisor", Order, ("已超过办理期限仍未答复信访人", "三日内书面说明原因并提出办理计划")),
            new Step(4, "leader", "take-charge", new { comment = "本人包案，限期办结" })),
        new(Petition("phone", "complaint", "许丽娟", 19830925, "13757901234", null, "商户噪音及油烟扰民",
                "来电反映楼下餐饮商户油烟直排、夜间噪音扰民，请求处理。"),
            new Step(50, "reception", Register), new Step(48, "office", "accept", Accept(Unit)),
            new Step(1, "handler", "request-extension", new { days = 20, reason = "涉及环保、市场监管等多个部门，需协调会商" })),
        new(Petition("visit", "complaint", "韩小东", 19881212, "13858791234", "示范县城关镇文化路6号", "交通事故责任认定有异议",
                "对交通事故责任认定有异议，请求重新调查。"),
            new Step(66, "reception", Register), new Step(65, "office", "accept", Accept(Unit)),
            new Step(8, "handler", "request-extension", new { days = 30, reason = "需等待车辆技术鉴定结果" }),
            new Step(7, "leader", "approve-extension", new { reason = "鉴定周期较长，同意延期" })),

        // In handling at the other units (the office's to follow): an accusation protected from the unit it accuses,
        // one reassigned.
        new(Petition("letter", "accusation", "曹文斌", 19690601, null, "示范县西溪镇溪口村2号", "检举刑侦大队民警违规插手经济纠纷",
                "来信检举刑侦大队某民警违规插手经济纠纷，请求调查。", involvedUnitCode: Criminal),
            new Step(24, "reception", Register), new Step(21, "office", "accept", Accept(PublicOrder))),
        new(Petition("visit", "complaint", "邓春梅", 19760318, "13605799876", "示范县城关镇新华路30号", "被骗钱款追缴进展",
                "反映遭遇网络诈骗报案后，希望了解追缴进展。"),
            new Step(30, "reception", Register), new Step(28, "office", "accept", Accept(PublicOrder)),
            new Step(26, "office", "reassign", new { unit = Criminal, reason = "涉嫌刑事案件，改由刑侦大队办理" })),

        // The opinion: drafted and waiting for review; approved and waiting to be served.
        new(Petition("visit", "complaint", "彭家和", 19590220, "13957801234", "示范县东阳镇东街9号", "违章建筑遮挡采光",
                "反映邻居违章加盖遮挡其住宅采光，请求处理。"),
            new Step(32, "reception", Register), new Step(30, "office", "accept", Accept(Unit)),
            new Step(2, "handler", "submit-opinion", Opinion)),
        new(Petition("letter", "complaint", "曾凡荣", 19670716, null, "示范县湖畔街道滨湖路18号", "出租房屋登记手续咨询未获答复",
                "来信反映多次咨询出租房屋登记手续未获答复。"),
            new Step(40, "reception", Register), new Step(38, "office", "accept", Accept(Unit)),
            new Step(6, "handler", "submit-opinion", Opinion), new Step(4, "leader", "approve-opinion", new { comment = "同意" })),

        // Served and waiting for the return visit: one within its 7 days, one past them (red).
        new(Petition("phone", "suggestion", "蒋玉梅", 19850503, "13666791234", null, "建议增设小区周边路灯",
                "来电建议在小区周边道路增设路灯，方便夜间出行。"),
            new Step(36, "reception", Register), new Step(34, "office", "accept", Accept(Unit)),
            new Step(8, "handler", "submit-opinion", Opinion), new Step(6, "leader", "approve-opinion"),
            new Step(2, "office", "record-service", Served)),
        new(Petition("visit", "complaint", "沈立新", 19710822, "13777891234", "示范县城关镇和平路4号", "车辆被违规拖移",
                "反映车辆停放在划线车位内被拖移，请求说明依据。"),
            new Step(47, "reception", Register), new Step(45, "office", "accept", Accept(Unit)),
            new Step(14, "handler", "submit-opinion", Opinion), new Step(12, "leader", "approve-opinion"),
            new Step(10, "office", "record-service", Served)),

        // Closed: after the return visit (its review window open), declined, diverted, forwarded, not accepted again.
        new(Petition("visit", "complaint", "杨秀珍", 19630411, "13588790001", "示范县东阳镇南村7号", "邻里纠纷调解",
                "反映与邻居因排水沟问题发生纠纷，请求调解。"),
            new Step(80, "reception", Register), new Step(78, "office", "accept", Accept(Unit)),
            new Step(30, "handler", "submit-opinion", Opinion), new Step(28, "leader", "approve-opinion"),
            new Step(25, "office", "record-service", Served),
            new Step(20, "office", "record-return-visit", new { satisfaction = "satisfied", note = "信访人表示满意" })),
        new(Petition("letter", "complaint", "朱永刚", 19580130, null, "示范县西溪镇上村11号", "要求公安机关处理劳务工资拖欠",
                "来信要求公安机关追讨被拖欠的劳务工资。"),
            new Step(20, "reception", Register),
            new Step(15, "office", "decline", new { reason = "劳动报酬争议不属于公安机关职权范围", whereToGo = "县人力资源和社会保障局劳动保障监察大队" })),
        new(Petition("visit", "complaint", "马晓峰", 19820707, "13905790707", "示范县城关镇人民路19号", "对行政处罚决定不服",
                "对治安管理处罚决定不服，要求撤销。"),
            new Step(25, "reception", Register),
            new Step(22, "office", "divert", new { procedure = "reconsideration", comment = "已告知可依法申请行政复议" })),
        new(Petition("email", "suggestion", "罗佳琪", 19950919, "13606790919", null, "建议规范电动自行车充电管理",
                "来信建议对小区电动自行车集中充电进行规范管理。"),
            new Step(16, "reception", Register),
            new Step(14, "office", "forward", new { organ = "县消防救援大队", comment = "属消防安全管理事项" })),
        new(Petition("visit", "complaint", "杨秀珍", 19630411, "13588790001", "示范县东阳镇南村7号", "再次反映邻里排水沟纠纷",
                "再次反映与邻居因排水沟问题发生纠纷。"),
            new Step(9, "reception", Register),
            new Step(7, "office", "mark-duplicate", new { earlierCaseNumber = "{case:邻里纠纷调解}", comment = "同一事项已办结" })),

        // Referred down by the city: the county has the linked case to triage; one it objected to, back at the city for
        // triage; one it handled and reported back, concluded at the city.
        new(Petition("letter", "complaint", "高建军", 19610527, "13505791234", "示范县城关镇东门路16号", "反映县城东门路夜市噪音",
                "来信反映县城东门路夜市经营至凌晨，噪音扰民，请求整治。"),
            new Step(6, CityOffice, Register),
            new Step(5, CityOffice, "refer", new { bureau = SeedDemoData.CountyCode, comment = "请示范县公安局依法办理并报告结果" })),
        new(Petition("letter", "complaint", "田志刚", 19640318, "13506790318", "示范县西溪镇中村5号", "反映采石场爆破震裂房屋",
                "来信反映附近采石场爆破作业震裂其房屋墙体，请求查处。"),
            new Step(12, CityOffice, Register),
            new Step(11, CityOffice, "refer", new { bureau = SeedDemoData.CountyCode, comment = "请示范县公安局依法办理并报告结果" }),
            OnReferred(9, "office", "object-to-referral", new { reason = "采石场爆破作业的安全监管属应急管理部门职权，不属本局职权范围" })),
        new(Petition("visit", "complaint", "钱桂芳", 19690902, "13858790902", "示范县城关镇东门路28号", "小区电动车电瓶多次被盗",
                "反映所住小区近两个月多次发生电动车电瓶被盗，请求加强巡逻并侦破案件。"),
            new Step(60, CityOffice, Register),
            new Step(59, CityOffice, "refer", new { bureau = SeedDemoData.CountyCode, comment = "请示范县公安局依法办理并报告结果" }),
            OnReferred(57, "office", "accept", Accept(Unit)),
            OnReferred(30, "handler", "submit-opinion", Opinion), OnReferred(28, "leader", "approve-opinion"),
            OnReferred(26, "office", "record-service", Served),
            OnReferred(22, "office", "record-return-visit", new { satisfaction = "satisfied", note = "信访人表示满意" }),
            OnReferred(20, "office", "report-back", new { report = "已依法调查处理并答复信访人，信访人表示满意。" })),

        // Appeals: a review at the city, a re-review at the province, and a petition made final when its window passed.
        new(Petition("visit", "complaint", "林德胜", 19661105, "13857901105", "示范县湖畔街道湖滨路2号", "对盗窃案处理结果不满",
                "对盗窃案件的处理结果不满意，认为损失未得到追偿。"),
            new Step(70, "reception", Register), new Step(68, "office", "accept", Accept(Unit)),
            new Step(26, "handler", "submit-opinion", Opinion), new Step(24, "leader", "approve-opinion"),
            new Step(20, "office", "record-service", Served),
            new Step(18, "office", "record-return-visit", new { satisfaction = "dissatisfied", note = "信访人对处理意见不满" }),
            new Step(5, "office", "request-review", new { reason = "对处理意见不服，申请复查" })),
        new(Petition("letter", "complaint", "黄金水", 19570614, null, "示范县东阳镇北村3号", "土地承包纠纷中遭受殴打",
                "来信反映在土地承包纠纷中遭受殴打，对处理结果不服。"),
            new Step(110, "reception", Register), new Step(108, "office", "accept", Accept(Unit)),
            new Step(55, "handler", "submit-opinion", Opinion), new Step(52, "leader", "approve-opinion"),
            new Step(50, "office", "record-service", Served),
            new Step(48, "office", "record-return-visit", new { satisfaction = "dissatisfied" }),
            new Step(40, "office", "request-review", new { reason = "对处理意见不服，申请复查" }),
            new Step(20, CityOffice, "submit-review-opinion", new { outcome = "uphold", text = "原处理意见认定事实清楚，予以维持。" }),
            new Step(18, CityOffice, "record-service", Served),
            new Step(6, CityOffice, "request-rereview", new { reason = "对复查意见不服，申请复核" })),
        new(Petition("phone", "complaint", "谢国庆", 19741001, "13967901001", null, "夜间广场舞噪音",
                "来电反映广场舞夜间音响过大。"),
            new Step(100, "reception", Register), new Step(98, "office", "accept", Accept(Unit)),
            new Step(50, "handler", "submit-opinion", Opinion), new Step(48, "leader", "approve-opinion"),
            new Step(45, "office", "record-service", Served),
            new Step(40, "office", "record-return-visit", new { satisfaction = "basically-satisfied" }),
            new Step(10, "office", "finalize", new { comment = "复查申请期限届满，未申请复查" })),
    ];

    [LoggerMessage(Level = LogLevel.Warning, Message = "Demo petition {Index}: '{Step}' was refused ({Reason}); the petition stays where it is")]
    private static partial void LogStepRefused(ILogger logger, int index, string step, string reason);
}
