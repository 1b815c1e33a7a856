using MediatR;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.Extensions.Options;
using Petitions.Api.Hosting;
using Petitions.Api.Http;
using Petitions.Workflows.Features.Accounts;

namespace Petitions.Api.Endpoints;

public static class AuthEndpoints
{
    public sealed record TokenRequest(string? UserName, string? Password)
    {
        public override string ToString() => nameof(TokenRequest); // the password stays out of logs
    }

    public sealed record TokenResponse(string AccessToken, long ExpiresIn, string TokenType);

    public sealed record PasswordRequest(string? CurrentPassword, string? NewPassword)
    {
        public override string ToString() => nameof(PasswordRequest); // passwords stay out of logs
    }

    public static void MapAuthEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/auth/token", async (
                TokenRequest request, IMediator mediator, IOptionsMonitor<BearerTokenOptions> bearer, TimeProvider time, CancellationToken ct) =>
            {
                var user = await mediator.Send(new SignIn.Query(request.UserName, request.Password), ct);
                var options = bearer.Get(BearerTokenDefaults.AuthenticationScheme);
                var now = time.GetUtcNow();
                var properties = new AuthenticationProperties { IssuedUtc = now, ExpiresUtc = now + options.BearerTokenExpiration };
                var ticket = new AuthenticationTicket(Claims.Principal(user, BearerTokenDefaults.AuthenticationScheme), properties, BearerTokenDefaults.AuthenticationScheme);
                return TypedResults.Ok(new TokenResponse(
                    options.BearerTokenProtector.Protect(ticket), (long)options.BearerTokenExpiration.TotalSeconds, "Bearer"));
            })
            .AllowAnonymous()
            .RequireRateLimiting(RateLimits.SignIns)
            .WithName("IssueToken")
            .WithSummary("Exchanges a user name and password for a bearer token.");

        app.MapPost("/api/auth/password", async (PasswordRequest request, HttpContext http, IMediator mediator, CancellationToken ct) =>
            {
                await mediator.Send(new ChangePassword.Command(request.CurrentPassword, request.NewPassword, http.User.Actor()), ct);
                return TypedResults.NoContent();
            })
            .RequireAuthorization()
            .WithName("ChangePassword")
            .WithSummary("The signed-in user changes their password (at least 10 characters); every session of the user ends, this token's too.");

        app.MapPost("/api/auth/logout", async (HttpContext http, IMediator mediator, CancellationToken ct) =>
            {
                await mediator.Send(new SignOut.Command(http.User.Actor()), ct);
                return TypedResults.NoContent();
            })
            .RequireAuthorization()
            .WithName("SignOut")
            .WithSummary("Ends every session of the signed-in user: this token, their other tokens and the pages' cookie.");
    }
}
