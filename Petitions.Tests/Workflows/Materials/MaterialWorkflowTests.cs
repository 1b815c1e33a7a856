using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using FluentValidation;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Petitions.Domain;
using Petitions.Testing;
using Petitions.Tests.Support;
using Petitions.Workflows;
using Petitions.Workflows.Features.Actions;
using Petitions.Workflows.Features.Administration;
using Petitions.Workflows.Features.Materials;
using Petitions.Workflows.Features.Petitions;
using Petitions.Workflows.Materials;
using Petitions.Workflows.Privacy;
using Petitions.Workflows.Storage;

namespace Petitions.Tests.Workflows.Materials;

public abstract class MaterialWorkflowTests(StorageProvider provider, DatabaseServers servers) : WorkflowTest(provider, servers)
{
    public sealed class OnSqlite(DatabaseServers servers) : MaterialWorkflowTests(StorageProvider.Sqlite, servers);
    public sealed class OnPostgres(DatabaseServers servers) : MaterialWorkflowTests(StorageProvider.Postgres, servers);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A file checked and sealed at the door, as an upload is.</summary>
    internal static async Task<MaterialInput> StageAsync(WorkflowHarness harness, byte[] content, string name, string kind = "letter", string? description = null) =>
        new(kind, description, await harness.Services.GetRequiredService<MaterialStaging>().StageAsync(new MemoryStream(content), name, petitioner: false, "files[0]", Ct));

    private async Task<IReadOnlyList<ListMaterials.Item>> AttachAsync(string caseNumber, string user, params MaterialInput[] files) =>
        await Harness.SendAsync(new AttachMaterials.Command(caseNumber, files, await Harness.ActorAsync(user)));

    private async Task<byte[]> ReadAsync(string caseNumber, long id, string user, bool preview = false)
    {
        var material = await Harness.SendAsync(new GetMaterial.Query(caseNumber, id, await Harness.ActorAsync(user), preview));
        await using var content = material.Content;
        var bytes = new MemoryStream();
        await content.CopyToAsync(bytes, Ct);
        Assert.Equal(material.Size, bytes.Length);
        return bytes.ToArray();
    }

    [Fact]
    public async Task Attached_files_list_and_read_back_byte_exact_and_every_read_is_audited()
    {
        var journey = new Journey(Harness);
        var caseNumber = await journey.RegisterAsync();
        var letter = MaterialSamples.Pdf("来信全文");
        await using var large = new MemoryStream(); // three chunks, the last a short one
        await new GeneratedPdf(600_000, "多块").CopyToAsync(large, Ct);

        var attached = await AttachAsync(caseNumber, "reception",
            await StageAsync(Harness, letter, "来信扫描件.pdf", "letter", "来信原件扫描"),
            await StageAsync(Harness, MaterialSamples.Png(), "现场照片.png", "evidence"),
            await StageAsync(Harness, large.ToArray(), "调查笔录.pdf", "evidence"));

        var listed = await Harness.SendAsync(new ListMaterials.Query(caseNumber, await Harness.ActorAsync("office")));
        Assert.Equal(attached, listed);
        Assert.Equal(
            [("letter", "来信扫描件.pdf", "pdf", letter.Length, "来信原件扫描"), ("evidence", "现场照片.png", "png", MaterialSamples.Png().Length, null), ("evidence", "调查笔录.pdf", "pdf", 600_000, null)],
            listed.Select(m => (m.Kind, m.FileName, m.Type, (int)m.Size, m.Description)));
        Assert.All(listed, m => Assert.Equal(("演示用户 reception", "示范县公安局", "staff", true), (m.AttachedBy, m.AttachedByOrganization, m.Source, m.Previewable)));

        Assert.Equal(letter, await ReadAsync(caseNumber, listed[0].Id, "office"));
        Assert.Equal(large.ToArray(), await ReadAsync(caseNumber, listed[2].Id, "leader"));
        Assert.Equal(MaterialSamples.Png(), await ReadAsync(caseNumber, listed[1].Id, "office", preview: true));

        Assert.Equal(
            [("office", "download-material", $"material:{listed[0].Id}"), ("leader", "download-material", $"material:{listed[2].Id}"), ("office", "preview-material", $"material:{listed[1].Id}")],
            await Database.QueryAsync<(string, string, string)>(
                "SELECT u.user_name, a.action, a.detail FROM audit_log a JOIN users u ON u.id = a.user_id WHERE a.action LIKE '%-material' AND a.case_number = @CaseNumber ORDER BY a.id",
                new { CaseNumber = caseNumber }));

        var timeline = (await Harness.SendAsync(new GetPetition.Query(caseNumber, await Harness.ActorAsync("office")))).Timeline;
        Assert.Equal(
            [("register", null), ("attach-material", $"#{listed[0].Id} 来信原件扫描"), ("attach-material", $"#{listed[1].Id}"), ("attach-material", $"#{listed[2].Id}")],
            timeline.Select(e => (e.Action, e.Comment)));
    }

