using Microsoft.Extensions.AI;

namespace VirtualItCompany;

/// <summary>What a model charges, per million tokens in US dollars; a chat client exposes it through <see cref="IChatClient.GetService"/>.</summary>
/// <param name="InputPerMillion">Price of one million input tokens.</param>
/// <param name="OutputPerMillion">Price of one million output tokens.</param>
/// <param name="CachedInputPerMillion">Price of one million cached input tokens; <see langword="null"/> to charge them as input.</param>
public sealed record ModelPricing(decimal InputPerMillion, decimal OutputPerMillion, decimal? CachedInputPerMillion = null)
{
    /// <summary>Gets the pricing of a free (local or offline) model.</summary>
    public static ModelPricing Free { get; } = new(0m, 0m, 0m);

    /// <summary>Computes what a call cost from its usage.</summary>
    /// <param name="usage">The call's token usage; <see langword="null"/> costs nothing.</param>
    /// <returns>The cost in US dollars.</returns>
    public decimal CostOf(UsageDetails? usage)
    {
        if (usage is null)
        {
            return 0m;
        }

        long input = usage.InputTokenCount ?? 0;
        long cached = Math.Min(usage.CachedInputTokenCount ?? 0, input);
        long output = usage.OutputTokenCount ?? 0;
        decimal cachedPrice = CachedInputPerMillion ?? InputPerMillion;
        return ((input - cached) * InputPerMillion + cached * cachedPrice + output * OutputPerMillion) / 1_000_000m;
    }
}
