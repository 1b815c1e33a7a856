using Petitions.Domain;
using Petitions.Tests.Support;

namespace Petitions.Tests.Domain;

public sealed class IdentityTests
{
    private static readonly DateOnly Today = new(2026, 11, 20);

    [Theory]
    [InlineData("11010519491231002X")]
    [InlineData("11010519491231002x")]
    [InlineData(" 11010519491231002X ")]
    public void A_valid_id_number_is_accepted_in_canonical_form(string text)
    {
        Assert.True(IdNumber.TryParse(text, Today, out var id, out _));
        Assert.Equal("11010519491231002X", id!.Value);
        Assert.Equal(new DateOnly(1949, 12, 31), id.BirthDate);
    }

    [Theory]
    [InlineData("110105194912310021", "has a wrong check digit")]
    [InlineData("11010519491231002", "must be 18 characters long")]
    [InlineData("1101051949123100AX", "must be 17 digits followed by a digit or X")]
    [InlineData("110105194902300028", "has an invalid birth date")] // 30 February
    [InlineData("011105194912310028", "has an invalid region code")]
    public void An_invalid_id_number_is_refused_with_its_reason(string text, string reason)
    {
        Assert.False(IdNumber.TryParse(text, Today, out _, out var error));
        Assert.Equal(reason, error);
    }

    [Fact]
    public void A_birth_date_after_today_is_refused()
    {
        var tomorrow = TestData.IdNumberFor(Today.AddDays(1), 1);

        Assert.False(IdNumber.TryParse(tomorrow, Today, out _, out var error));
        Assert.Equal("has an invalid birth date", error);
        Assert.True(IdNumber.TryParse(TestData.IdNumberFor(Today, 1), Today, out _, out _));
    }

    [Fact]
    public void An_id_number_never_prints_in_full()
    {
        IdNumber.TryParse("11010519491231002X", Today, out var id, out _);

        Assert.Equal("110105********002X", id!.ToString());
        Assert.DoesNotContain("19491231", new Person("张三", id, null, null).ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("13800138000", "13800138000")]
    [InlineData("+86 138 0013 8000", "13800138000")]
    [InlineData("0579-82345678", "0579-82345678")]
    [InlineData("010-12345678-123", "010-12345678-123")]
    public void Phone_numbers_are_normalized(string text, string normalized)
    {
        Assert.True(PhoneNumber.TryNormalize(text, out var result));
        Assert.Equal(normalized, result);
    }

    [Theory]
    [InlineData("12800138000")]
    [InlineData("1380013800")]
    [InlineData("phone")]
    [InlineData("１３９１２３４５６７８")] // full-width digits: ASCII only, a number is dialled as written
    [InlineData("١٣٩١٢٣٤٥٦٧٨")] // Arabic-Indic
    [InlineData("13９12345678")]
    [InlineData("०५७९-८२३४५६७८")] // Devanagari, a landline's shape
    public void Other_phone_numbers_are_refused(string text) => Assert.False(PhoneNumber.TryNormalize(text, out _));

    [Fact]
    public void Query_codes_use_the_unambiguous_alphabet()
    {
        var codes = Enumerable.Range(0, 500).Select(_ => QueryCode.New()).ToList();

        Assert.All(codes, c => Assert.Equal(QueryCode.Length, c.Length));
        Assert.All(codes, c => Assert.True(c.All(QueryCode.Alphabet.Contains)));
        Assert.DoesNotContain(QueryCode.Alphabet, c => "01IOL".Contains(c));
        Assert.True(codes.Distinct().Count() > 495);
        Assert.Equal("AB23CD45", QueryCode.Normalize(" ab23-cd45 "));
    }

    [Fact]
    public void Case_numbers_are_readable_and_sort_within_a_bureau_and_year()
    {
        Assert.Equal("XF-330799-2026-000123", CaseNumber.Format("330799", 2026, 123));
        Assert.True(CaseNumber.IsWellFormed("XF-330799-2026-000123"));
        Assert.False(CaseNumber.IsWellFormed("XF-330799-2026-12"));
        Assert.False(CaseNumber.IsWellFormed("'; DROP TABLE petitions; --"));
        Assert.True(string.CompareOrdinal(CaseNumber.Format("330799", 2026, 99), CaseNumber.Format("330799", 2026, 100)) < 0);
    }

    [Fact]
    public void Codes_are_the_kebab_case_names_of_the_domain_reference()
    {
        Assert.Equal("opinion-review", Codes.Of(Stage.OpinionReview));
        Assert.Equal(["registered", "referred", "in-handling", "opinion-review", "awaiting-service", "return-visit", "closed", "under-review", "under-rereview", "final"], Codes.All<Stage>());
        Assert.True(Codes.TryParse<Channel>("online", out var channel));
        Assert.Equal(Channel.Online, channel);
        Assert.False(Codes.TryParse<Channel>("Online", out _));
        Assert.False(Codes.TryParse<Channel>("pigeon", out _));
    }
}