    [Fact]
    public async Task Only_images_and_PDFs_have_a_preview()
    {
        var caseNumber = await new Journey(Harness).RegisterAsync();
        var docx = MaterialSamples.Docx(); // a ZIP: its entries carry the time they were made
        var document = Assert.Single(await AttachAsync(caseNumber, "reception", await StageAsync(Harness, docx, "笔录.docx", "investigation-record")));

        Assert.False(document.Previewable);
        await Assert.ThrowsAsync<NotFoundException>(() => ReadAsync(caseNumber, document.Id, "office", preview: true));
        Assert.Equal(docx, await ReadAsync(caseNumber, document.Id, "office"));
        await Assert.ThrowsAsync<NotFoundException>(() => ReadAsync(caseNumber, document.Id + 1000, "office"));
    }

    [Fact]
    public async Task A_withdrawn_material_stays_on_record_and_the_same_file_may_come_again()
    {
        var caseNumber = await new Journey(Harness).RegisterAsync();
        var letter = MaterialSamples.Pdf("撤回");
        var first = Assert.Single(await AttachAsync(caseNumber, "reception", await StageAsync(Harness, letter, "来信.pdf")));

        var again = await Assert.ThrowsAsync<RuleViolationException>(async () => await AttachAsync(caseNumber, "office", await StageAsync(Harness, letter, "又一次.pdf")));
        Assert.Equal("material-duplicate", again.Rule);
        Assert.Equal((1, 1), (await Database.CountAsync("materials"), await Database.CountAsync("material_contents")));

        await Assert.ThrowsAsync<ForbiddenException>(async () => await Harness.SendAsync(new WithdrawMaterial.Command(caseNumber, first.Id, "传错了", await Harness.ActorAsync("supervisor"))));
        await Assert.ThrowsAsync<ValidationException>(async () => await Harness.SendAsync(new WithdrawMaterial.Command(caseNumber, first.Id, " ", await Harness.ActorAsync("office"))));
        var withdrawn = await Harness.SendAsync(new WithdrawMaterial.Command(caseNumber, first.Id, "上传了错误的文件", await Harness.ActorAsync("reception")));
        Assert.Equal(("演示用户 reception", "上传了错误的文件"), (withdrawn.Withdrawn!.By, withdrawn.Withdrawn.Reason));
        var twice = await Assert.ThrowsAsync<RuleViolationException>(async () =>
            await Harness.SendAsync(new WithdrawMaterial.Command(caseNumber, first.Id, "再撤一次", await Harness.ActorAsync("office"))));
        Assert.Equal("material-withdrawn", twice.Rule);

        var second = Assert.Single(await AttachAsync(caseNumber, "office", await StageAsync(Harness, letter, "来信（重新上传）.pdf")));
        var listed = await Harness.SendAsync(new ListMaterials.Query(caseNumber, await Harness.ActorAsync("office")));
        Assert.Equal([(first.Id, true), (second.Id, false)], listed.Select(m => (m.Id, m.Withdrawn is not null)));
        Assert.Equal(letter, await ReadAsync(caseNumber, first.Id, "office")); // kept for the record
        Assert.Contains((await Harness.SendAsync(new GetPetition.Query(caseNumber, await Harness.ActorAsync("office")))).Timeline,
            e => e.Action == "withdraw-material" && e.Comment == $"#{first.Id} 上传了错误的文件");
    }

