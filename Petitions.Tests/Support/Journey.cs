using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Petitions.Domain;
using Petitions.Workflows;
using Petitions.Workflows.Features.Actions;
using Petitions.Workflows.Features.Petitions;
using Petitions.Workflows.Storage;
using Petitions.Workflows.Workflow;

namespace Petitions.Tests.Support;

/// <summary>
/// Drives petitions through the workflow for tests: who performs an action at which level, a valid payload for
/// every action, and the main route that passes through every stage of the definition.
/// </summary>
public sealed class Journey(WorkflowHarness harness)
{
    private readonly Dictionary<string, Actor> _actors = [];

    /// <summary>From registration to final, through extension-free handling, return visit, review and re-review.</summary>
    public static readonly string[] MainRoute =
    [
        "accept", "submit-opinion", "approve-opinion", "record-service", "record-return-visit",
        "request-review", "submit-review-opinion", "record-service",
        "request-rereview", "submit-rereview-opinion", "record-service",
    ];

    /// <summary>Actions whose rules need more than the stage: what must happen first.</summary>
    public static readonly IReadOnlyDictionary<string, string> Prerequisite = new Dictionary<string, string>
    {
        ["approve-extension"] = "request-extension",
        ["reject-extension"] = "request-extension",
        ["end-hearing"] = "start-hearing",
    };

    /// <summary>Actions done on a referred case (the county's case of a matter the city referred to it).</summary>
    public static readonly IReadOnlySet<string> OnReferredCase = new HashSet<string> { "object-to-referral", "report-back" };

