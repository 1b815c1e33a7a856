using Petitions.Domain;
using Petitions.Workflows.Features.Appeals;
using Petitions.Workflows.Features.Handling;
using Petitions.Workflows.Features.Referral;
using Petitions.Workflows.Features.Supervision;
using Petitions.Workflows.Features.Triage;
using static Petitions.Domain.ClockKind;
using static Petitions.Domain.NoticeKind;
using static Petitions.Domain.Role;
using static Petitions.Domain.Stage;
using static Petitions.Workflows.Workflow.ClockEffect;

namespace Petitions.Workflows.Workflow;

/// <summary>
/// Version 2 of the petition workflow (docs/decisions/0014): version 1 with the rows below replaced or added. A
/// referral waits for the receiving bureau's objection or report; a petition given back to the office keeps its
/// handling period and waits under the intake clock again; forwarding, referral and not accepting again owe the
/// petitioner a notice; a request for review received in time may be entered after its window; the handling unit
/// assigns its officer (承办人, docs/decisions/0021).
/// </summary>
public static class PetitionWorkflowV2
{
    /// <summary>What every triage decision stops: the intake clock, a referred case's objection clock (any triage by the
    /// receiving bureau ends it), and a handling period left running when the petition came back from its unit.</summary>
    private static readonly ClockEffect[] Triaged = [Stop(Intake), Stop(ReferralObjection), Stop(Handling)];

    public static WorkflowDefinition Definition { get; } = PetitionWorkflowV1.Definition.Revise(2,
    [
        // Triage (within the 15-day intake limit)
        new("accept", [Registered], [InHandling], [Office], typeof(Accept.Rule),
            [Stop(Intake), Stop(ReferralObjection), StartOrContinue(Handling)], [Acceptance], Public: true,
            "Accept and assign a handling unit (受理); back from a unit, assign another: the handling period runs on from the acceptance day"),
        new("decline", [Registered], [Closed], [Office], typeof(Decline.Rule),
            Triaged, [NonAcceptance], Public: true, "Decline, with the reason and where to go (不予受理)"),
        new("divert", [Registered], [Closed], [Office], typeof(Divert.Rule),
            Triaged, [NonAcceptance], Public: true, "Divert into its legal procedure (导入法定程序)"),
        new("forward", [Registered], [Closed], [Office], typeof(Forward.Rule),
            Triaged, [Forwarding], Public: true, "Forward to an organ outside the system and tell the petitioner (转送)"),
        new("refer", [Registered], [Referred], [Office], typeof(Refer.Rule),
            Triaged, [Referral], Public: true, "Refer to a subordinate bureau, which gets a linked case and reports back (交办)"),
        new("mark-duplicate", [Registered], [Closed], [Office], typeof(MarkDuplicate.Rule),
            Triaged, [NotAcceptedAgain], Public: true, "Not accepted again: the same matter is being handled or final (不再受理)"),

        // Handling: a unit that gives the petition back does not stop its handling period; the office decides again
        // under the intake clock.
        new("return-to-office", [InHandling], [Registered], [Handler], typeof(ReturnToOffice.Rule),
            [Start(Intake)], [], Public: false, "Give the petition back to the office (the handling period runs on)"),

        // Within the unit, the petition goes to one of its officers (承办人); another unit or the office clears it.
        new("assign-officer", [InHandling], [], [Handler], typeof(AssignOfficer.Rule),
            [], [], Public: false, "Assign the petition to an officer of the handling unit (指定承办人)"),

        // Review and re-review: a request received within its window counts from its receipt, whenever it is entered.
        new("request-review", [Closed], [UnderReview], [Office, Reception], typeof(RequestReview.Rule),
            [Stop(ReviewRequest), Start(ReviewDecision)], [], Public: true, "Record the petitioner's request for review, dated its receipt")
        { OfferedWhen = (p, _, _) => p.HasRequestWindow(ReviewLevel.Review) },
        new("request-rereview", [Closed], [UnderRereview], [Office, Reception], typeof(RequestRereview.Rule),
            [Stop(RereviewRequest), Start(RereviewDecision)], [], Public: true, "Record the petitioner's request for re-review, dated its receipt")
        { OfferedWhen = (p, _, _) => p.HasRequestWindow(ReviewLevel.Rereview) },

        // Leadership
        new("take-charge", [Registered, Referred, InHandling, OpinionReview, AwaitingService, Stage.ReturnVisit, Closed, UnderReview, UnderRereview], [], [Leader],
            typeof(TakeCharge.Rule), [], [], Public: false, "A leader takes personal charge of the petition (包案)")
        { OfferedWhen = (p, actor, _) => !p.IsInChargeOf(actor.UserId!.Value) },

        // Referral (交办): the receiving bureau answers on its linked case ...
        new("object-to-referral", [Registered], [Closed], [Office], typeof(ObjectToReferral.Rule),
            [Stop(Intake), Stop(ReferralObjection)], [], Public: true, "Object within 5 working days: not within this bureau's powers; the matter goes back (TL2022 Art 23)")
        { OfferedWhen = (p, _, today) => p.MayObjectToReferral(today) },
        new("report-back", [Closed, Final], [], [Office], typeof(ReportBack.Rule),
            [], [], Public: true, "Report the outcome to the referring bureau (报告办理结果)")
        { OfferedWhen = (p, _, _) => p.OwesReportBack },

        // ... and the referring petition, waiting in Referred, follows (nobody performs these).
        new("referral-returned", [Referred], [Registered], [], typeof(ReferralReturned.Rule),
            [Start(Intake)], [], Public: true, "The receiving bureau objected: the matter is back for triage"),
        new("referral-reported", [Referred], [Closed], [], typeof(ReferralReported.Rule),
            [], [], Public: true, "The receiving bureau reported the outcome: the referral is concluded"),
    ]);
}