    [Fact]
    public async Task The_accused_unit_another_unit_and_another_county_never_reach_an_accusations_materials()
    {
        await AddUnitUserAsync(Harness, "accused", "330799-02"); // 刑事侦查大队, whom the accusation names
        await AddUnitUserAsync(Harness, "bystander", "330799-03");
        var journey = new Journey(Harness);
        var letter = MaterialSamples.Pdf("举报刑侦大队某民警");
        var registered = await Harness.SendAsync(TestData.Petition(await journey.ActorAsync("reception")) with
        {
            Category = "accusation",
            InvolvedUnit = "刑事侦查大队",
            Files = [await StageAsync(Harness, letter, "举报信.pdf")],
        });
        var caseNumber = registered.CaseNumber;
        await journey.DoAsync(caseNumber, "accept"); // to 城关派出所, the demo handler's unit
        var id = Assert.Single(await Harness.SendAsync(new ListMaterials.Query(caseNumber, await journey.ActorAsync("handler")))).Id;

        Assert.Equal(letter, await ReadAsync(caseNumber, id, "handler"));
        foreach (var outsider in new[] { "accused", "bystander", "reception2" })
        {
            var actor = await journey.ActorAsync(outsider);
            await Assert.ThrowsAsync<NotFoundException>(() => Harness.SendAsync(new ListMaterials.Query(caseNumber, actor)));
            await Assert.ThrowsAsync<NotFoundException>(() => Harness.SendAsync(new GetMaterial.Query(caseNumber, id, actor)));
            await Assert.ThrowsAsync<NotFoundException>(() => Harness.SendAsync(new GetMaterial.Query(caseNumber, id, actor, Preview: true)));
            await Assert.ThrowsAsync<NotFoundException>(async () => await Harness.SendAsync(new AttachMaterials.Command(caseNumber, [await StageAsync(Harness, MaterialSamples.Png(), "x.png")], actor)));
            await Assert.ThrowsAsync<NotFoundException>(() => Harness.SendAsync(new WithdrawMaterial.Command(caseNumber, id, "撤回", actor)));
        }
        Assert.Equal(1, await Database.CountAsync("audit_log", "action = 'download-material'"));
    }

    [Fact]
    public async Task A_registration_and_its_files_are_stored_together_or_not_at_all()
    {
        var reception = await Harness.ActorAsync("reception");
        var letter = MaterialSamples.Pdf("同一文件两次");

        var refused = await Assert.ThrowsAsync<RuleViolationException>(async () => await Harness.SendAsync(TestData.Petition(reception) with
        {
            Files = [await StageAsync(Harness, letter, "来信.pdf"), await StageAsync(Harness, letter, "来信副本.pdf")],
        }));

        Assert.Equal("material-duplicate", refused.Rule);
        foreach (var table in new[] { "petitions", "materials", "material_contents", "material_chunks", "petition_events" })
            Assert.Equal(0, await Database.CountAsync(table));
        var registered = await Harness.SendAsync(TestData.Petition(reception) with { Files = [await StageAsync(Harness, letter, "来信.pdf")] });
        Assert.Equal("XF-330799-2026-000001", registered.CaseNumber); // the refused one took no number
        Assert.Equal(letter.Length, Assert.Single(await Database.QueryAsync<long>("SELECT material_bytes FROM petitions")));
    }

