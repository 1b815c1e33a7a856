using System.Globalization;
using Petitions.Workflows.Materials;

namespace Petitions.Api.Pages;

/// <summary>The pages' words for materials, in both languages, beside <see cref="Text"/>.</summary>
public static class MaterialText
{
    public static string Kind(IStringLocalizer<Words> words, string code) => words.Code("MaterialKind", code);

    public static string Size(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} B",
        < 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:F0} KB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1048576.0:F1} MB"),
    };

    /// <summary>What the file inputs suggest to the browser's picker; the content decides all the same.</summary>
    public static string Accept { get; } = string.Join(',', MaterialTypes.All.SelectMany(t => t.Extensions));

    /// <summary>A refused file, named by its place in the form ("the 2nd file").</summary>
    public static string Refusal(IStringLocalizer<Words> words, MaterialRefusedException refused)
    {
        var said = Text.English ? refused.Message : Messages.ByCode(words, refused.Code) ?? words["Messages.Generic"];
        var field = refused.Field;
        return field.StartsWith("files[", StringComparison.Ordinal) && field.EndsWith(']')
            && int.TryParse(field.AsSpan(6, field.Length - 7), CultureInfo.InvariantCulture, out var index)
            ? words["Materials.FileNumbered", index + 1, said]
            : said;
    }
}
