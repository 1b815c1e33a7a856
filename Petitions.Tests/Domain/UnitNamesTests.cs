using Petitions.Domain;

namespace Petitions.Tests.Domain;

/// <summary>How the words a petitioner wrote for an accused unit are compared with our organizations' names.</summary>
public sealed class UnitNamesTests
{
    [Theory]
    [InlineData("城关派出所")]
    [InlineData("示范县公安局城关派出所")]
    [InlineData("浙江省金华市示范县公安局城关派出所")]
    [InlineData("城关 派出所")]
    [InlineData("城关\u3000派出所")] // an ideographic space
    [InlineData("城关所")]
    [InlineData("城关")]
    [InlineData("城关镇派出所")]
    [InlineData("３３０７９９－０１")] // the code in full-width characters
    public void Spellings_of_a_station_resemble_it(string written) =>
        Assert.True(UnitNames.Resembles(written, "城关派出所", "330799-01"), written);

    [Theory]
    [InlineData("刑侦大队", "刑事侦查大队")]
    [InlineData("县局刑侦队", "刑事侦查大队")]
    [InlineData("治安大队", "治安管理大队")]
    [InlineData("交警队", "交通警察大队")]
    public void Short_forms_of_a_unit_resemble_it(string written, string name) =>
        Assert.True(UnitNames.Resembles(written, name, "330799-09"), written);

    [Theory]
    [InlineData("城南派出所")]
    [InlineData("市场监督管理局")]
    [InlineData("某某")]
    [InlineData("")]
    [InlineData("   ")]
    public void Other_names_do_not(string written) =>
        Assert.False(UnitNames.Resembles(written, "城关派出所", "330799-01"), written);

    [Fact]
    public void Only_the_name_or_the_code_itself_is_exact()
    {
        Assert.True(UnitNames.IsExactly(" 城关 派出所 ", "城关派出所", "330799-01"));
        Assert.True(UnitNames.IsExactly("330799-01", "城关派出所", "330799-01"));
        Assert.False(UnitNames.IsExactly("城关所", "城关派出所", "330799-01"));
    }
}
