using FluentValidation;
using Petitions.Tests.Support;
using Petitions.Workflows;
using Petitions.Workflows.Features.Petitions;
using Petitions.Workflows.Features.Public;
using Petitions.Workflows.Storage;

namespace Petitions.Tests.Workflows.Petitions;

public abstract class RegisterPetitionTests(StorageProvider provider, DatabaseServers servers) : WorkflowTest(provider, servers)
{
    public sealed class OnSqlite(DatabaseServers servers) : RegisterPetitionTests(StorageProvider.Sqlite, servers);
    public sealed class OnPostgres(DatabaseServers servers) : RegisterPetitionTests(StorageProvider.Postgres, servers);
    public sealed class OnSqlServer(DatabaseServers servers) : RegisterPetitionTests(StorageProvider.SqlServer, servers);

    [Fact]
    public async Task A_registered_petition_reads_back_with_its_people_clock_and_timeline()
    {
        var reception = await Harness.ActorAsync("reception");
        var command = TestData.Petition(reception) with
        {
            Representatives = [new RegisterPetition.PersonInput("李四", TestData.IdNumberFor(new DateOnly(1980, 5, 6), 11), "0579-82345678", null)],
            PeopleCount = 8,
            InvolvedUnit = "城关派出所",
        };

        var registered = await Harness.SendAsync(command);
        var petition = await Harness.SendAsync(new GetPetition.Query(registered.CaseNumber, reception));

        Assert.Equal("XF-330799-2026-000001", registered.CaseNumber);
        Assert.Equal("registered", registered.Stage);
        Assert.Equal(new DateOnly(2026, 12, 7), registered.IntakeDueOn); // 11-20 + 15 = Saturday 12-05 → Monday
        Assert.Equal(("visit", "complaint", 8, "城关派出所"), (petition.Channel, petition.Category, petition.PeopleCount, petition.InvolvedUnit));
        Assert.Equal((TestData.PetitionerName, TestData.IdNumber, TestData.PetitionerPhone), (petition.Petitioner.Name, petition.Petitioner.IdNumber, petition.Petitioner.Phone));
        Assert.Equal("李四", Assert.Single(petition.Representatives).Name);
        var clock = Assert.Single(petition.Clocks);
        Assert.Equal(("intake", new DateOnly(2026, 11, 20), new DateOnly(2026, 12, 7), "running"), (clock.Kind, clock.StartedOn, clock.DueOn, clock.State));
        var step = Assert.Single(petition.Timeline);
        Assert.Equal(("register", "registered", "示范县公安局"), (step.Action, step.Stage, step.Organization));
        Assert.Equal(Harness.Clock.GetUtcNow(), petition.RegisteredAt);
    }

