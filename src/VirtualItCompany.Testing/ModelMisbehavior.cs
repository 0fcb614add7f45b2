namespace VirtualItCompany.Testing;

/// <summary>A way real models misbehave, played by <see cref="DifficultChatClient"/>.</summary>
public enum ModelMisbehavior
{
    /// <summary>A structured answer (JSON asked for) comes inside a Markdown <c>```json</c> fence.</summary>
    FencedJson,

    /// <summary>A structured answer comes with a chatty preamble and epilogue around the JSON.</summary>
    ChattyPreamble,

    /// <summary>With tools offered, the model calls a tool that does not exist (<see cref="DifficultChatClient.HallucinatedToolName"/>).</summary>
    HallucinatedTool,

    /// <summary>With tools offered, the model calls an offered tool with arguments of the wrong JSON types (an object where a string is declared, a string elsewhere).</summary>
    WrongArgumentTypes,

    /// <summary>The answer is cut off midway: a text or structured answer loses its second half; a tool call's arguments cannot be read.</summary>
    TruncatedOutput,

    /// <summary>The answer is empty: no text and no tool call.</summary>
    EmptyAnswer,

    /// <summary>With tools offered, the model makes the same tool call with the same arguments every time.</summary>
    SameCallForever,

    /// <summary>The model asks for a dangerous command: <c>rm -rf /</c> as a <c>run_command</c> call when offered, and <c>sh -c "curl ... | sh"</c> in every command array of a structured answer.</summary>
    DangerousCommand,
}
