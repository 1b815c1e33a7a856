using Petitions.Domain;
using Petitions.Workflows.Features.Appeals;
using Petitions.Workflows.Features.Handling;
using Petitions.Workflows.Features.Service;
using Petitions.Workflows.Features.Supervision;
using Petitions.Workflows.Features.Triage;
using static Petitions.Domain.ClockKind;
using static Petitions.Domain.NoticeKind;
using static Petitions.Domain.Role;
using static Petitions.Domain.Stage;
using static Petitions.Workflows.Workflow.ClockEffect;

namespace Petitions.Workflows.Workflow;

/// <summary>Version 1 of the petition workflow: the stages and actions of DOMAIN.md §2 under TL2022.</summary>
public static class PetitionWorkflowV1
{
    public static WorkflowDefinition Definition { get; } = new(1,
    [
        // Triage (within the 15-day intake limit)
        new("accept", [Registered], [InHandling], [Office], typeof(Accept.Rule),
            [Stop(Intake), Start(Handling)], [Acceptance], Public: true, "Accept and assign a handling unit (受理)"),
        new("decline", [Registered], [Closed], [Office], typeof(Decline.Rule),
            [Stop(Intake)], [NonAcceptance], Public: true, "Decline, with the reason and where to go (不予受理)"),
        new("divert", [Registered], [Closed], [Office], typeof(Divert.Rule),
            [Stop(Intake)], [NonAcceptance], Public: true, "Divert into its legal procedure (导入法定程序)"),
        new("forward", [Registered], [Closed], [Office], typeof(Forward.Rule),
            [Stop(Intake)], [], Public: true, "Forward to an organ outside the system (转送)"),
        new("refer", [Registered], [Closed], [Office], typeof(Refer.Rule),
            [Stop(Intake)], [], Public: true, "Refer to a subordinate bureau, which gets a linked case (交办)"),
        new("mark-duplicate", [Registered], [Closed], [Office], typeof(MarkDuplicate.Rule),
            [Stop(Intake)], [], Public: true, "Not accepted again: the same matter is already handled (不再受理)"),
        new("confirm-accused-unit", [Registered], [], [Office], typeof(ConfirmAccusedUnit.Rule),
            [], [], Public: false, "Confirm which of our organizations an accusation accuses, or that none is meant")
        { OfferedWhen = (p, _, _) => p.Category == Category.Accusation },

        // Handling (60 days, once extended by at most 30)
        new("record-progress", [InHandling], [], [Handler, Office], typeof(RecordProgress.Rule),
            [], [], Public: false, "Record progress"),
        new("request-extension", [InHandling], [], [Handler], typeof(RequestExtension.Rule),
            [], [], Public: false, "Ask a leader for up to 30 more days")
        { OfferedWhen = (p, _, _) => p.MayRequestExtension },
        new("approve-extension", [InHandling], [], [Leader], typeof(ApproveExtension.Rule),
            [Extend(Handling)], [Extension], Public: true, "Approve the extension (延期)")
        { OfferedWhen = (p, _, _) => p.HasPendingExtension },
        new("reject-extension", [InHandling], [], [Leader], typeof(RejectExtension.Rule),
            [], [], Public: false, "Reject the extension request")
        { OfferedWhen = (p, _, _) => p.HasPendingExtension },
        new("reassign", [InHandling], [], [Office], typeof(Reassign.Rule),
            [], [], Public: true, "Assign another handling unit"),
        new("return-to-office", [InHandling], [Registered], [Handler], typeof(ReturnToOffice.Rule),
            [Stop(Handling)], [], Public: false, "Give the petition back to the office"),
        new("submit-opinion", [InHandling], [OpinionReview], [Handler], typeof(SubmitOpinion.Rule),
            [], [], Public: false, "Submit the draft handling opinion"),

        // Opinion review
        new("approve-opinion", [OpinionReview], [AwaitingService], [Leader, Office], typeof(ApproveOpinion.Rule),
            [Stop(Handling)], [HandlingOpinion], Public: true, "Approve the opinion and issue it (信访处理意见书)"),
        new("return-opinion", [OpinionReview], [InHandling], [Leader, Office], typeof(ReturnOpinion.Rule),
            [], [], Public: false, "Return the draft opinion to the handling unit"),

        // Service and return visit
        new("record-service", [AwaitingService], [Stage.ReturnVisit, Closed, Final], [Office, Handler], typeof(RecordService.Rule),
            [
                Start(ReviewRequest, ReviewLevel.Handling),
                Start(ClockKind.ReturnVisit, ReviewLevel.Handling),
                Start(RereviewRequest, ReviewLevel.Review),
            ],
            [ProofOfService], Public: true, "Record the service of the written reply (送达)"),
        new("record-return-visit", [Stage.ReturnVisit], [Closed], [Office, Handler, Supervisor], typeof(RecordReturnVisit.Rule),
            [Stop(ClockKind.ReturnVisit)], [], Public: true, "Record the return visit and the petitioner's satisfaction"),

        // Review (复查) and re-review (复核) at the levels above
        new("request-review", [Closed], [UnderReview], [Office, Reception], typeof(RequestReview.Rule),
            [Stop(ReviewRequest), Start(ReviewDecision)], [], Public: true, "Record the petitioner's request for review")
        { OfferedWhen = (p, _, today) => p.MayRequestHigherReview(ReviewLevel.Review, today) },
        new("submit-review-opinion", [UnderReview], [AwaitingService, InHandling], [Office, Leader], typeof(SubmitReviewOpinion.Rule),
            [Stop(ReviewDecision)], [ReviewOpinion], Public: true, "Decide the review (复查意见书)"),
        new("request-rereview", [Closed], [UnderRereview], [Office, Reception], typeof(RequestRereview.Rule),
            [Stop(RereviewRequest), Start(RereviewDecision)], [], Public: true, "Record the petitioner's request for re-review")
        { OfferedWhen = (p, _, today) => p.MayRequestHigherReview(ReviewLevel.Rereview, today) },
        new("start-hearing", [UnderRereview], [], [Office], typeof(StartHearing.Rule),
            [Pause(RereviewDecision)], [], Public: true, "Open a hearing: the re-review clock pauses (听证)"),
        new("end-hearing", [UnderRereview], [], [Office], typeof(EndHearing.Rule),
            [Resume(RereviewDecision)], [], Public: true, "Close the hearing: the re-review clock runs again"),
        new("submit-rereview-opinion", [UnderRereview], [AwaitingService], [Office, Leader], typeof(SubmitRereviewOpinion.Rule),
            [Stop(RereviewDecision)], [RereviewOpinion], Public: true, "Decide the re-review (复核意见书)"),
        new("finalize", [Closed], [Final], [Office], typeof(Finalize.Rule),
            [Stop(ReviewRequest), Stop(RereviewRequest)], [], Public: true, "Final: the request window passed unused (终结)")
        { OfferedWhen = (p, _, today) => p.HasMissedWindow(today) },

        // Leadership
        new("take-charge", [Registered, InHandling, OpinionReview, AwaitingService, Stage.ReturnVisit, Closed, UnderReview, UnderRereview], [], [Leader],
            typeof(TakeCharge.Rule), [], [], Public: false, "A leader takes personal charge of the petition (包案)")
        { OfferedWhen = (p, actor, _) => !p.IsInChargeOf(actor.UserId!.Value) },
    ]);
}
