namespace VirtualItCompany.Agents;

/// <summary>The keys of the built-in agents' system prompts, which a team can replace in <see cref="AgentOptions.SystemPrompts"/>.</summary>
public static class AgentPromptKeys
{
    /// <summary>The project manager capturing requirements.</summary>
    public const string ProjectManagerRequirements = "ProjectManager.Requirements";

    /// <summary>The project manager planning the features.</summary>
    public const string ProjectManagerPlanning = "ProjectManager.Planning";

    /// <summary>The project manager writing a note to the client.</summary>
    public const string ProjectManagerClientNote = "ProjectManager.ClientNote";

    /// <summary>The designer writing design notes.</summary>
    public const string Designer = "Designer";

    /// <summary>The developer implementing one feature with the file tools.</summary>
    public const string Developer = "Developer";

    /// <summary>The code reviewer.</summary>
    public const string CodeReviewer = "CodeReviewer";

    /// <summary>The tester writing tests with the file tools.</summary>
    public const string TesterWriteTests = "Tester.WriteTests";

    /// <summary>The tester choosing the command that runs the tests.</summary>
    public const string TesterTestCommand = "Tester.TestCommand";

    /// <summary>DevOps scaffolding the repository with the file tools.</summary>
    public const string DevOpsSetup = "DevOps.Setup";

    /// <summary>DevOps planning a deployment.</summary>
    public const string DevOpsDeployment = "DevOps.Deployment";

    /// <summary>Gets every key.</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        ProjectManagerRequirements, ProjectManagerPlanning, ProjectManagerClientNote, Designer, Developer, CodeReviewer,
        TesterWriteTests, TesterTestCommand, DevOpsSetup, DevOpsDeployment,
    ];
}
