using FluentValidation;
using MediatR;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Petitions.Api.Http;
using Petitions.Domain;
using Petitions.Workflows;
using Petitions.Workflows.Features.Administration;
using Petitions.Workflows.Storage;

namespace Petitions.Api.Pages.Admin;

/// <summary>
/// What the administration pages share: they send the same commands as the API, and a refusal keeps the form with each
/// message beside its field (a rule's beside the field it concerns, else above the form). Something outside the
/// administrator's tree is not caught here: it answers 404, as the API does.
/// </summary>
internal static class AdminForms
{
    /// <summary>Sends a form's command; false when it was refused and the page should show the form again.</summary>
    public static async Task<bool> SendAsync<T>(this PageModel page, IMediator mediator, IStringLocalizer<Words> words, IRequest<T> command, CancellationToken ct, params (string Rule, string Field)[] ruleFields)
    {
        try
        {
            await mediator.Send(command, ct);
            return true;
        }
        catch (ValidationException invalid)
        {
            page.ModelState.Show(words, invalid);
        }
        catch (RuleViolationException refused)
        {
            var field = ruleFields.FirstOrDefault(r => r.Rule == refused.Rule).Field;
            page.ModelState.AddModelError(field is null ? "" : $"Input.{field}", Messages.Of(words, refused));
        }
        return false;
    }

    /// <summary>The administrator's tree: its organizations (root first, in tree order) and users.</summary>
    public static Task<ListAccounts.Response> AccountsAsync(this PageModel page, IMediator mediator, CancellationToken ct) =>
        mediator.Send(new ListAccounts.Query(page.User.Actor()), ct);

    /// <summary>A user of the administrator's tree and their organization, or null when there is none by that name there.</summary>
    public static async Task<(AccountStore.UserView User, Organization Organization)?> UserAsync(this PageModel page, IMediator mediator, string userName, CancellationToken ct)
    {
        var accounts = await page.AccountsAsync(mediator, ct);
        return accounts.Users.FirstOrDefault(u => u.UserName == userName) is { } user
            ? (user, accounts.Organizations.Single(o => o.Code == user.Organization))
            : null;
    }

    /// <summary>The organizations as a tree, depth first, each with its depth below the administrator's own (0), children
    /// by code: built from the parents, so it does not depend on how a database collates paths.</summary>
    public static IReadOnlyList<(Organization Organization, int Depth)> Tree(IReadOnlyList<Organization> organizations)
    {
        var ids = organizations.Select(o => o.Id).ToHashSet();
        var children = organizations.Where(o => o.ParentId is { } parent && ids.Contains(parent))
            .ToLookup(o => o.ParentId!.Value);
        var tree = new List<(Organization, int)>();
        void Visit(Organization organization, int depth)
        {
            tree.Add((organization, depth));
            foreach (var child in children[organization.Id].OrderBy(c => c.Code, StringComparer.Ordinal)) Visit(child, depth + 1);
        }
        foreach (var root in organizations.Where(o => o.ParentId is not { } parent || !ids.Contains(parent))) Visit(root, 0);
        return tree;
    }

    /// <summary>An organization's name indented by its depth, as the pickers show it.</summary>
    public static string Indented(Organization organization, int depth) => new string('\u3000', depth) + organization.Name;

    /// <summary>The roles a user of an organization of this kind may hold: a handling unit's users are handlers, a
    /// bureau's take the other roles (docs/decisions/0009).</summary>
    public static IReadOnlyList<string> RolesFor(string kind) =>
        Enum.GetValues<Role>().Where(role => AddUser.Handler.RoleFits(role, Codes.Parse<OrganizationKind>(kind))).Select(Codes.Of).ToList();

    /// <summary>A moment as the pages show it: its Shanghai date and time of day.</summary>
    public static string When(DateTimeOffset instant) =>
        $"{Text.Date(instant)} {instant.ToOffset(ShanghaiTime.Offset).ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture)}";

    /// <summary>A whole number typed in a form, or null with a message beside the field. The form takes text so the
    /// message is in the page's language (the model binder's would be English).</summary>
    public static int? Number(this ModelStateDictionary state, IStringLocalizer<Words> words, string field, string? typed)
    {
        if (int.TryParse(typed, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var number)) return number;
        state.AddModelError(field, words["Admin.EnterWholeNumber"]);
        return null;
    }

    /// <summary>A date typed in a form (yyyy-mm-dd, as a date field sends it), or null with a message beside the field.</summary>
    public static DateOnly? Date(this ModelStateDictionary state, IStringLocalizer<Words> words, string field, string? typed)
    {
        if (DateOnly.TryParseExact(typed, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var date)) return date;
        state.AddModelError(field, words["Admin.EnterDateSuchAs2026"]);
        return null;
    }
}
