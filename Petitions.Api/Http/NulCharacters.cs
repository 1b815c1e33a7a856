using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Primitives;

namespace Petitions.Api.Http;

/// <summary>
/// No field takes the NUL character (U+0000). PostgreSQL cannot store it in text, so a request carrying one failed
/// there with a 500 while SQLite kept it; a request must mean the same on every database. JSON strings are refused by
/// <see cref="JsonStrings"/> (a 400 naming the field), query strings and forms by <see cref="RefuseAsync"/>; Kestrel
/// itself refuses one in the path.
/// </summary>
public static class NulCharacters
{
    internal const string Refusal = "No field accepts the NUL character (U+0000).";

    public static async Task RefuseAsync(HttpContext context, Func<Task> next)
    {
        var request = context.Request;
        // A form with files is read part by part where it is handled (MaterialUploads), which refuses NUL there.
        if (Any(request.Query) || (request.HasFormContentType && !MaterialUploads.ReadsBodyOf(context) && Any(await ReadFormAsync(request))))
            throw new BadHttpRequestException(Refusal);
        await next();
    }

    private static async Task<IFormCollection> ReadFormAsync(HttpRequest request)
    {
        try
        {
            return await request.ReadFormAsync(request.HttpContext.RequestAborted);
        }
        catch (InvalidDataException overLimits) // more fields or longer values than FormOptions allow: the client's doing
        {
            throw new BadHttpRequestException(overLimits.Message);
        }
        catch (IOException truncated) when (truncated is not BadHttpRequestException && !request.HttpContext.RequestAborted.IsCancellationRequested)
        {
            // A multipart body that ends before its closing boundary: the reader's "unexpected end of stream". (Kestrel's
            // own refusals, such as a body over the size limit, are IOExceptions too and keep their status.)
            throw new BadHttpRequestException($"The form's body is cut short: {truncated.Message}");
        }
    }

    private static bool Any(IEnumerable<KeyValuePair<string, StringValues>> fields) =>
        fields.Any(f => f.Key.Contains('\0') || f.Value.Any(v => v?.Contains('\0') == true));

    /// <summary>Reads JSON strings as usual, refusing one that holds NUL.</summary>
    public sealed class JsonStrings : JsonConverter<string>
    {
        public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            var text = reader.GetString();
            return text?.Contains('\0') == true ? throw new JsonException(Refusal) : text;
        }

        public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);

        public override string ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            Read(ref reader, typeToConvert, options)!;

        public override void WriteAsPropertyName(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WritePropertyName(value);
    }
}