    [Fact]
    public async Task A_petition_holds_at_most_its_limit_and_a_request_at_most_its_files()
    {
        await using var limited = await WorkflowHarness.StartAsync(Database, configure: services => services.Configure<MaterialOptions>(o =>
        {
            o.MaxPetitionBytes = 1000;
            o.MaxFilesPerRequest = 2;
        }));
        var caseNumber = await new Journey(limited).RegisterAsync();
        var office = await limited.ActorAsync("office");
        await using var stream = new MemoryStream();
        await new GeneratedPdf(600, "六百").CopyToAsync(stream, Ct);
        await limited.SendAsync(new AttachMaterials.Command(caseNumber, [await StageAsync(limited, stream.ToArray(), "a.pdf")], office));

        var full = await Assert.ThrowsAsync<RuleViolationException>(async () =>
            await limited.SendAsync(new AttachMaterials.Command(caseNumber, [await StageAsync(limited, MaterialSamples.Pdf(new string('满', 200)), "b.pdf")], office)));
        Assert.Equal("materials-limit", full.Rule);
        var many = await Assert.ThrowsAsync<ValidationException>(async () => await limited.SendAsync(new AttachMaterials.Command(caseNumber,
            [await StageAsync(limited, MaterialSamples.Png(), "1.png"), await StageAsync(limited, MaterialSamples.Jpeg(), "2.jpg"), await StageAsync(limited, MaterialSamples.Wav(), "3.wav")], office)));
        Assert.Equal("files", Assert.Single(many.Errors).PropertyName);
        var none = await Assert.ThrowsAsync<ValidationException>(() => limited.SendAsync(new AttachMaterials.Command(caseNumber, [], office)));
        Assert.Equal("Files", Assert.Single(none.Errors).PropertyName);

        Assert.Equal((1, 600), (await Database.CountAsync("materials"), Assert.Single(await Database.QueryAsync<long>("SELECT material_bytes FROM petitions"))));
    }

    [Fact]
    public async Task An_administrator_or_anyone_outside_the_case_cannot_attach()
    {
        var caseNumber = await new Journey(Harness).RegisterAsync();

        await Assert.ThrowsAsync<ForbiddenException>(async () =>
            await Harness.SendAsync(new AttachMaterials.Command(caseNumber, [await StageAsync(Harness, MaterialSamples.Png(), "x.png")], await Harness.ActorAsync("admin"))));
        await Assert.ThrowsAsync<ForbiddenException>(async () =>
            await Harness.SendAsync(new AttachMaterials.Command(caseNumber, [await StageAsync(Harness, MaterialSamples.Png(), "x.png")], Actor.Public)));
        await Assert.ThrowsAsync<NotFoundException>(async () =>
            await Harness.SendAsync(new AttachMaterials.Command(caseNumber, [await StageAsync(Harness, MaterialSamples.Png(), "x.png")], await Harness.ActorAsync("reception2"))));
        Assert.Equal(0, await Database.CountAsync("materials"));
    }

