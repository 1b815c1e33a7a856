using Petitions.Tests.Support;
using Petitions.Workflows.Materials;

namespace Petitions.Tests.Workflows.Materials;

/// <summary>The type of a file comes from its content: every allowed format is recognised from bytes built as its
/// specification lays them out, and executables, pages and look-alike containers are not, whatever they are called.</summary>
public sealed class MaterialTypesTests
{
    public static TheoryData<string, byte[]> Allowed() => new()
    {
        { "pdf", MaterialSamples.Pdf("信访材料") },
        { "jpeg", MaterialSamples.Jpeg() },
        { "png", MaterialSamples.Png() },
        { "tiff", MaterialSamples.Tiff() },
        { "heic", MaterialSamples.Heic() },
        { "docx", MaterialSamples.Docx() },
        { "xlsx", MaterialSamples.Xlsx() },
        { "doc", MaterialSamples.Doc() },
        { "xls", MaterialSamples.Xls() },
        { "ofd", MaterialSamples.Ofd() },
        { "mp3", MaterialSamples.Mp3() },
        { "mp3", MaterialSamples.Mp3(id3: false) },
        { "amr", MaterialSamples.Amr() },
        { "m4a", MaterialSamples.M4a() },
        { "m4a", MaterialSamples.M4a(brand: "mp42") },
        { "wav", MaterialSamples.Wav() },
    };

    [Theory]
    [MemberData(nameof(Allowed))]
    public async Task An_allowed_format_is_recognised_by_its_content(string type, byte[] content) =>
        Assert.Equal(type, (await DecideAsync(content))?.Code);

    public static TheoryData<string, byte[]> Refused() => new()
    {
        { "an ELF executable", MaterialSamples.Elf() },
        { "a Windows executable", MaterialSamples.WindowsProgram() },
        { "an HTML page with a script", MaterialSamples.Html() },
        { "an SVG image with a script", MaterialSamples.Svg() },
        { "a ZIP holding a program", MaterialSamples.ZipWithProgram() },
        { "a PowerPoint file", MaterialSamples.Pptx() },
        { "an installer (OLE, no Word or Excel stream)", MaterialSamples.Installer() },
        { "an MP4 video", MaterialSamples.Mp4Video() },
        { "a PDF header cut short", "%PD"u8.ToArray() },
        { "a ZIP header without a directory", [.. "PK\x03\x04"u8, .. new byte[40]] },
        { "an OLE header alone", MaterialSamples.Doc()[..512] },
        { "one byte of an MP3 frame", [0xFF, 0xFB, 0x90, 0x00, 0x00] },
        { "plain text", "信访人张三的来信"u8.ToArray() },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task Anything_else_is_refused(string what, byte[] content) => Assert.True(await DecideAsync(content) is null, what);

    [Theory]
    [InlineData("来信扫描件.pdf", "pdf", "来信扫描件.pdf")]
    [InlineData("LETTER.PDF", "pdf", "LETTER.pdf")]
    [InlineData("../../etc/passwd", "pdf", "passwd.pdf")]
    [InlineData("C:\\Users\\张三\\Desktop\\照片.JPEG", "jpeg", "照片.jpeg")]
    [InlineData("evil.pdf.exe", "pdf", "evil.pdf.exe.pdf")]
    [InlineData("photo\u202Egpj.exe", "jpeg", "photogpj.exe.jpg")]
    [InlineData("a\u0000b\u0007c\r\n.pdf", "pdf", "abc.pdf")]
    [InlineData("zero\u200Bwidth\uFEFF.pdf", "pdf", "zerowidth.pdf")]
    [InlineData("  ..hidden  .pdf ", "pdf", "hidden.pdf")]
    [InlineData("what?<>:\"|*.doc", "doc", "what_______.doc")]
    [InlineData("CON.pdf", "pdf", "_CON.pdf")]
    [InlineData("", "wav", "material.wav")]
    [InlineData(null, "png", "material.png")]
    [InlineData("no extension", "xlsx", "no extension.xlsx")]
    public void A_name_is_cleaned_and_ends_in_its_types_extension(string? sent, string type, string expected) =>
        Assert.Equal(expected, MaterialNames.Clean(sent, MaterialTypes.ByCode(type)));

    [Fact]
    public void A_long_name_is_cut_without_splitting_a_character()
    {
        var name = MaterialNames.Clean(string.Concat(Enumerable.Repeat("😀信", 200)) + ".pdf", MaterialTypes.Pdf);

        Assert.Equal(MaterialNames.MaxLength, name.Length);
        Assert.EndsWith("信.pdf", name, StringComparison.Ordinal);
        Assert.False(char.IsHighSurrogate(name[^5]));
    }

    private static async Task<MaterialType?> DecideAsync(byte[] content)
    {
        var family = MaterialTypes.Sniff(content.AsSpan(0, Math.Min(content.Length, MaterialTypes.HeadBytes)));
        return family is null ? null : await MaterialTypes.DecideAsync(family, new MemoryStream(content), TestContext.Current.CancellationToken);
    }
}
