using System.Text.Json;
using VirtualItCompany.Chat;

namespace VirtualItCompany.Tests.Chat.StructuredOutput;

/// <summary>The tolerant reader of structured answers: it finds the one JSON value in what a local model writes, and never picks among several.</summary>
public sealed class JsonAnswerTests
{
    [Theory]
    [InlineData("{\"summary\":\"s\",\"items\":[1,2]}")]
    [InlineData("  \n{\"summary\": \"s\", \"items\": [1, 2]}\n  ")]
    [InlineData("```json\n{\"summary\": \"s\", \"items\": [1, 2]}\n```")]
    [InlineData("```\n{\"summary\": \"s\", \"items\": [1, 2]}\n```")]
    [InlineData("Sure! Here is the answer you asked for:\n\n```json\n{\n  \"summary\": \"s\",\n  \"items\": [1, 2]\n}\n```\n\nLet me know if you need anything else.")]
    [InlineData("Here it is: {\"summary\": \"s\", \"items\": [1, 2]} -- hope that helps!")]
    [InlineData("{\"summary\": \"s\", \"items\": [1, 2,],}")]
    [InlineData("{\n  // the summary\n  \"summary\": \"s\",\n  \"items\": [1, 2]\n}")]
    [InlineData("The answer {as requested} follows.\n```json\n{\"summary\": \"s\", \"items\": [1, 2]}")]
    public void The_one_JSON_object_is_found_in_fenced_chatty_or_sloppy_answers(string answer)
    {
        Assert.True(JsonAnswer.TryRead(answer, JsonValueKind.Object, out string json, out string problem), problem);
        Assert.Equal("{\"summary\":\"s\",\"items\":[1,2]}", json);
    }

    [Fact]
    public void Braces_inside_strings_do_not_confuse_the_reader()
    {
        Assert.True(JsonAnswer.TryRead("Result: {\"code\": \"if (x) { return \\\"}\\\"; }\"}", JsonValueKind.Object, out string json, out _));
        Assert.Equal("{\"code\":\"if (x) { return \\u0022}\\u0022; }\"}", json);
    }

    [Fact]
    public void A_JSON_example_in_the_preamble_outside_the_fence_does_not_count_when_the_fence_holds_the_answer()
    {
        string answer = "I will answer like {\"a\": 1}.\n```json\n{\"a\": 2}\n```";
        Assert.True(JsonAnswer.TryRead(answer, JsonValueKind.Object, out string json, out _));
        Assert.Equal("{\"a\":2}", json);
    }

    [Fact]
    public void The_same_value_twice_is_one_answer()
    {
        Assert.True(JsonAnswer.TryRead("{\"a\": 1}\nAgain: {\"a\":1}", JsonValueKind.Object, out string json, out _));
        Assert.Equal("{\"a\":1}", json);
    }

    [Theory]
    [InlineData("First try: {\"a\": 1}\nBetter: {\"a\": 2}", "2 different JSON objects")]
    [InlineData("```json\n{\"a\": 1}\n```\n```json\n{\"a\": 2}\n```", "2 different JSON objects")]
    [InlineData("I cannot answer that.", "no complete JSON object")]
    [InlineData("{\"a\": 1, \"b\": ", "no complete JSON object")]
    [InlineData("{'a': 1}", "no complete JSON object")]
    [InlineData("", "the answer is empty")]
    public void No_value_or_several_different_values_is_a_problem_not_a_guess(string answer, string expected)
    {
        Assert.False(JsonAnswer.TryRead(answer, JsonValueKind.Object, out _, out string problem));
        Assert.Contains(expected, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void An_array_is_read_when_the_schema_asks_for_one()
    {
        Assert.True(JsonAnswer.TryRead("The list: [1, 2, 3,]", JsonValueKind.Array, out string json, out _));
        Assert.Equal("[1,2,3]", json);
        Assert.Equal(JsonValueKind.Array, JsonAnswer.KindOf(JsonDocument.Parse("{\"type\":\"array\"}").RootElement));
        Assert.Equal(JsonValueKind.Object, JsonAnswer.KindOf(JsonDocument.Parse("{\"type\":\"object\"}").RootElement));
    }
}
