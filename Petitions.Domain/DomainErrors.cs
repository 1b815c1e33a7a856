namespace Petitions.Domain;

/// <summary>
/// A business rule refused an action: the request was well formed but the petition's state or the rules of
/// DOMAIN.md do not allow it. Carries a stable code so clients can tell rules apart.
/// </summary>
public sealed class RuleViolationException(string rule, string message) : Exception(message)
{
    public string Rule { get; } = rule;
}
