using MediatR;
using Petitions.Api.Http;
using Petitions.Workflows.Features.Administration;

namespace Petitions.Api.Endpoints;

public static class AdministrationEndpoints
{
    public sealed record PolicyRequest(string? Organization, IReadOnlyList<ClockRuleInput>? Rules);

    public sealed record OrganizationRequest(string? Parent, string? Code, string? Name, string? Kind);

    public sealed record ContactCardRequest(bool? Enabled, string? Phone);

    public sealed record UserRequest(string? UserName, string? DisplayName, string? Password, string? Organization, IReadOnlyList<string>? Roles)
    {
        public override string ToString() => nameof(UserRequest); // the password stays out of logs
    }

    public sealed record PasswordResetRequest(string? NewPassword)
    {
        public override string ToString() => nameof(PasswordResetRequest); // the password stays out of logs
    }

    public sealed record RolesRequest(IReadOnlyList<string>? Roles);

    public static void MapAdministrationEndpoints(this IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("/api/admin").RequireAuthorization();

        app.MapGet("/api/audit", async (
                string? caseNumber, string? user, DateOnly? from, DateOnly? to, long? before, int? limit, HttpContext http, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(new ListAudit.Query(caseNumber, user, from, to, before, limit, http.User.Actor()), ct)))
            .RequireAuthorization()
            .WithName("ListAudit")
            .WithSummary("The audit log, newest first (admin, supervisor): filter by caseNumber, user, from, to; page with before = the last id.");

        admin.MapGet("/accounts", async (HttpContext http, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(new ListAccounts.Query(http.User.Actor()), ct)))
            .WithName("ListAccounts")
            .WithSummary("The organizations and users of the administrator's subtree.");

        admin.MapPost("/organizations", async (OrganizationRequest request, HttpContext http, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(new AddOrganization.Command(request.Parent, request.Code, request.Name, request.Kind, http.User.Actor()), ct)))
            .WithName("AddOrganization")
            .WithSummary("Add an organization (province, city, county or unit) under its parent, by code.");

        admin.MapPut("/organizations/{code}/contact-card", async (string code, ContactCardRequest request, HttpContext http, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(new SetContactCard.Command(code, request.Enabled, request.Phone, http.User.Actor()), ct)))
            .WithName("SetContactCard")
            .WithSummary("Whether a bureau shows petitioners the handling officer's contact card (enabled), and the organization's public office phone.");

        admin.MapPost("/users", async (UserRequest request, HttpContext http, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(
                    new AddUser.Command(request.UserName, request.DisplayName, request.Password, request.Organization, request.Roles, http.User.Actor()), ct)))
            .WithName("AddUser")
            .WithSummary("Add a user to an organization, with roles and a first password.");

        admin.MapPost("/users/{userName}/disable", async (string userName, HttpContext http, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(new SetUserDisabled.Command(userName, true, http.User.Actor()), ct)))
            .WithName("DisableUser")
            .WithSummary("Disable a user: sign-in and their tokens stop working.");

        admin.MapPost("/users/{userName}/enable", async (string userName, HttpContext http, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(new SetUserDisabled.Command(userName, false, http.User.Actor()), ct)))
            .WithName("EnableUser")
            .WithSummary("Enable a disabled user again.");

        admin.MapPost("/users/{userName}/password", async (string userName, PasswordResetRequest request, HttpContext http, IMediator mediator, CancellationToken ct) =>
            {
                await mediator.Send(new ResetPassword.Command(userName, request.NewPassword, http.User.Actor()), ct);
                return TypedResults.NoContent();
            })
            .WithName("ResetPassword")
            .WithSummary("Give a user of the administrator's subtree a new password (at least 10 characters): it clears a lockout and ends the user's sessions.");

        admin.MapPut("/users/{userName}/roles", async (string userName, RolesRequest request, HttpContext http, IMediator mediator, CancellationToken ct) =>
            {
                await mediator.Send(new SetUserRoles.Command(userName, request.Roles, http.User.Actor()), ct);
                return TypedResults.NoContent();
            })
            .WithName("SetUserRoles")
            .WithSummary("Give a user of the administrator's subtree these roles in place of theirs (handler at a unit, the others at a bureau): it ends the user's sessions.");

        admin.MapGet("/contact-cards", async (HttpContext http, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(new ListContactCards.Query(http.User.Actor()), ct)))
            .WithName("ListContactCards")
            .WithSummary("The contact-card settings and office phones of the organizations of the administrator's subtree.");

        admin.MapGet("/holidays/{year:int}", async (int year, HttpContext http, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(new GetHolidayTable.Query(year, http.User.Actor()), ct)))
            .WithName("GetHolidayTable")
            .WithSummary("A year's holiday table (days off and make-up working days).");

        admin.MapPut("/holidays/{year:int}", async (int year, IReadOnlyList<HolidayDay> days, HttpContext http, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(new PublishHolidayTable.Command(year, days, http.User.Actor()), ct)))
            .WithName("PublishHolidayTable")
            .WithSummary("Replace a year's holiday table (admin), from the State Council notice.");

        admin.MapGet("/policies", async (HttpContext http, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(new ListDeadlinePolicies.Query(http.User.Actor()), ct)))
            .WithName("ListDeadlinePolicies")
            .WithSummary("The national deadline rules and every published policy.");

        admin.MapPost("/policies", async (PolicyRequest request, HttpContext http, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(new PublishDeadlinePolicy.Command(request.Organization, request.Rules, http.User.Actor()), ct)))
            .WithName("PublishDeadlinePolicy")
            .WithSummary("Publish a new version of a bureau's deadline policy (admin): one rule per clock.");
    }
}
