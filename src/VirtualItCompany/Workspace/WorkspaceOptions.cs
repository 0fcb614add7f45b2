using Microsoft.Extensions.Options;

namespace VirtualItCompany.Workspace;

/// <summary>Configures the local workspaces: where they live, which commands agents may run, and the limits on those commands and deployments.</summary>
/// <remarks>Call <see cref="Validate"/> (the <see cref="LocalWorkspaceProvider"/> does when it is created) to learn every problem at once.</remarks>
public sealed class WorkspaceOptions
{
    /// <summary>The configuration section the options bind from.</summary>
    public const string SectionName = "VirtualItCompany:Workspace";

    /// <summary>Gets or sets the folder holding one sub-folder per project.</summary>
    /// <value>The default value is <c>virtual-it-company/workspaces</c> in the system's temporary folder.</value>
    public string RootDirectory { get; set; } = Path.Combine(Path.GetTempPath(), "virtual-it-company", "workspaces");

    /// <summary>Gets the programs commands may start, matched by file name without extension (<c>dotnet</c> matches <c>dotnet.exe</c>).</summary>
    /// <remarks>A program given with a folder (<c>./dotnet</c>, <c>/usr/bin/git</c>) is always refused; programs are found on <c>PATH</c>. Committing needs <c>git</c>.</remarks>
    /// <value>The default value is <c>dotnet</c> and <c>git</c>.</value>
    public IList<string> AllowedCommands { get; } = ["dotnet", "git"];

    /// <summary>Gets or sets how long the workspace's own commands (git, deployment builds) may run, and commands that ask for no time-out of their own.</summary>
    /// <value>The default value is 5 minutes.</value>
    public TimeSpan DefaultCommandTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Gets or sets the most characters of a command's output kept (the end is kept); a request may ask for fewer, never more.</summary>
    /// <value>The default value is 65,536 (64 KiB).</value>
    public int MaxOutputChars { get; set; } = 64 * 1024;

    /// <summary>Gets or sets how long a started deployment has to answer its health check with 200.</summary>
    /// <value>The default value is 60 seconds.</value>
    public TimeSpan DeploymentStartTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Gets or sets how long one health check waits for an answer.</summary>
    /// <value>The default value is 5 seconds.</value>
    public TimeSpan HealthCheckTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Gets or sets the author name of the workspace's commits.</summary>
    /// <value>The default value is <c>VirtualItCompany</c>.</value>
    public string GitAuthorName { get; set; } = "VirtualItCompany";

    /// <summary>Gets or sets the author e-mail of the workspace's commits.</summary>
    /// <value>The default value is <c>agents@virtualitcompany.local</c>.</value>
    public string GitAuthorEmail { get; set; } = "agents@virtualitcompany.local";

    /// <summary>Gets the names of the environment variables commands inherit, matched exactly (ignoring case); every other variable (API keys, tokens) is removed.</summary>
    /// <remarks>
    /// There are no prefix rules: a name ending in <c>*</c> is refused by <see cref="Validate"/>, because prefixes such as <c>DOTNET_*</c> pass
    /// variables nobody reviewed. Proxy variables are not kept by default because their URLs may carry credentials. In the sandbox <c>HOME</c>
    /// is always an empty private folder and <c>NUGET_PACKAGES</c> the read-only package cache, whatever is passed through.
    /// </remarks>
    /// <value>The default value keeps <c>PATH</c>, <c>HOME</c>, <c>USER</c>, <c>LOGNAME</c>, the temporary-folder variables, <c>LANG</c>, <c>LANGUAGE</c>, <c>LC_ALL</c>, <c>TZ</c>, <c>DOTNET_ROOT</c>, <c>NUGET_PACKAGES</c>, the certificate variables and the Windows system folders.</value>
    public IList<string> PassThroughEnvironment { get; } =
    [
        "PATH", "HOME", "USER", "LOGNAME", "TMPDIR", "TEMP", "TMP", "LANG", "LANGUAGE", "LC_ALL", "TZ",
        "DOTNET_ROOT", "NUGET_PACKAGES", "SSL_CERT_FILE", "SSL_CERT_DIR",
        "SystemRoot", "SystemDrive", "windir", "ComSpec", "PATHEXT", "USERPROFILE", "APPDATA", "LOCALAPPDATA",
        "ProgramFiles", "ProgramFiles(x86)", "ProgramData",
    ];