    [Fact]
    public async Task Id_numbers_rest_encrypted_with_a_keyed_hash_beside_them()
    {
        await Harness.SendAsync(TestData.Petition(await Harness.ActorAsync("reception")));

        var row = Assert.Single(await Database.QueryAsync<(string Cipher, string Hash)>(
            "SELECT id_number_cipher, id_number_hash FROM petition_people"));
        Assert.DoesNotContain(TestData.IdNumber, row.Cipher, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("19491231", row.Cipher, StringComparison.Ordinal);
        Assert.Matches("^[0-9a-f]{64}$", row.Hash);
        Assert.Matches("^[0-9a-f]{64}$", Assert.Single(await Database.QueryAsync<string>("SELECT query_code_hash FROM petitions")));
    }

    [Fact]
    public async Task Roles_that_do_not_verify_identity_see_the_id_number_masked()
    {
        var registered = await Harness.SendAsync(TestData.Petition(await Harness.ActorAsync("reception")));

        var petition = await Harness.SendAsync(new GetPetition.Query(registered.CaseNumber, await Harness.ActorAsync("leader")));

        Assert.Equal("110105********002X", petition.Petitioner.IdNumber);
        Assert.True(petition.Petitioner.IdNumberMasked);
    }

    [Fact]
    public async Task A_petition_outside_the_readers_subtree_is_not_found()
    {
        var registered = await Harness.SendAsync(TestData.Petition(await Harness.ActorAsync("reception")));

        foreach (var outsider in new[] { "reception2", "handler" }) // another county; a unit not assigned the case
        {
            var actor = await Harness.ActorAsync(outsider);
            await Assert.ThrowsAsync<NotFoundException>(() => Harness.SendAsync(new GetPetition.Query(registered.CaseNumber, actor)));
        }
    }

    [Fact]
    public async Task Each_bureau_numbers_its_own_petitions()
    {
        var first = await Harness.SendAsync(TestData.Petition(await Harness.ActorAsync("reception")));
        var other = await Harness.SendAsync(TestData.Petition(await Harness.ActorAsync("reception2")));
        var second = await Harness.SendAsync(TestData.Petition(await Harness.ActorAsync("office")));

        Assert.Equal(["XF-330799-2026-000001", "XF-330798-2026-000001", "XF-330799-2026-000002"], [first.CaseNumber, other.CaseNumber, second.CaseNumber]);
    }

    [Fact]
    public async Task Concurrent_registrations_get_distinct_case_numbers_without_gaps()
    {
        var reception = await Harness.ActorAsync("reception");

        var registered = await Task.WhenAll(Enumerable.Range(0, 200).Select(i =>
            Task.Run(() => Harness.SendAsync(TestData.Petition(reception, $"并发登记 {i}")))));

        var expected = Enumerable.Range(1, 200).Select(i => $"XF-330799-2026-{i:D6}");
        Assert.Equal(expected, registered.Select(r => r.CaseNumber).Order(StringComparer.Ordinal));
        Assert.Equal(200, await Database.CountAsync("petitions"));
    }

    [Fact]
    public async Task A_retry_with_the_same_idempotency_key_returns_the_first_answer_and_creates_nothing()
    {
        var command = TestData.Petition(await Harness.ActorAsync("reception")) with { IdempotencyKey = "retry-1" };

        var first = await Harness.SendAsync(command);
        var retry = await Harness.SendAsync(command);

        Assert.Equivalent(first, retry, strict: true);
        Assert.Equal(1, await Database.CountAsync("petitions"));
        await Assert.ThrowsAsync<IdempotencyKeyReusedException>(() => Harness.SendAsync(command with { Subject = "另一件事" }));
        Assert.Equal(1, await Database.CountAsync("petitions"));
        Assert.DoesNotContain(first.QueryCode, Assert.Single(await Database.QueryAsync<string>("SELECT response_cipher FROM idempotency_keys")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Simultaneous_retries_with_one_key_create_one_petition()
    {
        var command = TestData.Petition(await Harness.ActorAsync("reception")) with { IdempotencyKey = "burst" };

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => Task.Run(async () =>
        {
            try
            {
                return (await Harness.SendAsync(command)).CaseNumber;
            }
            catch (ConcurrencyConflictException)
            {
                return "conflict";
            }
        })));

        Assert.Single(outcomes.Where(o => o != "conflict").Distinct());
        Assert.Equal(1, await Database.CountAsync("petitions"));
    }

    [Fact]
    public async Task A_refused_command_leaves_no_rows_but_an_audit_entry()
    {
        var handler = await Harness.ActorAsync("handler");

        await Assert.ThrowsAsync<ForbiddenException>(() => Harness.SendAsync(TestData.Petition(handler)));

        foreach (var table in new[] { "petitions", "petition_people", "petition_events", "clocks", "case_number_counters", "idempotency_keys" })
            Assert.Equal(0, await Database.CountAsync(table));
        Assert.Equal(1, await Database.CountAsync("audit_log", "action = 'RegisterPetition' AND outcome = 'forbidden' AND user_id = @UserId", new { handler.UserId }));
    }

    [Fact]
    public async Task Invalid_input_is_refused_before_anything_is_written()
    {
        var command = TestData.Petition(await Harness.ActorAsync("reception")) with
        {
            Channel = "pigeon",
            Petitioner = new RegisterPetition.PersonInput("", "110105194912310021", "12345", null),
            Representatives = Enumerable.Range(0, 6).Select(i => new RegisterPetition.PersonInput($"代表{i}", TestData.IdNumberFor(new DateOnly(1990, 1, 1), i), null, null)).ToList(),
            Subject = " ",
        };

        var invalid = await Assert.ThrowsAsync<ValidationException>(() => Harness.SendAsync(command));

        Assert.Equivalent(
            new[] { "Channel", "Petitioner.Name", "Petitioner.IdNumber", "Petitioner.Phone", "representatives", "Subject" },
            invalid.Errors.Select(e => e.PropertyName).Distinct().ToArray());
        Assert.Equal(0, await Database.CountAsync("petitions"));
        Assert.Equal(0, await Database.CountAsync("audit_log", "action = 'RegisterPetition'"));
    }

    [Fact]
    public async Task A_successful_registration_is_audited_with_its_case_number()
    {
        var reception = await Harness.ActorAsync("reception");

        var registered = await Harness.SendAsync(TestData.Petition(reception));

        Assert.Equal(1, await Database.CountAsync(
            "audit_log", "action = 'RegisterPetition' AND outcome = 'ok' AND case_number = @CaseNumber AND user_id = @UserId",
            new { registered.CaseNumber, reception.UserId }));
    }

    [Fact]
    public async Task The_petitioner_looks_up_progress_with_the_case_number_and_query_code()
    {
        var registered = await Harness.SendAsync(TestData.Petition(await Harness.ActorAsync("reception")));
        var typed = registered.QueryCode.ToLowerInvariant().Insert(4, "-");

        var progress = await Harness.SendAsync(new LookUpPetition.Query(registered.CaseNumber, typed));

        Assert.Equal(("registered", new DateOnly(2026, 11, 20), new DateOnly(2026, 12, 7)), (progress.Stage, progress.ReceivedOn, progress.DueOn));
        Assert.Equal(new LookUpPetition.Step(new DateOnly(2026, 11, 20), "register", "registered"), Assert.Single(progress.Timeline));
    }

    [Fact]
    public async Task A_wrong_query_code_and_an_unknown_case_get_the_same_answer()
    {
        var registered = await Harness.SendAsync(TestData.Petition(await Harness.ActorAsync("reception")));

        var wrongCode = await Assert.ThrowsAsync<NotFoundException>(() => Harness.SendAsync(new LookUpPetition.Query(registered.CaseNumber, "ABCDEFGH")));
        var unknownCase = await Assert.ThrowsAsync<NotFoundException>(() => Harness.SendAsync(new LookUpPetition.Query("XF-330799-2026-999999", registered.QueryCode)));
        var malformed = await Assert.ThrowsAsync<NotFoundException>(() => Harness.SendAsync(new LookUpPetition.Query("nonsense", registered.QueryCode)));

        Assert.All([wrongCode, unknownCase, malformed], e => Assert.Equal(LookUpPetition.NoMatch, e.Message));
    }
}
