using System.Text.Json;
using FluentValidation;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Petitions.Domain;
using Petitions.Workflows;

namespace Petitions.Api.Http;

/// <summary>
/// The one mapping from exceptions to RFC 9457 problem responses, the same in every environment: a client's
/// mistake is a 4xx naming the problem, never a 500. An unexpected exception is logged; a request never is.
/// </summary>
public sealed partial class ProblemMapping(
    IProblemDetailsService problems, Petitions.Workflows.Storage.Database database, PetitionsMetrics metrics, ILogger<ProblemMapping> log) : IExceptionHandler
{
    /// <summary>When a client refused for lack of capacity may try again.</summary>
    public const int RetryAfterSeconds = 1;

    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is DatabaseBusyException || database.Dialect.IsOverloaded(exception))
        {
            // Back-pressure: nothing was written (docs/decisions/0018); the client comes back in a moment.
            metrics.Refused((exception as DatabaseBusyException)?.Reason ?? "database");
            context.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return await WriteAsync(context, Problem(StatusCodes.Status503ServiceUnavailable, "Busy",
                $"The service has more work than its database can take right now; nothing was changed. Try again in {RetryAfterSeconds} s."));
        }
        var problem = exception switch
        {
            ValidationException validation => Invalid(validation.Errors
                .GroupBy(e => FieldPath(e.PropertyName))
                .ToDictionary(g => g.Key, g => g.Select(e => e.ErrorMessage).Distinct().ToArray())),
            BadHttpRequestException { InnerException: JsonException json } => Invalid(new Dictionary<string, string[]>
            {
                [JsonPath(json.Path)] = ["The value is not valid JSON, or not of the expected type."],
            }),
            BadHttpRequestException bad => Problem(bad.StatusCode, Title(bad.StatusCode), bad.Message),
            Microsoft.AspNetCore.Antiforgery.AntiforgeryValidationException => Problem(
                StatusCodes.Status400BadRequest, "Form expired", "The form's antiforgery token is missing or invalid; reload the page and send it again."),
            UnauthorizedException e => Problem(StatusCodes.Status401Unauthorized, "Not signed in", e.Message),
            ForbiddenException e => Problem(StatusCodes.Status403Forbidden, "Not allowed", e.Message),
            NotFoundException e => Problem(StatusCodes.Status404NotFound, "Not found", e.Message),
            RuleViolationException e => WithRule(Problem(StatusCodes.Status409Conflict, "Refused by a rule", e.Message), e),
            Petitions.Workflows.Materials.MaterialRefusedException e => Refused(e),
            ConcurrencyConflictException e => Problem(StatusCodes.Status409Conflict, "Conflict", e.Message),
            IdempotencyKeyReusedException e => Problem(StatusCodes.Status422UnprocessableEntity, "Idempotency-Key reused", e.Message),
            _ => null,
        };
        if (problem is null)
        {
            LogUnexpected(exception, context.TraceIdentifier);
            problem = Problem(StatusCodes.Status500InternalServerError, "Unexpected error",
                "The service failed to answer. Nothing you sent was the cause; the error is logged under this trace id.");
        }
        return await WriteAsync(context, problem);
    }

    private async ValueTask<bool> WriteAsync(HttpContext context, ProblemDetails problem)
    {
        problem.Extensions["traceId"] = context.TraceIdentifier;
        context.Response.StatusCode = problem.Status!.Value;
        // A person at the pages is shown the status page instead, which the status pages add to a bare status.
        if (Pages.StatusModel.WillShow(context)) return true;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem });
    }

    private static HttpValidationProblemDetails Invalid(IDictionary<string, string[]> errors) => new(errors)
    {
        Status = StatusCodes.Status400BadRequest,
        Title = "The request is not valid",
        Detail = $"Check {string.Join(", ", errors.Keys)}.",
    };

    /// <summary>A file refused at the door: 413 too large, 415 not an allowed type (by its content), else 400; the field
    /// names the file (<c>files[0]</c>).</summary>
    private static HttpValidationProblemDetails Refused(Petitions.Workflows.Materials.MaterialRefusedException refused)
    {
        var (status, title) = refused.Reason switch
        {
            Petitions.Workflows.Materials.MaterialRefusal.TooLarge => (StatusCodes.Status413PayloadTooLarge, "File too large"),
            Petitions.Workflows.Materials.MaterialRefusal.UnsupportedType => (StatusCodes.Status415UnsupportedMediaType, "File type not allowed"),
            _ => (StatusCodes.Status400BadRequest, "The request is not valid"),
        };
        var problem = new HttpValidationProblemDetails(new Dictionary<string, string[]> { [refused.Field] = [refused.Message] })
        {
            Status = status,
            Title = title,
            Detail = refused.Message,
        };
        problem.Extensions["code"] = refused.Code;
        return problem;
    }

    private static ProblemDetails Problem(int status, string title, string detail) => new() { Status = status, Title = title, Detail = detail };

    /// <summary>The rule's code, and the petition it is about when it names one (the earlier case of a repeat).</summary>
    private static ProblemDetails WithRule(ProblemDetails problem, RuleViolationException violation)
    {
        problem.Extensions["rule"] = violation.Rule;
        if (violation.RelatedCaseNumber is { } related) problem.Extensions["relatedCaseNumber"] = related;
        return problem;
    }

    private static string Title(int status) => status switch
    {
        StatusCodes.Status413PayloadTooLarge => "Request body too large",
        StatusCodes.Status415UnsupportedMediaType => "Unsupported media type",
        _ => "Bad request",
    };

    /// <summary>"Petitioner.IdNumber" or "Representatives[0].Name" as the client wrote it: camelCase.</summary>
    internal static string FieldPath(string propertyName) =>
        string.Join('.', propertyName.Split('.').Select(segment => segment.Length == 0 ? segment : char.ToLowerInvariant(segment[0]) + segment[1..]));

    /// <summary>System.Text.Json reports "$.petitioner.idNumber"; the field path is what follows "$.".</summary>
    private static string JsonPath(string? path) =>
        path is null or "$" ? "body" : path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');

    // Exception messages of our code, the drivers and the serializer name fields and constraints, not values
    // (Npgsql leaves error detail out unless "Include Error Detail" is set), so the exception itself is logged.
    [LoggerMessage(Level = LogLevel.Error, Message = "Unexpected error answered as 500, trace {TraceId}")]
    private partial void LogUnexpected(Exception exception, string traceId);
}
