using VirtualItCompany.Providers.Offline.Template;

namespace VirtualItCompany.Providers.Offline.Tests.Template;

public sealed class CodeNamesTests
{
    [Theory]
    [InlineData("List todos", "ListTodos", "list-todos")]
    [InlineData("Café menu", "CafeMenu", "cafe-menu")]
    [InlineData("9 lives", "Feature9Lives", "9-lives")]
    [InlineData("add \"quoted\" C:\\path", "AddQuotedCPath", "add-quoted-c-path")]
    public void Identifiers_and_slugs_keep_the_ascii_words_of_any_text(string text, string pascal, string slug)
    {
        Assert.Equal(pascal, CodeNames.Pascal(text, "Feature"));
        Assert.Equal(slug, CodeNames.Slug(text, "feature"));
    }

    [Fact]
    public void Text_without_ascii_words_gets_a_stable_hashed_fallback()
    {
        Assert.Equal(CodeNames.Pascal("日本", "Feature"), CodeNames.Pascal("日本", "Feature"));
        Assert.NotEqual(CodeNames.Pascal("日本", "Feature"), CodeNames.Pascal("中国", "Feature"));
        Assert.Matches("^Feature[0-9a-f]{8}$", CodeNames.Pascal("日本", "Feature"));
        Assert.Matches("^feature-[0-9a-f]{8}$", CodeNames.Slug("", "feature"));
    }

    [Fact]
    public void A_feature_class_never_clashes_with_the_feature_interface()
    {
        Assert.Equal("ItemIFeature", CodeNames.FeatureClass("I"));
        Assert.Equal("Service/Features/ListTodosFeature.cs", CodeNames.FeaturePath("List todos"));
    }

    [Theory]
    [InlineData("plain", "\"plain\"")]
    [InlineData("say \"hi\"\\", "\"say \\\"hi\\\"\\\\\"")]
    [InlineData("a\nb\r\tc", "\"a\\nb\\r\\tc\"")]
    [InlineData("line\u2028sep\u202Eoverride", "\"line\\u2028sep\\u202eoverride\"")]
    [InlineData("日本 🚀", "\"日本 🚀\"")]
    public void String_literals_escape_what_would_break_or_hide_in_source(string text, string literal) =>
        Assert.Equal(literal, CSharpText.Literal(text));
}
