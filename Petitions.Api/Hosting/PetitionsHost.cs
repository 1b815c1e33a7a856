using System.Text.Json.Serialization;
using MediatR;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Petitions.Api.Endpoints;
using Petitions.Api.Http;
using Petitions.Workflows;
using Petitions.Workflows.Features.Administration;
using Petitions.Workflows.Storage;

namespace Petitions.Api.Hosting;

/// <summary>The composition root: configuration, services, middleware and endpoints of the service.</summary>
public static partial class PetitionsHost
{
    public static WebApplicationBuilder AddPetitions(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var dataDirectory = Path.Combine(builder.Environment.ContentRootPath, "data");

        builder.Services.AddOptions<StorageOptions>()
            .Bind(configuration.GetSection("Storage"))
            .PostConfigure(o =>
            {
                o.ConnectionString = configuration.GetConnectionString("Petitions") is { Length: > 0 } configured
                    ? configured
                    : o.Provider == StorageProvider.Sqlite
                        ? $"Data Source={Path.Combine(dataDirectory, "petitions.db")}"
                        : throw new InvalidOperationException($"ConnectionStrings:Petitions must be set for the {o.Provider} provider.");
                if (o.Provider == StorageProvider.Sqlite) Directory.CreateDirectory(dataDirectory);
            });
        builder.Services.AddPetitionsWorkflows(PersonalDataKeyFile.Resolve(configuration, builder.Environment, dataDirectory));
        builder.Services.Configure<Petitions.Workflows.Materials.MaterialOptions>(configuration.GetSection("Materials"));
        builder.Services.AddOptions<Documents.PublicSiteOptions>().Bind(configuration.GetSection("Public"))
            .Validate(o => o.IsValid, "Public:BaseUrl must be an absolute http(s) address without query or fragment, such as https://xf.example.gov.cn.")
            .ValidateOnStart();

        var maxBodyBytes = configuration.GetValue<long?>("Http:MaxRequestBodyBytes") ?? 1_048_576;
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = maxBodyBytes);
        builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true); // one problem mapping for binding errors too
        builder.Services.Configure<JsonOptions>(o =>
        {
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(System.Text.Json.JsonNamingPolicy.KebabCaseLower, allowIntegerValues: false));
            o.SerializerOptions.Converters.Add(new NulCharacters.JsonStrings());
        });
        builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = c => c.ProblemDetails.Detail ??= StatusDetail(c.ProblemDetails.Status, maxBodyBytes));
        builder.Services.AddExceptionHandler<ProblemMapping>();

        builder.Services.AddDataProtection()
            .SetApplicationName("Petitions")
            .PersistKeysToFileSystem(new DirectoryInfo(configuration["DataProtection:KeysPath"] is { Length: > 0 } keys ? keys : Path.Combine(dataDirectory, "keys")));
        builder.Services.AddAuthentication(BearerTokenDefaults.AuthenticationScheme)
            .AddBearerToken(o => o.BearerTokenExpiration = configuration.GetValue("Auth:AccessTokenLifetime", TimeSpan.FromHours(1)))
            .AddCookie(o =>
            {
                o.LoginPath = "/login";
                o.AccessDeniedPath = "/denied";
                o.Cookie.Name = "petitions";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Strict;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.ExpireTimeSpan = configuration.GetValue("Auth:CookieLifetime", TimeSpan.FromHours(8));
                o.SlidingExpiration = true;
                // Pages authenticate during authorization, after RefuseEndedSessions: the cookie checks for itself, and a
                // browser holding an ended one is told to drop it.
                o.Events.OnValidatePrincipal = async context =>
                {
                    if (context.Principal is { } principal && !await principal.IsCurrentSessionAsync(context.HttpContext))
                    {
                        context.RejectPrincipal();
                        await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
                    }
                };
                // The handler would send the browser to an absolute address made of the request's Host header.
                o.Events.OnRedirectToLogin = context => RedirectWithinSite(context, o.LoginPath);
                o.Events.OnRedirectToAccessDenied = context => RedirectWithinSite(context, o.AccessDeniedPath);
            });
        builder.Services.AddAuthorization(o => o.AddPagePolicies());
        // Chinese text as it is, not as numeric character references: pages a third the size, and readable source.
        builder.Services.Configure<Microsoft.Extensions.WebEncoders.WebEncoderOptions>(o =>
            o.TextEncoderSettings = new System.Text.Encodings.Web.TextEncoderSettings(System.Text.Unicode.UnicodeRanges.All));
        builder.Services.AddAntiforgery(o => o.Cookie.Name = "petitions-antiforgery");
        builder.Services.AddRazorPages(o =>
        {
            // Every page but the sign-in form and the status page is for signed-in users. The form does not even read
            // the cookie: its antiforgery token is then the anonymous one the sign-in endpoint checks, whoever is signed
            // in already. Nor does the status page: it needs no database, so it shows when the database is the trouble.
            o.Conventions.AddFolderApplicationModelConvention("/", page =>
            {
                if (page.ViewEnginePath is not ("/Login" or "/Status")) page.EndpointMetadata.Add(new Microsoft.AspNetCore.Authorization.AuthorizeAttribute(SessionEndpoints.PagesPolicy));
            });
            o.Conventions.AuthorizeFolder("/Reception", PagesAuthorization.Reception);
            o.Conventions.AuthorizePage("/Supervision/Index", PagesAuthorization.Supervision);
            o.Conventions.AuthorizePage("/Supervision/Orders", PagesAuthorization.SupervisionOrders);
            o.Conventions.AuthorizeFolder("/Reports", PagesAuthorization.Reports);
            o.Conventions.AuthorizeFolder("/Cases", PagesAuthorization.Petitions);
            o.Conventions.AuthorizeFolder("/Admin", PagesAuthorization.Admin);
            o.Conventions.AllowAnonymousToFolder("/Public");
            o.Conventions.AllowAnonymousToPage("/Login");
            o.Conventions.AllowAnonymousToPage("/Status");
            o.Conventions.ConfigureFilter(new NoHandlerIsNotFound());
        });
        // The pages' words: Resources/Words.resx (Chinese, the neutral culture) and Words.en.resx.
        builder.Services.AddLocalization();
        // Chinese by default; ?lang=en switches, and a cookie remembers the choice.
        builder.Services.Configure<RequestLocalizationOptions>(o =>
        {
            o.SetDefaultCulture("zh-CN").AddSupportedCultures("zh-CN", "en").AddSupportedUICultures("zh-CN", "en");
            o.RequestCultureProviders =
            [
                new Microsoft.AspNetCore.Localization.QueryStringRequestCultureProvider { QueryStringKey = "lang", UIQueryStringKey = "lang" },
                new Microsoft.AspNetCore.Localization.CookieRequestCultureProvider(),
            ];
        });
        builder.Services.Configure<Petitions.Workflows.Features.Accounts.AccountOptions>(configuration.GetSection("Auth"));

        builder.Services.AddPublicRateLimits(configuration);
        builder.Services.AddSingleton<LookupGuard>();
        builder.AddBackgroundJobs();
        builder.Services.AddApiDocumentation(configuration);
        builder.Services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database");
        builder.AddOperations();
        return builder;
    }

    public static WebApplication UsePetitions(this WebApplication app)
    {
        app.Use(SecurityHeaders);
        // The language before the status pages: a re-executed request keeps the one its original asked for (?lang=).
        app.UseRequestLocalization();
        app.Use(RememberLanguage);
        // A bare error status, or an exception ProblemMapping left without a body, becomes a problem for programs and
        // the status page for a person at the pages (docs/decisions/0026). Outside the exception handler, so they see
        // its answers; the pages' re-execution inside the problems', so it comes first.
        app.UseStatusCodePages();
        app.UseWhen(Pages.StatusModel.IsPageRequest, pages => pages.UseStatusCodePagesWithReExecute("/status/{0}"));
        app.UseExceptionHandler();
        app.UseRouting(); // here, not before the status pages: a re-executed request is routed again
        app.Use(NulCharacters.RefuseAsync); // after routing: a material upload's endpoint reads its own body
        app.UseStaticFiles();
        app.UseAuthentication();
        app.Use(RefuseEndedSessions);
        app.UseMetricsEndpoint();
        app.UseAuthorization();
        app.UseAntiforgery();
        app.UseRateLimiter();
        app.UseMaterialUploads();

        app.MapApiDocumentation();
        app.MapHealthChecks("/health", Operations.Health).AllowAnonymous();
        app.MapAuthEndpoints();
        app.MapPetitionEndpoints();
        app.MapMaterialEndpoints();
        app.MapActionEndpoints();
        app.MapSupervisionEndpoints();
        app.MapReportEndpoints();
        app.MapAdministrationEndpoints();
        app.MapSessionEndpoints();
        app.MapJobsDashboard();
        app.MapRazorPages();
        app.MapPublicEndpoints();
        return app;
    }

    /// <summary>Migrates (when configured, or always for the <c>migrate</c> command); to serve, makes sure the shared token
    /// key exists and, in Development, seeds the demo.</summary>
    public static async Task PrepareDatabaseAsync(this WebApplication app, bool migrateOnly)
    {
        var storage = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<StorageOptions>>().Value;
        var migrator = app.Services.GetRequiredService<Migrator>();
        if (migrateOnly || storage.MigrateOnStartup) await migrator.MigrateAsync(app.Lifetime.ApplicationStopping);
        // Hangfire's schema: by the migrate command, and by every instance that runs jobs (Scheduling.InstallJobStorageAsync).
        if (migrateOnly || (storage.MigrateOnStartup && app.Configuration.GetValue("Jobs:Enabled", true)))
            await Scheduling.InstallJobStorageAsync(migrator, storage, app.Lifetime.ApplicationStopping);
        if (migrateOnly) return;

        // Instances that start together on an empty key folder would each create a token key of their own, and once
        // their first two minutes are over a token from one no longer opens on another (dotnet/aspnetcore#52678).
        // Under the migration lock the first instance creates the key and the others find it.
        await migrator.UnderMigrationLockAsync(
            () => app.Services.GetDataProtector("Petitions.KeyRing").Protect("ready"), app.Lifetime.ApplicationStopping);
        if (!app.Environment.IsDevelopment()) return;

        var password = app.Configuration["Demo:Password"];
        if (string.IsNullOrEmpty(password)) return;
        await using var scope = app.Services.CreateAsyncScope();
        if (await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new SeedDemoData.Command(password)))
            LogDemoSeeded(app.Logger);
        await app.SeedDemoPetitionsAsync();
    }

    /// <summary>
    /// Standard headers on every answer: no MIME sniffing, no framing, no referrer, a same-origin content policy (the
    /// printable notices use an inline stylesheet), and no caching of answers that may hold personal data. Set as the
    /// answer starts, after everything else: the exception handler clears the headers of the answer it replaces, and
    /// antiforgery sets weaker ones of its own. A content policy an endpoint set itself stands (the API reference allows
    /// its nonced scripts).
    /// </summary>
    private static Task SecurityHeaders(HttpContext context, Func<Task> next)
    {
        context.Response.OnStarting(static state =>
        {
            var headers = ((HttpResponse)state).Headers;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            if (string.IsNullOrEmpty(headers.ContentSecurityPolicy))
                headers.ContentSecurityPolicy = "default-src 'self'; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'";
            headers.CacheControl = "no-store";
            return Task.CompletedTask;
        }, context.Response);
        return next();
    }

    /// <summary>A redirect of the pages' sign-in cookie as a path on this site: never an address built from the Host
    /// header. The page asked for comes back as <c>returnUrl</c>.</summary>
    private static Task RedirectWithinSite(RedirectContext<CookieAuthenticationOptions> context, PathString target)
    {
        var request = context.Request;
        context.Response.Redirect(request.PathBase + target
            + QueryString.Create(context.Options.ReturnUrlParameter, request.PathBase + request.Path + request.QueryString));
        return Task.CompletedTask;
    }

    /// <summary>A language chosen with <c>?lang=</c> is remembered in a cookie for the next pages.</summary>
    private static Task RememberLanguage(HttpContext context, Func<Task> next)
    {
        // As the answer starts: an error's answer (the status page) is made after the exception handler cleared the headers.
        if (context.Request.Query.TryGetValue("lang", out var lang) && lang.ToString() is "zh-CN" or "en")
            context.Response.OnStarting(() =>
            {
                context.Response.Cookies.Append(
                    Microsoft.AspNetCore.Localization.CookieRequestCultureProvider.DefaultCookieName,
                    Microsoft.AspNetCore.Localization.CookieRequestCultureProvider.MakeCookieValue(new(lang.ToString())),
                    new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Lax, MaxAge = TimeSpan.FromDays(365) });
                return Task.CompletedTask;
            });
        return next();
    }

    /// <summary>A bearer token whose session has ended (a password change, a disable or enable, a sign-out) is refused
    /// before it expires: the request goes on as anonymous. The pages' cookie is checked as it is read.</summary>
    private static async Task RefuseEndedSessions(HttpContext context, Func<Task> next)
    {
        if (!await context.User.IsCurrentSessionAsync(context))
            context.User = new System.Security.Claims.ClaimsPrincipal(new System.Security.Claims.ClaimsIdentity());
        await next();
    }

    /// <summary>What a bare status code means here, for answers that no exception explained.</summary>
    private static string? StatusDetail(int? status, long maxBodyBytes) => status switch
    {
        StatusCodes.Status400BadRequest => "The request could not be read. If it came from a form, reload the page and send it again.",
        StatusCodes.Status401Unauthorized => "Sign in first: send 'Authorization: Bearer <token>' with a token from POST /api/auth/token.",
        StatusCodes.Status403Forbidden => "Your roles do not allow this.",
        StatusCodes.Status404NotFound => "There is nothing at this address.",
        StatusCodes.Status405MethodNotAllowed => "This address does not take that HTTP method.",
        StatusCodes.Status413PayloadTooLarge => $"The request body is larger than the limit of {maxBodyBytes} bytes.",
        StatusCodes.Status415UnsupportedMediaType => "Send the body as application/json.",
        StatusCodes.Status429TooManyRequests => "Too many requests from your address; wait a while and try again.",
        _ => null,
    };

    /// <summary>The <c>reencrypt</c> command: personal data written with retired keys is re-encrypted with the current one.</summary>
    public static async Task ReencryptAsync(this WebApplication app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var count = await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new ReencryptPersonalData.Command(), app.Lifetime.ApplicationStopping);
        LogReencrypted(app.Logger, count);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Re-encrypted {Count} stored values with the current personal-data key")]
    private static partial void LogReencrypted(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Seeded the Development demo organizations and users")]
    private static partial void LogDemoSeeded(ILogger logger);

    /// <summary>
    /// A form posted to a handler the page does not have is a 404. Razor Pages would render the page without running
    /// any handler, and the case page then failed on the petition it never loaded with a 500.
    /// </summary>
    private sealed class NoHandlerIsNotFound : Microsoft.AspNetCore.Mvc.Filters.IPageFilter
    {
        public void OnPageHandlerSelected(Microsoft.AspNetCore.Mvc.Filters.PageHandlerSelectedContext context) { }

        public void OnPageHandlerExecuting(Microsoft.AspNetCore.Mvc.Filters.PageHandlerExecutingContext context)
        {
            if (context.HandlerMethod is null && !HttpMethods.IsGet(context.HttpContext.Request.Method) && !HttpMethods.IsHead(context.HttpContext.Request.Method))
                context.Result = new Microsoft.AspNetCore.Mvc.NotFoundResult();
        }

        public void OnPageHandlerExecuted(Microsoft.AspNetCore.Mvc.Filters.PageHandlerExecutedContext context) { }
    }

    private sealed class DatabaseHealthCheck(Database database) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            await using var connection = await database.OpenAsync(cancellationToken);
            return HealthCheckResult.Healthy();
        }
    }
}
