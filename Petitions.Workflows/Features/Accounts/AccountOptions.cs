namespace Petitions.Workflows.Features.Accounts;

/// <summary>Configuration section <c>Auth</c>: how many wrong passwords in a row lock an account, and for how long.</summary>
public sealed class AccountOptions
{
    public int MaxFailedLogins { get; set; } = 5;
    public TimeSpan LockoutDuration { get; set; } = TimeSpan.FromMinutes(15);
}
