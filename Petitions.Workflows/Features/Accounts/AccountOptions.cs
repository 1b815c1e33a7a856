namespace Petitions.Workflows.Features.Accounts;

/// <summary>Configuration section <c>Auth</c>: how many wrong passwords in a row lock an account and for how long, and
/// how long an instance trusts what it read of a user's sessions.</summary>
public sealed class AccountOptions
{
    public int MaxFailedLogins { get; set; } = 5;
    public TimeSpan LockoutDuration { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How old an instance's copy of a user's security stamp may be: the longest a session ended on another
    /// instance still works on this one.</summary>
    public TimeSpan SessionCheckInterval { get; set; } = TimeSpan.FromSeconds(10);
}
