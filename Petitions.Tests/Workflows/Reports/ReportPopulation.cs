using Petitions.Domain;
using Petitions.Tests.Support;
using Petitions.Workflows.Features.Petitions;
using Petitions.Workflows.Features.Public;
using Petitions.Workflows.Features.Supervision;

namespace Petitions.Tests.Workflows.Reports;

/// <summary>
/// A known year of petitions made through the real commands, with time passing: every triage outcome, referrals from
/// the city (accepted and reported back, objected to and referred elsewhere, left unanswered), repeat petitions (one
/// marked a duplicate, one accepted with a reason after finality, a representative who petitioned before), an
/// extension, a late and an on-time handling, a return to the office, an acceptance dated before it was entered, review
/// upheld, review ordering re-handling (decided at the city), a re-review with a hearing (at the province), both
/// evaluations in both orders, a leadership reception day, supervision orders open, answered and closed, an accusation
/// kept from the unit it accuses, clocks still overdue at the end, the receipt-date boundary at New Year, and a petition
/// of the neighbouring county. The clock ends on 2026-11-20.
/// </summary>
public sealed class ReportPopulation(WorkflowHarness harness)
{
    public static readonly DateOnly Today = new(2026, 11, 20);

    private readonly Journey _journey = new(harness);
    private readonly Dictionary<string, string> _queryCodes = [];

