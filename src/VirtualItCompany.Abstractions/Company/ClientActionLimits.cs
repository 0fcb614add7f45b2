namespace VirtualItCompany;

/// <summary>The longest texts the client's actions accept, so that one answer cannot flood the events, prompts and stores.</summary>
public static class ClientActionLimits
{
    /// <summary>The longest answer to a question or change request, in characters.</summary>
    public const int MaxAnswerLength = 20_000;

    /// <summary>The longest approval comment, pause or cancellation reason, in characters.</summary>
    public const int MaxReasonLength = 2_000;

    /// <summary>Throws when a text is longer than allowed.</summary>
    /// <param name="text">The text, or <see langword="null"/>.</param>
    /// <param name="maxLength">The longest allowed.</param>
    /// <param name="paramName">The parameter's name.</param>
    /// <exception cref="ArgumentException"><paramref name="text"/> is longer than <paramref name="maxLength"/>.</exception>
    public static void ThrowIfTooLong(string? text, int maxLength, string paramName)
    {
        if (text is not null && text.Length > maxLength)
        {
            throw new ArgumentException($"{paramName} is {text.Length} characters long; at most {maxLength} are accepted. Shorten it, or attach long material to the project's workspace instead.", paramName);
        }
    }
}
