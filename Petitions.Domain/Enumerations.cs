namespace Petitions.Domain;

/// <summary>How a petition reached the bureau (TL2022 Art 17; email under TL2005).</summary>
public enum Channel { Visit, Letter, Phone, Fax, Online, Email }

/// <summary>TL2022 Art 29–31.</summary>
public enum Category { Suggestion, Accusation, Complaint }

/// <summary>The stages of DOMAIN.md §2.</summary>
public enum Stage
{
    Registered,

    /// <summary>Referred to a subordinate bureau (交办): this case waits for that bureau's report or objection.</summary>
    Referred,
    InHandling,
    OpinionReview,
    AwaitingService,
    ReturnVisit,
    Closed,
    UnderReview,
    UnderRereview,
    Final,
}

/// <summary>Staff roles of DOMAIN.md §1. Petitioners are not users; they hold a case number and query code.</summary>
public enum Role { Reception, Office, Handler, Leader, Supervisor, Admin }

/// <summary>The level of an organization in the tree: province department → city bureau → county bureau → handling unit.</summary>
public enum OrganizationKind { Province, City, County, Unit }

/// <summary>How a handling opinion answers the petitioner (TL2022 Art 32).</summary>
public enum OpinionOutcome { Support, Explain, Reject }

/// <summary>What a review (复查) or re-review (复核) decides about the opinion below it.</summary>
public enum ReviewOutcome { Uphold, Revise, OrderRehandling }

/// <summary>The petitioner's satisfaction at the return visit or online evaluation (practice).</summary>
public enum Satisfaction { Satisfied, BasicallySatisfied, Dissatisfied, NoOpinion }

/// <summary>The legal procedure a diverted matter belongs to (诉访分离).</summary>
public enum LegalProcedure { Litigation, Reconsideration, Arbitration, PoliceProcedure }

/// <summary>How a written reply reached the petitioner.</summary>
public enum ServiceMethod { InPerson, Post, Electronic, Publication }

/// <summary>Every writing the petitioner (or a unit) is owed (DOMAIN.md §4).</summary>
public enum NoticeKind
{
    Acceptance,
    NonAcceptance,
    Extension,
    HandlingOpinion,
    ReviewOpinion,
    RereviewOpinion,
    ProofOfService,

    /// <summary>转送告知书: the matter went to an organ outside the system.</summary>
    Forwarding,

    /// <summary>交办告知书: the matter went to a subordinate bureau, which reports back.</summary>
    Referral,

    /// <summary>不再受理告知书: the same matter is already being handled, or final (TL2022 Art 19 ¶3, Art 36 ¶3).</summary>
    NotAcceptedAgain,
}

/// <summary>The level a petition is decided at: first handling, review (复查) or re-review (复核).</summary>
public enum ReviewLevel { Handling, Review, Rereview }

/// <summary>Who gave a satisfaction: the officer at the return visit, or the petitioner online. Separate facts.</summary>
public enum EvaluationSource { ReturnVisit, Petitioner }

/// <summary>How a bureau answered a referral (交办): it objected within the 5 working days, or reported the outcome.</summary>
public enum ReferralAnswer { Objected, Reported }

public enum ClockState { Running, Paused, Stopped, Overdue }

/// <summary>The warnings a clock gives (practice): amber a few days before its end, red once it has passed.</summary>
public enum WarningLevel { NearDue, Overdue }
