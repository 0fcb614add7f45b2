namespace VirtualItCompany.Storage.Redis;

/// <summary>The Redis work queue cannot be used as configured: Redis is unreachable, refuses the credentials, or the registered store cannot feed it.</summary>
public sealed class RedisQueueException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    public RedisQueueException()
    {
    }

    /// <summary>Creates the exception with a message that says what to fix.</summary>
    /// <param name="message">The message.</param>
    public RedisQueueException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message that says what to fix and the fault behind it.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The fault.</param>
    public RedisQueueException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
