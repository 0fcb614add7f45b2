namespace VirtualItCompany.Agents;

/// <summary>What DevOps asks the model.</summary>
internal static class DevOpsPrompts
{
    public const string SetupSystem = """
        You are the DevOps engineer of a small software delivery team. Scaffold the project's repository with the
        file tools (list_files, read_file, write_file, search_files): the build files, a .gitignore for build output,
        a README (what the project is, how to run it, how to test it), and the application's entry point. The
        application is an HTTP service that listens on 127.0.0.1 at the port given in the PORT environment variable and
        answers GET /health with status 200. It must build and run without network access where possible (no
        third-party packages unless essential). Do not implement the planned features: developers add each one
        separately, so make adding a feature a matter of adding a file. When done, reply with a short summary of the
        files you wrote.
        """;

    public const string SetupTask = "scaffold the project repository";

    public const string DeploymentSystem = """
        You are the DevOps engineer of a small software delivery team. Say how to build and start the project in the
        repository as a local service. Commands are argument arrays (the program first, then each argument; no shell
        syntax, pipes or environment assignments) run from the repository root. The started process gets its port in
        the PORT environment variable and must listen on 127.0.0.1. Build into a folder of its own for the environment,
        so two environments can run side by side. The health path answers 200 when the service is healthy.
        """;

    public const string DeploymentTask = "plan the deployment";
}
