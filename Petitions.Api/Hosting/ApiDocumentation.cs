using System.Collections.Concurrent;
using System.Globalization;
using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using FluentValidation;
using FluentValidation.Validators;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Petitions.Workflows;
using Scalar.AspNetCore;

namespace Petitions.Api.Hosting;

/// <summary>
/// The API contract, <c>/openapi/v1.json</c>, and its reference page, <c>/api/reference</c>. The document is built from
/// the endpoints and, for what a body must hold, from the same FluentValidation validators that judge it: required
/// fields, lengths, ranges and the codes a code field takes. Schema names come from the nesting of the types
/// (<c>Accept.Payload</c> is <c>AcceptPayload</c>), and two types that would share a name stop the document instead
/// of one silently standing for the other.
/// </summary>
public static class ApiDocumentation
{
    public const string DocumentPath = "/openapi/v1.json";
    public const string ReferencePath = "/api/reference";
    private const string BearerScheme = "Bearer";

    /// <summary>Tags by path prefix, most specific first: one place, so an endpoint added under a prefix is tagged.</summary>
    private static readonly (string Prefix, string Tag, string Description)[] Tags =
    [
        ("api/petitions/{caseNumber}/actions", "Actions", "The workflow: the actions the caller may take now, and one operation per action, each with its own body."),
        ("api/petitions", "Petitions", "Registration, the petitions within the caller's reach, their records, notices and receipts."),
        ("api/workbench", "Petitions", "Registration, the petitions within the caller's reach, their records, notices and receipts."),
        ("api/public", "Public", "For petitioners, without an account: online submission, progress by case number and query code, evaluation."),
        ("api/supervision", "Supervision", "Overdue and near-due boards, supervision orders and the daily digest."),
        ("api/reports", "Reports", "Reports of the petitions received in a period, and the cases behind each number."),
        ("api/auth", "Sign-in", "Bearer tokens for programs, and password changes."),
        ("api/admin", "Administration", "Organizations, users and their passwords, contact cards, holiday tables, deadline policies and the audit log."),
        ("api/audit", "Administration", "Organizations, users and their passwords, contact cards, holiday tables, deadline policies and the audit log."),
    ];

    private const string Description =
        """
        Case management for petitions (信访) at a public security bureau: registration, triage, handling, opinions,
        service, return visits, review and re-review, with the statutory deadlines.

        **Authentication**: `POST /api/auth/token` exchanges a user name and password for a bearer token; send it as
        `Authorization: Bearer …`. The public operations (petitioners: submission, progress, evaluation) need none.
        Roles and the caller's organization are checked by the service: an operation outside them is a 403, a petition
        outside the caller's reach a 404.

        **Errors** are RFC 9457 problems (`application/problem+json`): 400 names the invalid fields in `errors`
        (keyed by camelCase path), 409 names the refusing rule in `rule`. A refused request changes nothing.

        **Codes** (stages, channels, categories, outcomes) are kebab-case strings; each body lists the codes it takes.
        """;

    /// <summary>The document's configuration: schema names, the validators' constraints, descriptions, tags, security.</summary>
    public static IServiceCollection AddApiDocumentation(this IServiceCollection services, IConfiguration configuration) =>
        services.AddOpenApi(options =>
        {
            options.CreateSchemaReferenceId = UniqueSchemaIds();
            options.AddSchemaTransformer(DescribeSchemaAsync);
            options.AddOperationTransformer(DescribeOperation);
            options.AddDocumentTransformer((document, _, _) =>
            {
                DescribeDocument(document, configuration);
                return Task.CompletedTask;
            });
        });

