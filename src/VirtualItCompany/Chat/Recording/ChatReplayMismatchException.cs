namespace Microsoft.Extensions.AI;

/// <summary>A replayed chat client was asked a request its recording does not hold (or holds fewer times than asked).</summary>
/// <remarks>The message names the recording, the model, the request, and where it differs from the nearest recorded request.</remarks>
public sealed class ChatReplayMismatchException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    public ChatReplayMismatchException()
        : this("The request is not in the chat recording.")
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What was not found.</param>
    public ChatReplayMismatchException(string message)
        : this(message, null)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What was not found.</param>
    /// <param name="innerException">The cause, if any.</param>
    public ChatReplayMismatchException(string message, Exception? innerException)
        : base(message, innerException)
    {
        RecordingPath = "";
        Model = "";
        Request = "";
    }

    /// <summary>Creates the exception for an unmatched request.</summary>
    /// <param name="message">What was not found and where it differs from the nearest recorded request.</param>
    /// <param name="recordingPath">The recording's full path.</param>
    /// <param name="model">The model name the request was made to.</param>
    /// <param name="request">The request, normalised as the recording holds requests (indented JSON).</param>
    /// <param name="nearestRecordedRequest">The recorded request most like it, or <see langword="null"/> when the recording holds none for the model.</param>
    public ChatReplayMismatchException(string message, string recordingPath, string model, string request, string? nearestRecordedRequest)
        : base(message)
    {
        RecordingPath = recordingPath;
        Model = model;
        Request = request;
        NearestRecordedRequest = nearestRecordedRequest;
    }

    /// <summary>Gets the recording's full path.</summary>
    public string RecordingPath { get; }

    /// <summary>Gets the model name the request was made to.</summary>
    public string Model { get; }

    /// <summary>Gets the unmatched request, normalised as the recording holds requests (indented JSON).</summary>
    public string Request { get; }

    /// <summary>Gets the recorded request most like it (indented JSON), or <see langword="null"/> when there is none.</summary>
    public string? NearestRecordedRequest { get; }
}
