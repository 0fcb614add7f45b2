namespace VirtualItCompany;

/// <summary>What the router knows of a model: who serves it, what it costs, how much it takes, what it can do, how good and how fast it is.</summary>
public sealed record ModelProfile
{
    /// <summary>Gets the id the catalog and routing policies name the model by, such as <c>anthropic/claude-haiku</c>.</summary>
    public required string Id { get; init; }

    /// <summary>Gets the provider, such as <c>openai</c>, <c>anthropic</c>, <c>groq</c>, <c>ollama</c>.</summary>
    public required string Provider { get; init; }

    /// <summary>Gets the model id the provider's API expects.</summary>
    public required string ModelId { get; init; }

    /// <summary>Gets the prices per million tokens.</summary>
    public required ModelPricing Pricing { get; init; }

    /// <summary>Gets the context window, in tokens (prompt and output together).</summary>
    public int ContextWindow { get; init; } = 128_000;

    /// <summary>Gets the most output tokens one call may produce.</summary>
    public int MaxOutputTokens { get; init; } = 4_096;

    /// <summary>Gets what the model can do.</summary>
    public ModelCapabilities Capabilities { get; init; } = ModelCapabilities.Tools | ModelCapabilities.JsonSchema;

    /// <summary>Gets the quality tier, 1 (local, basic) to 4 (premium).</summary>
    public int QualityTier { get; init; } = 2;

    /// <summary>Gets the typical time to a full answer of an ordinary call.</summary>
    public TimeSpan TypicalLatency { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Gets whether the model runs locally (no data leaves the machine, no per-token price).</summary>
    public bool IsLocal { get; init; }

    /// <summary>Lists every problem of this profile.</summary>
    /// <returns>The problems, as sentences; empty when valid.</returns>
    public IReadOnlyList<string> GetProblems()
    {
        var problems = new List<string>();
        string name = string.IsNullOrWhiteSpace(Id) ? "A model profile" : $"Model '{Id}'";
        if (string.IsNullOrWhiteSpace(Id))
        {
            problems.Add("A model profile has no Id; give it one such as 'openai/gpt-4o-mini'.");
        }

        if (string.IsNullOrWhiteSpace(Provider))
        {
            problems.Add($"{name} has no Provider.");
        }

        if (string.IsNullOrWhiteSpace(ModelId))
        {
            problems.Add($"{name} has no ModelId.");
        }

        if (Pricing is null)
        {
            problems.Add($"{name} has no Pricing; use ModelPricing.Free for a free model.");
        }
        else
        {
            if (Pricing.InputPerMillion < 0 || Pricing.OutputPerMillion < 0 || Pricing.CachedInputPerMillion < 0)
            {
                problems.Add($"{name} has a negative price (input {Pricing.InputPerMillion}, output {Pricing.OutputPerMillion}, cached input {Pricing.CachedInputPerMillion}); prices are dollars per million tokens, zero or more.");
            }
        }

        if (ContextWindow <= 0)
        {
            problems.Add($"{name} has ContextWindow {ContextWindow}; it must be more than zero.");
        }

        if (MaxOutputTokens <= 0 || MaxOutputTokens > ContextWindow)
        {
            problems.Add($"{name} has MaxOutputTokens {MaxOutputTokens}; it must be more than zero and at most the context window ({ContextWindow}).");
        }

        if (QualityTier is < 1 or > 4)
        {
            problems.Add($"{name} has QualityTier {QualityTier}; it must be 1 (local, basic) to 4 (premium).");
        }

        if (TypicalLatency < TimeSpan.Zero)
        {
            problems.Add($"{name} has a negative TypicalLatency.");
        }

        return problems;
    }
}
