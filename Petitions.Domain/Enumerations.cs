namespace Petitions.Domain;

/// <summary>How a petition reached the bureau (TL2022 Art 17; email under TL2005).</summary>
public enum Channel { Visit, Letter, Phone, Fax, Online, Email }

/// <summary>TL2022 Art 29–31.</summary>
public enum Category { Suggestion, Accusation, Complaint }

/// <summary>The stages of DOMAIN.md §2.</summary>
public enum Stage
{
    Registered,
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
