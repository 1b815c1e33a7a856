using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Petitions.Testing;
using Petitions.Tests.Support;
using Petitions.Tests.Workflows.Materials;
using Petitions.Workflows.Storage;

namespace Petitions.Tests.Api;

/// <summary>Materials over real HTTP: multipart in, files out with their safe headers, refusals at the door that store
/// nothing (not even a staged file), the case's scope, online submission with files, and the pages.</summary>
public abstract class MaterialsApiTests(StorageProvider provider, DatabaseServers servers) : ApiTest(provider, servers)
{
    public sealed class OnSqlite(DatabaseServers servers) : MaterialsApiTests(StorageProvider.Sqlite, servers);
    public sealed class OnPostgres(DatabaseServers servers) : MaterialsApiTests(StorageProvider.Postgres, servers);

    private readonly string _staging = Directory.CreateTempSubdirectory("petitions-staging-").FullName;

    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Materials:MaxFileBytes"] = "200000",
        ["Materials:MaxFilesPerRequest"] = "3",
        ["Materials:PublicMaxFileBytes"] = "100000",
        ["Materials:PublicMaxFiles"] = "2",
        ["Materials:StagingPath"] = _staging,
        ["RateLimits:SubmissionsPerHour"] = "1000",
    };

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Directory.Delete(_staging, recursive: true);
    }

    /// <summary>One file part of a form, after its kind and description.</summary>
    private sealed record Part(byte[] Content, string FileName, string Kind = "letter", string? Description = null, string ContentType = "application/octet-stream");

    private static MultipartFormDataContent Form(params Part[] parts)
    {
        var form = new MultipartFormDataContent();
        foreach (var part in parts)
        {
            form.Add(new StringContent(part.Kind), "kind");
            form.Add(new StringContent(part.Description ?? ""), "description"); // as a form's empty field sends it
            var file = new ByteArrayContent(part.Content);
            file.Headers.ContentType = new MediaTypeHeaderValue(part.ContentType);
            if (part.FileName.Length > 0)
            {
                form.Add(file, "file", part.FileName);
                continue;
            }
            // What a browser sends for a file input left empty (HttpClient refuses an empty file name).
            file.Headers.ContentDisposition = new ContentDispositionHeaderValue("form-data") { Name = "\"file\"", FileName = "\"\"" };
            form.Add(file);
        }
        return form;
    }

    private Task<HttpResponseMessage> AttachAsync(string token, string caseNumber, HttpContent form) =>
        SendAsync(HttpMethod.Post, $"/api/petitions/{caseNumber}/materials", token, form);

    private async Task<string> RegisteredAsync(string token) => (await JsonAsync(await RegisterAsync(token, PetitionBody()))).GetProperty("caseNumber").GetString()!;

    private async Task AssertNothingStoredAsync()
    {
        foreach (var table in new[] { "materials", "material_contents", "material_chunks" }) Assert.Equal(0, await Database.CountAsync(table));
        await AssertNothingStagedAsync();
    }

    /// <summary>The staged files of a request are deleted as its response ends, which a client may see a moment before:
    /// waits while their number keeps falling.</summary>
    private async Task AssertNothingStagedAsync()
    {
        var left = Directory.GetFileSystemEntries(_staging).Length;
        for (var unchanged = 0; left > 0 && unchanged < 100; unchanged++)
        {
            await Task.Delay(50, Ct);
            var now = Directory.GetFileSystemEntries(_staging).Length;
            if (now < left) unchanged = 0;
            left = now;
        }
        Assert.Equal(0, left);
    }

    [Fact]
    public async Task Files_go_up_as_multipart_and_come_back_byte_exact_as_attachments()
    {
        var token = await TokenAsync("reception");
        var caseNumber = await RegisteredAsync(token);
        var letter = MaterialSamples.Pdf("来信");

        var response = await AttachAsync(token, caseNumber, Form(
            new Part(letter, "来信 扫描件.pdf", "letter", "来信原件", "application/pdf"),
            new Part(MaterialSamples.Mp3(), "电话录音.mp3", "recording")));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var attached = (await JsonAsync(response)).EnumerateArray().ToList();
        Assert.Equal([("letter", "来信 扫描件.pdf", "pdf", "来信原件"), ("recording", "电话录音.mp3", "mp3", null)],
            attached.Select(m => (m.GetProperty("kind").GetString(), m.GetProperty("fileName").GetString(), m.GetProperty("type").GetString(), m.GetProperty("description").GetString())));
        var listed = await JsonAsync(await SendAsync(HttpMethod.Get, $"/api/petitions/{caseNumber}/materials", await TokenAsync("office")));
        Assert.Equal(2, listed.GetArrayLength());

        var download = await SendAsync(HttpMethod.Get, $"/api/petitions/{caseNumber}/materials/{attached[0].GetProperty("id").GetInt64()}", await TokenAsync("office"));
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal(letter, await download.Content.ReadAsByteArrayAsync(Ct));
        Assert.Equal("application/pdf", download.Content.Headers.ContentType?.MediaType);
        Assert.Equal(letter.Length, download.Content.Headers.ContentLength);
        Assert.Equal("attachment", download.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal("来信 扫描件.pdf", download.Content.Headers.ContentDisposition?.FileNameStar);
        Assert.Equal("nosniff", download.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("default-src 'none'; sandbox", download.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Equal(1, await Database.CountAsync("audit_log", "action = 'download-material' AND case_number = @CaseNumber", new { CaseNumber = caseNumber }));
        await AssertNothingStagedAsync();
    }

    public static TheoryData<string, byte[], string, string> Spoofs() => new()
    {
        { "an ELF executable", MaterialSamples.Elf(), "scan.pdf", "application/pdf" },
        { "a Windows executable", MaterialSamples.WindowsProgram(), "photo.jpg", "image/jpeg" },
        { "an HTML page", MaterialSamples.Html(), "letter.pdf", "application/pdf" },
        { "an SVG with a script", MaterialSamples.Svg(), "photo.png", "image/png" },
        { "a ZIP holding a program", MaterialSamples.ZipWithProgram(), "statement.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document" },
        { "an installer", MaterialSamples.Installer(), "statement.doc", "application/msword" },
    };

    [Theory]
    [MemberData(nameof(Spoofs))]
    public async Task A_file_is_judged_by_its_content_not_by_its_name_or_its_claimed_type(string what, byte[] content, string name, string claimed)
    {
        var token = await TokenAsync("reception");
        var caseNumber = await RegisteredAsync(token);

        var response = await AttachAsync(token, caseNumber, Form(new Part(content, name, ContentType: claimed)));

        Assert.True(response.StatusCode == HttpStatusCode.UnsupportedMediaType, $"{what}: {(int)response.StatusCode}");
        var problem = await JsonAsync(response);
        Assert.Equal("material-type", problem.GetProperty("code").GetString());
        Assert.True(problem.GetProperty("errors").TryGetProperty("files[0]", out _));
        await AssertNothingStoredAsync();
    }

    [Fact]
    public async Task Every_refusal_at_the_door_is_a_problem_naming_the_file_and_stores_nothing()
    {
        var token = await TokenAsync("reception");
        var caseNumber = await RegisteredAsync(token);
        var pdf = MaterialSamples.Pdf("完好");
        await using var big = new MemoryStream();
        await new GeneratedPdf(250_000, "超限").CopyToAsync(big, Ct);

        async Task Refused(HttpContent form, HttpStatusCode status, string? field)
        {
            var response = await AttachAsync(token, caseNumber, form);
            var body = await response.Content.ReadAsStringAsync(Ct);
            Assert.True(response.StatusCode == status, $"{field}: {(int)response.StatusCode} {body}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            if (field is not null) Assert.True(JsonDocument.Parse(body).RootElement.GetProperty("errors").TryGetProperty(field, out _), $"{field}: {body}");
        }

        await Refused(Form(new Part([], "empty.pdf")), HttpStatusCode.BadRequest, "files[0]");
        await Refused(Form(new Part([], "")), HttpStatusCode.BadRequest, "files"); // an empty file input attaches nothing
        await Refused(Form(new Part(pdf, "a.pdf"), new Part(big.ToArray(), "big.pdf")), HttpStatusCode.RequestEntityTooLarge, "files[1]");
        await Refused(Form(new Part(pdf, "1.pdf"), new Part(MaterialSamples.Png(), "2.png"), new Part(MaterialSamples.Wav(), "3.wav"), new Part(MaterialSamples.Amr(), "4.amr")),
            HttpStatusCode.BadRequest, "files");
        await Refused(Form(new Part(pdf, "a.pdf", Kind: "")), HttpStatusCode.BadRequest, "files[0].kind");
        await Refused(Form(new Part(pdf, "a.pdf", Kind: "<script>")), HttpStatusCode.BadRequest, "files[0].kind");
        await Refused(Form(new Part(pdf, "a.pdf", Description: new string('长', 201))), HttpStatusCode.BadRequest, "files[0].description");
        await Refused(Form(new Part(pdf, "a.pdf", Description: "扫描\u0000件")), HttpStatusCode.BadRequest, "description");
        await Refused(JsonContent.Create(new { kind = "letter" }), HttpStatusCode.UnsupportedMediaType, null);
        await AssertNothingStoredAsync();
    }

    [Fact]
    public async Task The_accused_unit_another_unit_and_another_county_get_404_and_the_handling_unit_its_files()
    {
        var reception = await TokenAsync("reception");
        await using (var harness = await WorkflowHarness.StartAsync(Database, keys: Api.Keys))
        {
            await MaterialWorkflowTests.AddUnitUserAsync(harness, "accused", "330799-01");
            await MaterialWorkflowTests.AddUnitUserAsync(harness, "handling", "330799-02");
            await MaterialWorkflowTests.AddUnitUserAsync(harness, "bystander", "330799-03");
        }
        var body = PetitionBody();
        body["category"] = "accusation";
        body["involvedUnit"] = "城关派出所"; // 330799-01
        var caseNumber = (await JsonAsync(await RegisterAsync(reception, body))).GetProperty("caseNumber").GetString()!;
        var attached = await JsonAsync(await AttachAsync(reception, caseNumber, Form(new Part(MaterialSamples.Pdf("举报"), "举报信.pdf"))));
        var id = attached[0].GetProperty("id").GetInt64();
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Post, $"/api/petitions/{caseNumber}/actions/accept", await TokenAsync("office"), JsonContent.Create(new { unit = "330799-02" }))).StatusCode);

        foreach (var user in new[] { "accused", "bystander", "reception2", "handler" })
        {
            var token = await TokenAsync(user);
            var responses = new[]
            {
                await SendAsync(HttpMethod.Get, $"/api/petitions/{caseNumber}/materials", token),
                await SendAsync(HttpMethod.Get, $"/api/petitions/{caseNumber}/materials/{id}", token),
                await AttachAsync(token, caseNumber, Form(new Part(MaterialSamples.Png(), "x.png"))),
                await SendAsync(HttpMethod.Post, $"/api/petitions/{caseNumber}/materials/{id}/withdraw", token, JsonContent.Create(new { reason = "撤回" })),
            };
            Assert.All(responses, r => Assert.Equal(HttpStatusCode.NotFound, r.StatusCode));
        }
        Assert.Equal(1, await Database.CountAsync("materials"));
        Assert.Equal(0, await Database.CountAsync("audit_log", "action = 'download-material'"));

        var handling = await TokenAsync("handling");
        Assert.Equal(1, (await JsonAsync(await SendAsync(HttpMethod.Get, $"/api/petitions/{caseNumber}/materials", handling))).GetArrayLength());
        Assert.Equal(MaterialSamples.Pdf("举报"), await (await SendAsync(HttpMethod.Get, $"/api/petitions/{caseNumber}/materials/{id}", handling)).Content.ReadAsByteArrayAsync(Ct));
    }

    [Fact]
    public async Task A_material_is_withdrawn_with_a_reason_and_stays_listed()
    {
        var token = await TokenAsync("reception");
        var caseNumber = await RegisteredAsync(token);
        var id = (await JsonAsync(await AttachAsync(token, caseNumber, Form(new Part(MaterialSamples.Pdf(), "a.pdf")))))[0].GetProperty("id").GetInt64();
        var office = await TokenAsync("office");

        var noReason = await SendAsync(HttpMethod.Post, $"/api/petitions/{caseNumber}/materials/{id}/withdraw", office, JsonContent.Create(new { }));
        var withdrawn = await SendAsync(HttpMethod.Post, $"/api/petitions/{caseNumber}/materials/{id}/withdraw", office, JsonContent.Create(new { reason = "不属本件" }));
        var twice = await SendAsync(HttpMethod.Post, $"/api/petitions/{caseNumber}/materials/{id}/withdraw", office, JsonContent.Create(new { reason = "不属本件" }));

        Assert.Equal((HttpStatusCode.BadRequest, HttpStatusCode.OK, HttpStatusCode.Conflict), (noReason.StatusCode, withdrawn.StatusCode, twice.StatusCode));
        Assert.Equal("material-withdrawn", (await JsonAsync(twice)).GetProperty("rule").GetString());
        var listed = (await JsonAsync(await SendAsync(HttpMethod.Get, $"/api/petitions/{caseNumber}/materials", office)))[0];
        Assert.Equal("不属本件", listed.GetProperty("withdrawn").GetProperty("reason").GetString());
    }

    [Fact]
    public async Task An_online_submission_takes_a_few_of_the_petitioners_files_in_the_same_request()
    {
        var petition = OnlinePetitionBody();
        HttpContent Submission(params Part[] parts)
        {
            var form = Form(parts);
            form.Add(new StringContent(JsonSerializer.Serialize(petition), Encoding.UTF8, "application/json"), "petition");
            return form;
        }
        var letter = MaterialSamples.Pdf("网上来信");
        async Task<HttpResponseMessage> Submit(HttpContent form) => await SendAsync(HttpMethod.Post, "/api/public/petitions", token: null, form);

        var submitted = await Submit(Submission(new Part(letter, "我的信.pdf", "letter"), new Part(MaterialSamples.Jpeg(), "照片.jpg", "evidence")));
        Assert.Equal(HttpStatusCode.Created, submitted.StatusCode);
        var caseNumber = (await JsonAsync(submitted)).GetProperty("caseNumber").GetString()!;

        Assert.Equal(HttpStatusCode.BadRequest, (await Submit(Submission(new Part(letter, "1.pdf"), new Part(MaterialSamples.Png(), "2.png"), new Part(MaterialSamples.Wav(), "3.wav")))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await Submit(Submission(new Part(letter, "1.pdf", "investigation-record")))).StatusCode);
        await using (var big = new MemoryStream())
        {
            await new GeneratedPdf(150_000, "网上超限").CopyToAsync(big, Ct);
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await Submit(Submission(new Part(big.ToArray(), "big.pdf")))).StatusCode);
        }
        var noPetition = await Submit(Form(new Part(letter, "1.pdf")));
        Assert.True((await JsonAsync(noPetition)).GetProperty("errors").TryGetProperty("petition", out _));
        var broken = Form(new Part(letter, "1.pdf"));
        broken.Add(new StringContent("{\"subject\": 5", Encoding.UTF8, "application/json"), "petition");
        Assert.Equal(HttpStatusCode.BadRequest, (await Submit(broken)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await SendAsync(HttpMethod.Post, "/api/public/petitions", null, JsonContent.Create(petition))).StatusCode); // JSON as before

        var listed = (await JsonAsync(await SendAsync(HttpMethod.Get, $"/api/petitions/{caseNumber}/materials", await TokenAsync("office")))).EnumerateArray().ToList();
        Assert.Equal([("letter", "我的信.pdf", "petitioner"), ("evidence", "照片.jpg", "petitioner")],
            listed.Select(m => (m.GetProperty("kind").GetString(), m.GetProperty("fileName").GetString(), m.GetProperty("source").GetString())));
        Assert.All(listed, m => Assert.Equal(JsonValueKind.Null, m.GetProperty("attachedBy").ValueKind));
        Assert.Equal(2, await Database.CountAsync("materials"));
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(HttpMethod.Get, $"/api/petitions/{caseNumber}/materials/{listed[0].GetProperty("id").GetInt64()}", null)).StatusCode);
        await AssertNothingStagedAsync();
    }

    [Fact]
    public async Task Pages_show_images_and_PDFs_inline_and_send_every_file_as_an_attachment()
    {
        var token = await TokenAsync("reception");
        var caseNumber = await RegisteredAsync(token);
        var docx = MaterialSamples.Docx(); // a ZIP: its entries carry the time they were made
        var ids = (await JsonAsync(await AttachAsync(token, caseNumber, Form(
                new Part(MaterialSamples.Png(), "现场照片.png", "evidence"),
                new Part(MaterialSamples.Pdf("信"), "来信.pdf"),
                new Part(docx, "笔录.docx", "investigation-record")))))
            .EnumerateArray().Select(m => m.GetProperty("id").GetInt64()).ToList();
        await SignInAsync("office");

        var page = await Browser.GetStringAsync($"/cases/{caseNumber}", Ct);
        Assert.Contains($"<img class=\"preview\" src=\"/cases/{caseNumber}/materials/{ids[0]}?handler=Preview\"", page, StringComparison.Ordinal);
        Assert.Contains($"href=\"/cases/{caseNumber}/materials/{ids[1]}?handler=Preview\" target=\"_blank\" rel=\"noopener\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain($"/materials/{ids[2]}?handler=Preview", page, StringComparison.Ordinal);
        Assert.Contains("添加材料", page, StringComparison.Ordinal);

        var image = await Browser.GetAsync($"/cases/{caseNumber}/materials/{ids[0]}?handler=Preview", Ct);
        Assert.Equal((HttpStatusCode.OK, "image/png", "inline", "default-src 'none'; sandbox"),
            (image.StatusCode, image.Content.Headers.ContentType?.MediaType, image.Content.Headers.ContentDisposition?.DispositionType, image.Headers.GetValues("Content-Security-Policy").Single()));
        Assert.Equal(MaterialSamples.Png(), await image.Content.ReadAsByteArrayAsync(Ct));
        var pdf = await Browser.GetAsync($"/cases/{caseNumber}/materials/{ids[1]}?handler=Preview", Ct);
        Assert.Equal((HttpStatusCode.OK, "application/pdf", "inline"), (pdf.StatusCode, pdf.Content.Headers.ContentType?.MediaType, pdf.Content.Headers.ContentDisposition?.DispositionType));
        Assert.StartsWith("default-src 'none'", pdf.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await Browser.GetAsync($"/cases/{caseNumber}/materials/{ids[2]}?handler=Preview", Ct)).StatusCode);
        var document = await Browser.GetAsync($"/cases/{caseNumber}/materials/{ids[2]}", Ct);
        Assert.Equal(("attachment", "笔录.docx"), (document.Content.Headers.ContentDisposition?.DispositionType, document.Content.Headers.ContentDisposition?.FileNameStar));
        Assert.Equal(docx, await document.Content.ReadAsByteArrayAsync(Ct));
        Assert.Equal(
            ["preview-material", "preview-material", "download-material"],
            await Database.QueryAsync<string>("SELECT action FROM audit_log WHERE action LIKE '%-material' ORDER BY id"));
    }

    [Fact]
    public async Task The_registration_page_takes_files_with_its_form_and_a_refused_file_registers_nothing()
    {
        await SignInAsync("reception");
        async Task<string> RegisterAsync(params Part[] files)
        {
            var form = Form(files);
            foreach (var (name, value) in new[]
            {
                ("Input.Channel", "letter"), ("Input.Category", "complaint"), ("Input.Petitioner.Name", TestData.PetitionerName),
                ("Input.Petitioner.Phone", TestData.PetitionerPhone), ("Input.Subject", "噪音扰民"), ("Input.Content", "邻居夜间施工。"),
                ("__RequestVerificationToken", await FormTokenAsync("/reception/register")),
            })
                form.Add(new StringContent(value), name);
            var response = await Browser.PostAsync("/reception/register?handler=Register", form, Ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return await response.Content.ReadAsStringAsync(Ct);
        }

        var refused = await RegisterAsync(new Part(MaterialSamples.Pdf("好的"), "来信.pdf"), new Part(MaterialSamples.Elf(), "扫描件.pdf"));
        Assert.Contains("第2个文件：文件类型不在允许范围内", refused, StringComparison.Ordinal);
        Assert.Equal(0, await Database.CountAsync("petitions"));
        await AssertNothingStoredAsync();

        var registered = await RegisterAsync(new Part(MaterialSamples.Pdf("来信"), "来信.pdf", "letter", "来信原件"), new Part(MaterialSamples.Png(), "信封.png", "evidence"));
        Assert.Matches("data-testid=\"case-number\">XF-330799-2026-000001<", registered);
        Assert.Contains("已附材料 2 件", registered, StringComparison.Ordinal);
        Assert.Equal(2, await Database.CountAsync("materials", "source = 'staff'"));
    }

    [Fact]
    public async Task The_submission_page_takes_a_petitioners_files()
    {
        var token = FormToken().Match(await Browser.GetStringAsync("/submit", Ct)).Groups["token"].Value;
        var form = Form(new Part(MaterialSamples.Jpeg(), "照片.jpg", "evidence"));
        foreach (var (name, value) in new[]
        {
            ("Input.Bureau", "330799"), ("Input.Category", "complaint"), ("Input.Petitioner.Name", TestData.PetitionerName),
            ("Input.Petitioner.Phone", TestData.PetitionerPhone), ("Input.Subject", "路灯不亮"), ("Input.Content", "小区路灯坏了一个月。"),
            ("__RequestVerificationToken", token),
        })
            form.Add(new StringContent(value), name);

        var response = await Browser.PostAsync("/submit", form, Ct);

        Assert.Matches("data-testid=\"case-number\">XF-330799-2026-\\d{6}<", await response.Content.ReadAsStringAsync(Ct));
        Assert.Equal(1, await Database.CountAsync("materials", "source = 'petitioner' AND kind = 'evidence'"));
    }

    [Fact]
    public async Task An_administrator_sets_which_service_needs_the_signed_proof()
    {
        var admin = await TokenAsync("admin");

        var set = await SendAsync(HttpMethod.Put, "/api/admin/organizations/330799/proof-of-service", admin, JsonContent.Create(new { methods = new[] { "post", "in-person" } }));
        var invalid = await SendAsync(HttpMethod.Put, "/api/admin/organizations/330799/proof-of-service", admin, JsonContent.Create(new { methods = new[] { "pigeon" } }));
        var byOffice = await SendAsync(HttpMethod.Put, "/api/admin/organizations/330799/proof-of-service", await TokenAsync("office"), JsonContent.Create(new { methods = Array.Empty<string>() }));

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.BadRequest, HttpStatusCode.Forbidden), (set.StatusCode, invalid.StatusCode, byOffice.StatusCode));
        Assert.Equal(["in-person", "post"], (await JsonAsync(set)).GetProperty("methods").EnumerateArray().Select(m => m.GetString()));
        Assert.Equal("in-person,post", Assert.Single(await Database.QueryAsync<string>("SELECT proof_of_service FROM organizations WHERE code = '330799'")));
    }
}

