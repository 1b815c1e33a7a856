using System.Resources;

// Chinese is the words of the main assembly (Words.resx): zh-CN needs no satellite, and any other culture falls back to it.
[assembly: NeutralResourcesLanguage("zh-CN")]

namespace Petitions.Api;

/// <summary>
/// The pages' words, one file per language for a translator: Resources/Words.resx in Chinese (the neutral culture, what
/// every page falls back to) and Resources/Words.en.resx in English. Inject <c>IStringLocalizer&lt;Words&gt;</c>.
/// </summary>
public sealed class Words;
