namespace VirtualItCompany.Routing;

/// <summary>The catalog ids of the models <see cref="ModelCatalog.Default"/> ships; provider packages register their models under these ids.</summary>
public static class DefaultModelIds
{
    /// <summary>Mistral 7B served locally by Ollama.</summary>
    public const string OllamaMistral = "ollama/mistral";

    /// <summary>Code Llama 7B served locally by Ollama.</summary>
    public const string OllamaCodeLlama = "ollama/codellama";

    /// <summary>Anthropic's Claude Haiku.</summary>
    public const string ClaudeHaiku = "anthropic/claude-haiku";

    /// <summary>Anthropic's Claude Sonnet.</summary>
    public const string ClaudeSonnet = "anthropic/claude-sonnet";

    /// <summary>Anthropic's Claude Opus.</summary>
    public const string ClaudeOpus = "anthropic/claude-opus";

    /// <summary>OpenAI's GPT-4o mini.</summary>
    public const string Gpt4oMini = "openai/gpt-4o-mini";

    /// <summary>OpenAI's GPT-4o.</summary>
    public const string Gpt4o = "openai/gpt-4o";

    /// <summary>Meta's Llama 3.3 70B served by Groq.</summary>
    public const string GroqLlama = "groq/llama";
}