    /// <summary>The document, and the reference page over it: anonymous, like the document (it shows the API, no data).
    /// The page's one inline script runs under a nonce made for each answer; nothing else of the policy changes.</summary>
    public static void MapApiDocumentation(this WebApplication app)
    {
        app.MapOpenApi(DocumentPath).AllowAnonymous(); // the one document: another name is a plain 404 problem, not the package's text
        app.MapScalarApiReference(ReferencePath, options => options
                .WithTitle("Petitions API")
                .WithOpenApiRoutePattern(DocumentPath)
                .DisableDefaultFonts() // they come from Scalar's CDN
                .DisableTelemetry()
                .DisableAgent()
                .DisableMcp()
                .HideDeveloperTools() // its toolbar links to Scalar's hosted services
                .AddPreferredSecuritySchemes([BearerScheme])
                .WithNonce())
            .AllowAnonymous()
            .AddEndpointFilter(async (context, next) =>
            {
                var result = await next(context);
                if (context.HttpContext.Items[ScalarOptions.NonceHttpContextItemKey] is string nonce)
                    context.HttpContext.Response.Headers.ContentSecurityPolicy =
                        $"default-src 'self'; script-src 'self' 'nonce-{nonce}'; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'";
                return result;
            });
    }

    /// <summary>
    /// Schema names: the package's own, prefixed by the types a type is nested in (<c>Accept.Payload</c> →
    /// <c>AcceptPayload</c>, <c>RegisterPetition.Response</c> → <c>RegisterPetitionResponse</c>). Two types that still
    /// meet on one name fail the document: the package would otherwise describe the second with the first's schema.
    /// </summary>
    private static Func<JsonTypeInfo, string?> UniqueSchemaIds()
    {
        var owners = new ConcurrentDictionary<string, Type>(StringComparer.Ordinal);
        return typeInfo =>
        {
            if (OpenApiOptions.CreateDefaultSchemaReferenceId(typeInfo) is not { } id) return null;
            var type = Nullable.GetUnderlyingType(typeInfo.Type) ?? typeInfo.Type;
            for (var outer = type.DeclaringType; outer is not null; outer = outer.DeclaringType) id = outer.Name + id;
            var owner = owners.GetOrAdd(id, type);
            return owner == type
                ? id
                : throw new InvalidOperationException($"The OpenAPI schema name '{id}' would stand for both {owner.FullName} and {type.FullName}; rename one.");
        };
    }