    /// <summary>A valid payload for each action. {earlier} stands for another petition's case number.</summary>
    public static object Payload(string action, string earlier = "", DateOnly? today = null) => action switch
    {
        "accept" => new { unit = "330799-01" },
        "decline" => new { reason = "不属于公安机关职权范围", whereToGo = "县人民法院" },
        "divert" => new { procedure = "litigation", comment = "已进入诉讼程序" },
        "forward" => new { organ = "县市场监督管理局" },
        "refer" => new { bureau = "330799" },
        "mark-duplicate" => new { earlierCaseNumber = earlier },
        "confirm-accused-unit" => new { unit = "330799-01", reason = "信访人所指即城关派出所" },
        "record-progress" => new { note = "已走访调查" },
        "request-extension" => new { days = 30, reason = "案情复杂" },
        "approve-extension" => new { reason = "案情复杂，需进一步调查" },
        "reject-extension" => new { reason = "可在期限内办结" },
        "reassign" => new { unit = "330799-02", reason = "涉及刑事案件" },
        "return-to-office" => new { reason = "不属本单位管辖" },
        "assign-officer" => new { officer = "handler" },
        "submit-opinion" => new { outcome = "support", text = "经调查，反映情况属实，责令施工方夜间停工。" },
        "return-opinion" => new { reason = "请补充调查笔录" },
        "record-service" => new { servedOn = (today ?? new DateOnly(2026, 11, 20)).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), method = "in-person" },
        "record-return-visit" => new { satisfaction = "satisfied" },
        "request-review" => new { reason = "对处理意见不服" },
        "submit-review-opinion" => new { outcome = "uphold", text = "原处理意见并无不当，予以维持。" },
        "request-rereview" => new { reason = "对复查意见不服" },
        "submit-rereview-opinion" => new { outcome = "uphold", text = "复查意见并无不当，予以维持。" },
        "object-to-referral" => new { reason = "该事项属于市局交通管理支队职权范围" },
        "report-back" => new { report = "已依法办结，处理意见已送达信访人。" },
        _ => new { comment = "" },
    };

    /// <summary>The seeded user who performs an action where the petition is decided now: county staff by role,
    /// or the city's or the province's deciders (reviews, re-reviews, and petitions registered up there).</summary>
    public async Task<string> PerformerAsync(ActionDefinition action, Petition petition)
    {
        await using var scope = harness.Services.CreateAsyncScope();
        var handling = await scope.ServiceProvider.GetRequiredService<AccountStore>().OrganizationAsync(petition.HandlingOrganizationId, CancellationToken.None);
        var decidedAbove = handling!.Code switch { "330700" => "city", "330000" => "province", _ => null };
        return decidedAbove is not null && action.Roles.Any(r => r is Role.Office or Role.Leader) ? decidedAbove : Codes.Of(action.Roles[0]);
    }

    /// <summary>The workflow definitions the harness runs: new petitions start on the latest.</summary>
    public WorkflowCatalog Workflows => harness.Services.GetRequiredService<WorkflowCatalog>();

    /// <summary>
    /// A referred case: registered at the city, referred to the county; the county's linked case (its case number) is
    /// returned, and the city's with it.
    /// </summary>
    public async Task<(string Referring, string Referred)> ReferAsync(string subject = "噪音扰民")
    {
        var referring = await RegisterAsync(registrar: "city", subject: subject);
        await DoAsync(referring, "refer", "city");
        return (referring, await ReferredCaseAsync(referring));
    }

    /// <summary>The case number of the case a referral gave the bureau it went to.</summary>
    public async Task<string> ReferredCaseAsync(string referring) =>
        (await StateAsync((await StateAsync(referring)).ReferredToId!.Value)).CaseNumber;

    public async Task<Actor> ActorAsync(string user) =>
        _actors.TryGetValue(user, out var actor) ? actor : _actors[user] = await harness.ActorAsync(user);

    /// <summary>A petition of a person of its own (the same name, another ID number and phone), so that petitions on the
    /// same subject are not repeats of each other: a repeat is not accepted while the earlier one is handled.</summary>
    public async Task<string> RegisterAsync(string registrar = "reception", string subject = "噪音扰民", string category = "complaint") =>
        (await harness.SendAsync(TestData.Petition(await ActorAsync(registrar), subject) with { Petitioner = TestData.AnotherPerson(), Category = category })).CaseNumber;

    public async Task<PerformAction.Response> DoAsync(string caseNumber, string action, string? user = null, object? payload = null, string earlier = "")
    {
        user ??= await PerformerAsync(Workflows.Latest.Find(action)!, await StateAsync(caseNumber));
        return await harness.SendAsync(new PerformAction.Command(
            caseNumber, action, JsonSerializer.SerializeToElement(payload ?? Payload(action, earlier, ShanghaiTime.DateOf(harness.Clock.GetUtcNow()))), await ActorAsync(user)));
    }

    /// <summary>
    /// A petition in <paramref name="stage"/> on which <paramref name="action"/> can succeed: the main route is
    /// followed until the stage is reached and the action's rule is satisfied (request-review needs the first
    /// closing, request-rereview the second); some rules need a prerequisite action or time to pass (the harness's
    /// clock moves). Earlier is another petition's case number, for mark-duplicate.
    /// </summary>
    public async Task<(string CaseNumber, string Earlier)> ReachAsync(ActionDefinition action, Stage stage)
    {
        var earlier = action.Code == "mark-duplicate" ? await RegisterAsync() : "";
        if (stage == Stage.Referred) return ((await ReferAsync()).Referring, earlier); // the city's case waits for the county
        var caseNumber = OnReferredCase.Contains(action.Code) ? (await ReferAsync()).Referred : await RegisterAsync(
            registrar: action.Code == "refer" ? "city" : "reception", category: action.Code == "confirm-accused-unit" ? "accusation" : "complaint");
        foreach (var step in MainRoute.Prepend(null))
        {
            if (step is not null) await DoAsync(caseNumber, step);
            var petition = await StateAsync(caseNumber);
            if (petition.Stage != stage || !Satisfied(action, petition)) continue;
            if (Prerequisite.TryGetValue(action.Code, out var first)) await DoAsync(caseNumber, first);
            return (caseNumber, earlier);
        }
        throw new InvalidOperationException($"The main route never reaches {Codes.Of(stage)} in a state where '{action.Code}' can succeed.");
    }

    private bool Satisfied(ActionDefinition action, Petition petition)
    {
        switch (action.Code)
        {
            case "request-review":
                return petition.Level == ReviewLevel.Handling;
            case "request-rereview":
                return petition.Level == ReviewLevel.Review;
            case "finalize":
                harness.Clock.Advance(TimeSpan.FromDays(40)); // the request window passes unused
                return true;
            default:
                return true;
        }
    }

    /// <summary>How the read side refuses the user the petition (not found: out of reach; forbidden: a role that reads
    /// no petitions, such as an administrator), or null when the user may read it.</summary>
    public async Task<Type?> ReadRefusalAsync(string caseNumber, string user)
    {
        try
        {
            await harness.SendAsync(new GetPetition.Query(caseNumber, await ActorAsync(user)));
            return null;
        }
        catch (Exception refused) when (refused is NotFoundException or ForbiddenException)
        {
            return refused.GetType();
        }
    }

    /// <summary>A petition by its row id (a linked one).</summary>
    public async Task<Petition> StateAsync(long id)
    {
        await using var scope = harness.Services.CreateAsyncScope();
        return (await scope.ServiceProvider.GetRequiredService<PetitionStore>().LoadAsync(id, CancellationToken.None))!.Petition;
    }

    public async Task<Petition> StateAsync(string caseNumber)
    {
        await using var scope = harness.Services.CreateAsyncScope();
        return (await scope.ServiceProvider.GetRequiredService<PetitionStore>().LoadAsync(caseNumber, CancellationToken.None))!.Petition;
    }
}
