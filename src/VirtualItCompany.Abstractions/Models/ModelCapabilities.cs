namespace VirtualItCompany;

/// <summary>What a model can do, beyond plain chat.</summary>
[Flags]
public enum ModelCapabilities
{
    /// <summary>Plain chat only.</summary>
    None = 0,

    /// <summary>Calls tools (functions).</summary>
    Tools = 1,

    /// <summary>Answers in a given JSON schema (structured output).</summary>
    JsonSchema = 2,

    /// <summary>Reads images.</summary>
    Vision = 4,

    /// <summary>Is good at writing code.</summary>
    Code = 8,

    /// <summary>Is a strong reasoner, suited to analysis.</summary>
    Reasoning = 16,
}
