namespace Microsoft.Extensions.AI;

/// <summary>Options of <c>UseRecording</c> and <c>UseReplay</c>.</summary>
public sealed class ChatRecordingOptions
{
    /// <summary>Gets or sets the name the client's calls are kept under in the recording, so several clients can share one file.</summary>
    /// <value>The default value is <see langword="null"/>: the inner client's <see cref="ChatClientMetadata.DefaultModelId"/>, or <c>model</c> when it reports none.</value>
    /// <remarks>Recording and replay must use the same name. The company names each model by its profile id.</remarks>
    public string? Model { get; set; }
}