    [Fact]
    public async Task Where_the_bureau_asks_for_it_service_in_person_waits_for_the_signed_proof_attached_after_the_reply()
    {
        var admin = await Harness.ActorAsync("admin");
        var policy = await Harness.SendAsync(new SetProofOfService.Command("330799", ["in-person", "in-person"], admin));
        Assert.Equal(["in-person"], policy.Methods);
        await Assert.ThrowsAsync<ForbiddenException>(async () => await Harness.SendAsync(new SetProofOfService.Command("330799", [], await Harness.ActorAsync("office"))));
        await Assert.ThrowsAsync<NotFoundException>(() => Harness.SendAsync(new SetProofOfService.Command("330700", [], admin))); // above the administrator
        await Assert.ThrowsAsync<ValidationException>(() => Harness.SendAsync(new SetProofOfService.Command("330799", ["pigeon"], admin)));

        var journey = new Journey(Harness);
        var caseNumber = await journey.RegisterAsync();
        await journey.DoAsync(caseNumber, "accept");
        await AttachAsync(caseNumber, "handler", await StageAsync(Harness, MaterialSamples.Pdf("前一份回证"), "回证.pdf", "signed-proof-of-service"));
        Harness.Clock.Advance(TimeSpan.FromHours(1));
        await journey.DoAsync(caseNumber, "submit-opinion");
        await journey.DoAsync(caseNumber, "approve-opinion");
        Harness.Clock.Advance(TimeSpan.FromHours(1));

        var refused = await Assert.ThrowsAsync<RuleViolationException>(() => journey.DoAsync(caseNumber, "record-service")); // in person
        Assert.Equal("proof-of-service-required", refused.Rule);
        await AttachAsync(caseNumber, "office", await StageAsync(Harness, MaterialSamples.Pdf("签收的送达回证"), "送达回证.pdf", "signed-proof-of-service"));
        Assert.Equal("return-visit", (await journey.DoAsync(caseNumber, "record-service")).Stage);

        var byPost = await journey.RegisterAsync(subject: "另一件");
        foreach (var action in new[] { "accept", "submit-opinion", "approve-opinion" }) await journey.DoAsync(byPost, action);
        Assert.Equal("return-visit", (await journey.DoAsync(byPost, "record-service", payload: new { servedOn = "2026-11-20", method = "post" })).Stage);
    }