    private static Task DescribeSchemaAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken ct)
    {
        var typeInfo = context.JsonTypeInfo;
        // Strings pass through our own converter (it refuses NUL), which the package cannot see into: it leaves them
        // untyped, and arrays of them without items.
        if (typeInfo.Type == typeof(string) && schema.Type is null)
            schema.Type = StringType(context.JsonPropertyInfo);
        if (schema.Type?.HasFlag(JsonSchemaType.Array) == true && schema.Items is null && typeInfo.ElementType == typeof(string))
            schema.Items = new OpenApiSchema { Type = JsonSchemaType.String };

        if (context.JsonPropertyInfo is null && typeInfo.Kind == JsonTypeInfoKind.Object
            && context.ApplicationServices.GetService(typeof(IValidator<>).MakeGenericType(typeInfo.Type)) is IValidator validator)
            ApplyValidator(schema, typeInfo, validator.CreateDescriptor());
        return Task.CompletedTask;
    }

    private static JsonSchemaType StringType(JsonPropertyInfo? property) =>
        JsonSchemaType.String | (property is { IsGetNullable: true } ? JsonSchemaType.Null : 0);

    /// <summary>What the validator demands of each property, unconditionally: present and not null (required), one of
    /// some codes (an enum), a length, a range; what it does not demand is optional, whatever the constructor says.
    /// Conditional rules and predicates stay in the prose and the 400s.</summary>
    private static void ApplyValidator(OpenApiSchema schema, JsonTypeInfo typeInfo, IValidatorDescriptor descriptor)
    {
        schema.Required = new HashSet<string>();
        foreach (var property in typeInfo.Properties)
        {
            if (property.AttributeProvider is not MemberInfo member || !(schema.Properties?.TryGetValue(property.Name, out var described) ?? false)) continue;
            var target = described as OpenApiSchema; // a reference (an object or enum of its own) keeps its schema
            if (target is { Type: null } && property.PropertyType == typeof(string)) target.Type = StringType(property); // properties come after their object
            var validators = descriptor.GetRulesForMember(member.Name)
                .Where(rule => !rule.HasCondition && !rule.HasAsyncCondition && !IsForEach(rule))
                .SelectMany(rule => rule.Components)
                .Where(component => !component.HasCondition && !component.HasAsyncCondition)
                .Select(component => component.Validator);
            foreach (var validator in validators)
            {
                switch (validator)
                {
                    case INotNullValidator or INotEmptyValidator or IOneOfValidator:
                        schema.Required.Add(property.Name);
                        if (target?.Type is { } type) target.Type = type & ~JsonSchemaType.Null;
                        if (validator is INotEmptyValidator && target?.Type == JsonSchemaType.String) target.MinLength ??= 1;
                        if (validator is IOneOfValidator oneOf && target is not null)
                            target.Enum = [.. oneOf.Codes.Select(code => (JsonNode)JsonValue.Create(code))];
                        break;
                    case ILengthValidator length when target is not null:
                        if (length.Max > 0) target.MaxLength = length.Max;
                        if (length.Min > 0) target.MinLength = length.Min;
                        break;
                    case IRegularExpressionValidator pattern when target is not null:
                        target.Pattern = pattern.Expression;
                        break;
                    case IInclusiveBetweenValidator between when target is not null:
                        target.Minimum = Convert.ToString(between.From, CultureInfo.InvariantCulture);
                        target.Maximum = Convert.ToString(between.To, CultureInfo.InvariantCulture);
                        break;
                }
            }
        }
    }

    private static bool IsForEach(IValidationRule rule) => // RuleForEach: the rule is about the items
        rule.GetType().GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(ICollectionRule<,>));

    /// <summary>Every operation: its tag by path, a description (the endpoint's own, else its summary and who may call
    /// it) and, unless anonymous, the bearer token it needs.</summary>
    private static Task DescribeOperation(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken ct)
    {
        var path = context.Description.RelativePath ?? "";
        var tag = Tags.FirstOrDefault(t => path == t.Prefix || path.StartsWith(t.Prefix + "/", StringComparison.Ordinal)).Tag
            ?? throw new InvalidOperationException($"No OpenAPI tag for '{path}': add its prefix to {nameof(ApiDocumentation)}.{nameof(Tags)}.");
        operation.Tags = new HashSet<OpenApiTagReference> { new(tag, context.Document) };

        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        var anonymous = metadata.OfType<IAllowAnonymous>().Any() || !metadata.OfType<IAuthorizeData>().Any();
        if (string.IsNullOrWhiteSpace(operation.Description))
            operation.Description = $"{operation.Summary?.TrimEnd('.')}. " + (anonymous
                ? "No account needed."
                : "Needs a bearer token; the service checks the caller's roles and reach.");
        if (!anonymous)
            operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, context.Document)] = [] }];
        return Task.CompletedTask;
    }

    private static void DescribeDocument(OpenApiDocument document, IConfiguration configuration)
    {
        document.Info = new OpenApiInfo
        {
            Title = "Petitions API",
            Version = "v1",
            Description = Description,
            Contact = new OpenApiContact
            {
                Name = configuration["OpenApi:ContactName"] is { Length: > 0 } name ? name : "The petition office's system administrators",
                Email = configuration["OpenApi:ContactEmail"] is { Length: > 0 } email ? email : null,
            },
        };
        // The package names the server as the request reached it, with a trailing slash that joins paths with '//'.
        foreach (var server in document.Servers ?? []) server.Url = server.Url?.TrimEnd('/');
        document.Tags = new HashSet<OpenApiTag>(Tags.DistinctBy(t => t.Tag).Select(t => new OpenApiTag { Name = t.Tag, Description = t.Description }));
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "A token from POST /api/auth/token.",
        };
    }
}
