using System.Globalization;
using System.Text.RegularExpressions;
using FluentValidation;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Petitions.Api;
using Petitions.Api.Pages;
using Petitions.Domain;
using Petitions.Tests.Support;
using Petitions.Workflows;
using Petitions.Workflows.Features.Petitions;
using Petitions.Workflows.Workflow;

namespace Petitions.Tests.Api;

/// <summary>The pages speak Chinese by default: every refusal a page can show must have its Chinese words.</summary>
public sealed partial class PageMessagesTests : IDisposable
{
    private static readonly IStringLocalizer<Words> Words =
        new StringLocalizer<Words>(new ResourceManagerStringLocalizerFactory(Options.Create(new LocalizationOptions()), NullLoggerFactory.Instance));

    private readonly CultureInfo _before = CultureInfo.CurrentUICulture;

    public PageMessagesTests() => CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("zh-CN");

    public void Dispose() => CultureInfo.CurrentUICulture = _before;

    [Fact]
    public void Every_rule_the_code_can_break_has_its_chinese_words()
    {
        var root = Path.GetDirectoryName(FindUp("Petitions.sln"))!;
        var rules = new[] { "Petitions.Domain", "Petitions.Workflows" }
            .SelectMany(project => Directory.EnumerateFiles(Path.Combine(root, project), "*.cs", SearchOption.AllDirectories))
            .Where(file => !file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(file => RuleCode().Matches(File.ReadAllText(file)).Select(m => m.Groups[1].Value))
            .Distinct()
            .ToList();

        Assert.True(rules.Count > 30, $"found only {rules.Count} rules: the scan is broken");
        Assert.DoesNotContain(rules, code => Messages.ByCode(Words, code) is null);
    }

    public static TheoryData<string> Actions() => new(PetitionWorkflowV2.Definition.Actions.Select(a => a.Code));

    [Theory]
    [MemberData(nameof(Actions))]
    public void An_action_forms_messages_are_chinese(string action)
    {
        var payload = PetitionWorkflowV2.Definition.Find(action)!.Payload;
        var validator = Validators(payload).SingleOrDefault();
        if (validator is null) return; // a payload without rules has nothing to say
        AssertChinese(validator.Validate(new ValidationContext<object>(Build(payload, blank: true))), some: false); // comments are optional
        AssertChinese(validator.Validate(new ValidationContext<object>(Build(payload, blank: false))));
    }

    [Fact]
    public void The_registration_forms_messages_are_chinese()
    {
        var validator = new RegisterPetition.Validator(TimeProvider.System);
        var staff = new Actor(1, 1, new HashSet<Role> { Role.Reception });
        var badPerson = new RegisterPetition.PersonInput("", "110105194912310021", "12345", null);
        AssertChinese(validator.Validate(new RegisterPetition.Command { Actor = staff }));
        AssertChinese(validator.Validate(new RegisterPetition.Command { Actor = Actor.Public, Channel = "visit", ReceivedAt = DateTimeOffset.UtcNow }));
        AssertChinese(validator.Validate(new RegisterPetition.Command
        {
            Actor = staff,
            Channel = "fax",
            Category = "other",
            Petitioner = badPerson with { Phone = null },
            Representatives = Enumerable.Repeat(badPerson, 6).ToList(),
            PeopleCount = 2,
            Subject = new string('事', 1000),
            Content = "",
            ReceivedAt = DateTimeOffset.UtcNow.AddDays(2),
        }));
        AssertChinese(validator.Validate(new RegisterPetition.Command { Actor = staff, ReceivedAt = DateTimeOffset.UtcNow.AddYears(-2) }));
    }

    [Fact]
    public void In_english_the_pages_show_the_apis_own_words()
    {
        CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("en");
        var failure = Assert.Single(new RegisterPetition.Validator(TimeProvider.System)
            .Validate(TestData.Petition(new Actor(1, 1, new HashSet<Role> { Role.Reception })) with { PeopleCount = 0 }).Errors);
        Assert.Equal(failure.ErrorMessage, Messages.Of(Words, failure));
        Assert.Equal("An extension is 1 to 30 days.", Messages.Of(Words, new RuleViolationException("extension-days", "An extension is 1 to 30 days.")));
    }

    private static void AssertChinese(FluentValidation.Results.ValidationResult result, bool some = true)
    {
        if (some) Assert.NotEmpty(result.Errors);
        foreach (var failure in result.Errors)
        {
            var text = Messages.Of(Words, failure);
            Assert.True(text != Words["Messages.Generic"] && Han().IsMatch(text), $"{failure.PropertyName} ({failure.ErrorCode}): '{text}' for '{failure.ErrorMessage}'");
        }
    }

    private static IEnumerable<IValidator> Validators(Type payload) =>
        typeof(PetitionWorkflowV1).Assembly.GetTypes()
            .Where(t => !t.IsAbstract && typeof(IValidator<>).MakeGenericType(payload).IsAssignableFrom(t))
            .Select(t => (IValidator)Activator.CreateInstance(t, t.GetConstructors().Single().GetParameters().Select(_ => (object)TimeProvider.System).ToArray())!);

    /// <summary>A payload with every field missing, or every field out of bounds.</summary>
    private static object Build(Type payload, bool blank) =>
        payload.GetConstructors().Single().Invoke(payload.GetConstructors().Single().GetParameters().Select(p =>
            blank ? null
            : (Nullable.GetUnderlyingType(p.ParameterType) ?? p.ParameterType) switch
            {
                var t when t == typeof(string) => new string('字', 20_001),
                var t when t == typeof(int) => (object)(-5),
                var t when t == typeof(DateOnly) => new DateOnly(2100, 1, 1),
                _ => null,
            }).ToArray());

    private static string FindUp(string file)
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
            if (File.Exists(Path.Combine(folder.FullName, file))) return Path.Combine(folder.FullName, file);
        throw new FileNotFoundException(file);
    }

    /// <summary>A rule's code, or a code a validator sets for its own failures.</summary>
    [GeneratedRegex(@"(?:RuleViolationException\(\s*|WithErrorCode\()""([a-z-]+)""")]
    private static partial Regex RuleCode();

    [GeneratedRegex(@"\p{IsCJKUnifiedIdeographs}")]
    private static partial Regex Han();
}
