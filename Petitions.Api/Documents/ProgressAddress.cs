using QRCoder;

namespace Petitions.Api.Documents;

/// <summary>Where petitioners reach the service from outside (<c>Public:BaseUrl</c>), as printed on receipts.</summary>
public sealed class PublicSiteOptions
{
    /// <summary>The public address of this service, such as https://xf.example.gov.cn; none: receipts print no address.</summary>
    public string? BaseUrl { get; set; }

    /// <summary>An absolute http(s) address without query or fragment, or none at all.</summary>
    public bool IsValid => string.IsNullOrEmpty(BaseUrl)
        || Uri.TryCreate(BaseUrl, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && uri.Query == "" && uri.Fragment == "" && uri.UserInfo == "";
}

/// <summary>
/// The address where a petitioner follows a petition, printed on the receipt with its QR code. It names the case number
/// and never the query code: an address is kept in browser histories, server logs and photographs of the QR code, and
/// the code is what keeps the petition to the petitioner (they type it in on the page).
/// </summary>
public static class ProgressAddress
{
    public static string? For(PublicSiteOptions site, string caseNumber) =>
        site.BaseUrl is { Length: > 0 } baseUrl ? $"{baseUrl.TrimEnd('/')}/progress?caseNumber={Uri.EscapeDataString(caseNumber)}" : null;

    /// <summary>The QR code of <paramref name="address"/> as an SVG element that scales to its box (drawn here, no image
    /// is fetched).</summary>
    public static string QrSvg(string address)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(address, QRCodeGenerator.ECCLevel.M);
        return new SvgQRCode(data).GetGraphic();
    }
}