    public async Task BuildAsync()
    {
        At(2025, 12, 31, 23);
        await RegisterAsync("visit", "complaint", 1, "道路积水无人处理");                  // received on the last day of 2025
        harness.Clock.Set(new DateTimeOffset(2026, 1, 1, 0, 30, 0, TimeSpan.FromHours(8)));
        await RegisterAsync("letter", "suggestion", 2, "建议增设路灯");                     // and half an hour into 2026

        At(2026, 1, 5);
        var noise = await RegisterAsync("visit", "complaint", 3, "邻居夜间施工噪音扰民");
        await DoAsync(noise, "accept");
        At(2026, 1, 20);
        await HandleToServiceAsync(noise);
        await DoAsync(noise, "record-return-visit", new { satisfaction = "satisfied" });
        At(2026, 3, 1);
        await DoAsync(noise, "finalize");                                                  // the review window passed unused

        At(2026, 1, 6);
        await DoAsync(await RegisterAsync("letter", "suggestion", 4, "建议开放公安局停车场"), "decline");
        await DoAsync(await RegisterAsync("phone", "complaint", 5, "劳动合同工资拖欠"), "divert");
        await DoAsync(await RegisterAsync("fax", "accusation", 6, "举报某茶楼聚众赌博"), "forward");
        At(2026, 1, 25);
        var again = await RegisterAsync("visit", "complaint", 3, "邻居夜间施工噪音扰民问题");    // the same person and matter: a repeat
        await DoAsync(again, "mark-duplicate", new { earlierCaseNumber = noise });

        At(2026, 1, 26);
        var atCity = await RegisterAsync("email", "complaint", 7, "交通事故责任认定不公", registrar: "city");
        await DoAsync(atCity, "refer", new { bureau = "330799" });                      // the county gets a linked case
        var referred = await _journey.ReferredCaseAsync(atCity);
        await DoAsync(referred, "accept");                                               // its objection clock stops
        At(2026, 3, 5);
        await HandleToServiceAsync(referred);
        await DoAsync(referred, "record-return-visit", new { satisfaction = "satisfied" });
        await DoAsync(referred, "report-back", new { report = "已依法办结。" });          // the city's case closes
        At(2026, 3, 6);
        await harness.SendAsync(new EvaluatePetition.Command(atCity, _queryCodes[atCity], "dissatisfied", "处理结果不公"));  // from the original code

        At(2026, 2, 20);                                                                  // in the Spring Festival break
        var objected = await RegisterAsync("letter", "complaint", 18, "出租车拒载投诉", registrar: "city");
        await DoAsync(objected, "refer", new { bureau = "330799" });
        At(2026, 2, 24);                                                                  // 2nd working day after receipt
        await DoAsync(await _journey.ReferredCaseAsync(objected), "object-to-referral", new { reason = "属市交通运输部门职权" });
        At(2026, 2, 25);
        await DoAsync(objected, "refer", new { bureau = TestData.OtherCountyCode });      // left registered there

        At(2026, 2, 3);
        var slow = await RegisterAsync("visit", "complaint", 8, "户籍迁移办理缓慢");
        await DoAsync(slow, "accept");
        await DoAsync(slow, "request-extension", new { days = 30, reason = "需外省协查" });
        await DoAsync(slow, "approve-extension");
        At(2026, 2, 10);
        var order = await harness.SendAsync(new IssueSupervisionOrder.Command(slow, "办理进度缓慢", "七日内书面报告", await _journey.ActorAsync("supervisor")));
        At(2026, 2, 12);
        await harness.SendAsync(new RespondToSupervisionOrder.Command(order.Id, "已发函外省协查。", await _journey.ActorAsync("handler")));
        At(2026, 2, 13);
        await harness.SendAsync(new CloseSupervisionOrder.Command(order.Id, await _journey.ActorAsync("supervisor")));
        At(2026, 5, 10);                                                                  // past the extended handling due day
        await HandleToServiceAsync(slow);
        await DoAsync(slow, "record-return-visit", new { satisfaction = "basically-satisfied" });

        At(2026, 3, 2);
        var stuck = await RegisterAsync("online", "complaint", 9, "网络诈骗报案未立案");
        await DoAsync(stuck, "accept", new { unit = "330799-02" });                      // never answered: overdue at the end
        At(2026, 3, 3);
        await _journey.RegisterAsync("reception2", "宅基地纠纷");                          // the neighbouring county
        At(2026, 5, 15);
        await harness.SendAsync(new IssueSupervisionOrder.Command(stuck, "超期未办结", "立即报告", await _journey.ActorAsync("supervisor")));

        At(2026, 3, 10);
        var appealed = await RegisterAsync("visit", "complaint", 11, "拆迁补偿纠纷");
        await DoAsync(appealed, "accept");
        At(2026, 3, 20);
        await HandleToServiceAsync(appealed);
        At(2026, 3, 25);
        await DoAsync(appealed, "record-return-visit", new { satisfaction = "dissatisfied" });
        At(2026, 4, 1);
        await DoAsync(appealed, "request-review");
        At(2026, 4, 20);
        await DoAsync(appealed, "submit-review-opinion", new { outcome = "uphold", text = "原处理意见并无不当。" });
        await DoAsync(appealed, "record-service", Served());
        At(2026, 5, 1);
        await DoAsync(appealed, "request-rereview");
        At(2026, 5, 5);
        await DoAsync(appealed, "start-hearing");
        At(2026, 5, 10);
        await DoAsync(appealed, "end-hearing");
        At(2026, 5, 20);
        await DoAsync(appealed, "submit-rereview-opinion", new { outcome = "revise", text = "变更复查意见。" });
        await DoAsync(appealed, "record-service", Served());

        At(2026, 4, 1);
        var finalAgain = await RegisterAsync("visit", "complaint", 3, "邻居夜间施工噪音扰民");  // the matter of noise, final on 03-01
        await DoAsync(finalAgain, "accept", new { unit = "330799-01", differentMatter = "另一处新开工地，与原事项不同" });

        At(2026, 5, 6);                                                                   // a leadership reception day
        var received = await harness.SendAsync(TestData.Petition(await _journey.ActorAsync("reception")) with
        {
            Petitioner = Person(21),
            Subject = "见义勇为认定",
            ReceivingLeader = "leader",
        });
        await DoAsync(received.CaseNumber, "accept", new { unit = "330799-03" });

        At(2026, 4, 7);
        var evaluated = await RegisterAsync("letter", "complaint", 12, "交通罚款异议");
        await DoAsync(evaluated, "accept");
        At(2026, 4, 15);
        await HandleToServiceAsync(evaluated);
        At(2026, 4, 17);
        await harness.SendAsync(new EvaluatePetition.Command(evaluated, _queryCodes[evaluated], "no-opinion", null));
        await DoAsync(evaluated, "record-return-visit", new { satisfaction = "satisfied" }); // the petitioner's own word stands

        At(2026, 6, 1);
        var rehandled = await RegisterAsync("visit", "complaint", 13, "出租屋治安隐患");
        await DoAsync(rehandled, "accept");
        At(2026, 6, 5);
        var rehandledAgain = await RegisterAsync("visit", "complaint", 13, "出租屋治安隐患问题");  // still being handled: not accepted again
        await DoAsync(rehandledAgain, "mark-duplicate", new { earlierCaseNumber = rehandled });
        At(2026, 6, 10);
        await HandleToServiceAsync(rehandled);
        await DoAsync(rehandled, "record-return-visit", new { satisfaction = "satisfied" });
        At(2026, 6, 20);
        await DoAsync(rehandled, "request-review");
        At(2026, 7, 1);
        await DoAsync(rehandled, "submit-review-opinion", new { outcome = "order-rehandling", text = "事实不清，责令重新办理。" });
        At(2026, 7, 10);
        await HandleToServiceAsync(rehandled);
        await DoAsync(rehandled, "record-return-visit", new { satisfaction = "satisfied" });

        At(2026, 7, 15);
        var accusation = await harness.SendAsync(TestData.Petition(await _journey.ActorAsync("reception")) with
        {
            Category = "accusation",
            Petitioner = Person(14),
            Subject = "举报派出所民警执法不公",
            InvolvedUnit = "城关派出所",
        });
        await DoAsync(accusation.CaseNumber, "accept", new { unit = "330799-03" });
        At(2026, 7, 20);
        await DoAsync(accusation.CaseNumber, "reassign", new { unit = "330799-02", reason = "涉及刑事案件" });
        At(2026, 7, 25);
        var unanswered = await harness.SendAsync(new IssueSupervisionOrder.Command(accusation.CaseNumber, "未按期报告", "书面说明", await _journey.ActorAsync("supervisor")));
        At(2026, 7, 30);
        await harness.SendAsync(new CloseSupervisionOrder.Command(unanswered.Id, await _journey.ActorAsync("supervisor")));

        At(2026, 8, 3);
        var quick = await RegisterAsync("phone", "suggestion", 15, "建议增设交通信号灯");
        await DoAsync(quick, "accept");
        At(2026, 8, 10);
        await HandleToServiceAsync(quick);
        await DoAsync(quick, "record-return-visit", new { satisfaction = "satisfied" });
        At(2026, 8, 11);
        await harness.SendAsync(new EvaluatePetition.Command(quick, _queryCodes[quick], "basically-satisfied", "希望尽快施工"));  // the petitioner's own word counts

        At(2026, 8, 20);                                                                  // a group with the petitioner of 08-03 as a representative
        var group = await harness.SendAsync(TestData.Petition(await _journey.ActorAsync("reception")) with
        {
            Petitioner = Person(19),
            Representatives = [Person(15), Person(20)],
            PeopleCount = 12,
            Subject = "建议增设交通信号灯",
        });
        await DoAsync(group.CaseNumber, "accept");                                       // the earlier one is closed: a repeat, accepted

        At(2026, 9, 1);
        var returned = await RegisterAsync("visit", "complaint", 22, "夜间烧烤油烟扰民");
        await DoAsync(returned, "accept");
        At(2026, 9, 3);
        await DoAsync(returned, "return-to-office", new { reason = "不属本所管辖" });
        At(2026, 9, 4);
        await DoAsync(returned, "accept", new { unit = "330799-03" });                   // the handling period runs on from 09-01: overdue at the end

        At(2026, 9, 8);
        await DoAsync(await RegisterAsync("email", "complaint", 16, "小区物业乱收费"), "decline");
        At(2026, 10, 12);
        var repeated = await RegisterAsync("visit", "complaint", 16, "小区物业乱收费问题");
        await DoAsync(repeated, "accept", new { unit = "330799-02" });
        At(2026, 10, 20);
        await RegisterAsync("phone", "suggestion", 10, "建议加强校园周边巡逻");           // never triaged: intake overdue at the end
        At(2026, 10, 26);
        var late = await RegisterAsync("letter", "complaint", 23, "户口本遗失补办", receivedOn: new DateOnly(2026, 10, 19));
        await DoAsync(late, "accept", new { unit = "330799-01", acceptedOn = "2026-10-21" });  // accepted last week, entered today
        At(2026, 11, 2);
        await DoAsync(await RegisterAsync("visit", "complaint", 17, "夜市噪声污染"), "accept");
        await DoAsync(await RegisterAsync("phone", "complaint", 24, "电动车被盗未破", registrar: "city"), "refer", new { bureau = "330799" });  // never answered

        harness.Clock.Set(ManualClock.Shanghai(Today.Year, Today.Month, Today.Day));
    }

