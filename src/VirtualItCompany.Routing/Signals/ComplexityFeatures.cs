using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace VirtualItCompany.Routing;

/// <summary>Receives the features of one call, as <see cref="ComplexityFeatures"/> reads them.</summary>
internal interface IComplexityFeatureSink
{
    /// <summary>A structural feature (its index in <see cref="ComplexityFeatures.DenseNames"/>) and its value.</summary>
    void Dense(int index, float value);

    /// <summary>One word or word pair of the last user message: its hash bucket and where it is in <paramref name="text"/>.</summary>
    void Token(int bucket, string text, int start, int length);

    /// <summary>Called once after the last token, with how many tokens there were (the sparse part is divided by its square root).</summary>
    void End(int tokenCount);
}

/// <summary>
/// The text features of the learned complexity estimate, shared by the estimator and the offline training verb
/// (benchmarks/VirtualItCompany.Routing.Benchmarks <c>estimator-train</c>) so both see exactly the same numbers:
/// a few structural features (sizes, tools, schema, digits and math marks) and hashed words and word pairs of the
/// last user message (lower-cased runs of letters or digits; numbers also as their digit count), read without
/// allocating.
/// </summary>
internal static class ComplexityFeatures
{
    /// <summary>How many hash buckets the words and word pairs fall into (2^13).</summary>
    public const int Buckets = 1 << 13;

    /// <summary>At most this many characters of the last user message are read for words (its start).</summary>
    public const int MaxTextChars = 16_384;

    /// <summary>The names of the structural features, in index order (shown in explanations).</summary>
    public static readonly string[] DenseNames =
    [
        "request length",      // log(1 + chars of the last user message) / 8
        "conversation length", // log(1 + chars of all text) / 8
        "line count",          // log(1 + lines of the last user message) / 5
        "digit share",         // digits / chars
        "math notation",       // 10 * ($ ^ \ _ { }) / chars
        "tools offered",       // 0 or 1
        "tool count",          // log(1 + tools) / 2
        "JSON schema",         // 0 or 1
        "message count",       // log(1 + messages) / 3
    ];

    private const uint FnvOffset = 2166136261;
    private const uint FnvPrime = 16777619;
    private const uint PairSalt = 0x9E3779B9;
    private const uint ShapeSalt = 0x85EBCA6B;

    /// <summary>Reads the features of a call into <paramref name="sink"/>.</summary>
    public static void Extract<TSink>(IReadOnlyList<ChatMessage> messages, ChatOptions? options, ref TSink sink)
        where TSink : struct, IComplexityFeatureSink
    {
        long allChars = 0;
        int lastUser = -1;
        for (int i = 0; i < messages.Count; i++)
        {
            var contents = messages[i].Contents;
            for (int j = 0; j < contents.Count; j++)
            {
                if (contents[j] is TextContent text)
                {
                    allChars += text.Text?.Length ?? 0;
                }
            }

            if (messages[i].Role == ChatRole.User)
            {
                lastUser = i;
            }
        }

        long userChars = 0, lines = 0, digits = 0, math = 0;
        int tokens = 0;
        if (lastUser >= 0)
        {
            var contents = messages[lastUser].Contents;
            int budget = MaxTextChars;
            for (int j = 0; j < contents.Count && budget > 0; j++)
            {
                if (contents[j] is TextContent { Text: { Length: > 0 } text })
                {
                    userChars += text.Length;
                    int end = Math.Min(text.Length, budget);
                    budget -= end;
                    tokens += Scan(text, end, ref sink, ref lines, ref digits, ref math);
                }
            }
        }

        float read = Math.Max(1, Math.Min(userChars, MaxTextChars));
        sink.Dense(0, MathF.Log(1 + userChars) / 8f);
        sink.Dense(1, MathF.Log(1 + allChars) / 8f);
        sink.Dense(2, MathF.Log(1 + lines) / 5f);
        sink.Dense(3, digits / read);
        sink.Dense(4, 10f * math / read);
        int tools = options?.Tools?.Count ?? 0;
        sink.Dense(5, tools > 0 ? 1f : 0f);
        sink.Dense(6, MathF.Log(1 + tools) / 2f);
        sink.Dense(7, options?.ResponseFormat is ChatResponseFormatJson { Schema: not null } ? 1f : 0f);
        sink.Dense(8, MathF.Log(1 + messages.Count) / 3f);
        sink.End(tokens);
    }

    private static int Scan<TSink>(string text, int end, ref TSink sink, ref long lines, ref long digits, ref long math)
        where TSink : struct, IComplexityFeatureSink
    {
        int count = 0;
        uint previous = 0;
        int previousStart = -1;
        int i = 0;
        lines++;
        while (i < end)
        {
            char c = text[i];
            if (!IsWordChar(c))
            {
                switch (c)
                {
                    case '\n': lines++; break;
                    case '$' or '^' or '\\' or '_' or '{' or '}': math++; break;
                }

                i++;
                continue;
            }

            int start = i;
            uint hash = FnvOffset;
            bool allDigits = true;
            while (i < end && IsWordChar(text[i]))
            {
                char t = text[i];
                if (char.IsAsciiDigit(t))
                {
                    digits++;
                }
                else
                {
                    allDigits = false;
                }

                hash = (hash ^ Lower(t)) * FnvPrime;
                i++;
            }

            int length = i - start;
            sink.Token(Bucket(hash), text, start, length);
            count++;
            if (allDigits)
            {
                sink.Token(Bucket(Mix(ShapeSalt, (uint)Math.Min(length, 12))), text, start, length);
                count++;
            }

            if (previousStart >= 0)
            {
                sink.Token(Bucket(Mix(previous ^ PairSalt, hash)), text, previousStart, i - previousStart);
                count++;
            }

            previous = hash;
            previousStart = start;
        }

        return count;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool IsWordChar(char c) => char.IsAsciiLetterOrDigit(c) || (c > 0x7F && char.IsLetterOrDigit(c));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static char Lower(char c) => char.IsAsciiLetterUpper(c) ? (char)(c | 0x20) : c > 0x7F ? char.ToLowerInvariant(c) : c;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Mix(uint a, uint b)
    {
        uint h = (a * 0x85EBCA6B) ^ (b + 0x9E3779B9 + (a << 6) + (a >> 2));
        h ^= h >> 15;
        h *= 0x2C1B3C6D;
        h ^= h >> 13;
        return h;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Bucket(uint hash) => (int)(Mix(hash, 0x27D4EB2F) & (Buckets - 1));
}
