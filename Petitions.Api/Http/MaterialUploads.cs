using System.Buffers;
using System.Text;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;
using Petitions.Workflows.Materials;

namespace Petitions.Api.Http;

/// <summary>
/// Marks an endpoint or a page that takes files. Its multipart body is read by <see cref="MaterialUploads"/>, a part
/// at a time, each file staged as it streams in; ASP.NET Core's form reader, which would buffer every file (in memory,
/// then in plaintext temporary files), never sees it.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method)]
public sealed class MaterialUploadAttribute : Attribute
{
    /// <summary>An online submission: a petitioner's smaller limits and kinds.</summary>
    public bool Petitioner { get; init; }

    /// <summary>A page: a refused file is reported to the page (beside its form), not answered as a problem, and the
    /// text fields become the request's form for model binding and the antiforgery check.</summary>
    public bool Page { get; init; }
}

/// <summary>A multipart body as read at the door: its text fields, its staged files, and the files it refused (pages only).</summary>
public sealed class MaterialForm(IFormCollection fields, IReadOnlyList<MaterialInput> files, IReadOnlyList<MaterialRefusedException> refusals)
{
    public IFormCollection Fields { get; } = fields;
    public IReadOnlyList<MaterialInput> Files { get; } = files;
    public IReadOnlyList<MaterialRefusedException> Refusals { get; } = refusals;

    /// <summary>The request's form as read at the door, or null when it sent no multipart body.</summary>
    public static MaterialForm? Of(HttpContext context) => context.Features.Get<MaterialForm>();

    public static IReadOnlyList<MaterialInput> FilesOf(HttpContext context) => Of(context)?.Files ?? [];
}

/// <summary>
/// Reads the multipart bodies of the endpoints and pages marked <see cref="MaterialUploadAttribute"/>, after sign-in,
/// authorization and rate limits: each file part is staged as it arrives (<see cref="StagedFile"/>) and takes the
/// <c>kind</c> and <c>description</c> fields sent before it. Only these requests may be larger than
/// <c>Http:MaxRequestBodyBytes</c>: up to their files' limits. A body that is not readable multipart (truncated, a
/// wrong boundary, oversized part headers) is a 400 that stores nothing.
/// </summary>
public static class MaterialUploads
{
    private const int MaxFields = 1024;
    private const int MaxFieldBytes = 64 * 1024;
    private const int MaxBoundaryLength = 70; // RFC 2046

    public static IApplicationBuilder UseMaterialUploads(this IApplicationBuilder app) => app.Use(ReadAsync);

    /// <summary>Whether this request's body is a multipart form that <see cref="UseMaterialUploads"/> reads.</summary>
    public static bool ReadsBodyOf(HttpContext context) => Upload(context) is not null;

