using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace VirtualItCompany.Workspace;

/// <content>Runs the project as local processes, one per environment, and checks their health.</content>
internal sealed partial class LocalProjectWorkspace
{
    private static readonly TimeSpan HealthPollInterval = TimeSpan.FromMilliseconds(200);

    private bool _disposed;

    /// <inheritdoc />
    /// <remarks>
    /// The start command gets <c>PORT</c> and <c>ASPNETCORE_URLS</c> (<c>http://127.0.0.1:PORT</c>) in its environment and must answer 200 at the health path within <see cref="WorkspaceOptions.DeploymentStartTimeout"/>.
    /// When the environment already runs <see cref="DeploymentSpec.ReleaseId"/> and its health path answers 200, nothing is built or restarted.
    /// </remarks>
    /// <exception cref="WorkspacePathException">A program is not on the allow-list.</exception>
    /// <exception cref="ObjectDisposedException">The workspace (or its provider) was disposed.</exception>
    /// <exception cref="InvalidOperationException">The build failed, or the started process exited or did not become healthy in time; the message carries the end of its output.</exception>
    public async Task<Uri> DeployAsync(string environment, DeploymentSpec spec, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(environment);
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.StartCommand is not { Count: > 0 })
        {
            throw new ArgumentException("A deployment needs a start command.", nameof(spec));
        }

        // Refuse a start command that is not allowed before spending time on the build.
        // The service runs in the sandbox like any command (the workspace its only writable folder, its own PID namespace, killed
        // with this process), but on the host's network: its health check and its users reach it on 127.0.0.1.
        var startInfo = _runner.CreateStartInfo(spec.StartCommand, RootPath, RootPath, SandboxProfile.Deployment, _options.DefaultCommandTimeout);
        await _deployGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (spec.ReleaseId is { } release
                && _deployments.TryGetValue(environment, out var running)
                && running.ReleaseId == release
                && !running.Command.Process.HasExited
                && await HealthProbe.GetStatusAsync(running.HealthUrl, _options.HealthCheckTimeout, _timeProvider, cancellationToken).ConfigureAwait(false) == 200)
            {
                WorkspaceLog.AlreadyDeployed(_logger, environment, ProjectId, release, running.BaseUrl);
                return running.BaseUrl;
            }

            // The running release serves until the new one is healthy (health check before the switch); when the new one fails to
            // build or to become healthy, the running one stays: an automatic rollback, said in the error.
            if (_deployments.TryGetValue(environment, out var previous) && previous.Command.Process.HasExited)
            {
                await StopCoreAsync(environment).ConfigureAwait(false);
                previous = null;
            }

            RunningCommand command;
            Uri baseUrl;
            Uri healthUrl;
            try
            {
                (command, baseUrl, healthUrl) = await BuildAndStartAsync(environment, spec, startInfo, cancellationToken).ConfigureAwait(false);
            }
            catch (InvalidOperationException ex) when (previous is not null && !previous.Command.Process.HasExited)
            {
                string previousRelease = previous.ReleaseId ?? "(unnamed)";
                WorkspaceLog.RolledBack(_logger, environment, ProjectId, previousRelease, previous.BaseUrl);
                throw new InvalidOperationException($"{ex.Message}\nRolled back: the previous release {previousRelease} keeps running at {previous.BaseUrl}.", ex);
            }

            _deployments[environment] = new LocalDeployment(command, baseUrl, healthUrl, spec.ReleaseId);
            if (previous is not null)
            {
                await previous.Command.DisposeAsync().ConfigureAwait(false);
            }

