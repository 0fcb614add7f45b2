namespace VirtualItCompany.Routing;

/// <summary>A range of complexity and the models that serve it, such as "4-7: Sonnet, then GPT-4o mini".</summary>
public sealed class RoutingBand
{
    /// <summary>Gets or sets the lowest complexity the band serves, 1 to 10.</summary>
    /// <value>The default value is 1.</value>
    public int MinComplexity { get; set; } = 1;

    /// <summary>Gets or sets the highest complexity the band serves, 1 to 10.</summary>
    /// <value>The default value is 10.</value>
    public int MaxComplexity { get; set; } = 10;

    /// <summary>Gets the catalog ids of the band's models; models that are not registered are skipped.</summary>
    public IList<string> Models { get; init; } = [];

    /// <summary>Gets or sets how the band ranks its models.</summary>
    /// <value>The default value is <see cref="BandOrder.Preference"/>.</value>
    public BandOrder Order { get; set; } = BandOrder.Preference;

    /// <summary>Gets the band's range as text, such as <c>4-7</c>.</summary>
    public string Range => MinComplexity == MaxComplexity ? $"{MinComplexity}" : $"{MinComplexity}-{MaxComplexity}";

    /// <inheritdoc/>
    public override string ToString() => $"{Range}: {string.Join(", ", Models)} ({Order})";
}