/// <summary>An online submission with files counts against the same per-address limit as one without.</summary>
public sealed class MaterialSubmissionLimitTests(DatabaseServers servers) : ApiTest(StorageProvider.Sqlite, servers)
{
    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string> { ["RateLimits:SubmissionsPerHour"] = "2" };

    [Fact]
    public async Task Submissions_with_and_without_files_share_one_limit()
    {
        var petition = OnlinePetitionBody();
        HttpContent WithFile()
        {
            var form = new MultipartFormDataContent
            {
                { new StringContent(JsonSerializer.Serialize(petition), Encoding.UTF8, "application/json"), "petition" },
                { new StringContent("letter"), "kind" },
                { new ByteArrayContent(MaterialSamples.Pdf()), "file", "letter.pdf" },
            };
            return form;
        }

        var statuses = new[]
        {
            (await SendAsync(HttpMethod.Post, "/api/public/petitions", null, JsonContent.Create(petition))).StatusCode,
            (await SendAsync(HttpMethod.Post, "/api/public/petitions", null, WithFile())).StatusCode,
            (await SendAsync(HttpMethod.Post, "/api/public/petitions", null, WithFile())).StatusCode,
        };

        Assert.Equal([HttpStatusCode.Created, HttpStatusCode.Created, HttpStatusCode.TooManyRequests], statuses);
        Assert.Equal(1, await Database.CountAsync("materials"));
    }
}