    private void At(int year, int month, int day, int hour = 10) => harness.Clock.Set(ManualClock.Shanghai(year, month, day, hour));

    /// <summary>Service recorded on the day it happened.</summary>
    private object Served() => new { servedOn = ShanghaiTime.DateOf(harness.Clock.GetUtcNow()), method = "in-person" };

    /// <summary>The handling unit drafts, the office approves, and the reply is served the same day.</summary>
    private async Task HandleToServiceAsync(string caseNumber)
    {
        await DoAsync(caseNumber, "submit-opinion");
        await DoAsync(caseNumber, "approve-opinion");
        await DoAsync(caseNumber, "record-service", Served());
    }

    private Task DoAsync(string caseNumber, string action, object? payload = null) => _journey.DoAsync(caseNumber, action, payload: payload);

    private async Task<string> RegisterAsync(string channel, string category, int person, string subject, string registrar = "reception", DateOnly? receivedOn = null)
    {
        var registered = await harness.SendAsync(TestData.Petition(await _journey.ActorAsync(registrar)) with
        {
            Channel = channel,
            Category = category,
            Petitioner = Person(person),
            Subject = subject,
            ReceivedAt = receivedOn is { } on ? ShanghaiTime.StartOf(on).AddHours(9) : null,
        });
        _queryCodes[registered.CaseNumber] = registered.QueryCode;
        return registered.CaseNumber;
    }

    /// <summary>A distinct person for each number: their own ID number and phone, so only a true repeat matches.</summary>
    private static RegisterPetition.PersonInput Person(int n) =>
        new($"信访人{n}", TestData.IdNumberFor(new DateOnly(1970 + n, 1 + n % 12, 1 + n), n), $"139{n:D8}", "示范县城关镇");
}
