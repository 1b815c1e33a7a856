using System.Globalization;
using Petitions.Workflows.Materials;

namespace Petitions.Api.Pages;

/// <summary>The pages' words for materials, in both languages, beside <see cref="Text"/>.</summary>
public static class MaterialText
{
    public static string Kind(string code) => code switch
    {
        "letter" => Text.T("来信原件", "Letter"),
        "evidence" => Text.T("证据材料", "Evidence"),
        "recording" => Text.T("录音", "Recording"),
        "investigation-record" => Text.T("调查材料", "Investigation record"),
        "signed-proof-of-service" => Text.T("签收的送达回证", "Signed proof of service"),
        "signed-return-visit-record" => Text.T("签字的回访记录", "Signed return-visit record"),
        "other" => Text.T("其他", "Other"),
        _ => code,
    };

    public static string Size(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} B",
        < 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:F0} KB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1048576.0:F1} MB"),
    };

    /// <summary>What the file inputs suggest to the browser's picker; the content decides all the same.</summary>
    public static string Accept { get; } = string.Join(',', MaterialTypes.All.SelectMany(t => t.Extensions));

    /// <summary>A refused file, named by its place in the form ("the 2nd file").</summary>
    public static string Refusal(MaterialRefusedException refused)
    {
        var words = Text.English ? refused.Message : Messages.ByCode(refused.Code) ?? Messages.Generic;
        var field = refused.Field;
        return field.StartsWith("files[", StringComparison.Ordinal) && field.EndsWith(']')
            && int.TryParse(field.AsSpan(6, field.Length - 7), CultureInfo.InvariantCulture, out var index)
            ? Text.T($"第{index + 1}个文件：{words}", $"File {index + 1}: {words}")
            : words;
    }
}
