namespace VirtualItCompany.Routing;

/// <summary>How a band ranks the models it names.</summary>
public enum BandOrder
{
    /// <summary>In the order the band lists them: the first that qualifies wins, the next ones are its fallbacks.</summary>
    Preference = 0,

    /// <summary>By the call's worst-case cost on each model, cheapest first.</summary>
    CheapestFirst = 1,
}
