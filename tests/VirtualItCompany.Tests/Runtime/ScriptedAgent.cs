namespace VirtualItCompany.Tests.Runtime;

/// <summary>An agent whose outcome a test scripts; counts its calls (the call number is passed, from 1).</summary>
internal sealed class ScriptedAgent : IAgent
{
    private readonly Func<AgentContext, int, CancellationToken, Task<AgentOutcome>> _script;
    private int _calls;

    public ScriptedAgent(AgentRole role, Func<AgentContext, int, AgentOutcome> script)
        : this(role, (ctx, n) => Task.FromResult(script(ctx, n)))
    {
    }

    public ScriptedAgent(AgentRole role, Func<AgentContext, int, Task<AgentOutcome>> script)
        : this(role, (ctx, n, ct) => script(ctx, n))
    {
    }

    public ScriptedAgent(AgentRole role, Func<AgentContext, int, CancellationToken, Task<AgentOutcome>> script)
    {
        Role = role;
        _script = script;
    }

    public AgentRole Role { get; }

    public int Calls => Volatile.Read(ref _calls);

    public Task<AgentOutcome> ExecuteAsync(AgentContext context, CancellationToken cancellationToken) =>
        _script(context, Interlocked.Increment(ref _calls), cancellationToken);
}