    /// <summary>Gets or sets whether commands may run without an OS sandbox where none is available (macOS, Windows, Linux without bubblewrap or user namespaces).</summary>
    /// <remarks>
    /// When <see langword="false"/> and the sandbox cannot be used, every agent command and deployment is refused with a <see cref="WorkspaceSandboxException"/>
    /// saying why and how to install it. Opting in means that a command an agent runs (which builds and runs model-written code) runs with
    /// the rights of this process: only do it on a machine you would let the model use.
    /// </remarks>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool AllowUnsandboxedCommands { get; set; }

    /// <summary>Gets the commands that may use the network in the sandbox, each a program and the arguments it starts with, separated by spaces (<c>dotnet restore</c>).</summary>
    /// <remarks>Every other command runs with no network at all (only its own loopback). A restore needs the network only when a package is not in the read-only package cache.</remarks>
    /// <value>The default value is empty: no command has the network.</value>
    public IList<string> NetworkCommands { get; } = [];

    /// <summary>Gets extra folders the sandbox mounts read-only at the same path (toolchains or package caches outside the defaults).</summary>
    /// <remarks>Always mounted: <c>/usr</c> (and <c>/bin</c>, <c>/lib</c>), the .NET root of the <c>dotnet</c> found on <c>PATH</c>, the NuGet package cache, and the few files of <c>/etc</c> programs need (certificates, name resolution, users).</remarks>
    /// <value>The default value is empty.</value>
    public IList<string> SandboxReadOnlyPaths { get; } = [];

    /// <summary>Gets or sets the most memory one process of a command may allocate (its data segment, <c>RLIMIT_DATA</c>), in bytes.</summary>
    /// <value>The default value is 4 GiB.</value>
    public long CommandMemoryLimitBytes { get; set; } = 4L * 1024 * 1024 * 1024;

    /// <summary>Gets or sets the largest file a command may write, in bytes (<c>RLIMIT_FSIZE</c>).</summary>
    /// <value>The default value is 1 GiB.</value>
    public long CommandFileSizeLimitBytes { get; set; } = 1024L * 1024 * 1024;

    /// <summary>Gets or sets the most processes the sandbox's user may have (<c>RLIMIT_NPROC</c>); not enforced when this process runs as root.</summary>
    /// <value>The default value is 1024.</value>
    public int CommandProcessLimit { get; set; } = 1024;

    /// <summary>Gets or sets the most output bytes a command may write before it is killed; only the head and tail of the output are kept in memory.</summary>
    /// <value>The default value is 256 MiB.</value>
    public long CommandMaxOutputBytes { get; set; } = 256L * 1024 * 1024;

    /// <summary>Gets or sets the bubblewrap program used as the sandbox, a bare name found on <c>PATH</c> or an absolute path.</summary>
    /// <value>The default value is <c>bwrap</c>.</value>
    public string BubblewrapProgram { get; set; } = "bwrap";

