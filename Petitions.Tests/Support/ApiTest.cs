using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Petitions.Workflows.Storage;

namespace Petitions.Tests.Support;

/// <summary>A test class that talks HTTP to the real service on one database provider, fresh for each test.</summary>
public abstract partial class ApiTest(StorageProvider provider, DatabaseServers servers) : IAsyncLifetime
{
    protected ApiFactory Api { get; private set; } = null!;
    protected HttpClient Client { get; private set; } = null!;
    protected TestDatabase Database => Api.Database;

    /// <summary>Configuration the test class needs beyond <see cref="ApiFactory"/>'s.</summary>
    protected virtual IReadOnlyDictionary<string, string>? Settings => null;

    public async ValueTask InitializeAsync()
    {
        Api = new ApiFactory(await servers.CreateAsync(provider), settings: Settings);
        Client = Api.CreateClient();
        // HttpClient gives up after 100 s by default: a budget, which two full runs on two cores exceeded for a token.
        Client.Timeout = Timeout.InfiniteTimeSpan;
    }

    public virtual async ValueTask DisposeAsync()
    {
        if (Api is null) return;
        _browser?.Dispose();
        Client.Dispose();
        await Api.DisposeAsync();
        await Api.Database.DisposeAsync();
    }

    /// <summary>A browser-like client of the real socket: it keeps cookies and does not follow redirects (the
    /// factory's own clients follow them under Kestrel whatever their options say).</summary>
    protected HttpClient Browser => _browser ??= new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new() })
    {
        BaseAddress = Client.BaseAddress,
        Timeout = Timeout.InfiniteTimeSpan,
    };

    private HttpClient? _browser;

    /// <summary>The antiforgery token of the form on a page, as the <see cref="Browser"/> gets it.</summary>
    protected async Task<string> FormTokenAsync(string page = "/login") =>
        FormToken().Match(await Browser.GetStringAsync(page, Ct)).Groups["token"].Value;

    protected Task<HttpResponseMessage> PostFormAsync(string path, Dictionary<string, string> fields) =>
        Browser.PostAsync(path, new FormUrlEncodedContent(fields), Ct);

    /// <summary>Signs the <see cref="Browser"/> in through the sign-in form: it gets the pages' cookie.</summary>
    protected async Task SignInAsync(string userName)
    {
        var signedIn = await PostFormAsync("/login", new() { ["__RequestVerificationToken"] = await FormTokenAsync(), ["userName"] = userName, ["password"] = TestData.Password });
        Assert.Equal("/", signedIn.Headers.Location?.OriginalString);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*?value=\"(?<token>[^\"]+)\"")]
    protected static partial Regex FormToken();

    protected async Task<string> TokenAsync(string userName)
    {
        var response = await Client.PostAsJsonAsync("/api/auth/token", new { userName, password = TestData.Password }, Ct);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("accessToken").GetString()!;
    }

    protected async Task<HttpResponseMessage> SendAsync(
        HttpMethod method, string path, string? token, HttpContent? content = null, string? idempotencyKey = null, bool expectContinue = false)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        request.Headers.ExpectContinue = expectContinue;
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (idempotencyKey is not null) request.Headers.Add("Idempotency-Key", idempotencyKey);
        return await Client.SendAsync(request, Ct);
    }

    protected Task<HttpResponseMessage> RegisterAsync(string token, object body, string? idempotencyKey = null) =>
        SendAsync(HttpMethod.Post, "/api/petitions", token, JsonContent.Create(body), idempotencyKey);

    /// <summary>Registers <see cref="PetitionBody"/>, changed as the test needs, and returns its case number.</summary>
    protected async Task<string> NewPetitionAsync(Action<Dictionary<string, object?>>? change = null, string registrar = "reception")
    {
        var body = PetitionBody();
        change?.Invoke(body);
        var response = await RegisterAsync(await TokenAsync(registrar), body);
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Created, await response.Content.ReadAsStringAsync(Ct));
        return (await JsonAsync(response)).GetProperty("caseNumber").GetString()!;
    }

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A petition as a petitioner submits it online: addressed to the demo county, without a channel.</summary>
    protected static Dictionary<string, object?> OnlinePetitionBody()
    {
        var petition = PetitionBody();
        petition["bureau"] = "330799";
        petition.Remove("channel");
        return petition;
    }

    /// <summary>A registration body as a reception desk would send it.</summary>
    protected static Dictionary<string, object?> PetitionBody() => new()
    {
        ["channel"] = "visit",
        ["category"] = "complaint",
        ["petitioner"] = new Dictionary<string, object?>
        {
            ["name"] = TestData.PetitionerName,
            ["idNumber"] = TestData.IdNumber,
            ["phone"] = TestData.PetitionerPhone,
            ["address"] = TestData.PetitionerAddress,
        },
        ["subject"] = "噪音扰民",
        ["content"] = "邻居夜间施工，噪音扰民。",
    };

    /// <summary>The first security header an answer lacks (README: every answer carries them), or null.</summary>
    protected static string? MissingSecurityHeader(HttpResponseMessage response)
    {
        bool Has(string name, string value) => response.Headers.TryGetValues(name, out var values) && values.SingleOrDefault() == value;
        return !Has("X-Content-Type-Options", "nosniff") ? "X-Content-Type-Options"
            : !Has("X-Frame-Options", "DENY") ? "X-Frame-Options"
            : !Has("Referrer-Policy", "no-referrer") ? "Referrer-Policy"
            : !response.Headers.Contains("Content-Security-Policy") ? "Content-Security-Policy"
            : response.Headers.CacheControl?.NoStore != true ? "Cache-Control: no-store"
            : null;
    }

    protected static async Task<JsonElement> JsonAsync(HttpResponseMessage response) =>
        await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
}
