using MediatR;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Petitions.Api.Http;
using Petitions.Domain;
using Petitions.Workflows.Features.Administration;
using Petitions.Workflows.Storage;

namespace Petitions.Api.Pages.Admin;

/// <summary>
/// The deadline policies that concern the administrator (the national rules, their own line of bureaus), and a form
/// to publish the next version for a bureau of their tree, one rule per clock, filled in with what that bureau follows
/// now. A bureau from elsewhere (a form edited by hand) is not found.
/// </summary>
public sealed class PoliciesModel(IMediator mediator, IStringLocalizer<Words> words) : PageModel
{
    public sealed class RuleForm
    {
        public string? Clock { get; set; }
        public string? Days { get; set; }
        public string? Count { get; set; }
        public bool RollForward { get; set; }
        public string? WarningLeadDays { get; set; }
    }

    public sealed class PolicyForm
    {
        public string? Organization { get; set; }
        public List<RuleForm> Rules { get; set; } = [];
    }

    [BindProperty] public PolicyForm Input { get; set; } = new();
    [TempData] public string? Done { get; set; }

    public IReadOnlyList<PolicyView> Policies { get; private set; } = [];
    public IReadOnlyList<(Organization Organization, int Depth)> Bureaus { get; private set; } = [];
    private Dictionary<string, Organization> _all = [];

    /// <summary>The policy the form was filled in from.</summary>
    public PolicyView? Basis { get; private set; }

    public string OrganizationName(string code) =>
        code == "national" ? words["Admin.Policies.NationalRulesTL2022"] : _all.TryGetValue(code, out var o) ? o.Name : code;

    public async Task OnGetAsync(string? organization, CancellationToken ct)
    {
        await LoadAsync(ct);
        Input.Organization = Bureaus.Any(b => b.Organization.Code == organization) ? organization : Bureaus.FirstOrDefault().Organization?.Code;
        Basis = BasisFor(Input.Organization);
        Input.Rules = [.. Basis.Rules.Select(r => new RuleForm
        {
            Clock = r.Clock,
            Days = r.Days.ToString(System.Globalization.CultureInfo.InvariantCulture),
            Count = r.Count,
            RollForward = r.RollForward,
            WarningLeadDays = r.WarningLeadDays.ToString(System.Globalization.CultureInfo.InvariantCulture),
        })];
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var rules = Input.Rules.Select((r, i) => new ClockRuleInput(
            r.Clock, ModelState.Number(words, $"Input.Rules[{i}].Days", r.Days) ?? 0, r.Count, r.RollForward,
            ModelState.Number(words, $"Input.Rules[{i}].WarningLeadDays", r.WarningLeadDays) ?? 0)).ToList();
        if (ModelState.IsValid && await this.SendAsync(mediator, words, new PublishDeadlinePolicy.Command(Input.Organization, rules, User.Actor()), ct))
        {
            Done = words["Admin.Policies.PublishedNewPolicyFor0", Input.Organization ?? ""];
            return Redirect($"/admin/policies?organization={Uri.EscapeDataString(Input.Organization!)}");
        }
        await LoadAsync(ct);
        return Page();
    }

    /// <summary>What a bureau follows now: its newest policy, else the nearest level above it in the tree, else the
    /// national rules (the first of the list).</summary>
    private PolicyView BasisFor(string? code)
    {
        for (var organization = code is null ? null : _all.GetValueOrDefault(code); organization is not null;
             organization = organization.ParentId is { } parent ? _all.Values.FirstOrDefault(o => o.Id == parent) : null)
            if (Policies.FirstOrDefault(p => p.Organization == organization.Code) is { } own) return own;
        return Policies[0];
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Policies = await mediator.Send(new ListDeadlinePolicies.Query(User.Actor()), ct);
        var accounts = await this.AccountsAsync(mediator, ct);
        _all = accounts.Organizations.ToDictionary(o => o.Code);
        Bureaus = [.. AdminForms.Tree(accounts.Organizations).Where(t => t.Organization.Kind != "unit")];
    }
}