    /// <summary>Lists every problem of the options, as sentences.</summary>
    /// <returns>The problems; empty when the options are valid.</returns>
    public IReadOnlyList<string> GetProblems()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(RootDirectory))
        {
            problems.Add("RootDirectory is empty; give the folder that holds the workspaces.");
        }

        if (AllowedCommands.Any(c => string.IsNullOrWhiteSpace(c) || c.Contains('/', StringComparison.Ordinal) || c.Contains('\\', StringComparison.Ordinal)))
        {
            problems.Add("AllowedCommands holds an empty name or a path; give bare program names such as 'dotnet'.");
        }

        CheckPositive(problems, nameof(DefaultCommandTimeout), DefaultCommandTimeout);
        CheckPositive(problems, nameof(DeploymentStartTimeout), DeploymentStartTimeout);
        CheckPositive(problems, nameof(HealthCheckTimeout), HealthCheckTimeout);
        if (MaxOutputChars <= 0)
        {
            problems.Add($"MaxOutputChars is {MaxOutputChars}; it must be positive.");
        }

        if (string.IsNullOrWhiteSpace(GitAuthorName))
        {
            problems.Add("GitAuthorName is empty; commits need an author name.");
        }

        if (string.IsNullOrWhiteSpace(GitAuthorEmail) || !GitAuthorEmail.Contains('@', StringComparison.Ordinal))
        {
            problems.Add($"GitAuthorEmail '{GitAuthorEmail}' is not an e-mail address; commits need one.");
        }

        if (PassThroughEnvironment.Any(string.IsNullOrWhiteSpace))
        {
            problems.Add("PassThroughEnvironment holds an empty name.");
        }

        if (PassThroughEnvironment.FirstOrDefault(n => n is not null && (n.Contains('*', StringComparison.Ordinal) || n.Contains('=', StringComparison.Ordinal))) is { } pattern)
        {
            problems.Add($"PassThroughEnvironment holds '{pattern}'; give exact variable names (prefix rules such as 'DOTNET_*' pass variables nobody reviewed).");
        }

        if (NetworkCommands.Any(string.IsNullOrWhiteSpace))
        {
            problems.Add("NetworkCommands holds an empty entry; give a program and its first arguments, such as 'dotnet restore'.");
        }

        if (SandboxReadOnlyPaths.Any(p => string.IsNullOrWhiteSpace(p) || !Path.IsPathFullyQualified(p)))
        {
            problems.Add("SandboxReadOnlyPaths holds an empty or relative path; give absolute folders.");
        }

        CheckPositive(problems, nameof(CommandMemoryLimitBytes), CommandMemoryLimitBytes);
        CheckPositive(problems, nameof(CommandFileSizeLimitBytes), CommandFileSizeLimitBytes);
        CheckPositive(problems, nameof(CommandProcessLimit), CommandProcessLimit);
        CheckPositive(problems, nameof(CommandMaxOutputBytes), CommandMaxOutputBytes);
        if (string.IsNullOrWhiteSpace(BubblewrapProgram))
        {
            problems.Add("BubblewrapProgram is empty; give 'bwrap' or the path of bubblewrap.");
        }

        return problems;
    }

    /// <summary>Checks that <see cref="RootDirectory"/> can be created and written to, so an unusable folder fails the start rather than the first work item.</summary>
    /// <returns>The problem, as a sentence, or <see langword="null"/> when the folder is usable.</returns>
    public string? ProbeRootDirectory()
    {
        if (string.IsNullOrWhiteSpace(RootDirectory))
        {
            return null; // reported by GetProblems
        }

        try
        {
            string root = Path.GetFullPath(RootDirectory);
            Directory.CreateDirectory(root);
            string probe = Path.Combine(root, ".vic-write-probe-" + Guid.NewGuid().ToString("N"));
            File.WriteAllBytes(probe, []);
            File.Delete(probe);
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return $"RootDirectory '{RootDirectory}' cannot hold workspaces ({ex.GetType().Name}: {ex.Message}); give a folder this process can create and write to.";
        }
    }

    /// <summary>Throws when the options are not valid, listing every problem.</summary>
    /// <exception cref="OptionsValidationException">The options have at least one problem; <see cref="OptionsValidationException.Failures"/> lists them all.</exception>
    public void Validate()
    {
        var problems = GetProblems();
        if (problems.Count > 0)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(WorkspaceOptions), problems);
        }
    }

    private static void CheckPositive(List<string> problems, string name, long value)
    {
        if (value <= 0)
        {
            problems.Add($"{name} is {value}; it must be positive.");
        }
    }

    private static void CheckPositive(List<string> problems, string name, TimeSpan value)
    {
        if (value <= TimeSpan.Zero)
        {
            problems.Add($"{name} is {value}; it must be positive.");
        }
    }
}
