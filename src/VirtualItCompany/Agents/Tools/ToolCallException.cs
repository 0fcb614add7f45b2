namespace VirtualItCompany.Agents.Tools;

/// <summary>A model's tool call that failed: a tool that does not exist, arguments of the wrong type or not JSON, a refused path or command.</summary>
/// <remarks>Its message is shown to the model (as a repair prompt) and, when the failures go on, becomes the work item's failure reason.</remarks>
internal sealed class ToolCallException(string toolName, string message, Exception? innerException = null)
    : Exception(message, innerException)
{
    /// <summary>Gets the name of the tool the model called.</summary>
    public string ToolName { get; } = toolName;
}
