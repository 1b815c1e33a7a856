using MediatR;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Petitions.Api.Http;
using Petitions.Workflows.Features.Administration;
using Petitions.Workflows.Storage;

namespace Petitions.Api.Pages.Admin;

/// <summary>The organization tree an administrator keeps, and a form to add a bureau or a handling unit under one of
/// its bureaus. The parent is chosen from the tree; one from elsewhere (a form edited by hand) is not found.</summary>
public sealed class OrganizationsModel(IMediator mediator, IStringLocalizer<Words> words) : PageModel
{
    public sealed class OrganizationForm
    {
        public string? Parent { get; set; }
        public string? Code { get; set; }
        public string? Name { get; set; }
        public string? Kind { get; set; }
    }

    [BindProperty] public OrganizationForm Input { get; set; } = new();
    [TempData] public string? Done { get; set; }

    public IReadOnlyList<(Organization Organization, int Depth)> Tree { get; private set; } = [];
    public ILookup<string, AccountStore.UserView> UsersByOrganization { get; private set; } = Enumerable.Empty<AccountStore.UserView>().ToLookup(u => "");

    /// <summary>What may sit under a bureau of this tree (province → city → county → unit; a unit under any bureau).</summary>
    public IReadOnlyList<string> Kinds => [.. Tree.Select(t => t.Organization.Kind).Distinct().SelectMany(Below).Distinct().OrderBy(k => Array.IndexOf(Order, k))];

    public IEnumerable<(Organization Organization, int Depth)> Parents => Tree.Where(t => t.Organization.Kind != "unit");

    private static readonly string[] Order = ["province", "city", "county", "unit"];

    private static IEnumerable<string> Below(string kind) => kind switch
    {
        "province" => ["city", "unit"],
        "city" => ["county", "unit"],
        "county" => ["unit"],
        _ => [],
    };

    public override async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        var accounts = await this.AccountsAsync(mediator, HttpContext.RequestAborted);
        Tree = AdminForms.Tree(accounts.Organizations);
        UsersByOrganization = accounts.Users.ToLookup(u => u.Organization);
        await next();
    }

    public void OnGet(string? parent)
    {
        Input.Parent = parent ?? Parents.FirstOrDefault().Organization?.Code;
        Input.Kind = Kinds.LastOrDefault();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var command = new AddOrganization.Command(Input.Parent, Input.Code?.Trim(), Input.Name, Input.Kind, User.Actor());
        if (!await this.SendAsync(mediator, words, command, ct, ("code-taken", nameof(Input.Code)), ("organization-tree", nameof(Input.Kind)))) return Page();
        Done = words["Admin.Organizations.Added01", Input.Name?.Trim() ?? "", command.Code ?? ""];
        return RedirectToPage();
    }
}