            WorkspaceLog.Deployed(_logger, environment, ProjectId, baseUrl);
            return baseUrl;
        }
        finally
        {
            _deployGate.Release();
        }
    }

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">No deployment of <paramref name="environment"/> was started in this workspace.</exception>
    public async Task<HealthChecked> CheckHealthAsync(string environment, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(environment);
        if (!_deployments.TryGetValue(environment, out var deployment))
        {
            throw new InvalidOperationException($"No deployment of '{environment}' runs in the workspace of {ProjectId}; deploy it first.");
        }

        var status = await HealthProbe.GetStatusAsync(deployment.HealthUrl, _options.HealthCheckTimeout, _timeProvider, cancellationToken).ConfigureAwait(false);
        return new HealthChecked(environment, deployment.HealthUrl, status == 200, status);
    }

    /// <inheritdoc />
    public async Task StopAsync(string environment, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(environment);
        await _deployGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await StopCoreAsync(environment).ConfigureAwait(false);
        }
        finally
        {
            _deployGate.Release();
        }
    }

    /// <summary>Stops every deployment of the workspace.</summary>
    public async ValueTask DisposeAsync()
    {
        await _deployGate.WaitAsync().ConfigureAwait(false);
        try
        {
            _disposed = true;
            foreach (var environment in _deployments.Keys.ToArray())
            {
                await StopCoreAsync(environment).ConfigureAwait(false);
            }
        }
        finally
        {
            _deployGate.Release();
        }
    }

    private async Task StopCoreAsync(string environment)
    {
        if (_deployments.TryRemove(environment, out var deployment))
        {
            await deployment.Command.DisposeAsync().ConfigureAwait(false);
            WorkspaceLog.Stopped(_logger, environment, ProjectId);
        }
    }

    private async Task<(RunningCommand Command, Uri BaseUrl, Uri HealthUrl)> BuildAndStartAsync(string environment, DeploymentSpec spec, System.Diagnostics.ProcessStartInfo startInfo, CancellationToken cancellationToken)
    {
        if (spec.BuildCommand is { Count: > 0 })
        {
            var build = await RunAsync(new CommandRequest(spec.BuildCommand) { Timeout = _options.DefaultCommandTimeout, MaxOutputChars = _options.MaxOutputChars }, cancellationToken).ConfigureAwait(false);
            if (!build.Succeeded)
            {
                throw Failed(environment, $"the build command failed (exit code {build.ExitCode}{(build.TimedOut ? ", timed out" : "")}). Build output:\n{Tail(build.Output)}");
            }
        }

        var port = FindFreePort();
        var baseUrl = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/");
        var healthUrl = new Uri(baseUrl, string.IsNullOrWhiteSpace(spec.HealthPath) ? "/" : "/" + spec.HealthPath.TrimStart('/'));
        startInfo.Environment["PORT"] = port.ToString(CultureInfo.InvariantCulture);
        startInfo.Environment["ASPNETCORE_URLS"] = baseUrl.GetLeftPart(UriPartial.Authority);

        var command = await RunningCommand.StartAsync(startInfo, _options.MaxOutputChars, _timeProvider).ConfigureAwait(false);
        try
        {
            await WaitUntilHealthyAsync(environment, command, healthUrl, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await command.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return (command, baseUrl, healthUrl);
    }

    private async Task WaitUntilHealthyAsync(string environment, RunningCommand command, Uri healthUrl, CancellationToken cancellationToken)
    {
        var started = _timeProvider.GetTimestamp();
        while (true)
        {
            if (command.Process.HasExited)
            {
                await command.DrainAsync().ConfigureAwait(false);
                throw Failed(environment, $"the start command exited with code {command.Process.ExitCode} before {healthUrl} answered 200. Output:\n{Tail(command.Output.ToString())}");
            }

            var remaining = _options.DeploymentStartTimeout - _timeProvider.GetElapsedTime(started);
            if (remaining <= TimeSpan.Zero)
            {
                throw Failed(environment, $"{healthUrl} did not answer 200 within {_options.DeploymentStartTimeout}. Output:\n{Tail(command.Output.ToString())}");
            }

            var timeout = remaining < _options.HealthCheckTimeout ? remaining : _options.HealthCheckTimeout;
            if (await HealthProbe.GetStatusAsync(healthUrl, timeout, _timeProvider, cancellationToken).ConfigureAwait(false) == 200)
            {
                return;
            }

            await Task.Delay(HealthPollInterval, _timeProvider, cancellationToken).ConfigureAwait(false);
        }
    }

    private InvalidOperationException Failed(string environment, string reason)
    {
        WorkspaceLog.DeploymentFailed(_logger, environment, ProjectId, reason.Split('\n')[0]);
        return new InvalidOperationException($"Deploying {environment} of {ProjectId} failed: {reason}");
    }

    private static int FindFreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