    private static (MaterialUploadAttribute Upload, string? Boundary)? Upload(HttpContext context) =>
        context.GetEndpoint()?.Metadata.GetMetadata<MaterialUploadAttribute>() is { } upload
        && HttpMethods.IsPost(context.Request.Method)
        && MediaTypeHeaderValue.TryParse(context.Request.ContentType, out var contentType)
        && contentType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase)
            ? (upload, HeaderUtilities.RemoveQuotes(contentType.Boundary).Value)
            : null;

    private static async Task ReadAsync(HttpContext context, Func<Task> next)
    {
        if (Upload(context) is var (upload, boundary))
        {
            var form = await ReadFormAsync(context, boundary, upload);
            context.Features.Set(form);
            if (upload.Page) context.Request.Form = form.Fields;
        }
        await next();
    }

    private static async Task<MaterialForm> ReadFormAsync(HttpContext context, string? boundary, MaterialUploadAttribute upload)
    {
        var staging = context.RequestServices.GetRequiredService<MaterialStaging>();
        var options = staging.Options;
        var maxFiles = upload.Petitioner ? options.PublicMaxFiles : options.MaxFilesPerRequest;
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodySize)
            bodySize.MaxRequestBodySize = MaterialOptions.RequestLimit(maxFiles, upload.Petitioner ? options.PublicMaxFileBytes : options.MaxFileBytes);
        if (string.IsNullOrWhiteSpace(boundary) || boundary.Length > MaxBoundaryLength)
            throw Malformed($"The multipart/form-data body needs a boundary of 1 to {MaxBoundaryLength} characters.");

        var ct = context.RequestAborted;
        var reader = new MultipartReader(boundary, context.Request.Body) { HeadersCountLimit = 16, HeadersLengthLimit = 16 * 1024 };
        var fields = new Dictionary<string, StringValues>(StringComparer.Ordinal);
        var files = new List<MaterialInput>();
        var refusals = new List<MaterialRefusedException>();
        string? kind = null, description = null;
        try
        {
            while (await reader.ReadNextSectionAsync(ct) is { } section)
            {
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)
                    || !disposition.DispositionType.Equals("form-data", StringComparison.OrdinalIgnoreCase)
                    || HeaderUtilities.RemoveQuotes(disposition.Name).Value is not { Length: > 0 } name)
                    throw Malformed("Every part needs a 'Content-Disposition: form-data' header with a name.");
                if (!disposition.IsFileDisposition())
                {
                    if (fields.Count >= MaxFields) throw Malformed($"The form has more than {MaxFields} fields.");
                    var value = await ReadFieldAsync(section.Body, name, ct);
                    if (name == "kind") kind = value;
                    else if (name == "description") description = value;
                    fields[name] = StringValues.Concat(fields.GetValueOrDefault(name), value);
                    continue;
                }

                var sentName = disposition.FileNameStar.HasValue ? disposition.FileNameStar.Value : HeaderUtilities.RemoveQuotes(disposition.FileName).Value;
                var field = $"files[{files.Count + refusals.Count}]";
                try
                {
                    if (files.Count + refusals.Count >= maxFiles)
                    {
                        // One file too many, unless it is a form's file input left empty.
                        if (string.IsNullOrEmpty(sentName) && await section.Body.ReadAsync(new byte[1], ct) == 0) continue;
                        throw new MaterialRefusedException(MaterialRefusal.TooMany, "files", $"At most {maxFiles} files at a time.");
                    }
                    var staged = await staging.StageAsync(section.Body, sentName, upload.Petitioner, field, ct);
                    context.Response.RegisterForDisposeAsync(staged);
                    files.Add(new MaterialInput(kind, description, staged));
                }
                // A form's file input left empty sends an empty part without a name: nothing was attached.
                catch (MaterialRefusedException refused) when (refused.Reason == MaterialRefusal.Empty && string.IsNullOrEmpty(sentName))
                {
                }
                catch (MaterialRefusedException refused) when (upload.Page)
                {
                    refusals.Add(refused);
                    await section.Body.CopyToAsync(Stream.Null, ct); // the fields after it still count
                }
            }
        }
        catch (IOException truncated) when (truncated is not BadHttpRequestException && !ct.IsCancellationRequested)
        {
            throw Malformed("The multipart body ended before its closing boundary.");
        }
        catch (InvalidDataException unreadable) // a part's headers over their limits, a line without its end
        {
            throw Malformed(unreadable.Message);
        }
        return new MaterialForm(new FormCollection(fields), files, refusals);
    }

    private static async Task<string> ReadFieldAsync(Stream body, string name, CancellationToken ct)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(MaxFieldBytes + 1);
        try
        {
            var length = await body.ReadAtLeastAsync(buffer.AsMemory(0, MaxFieldBytes + 1), MaxFieldBytes + 1, throwOnEndOfStream: false, ct);
            if (length > MaxFieldBytes) throw new MaterialRefusedException(MaterialRefusal.Malformed, name, $"The field is longer than {MaxFieldBytes} bytes.");
            var value = Encoding.UTF8.GetString(buffer, 0, length);
            return value.Contains('\0') || name.Contains('\0') ? throw new MaterialRefusedException(MaterialRefusal.Malformed, name, NulCharacters.Refusal) : value;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static MaterialRefusedException Malformed(string message) => new(MaterialRefusal.Malformed, "body", message);
}
