namespace VirtualItCompany;

/// <summary>Whether a project is being worked on, waits for someone, or has ended.</summary>
public enum ProjectStatus
{
    /// <summary>The team is working on the project.</summary>
    Active,

    /// <summary>The project waits for the client's answer or approval.</summary>
    WaitingForClient,

    /// <summary>The project is paused (by the client, or because work could not go on) until resumed.</summary>
    Paused,

    /// <summary>The project was delivered.</summary>
    Completed,

    /// <summary>The project was cancelled.</summary>
    Cancelled,
}