    [Fact]
    public async Task After_a_key_rotation_materials_still_read_and_reencrypt_moves_them_to_the_new_key()
    {
        var hashKey = RandomNumberGenerator.GetBytes(32);
        var oldKey = new PersonalDataKeys("k2025", RandomNumberGenerator.GetBytes(32), hashKey);
        var newKey = new PersonalDataKeys("k2026", RandomNumberGenerator.GetBytes(32), hashKey);
        await using var large = new MemoryStream();
        await new GeneratedPdf(300_000, "轮换").CopyToAsync(large, Ct);
        string caseNumber;
        await using (var before = await WorkflowHarness.StartAsync(Database, keys: oldKey))
            caseNumber = (await before.SendAsync(TestData.Petition(await before.ActorAsync("reception"), "轮换") with
            {
                Files = [await StageAsync(before, large.ToArray(), "举报信.pdf")],
            })).CaseNumber;

        await using (var during = await WorkflowHarness.StartAsync(Database, keys: newKey with { PreviousKeys = new Dictionary<string, byte[]> { ["k2025"] = oldKey.EncryptionKey } }))
        {
            var material = Assert.Single(await during.SendAsync(new ListMaterials.Query(caseNumber, await during.ActorAsync("office"))));
            Assert.Equal("举报信.pdf", material.FileName);
            // One ID number, one file name, two chunks.
            Assert.Equal(4, await during.SendAsync(new ReencryptPersonalData.Command(BatchSize: 1)));
            Assert.Equal(0, await during.SendAsync(new ReencryptPersonalData.Command()));
        }

        await using var after = await WorkflowHarness.StartAsync(Database, keys: newKey);
        var id = Assert.Single(await after.SendAsync(new ListMaterials.Query(caseNumber, await after.ActorAsync("office")))).Id;
        var read = await after.SendAsync(new GetMaterial.Query(caseNumber, id, await after.ActorAsync("office")));
        await using var content = read.Content;
        var bytes = new MemoryStream();
        await content.CopyToAsync(bytes, Ct);
        Assert.Equal(large.ToArray(), bytes.ToArray());
        Assert.All(await Database.QueryAsync<string>("SELECT key_id FROM material_chunks"), k => Assert.Equal("k2026", k));
        Assert.All(await Database.QueryAsync<string>("SELECT file_name_cipher FROM materials"), c => Assert.StartsWith("k2026:", c, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_changed_chunk_or_hash_never_reads_as_a_whole_material()
    {
        var caseNumber = await new Journey(Harness).RegisterAsync();
        var id = Assert.Single(await AttachAsync(caseNumber, "reception", await StageAsync(Harness, MaterialSamples.Pdf("完整性"), "来信.pdf"))).Id;

        await Database.ExecuteAsync("UPDATE material_contents SET content_hash = @Other", new { Other = new string('0', 64) });
        await Assert.ThrowsAsync<CryptographicException>(() => ReadAsync(caseNumber, id, "office"));

        var cipher = Assert.Single(await Database.QueryAsync<byte[]>("SELECT cipher FROM material_chunks"));
        cipher[^1] ^= 1;
        await Database.ExecuteAsync("UPDATE material_chunks SET cipher = @Cipher", new { Cipher = cipher });
        await Assert.ThrowsAnyAsync<CryptographicException>(() => ReadAsync(caseNumber, id, "office"));
    }

    [Fact]
    public async Task No_plaintext_of_a_material_rests_in_the_database()
    {
        var marker = $"MATERIAL-MARKER-{Guid.NewGuid():N}";
        var name = $"张三的举报信-{Guid.NewGuid():N}.pdf";
        var description = $"DESCRIPTION-{Guid.NewGuid():N}"; // stored as written, like every staff note: the scan must find it
        await using var file = new MemoryStream();
        await new GeneratedPdf(400_000, marker).CopyToAsync(file, Ct);
        var caseNumber = await new Journey(Harness).RegisterAsync();
        await AttachAsync(caseNumber, "reception", await StageAsync(Harness, file.ToArray(), name, "letter", description));

        var stored = await DatabaseBytesAsync(Database);

        Assert.True(stored.Length > 400_000, $"read only {stored.Length} bytes of the database");
        Assert.True(Contains(stored, description), "the scan did not find the plain description: it reads the wrong bytes");
        Assert.False(Contains(stored, marker), "the file's content rests in plain text");
        Assert.False(Contains(stored, name), "the file's name rests in plain text");
        Assert.False(Contains(stored, name, Encoding.Unicode), "the file's name rests in plain text (UTF-16)");
    }

    private static bool Contains(byte[] haystack, string text, Encoding? encoding = null) =>
        haystack.AsSpan().IndexOf((encoding ?? Encoding.UTF8).GetBytes(text)) >= 0;

    /// <summary>The database as it rests: the SQLite file and its WAL; on PostgreSQL, after a checkpoint, the files of
    /// every table, TOAST table and index of the database, read by the server (pg_read_binary_file).</summary>
    internal static async Task<byte[]> DatabaseBytesAsync(TestDatabase database)
    {
        if (database.Provider == StorageProvider.Sqlite)
        {
            var path = new SqliteConnectionStringBuilder(database.ConnectionString).DataSource;
            return [.. new[] { path, path + "-wal" }.Where(File.Exists).SelectMany(File.ReadAllBytes)];
        }
        await database.ExecuteAsync("CHECKPOINT /* every dirty page to its file */");
        var files = await database.QueryAsync<byte[]>(
            """
            SELECT COALESCE(pg_read_binary_file(pg_relation_filepath(c.oid), 0, 268435456, true), ''::bytea)
            FROM pg_class c
            WHERE c.relkind IN ('r', 't', 'i')
              AND pg_relation_filepath(c.oid) IS NOT NULL
              AND c.relfilenode <> 0
              AND c.relpersistence = 'p'
            """);
        return [.. files.SelectMany(f => f)];
    }

    /// <summary>A handler in another unit of the county.</summary>
    internal static async Task AddUnitUserAsync(WorkflowHarness harness, string userName, string unitCode)
    {
        await using var scope = harness.Services.CreateAsyncScope();
        var session = scope.ServiceProvider.GetRequiredService<DbSession>();
        var accounts = scope.ServiceProvider.GetRequiredService<AccountStore>();
        await session.BeginAsync(Ct);
        await accounts.AddUserAsync(userName, $"{unitCode} 承办人", TestData.Password, (await accounts.OrganizationByCodeAsync(unitCode, Ct))!, [Role.Handler], Ct);
        await session.CommitAsync(Ct);
    }
}
