namespace VirtualItCompany.Routing;

/// <summary>Infers a call's specialization when no tag gives it: code-ish tools or words prefer code-capable models, analysis words strong reasoners.</summary>
internal static class SpecializationInference
{
    private static readonly string[] CodeWords = ["```", "source code", "function", "class ", "method", "compile", "refactor", "unit test", "stack trace", "bug"];
    private static readonly string[] AnalysisWords = ["analy", "evaluate", "assess", "compare", "trade-off", "root cause", "reason about", "investigate"];

    public static ModelCapabilities Infer(in PromptMeasure measure) =>
        measure.CodeTools || PromptMeasure.ContainsAny(measure.LastUserText, CodeWords) ? ModelCapabilities.Code
        : PromptMeasure.ContainsAny(measure.LastUserText, AnalysisWords) ? ModelCapabilities.Reasoning
        : ModelCapabilities.None;
}
