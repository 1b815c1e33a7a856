namespace Petitions.Domain;

/// <summary>
/// A business rule refused an action: the request was well formed but the petition's state or the rules of
/// DOMAIN.md do not allow it. Carries a stable code so clients can tell rules apart, and, where the rule is about
/// another petition (an earlier one on the same matter), that petition's case number.
/// </summary>
public sealed class RuleViolationException(string rule, string message, string? relatedCaseNumber = null) : Exception(message)
{
    public string Rule { get; } = rule;

    public string? RelatedCaseNumber { get; } = relatedCaseNumber;
}
