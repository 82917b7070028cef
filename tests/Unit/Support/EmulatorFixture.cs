using System.Net;
using System.Security;
using Kernel.PowerShell.Emulator;

namespace Kernel.PowerShell.Tests.Support;

/// <summary>A real emulator process on a loopback port, shared by the tests of one class.</summary>
public class EmulatorFixture : IAsyncLifetime
{
    private readonly string[] _arguments;

    public EmulatorFixture()
        : this([])
    {
    }

    protected EmulatorFixture(TimeSpan? stepDelay)
        : this(stepDelay is { } delay ? ["--step-delay-ms", ((int)delay.TotalMilliseconds).ToString()] : [])
    {
    }

    /// <summary>An emulator started with these command-line arguments.</summary>
    protected EmulatorFixture(string[] arguments) => _arguments = arguments;

    public KernelEmulator Emulator { get; private set; } = null!;

    public Uri BaseUri => Emulator.BaseUri;

    public SecureString ApiKey => Emulator.ApiKey!;

    /// <summary>The key as text, to prove it never appears anywhere.</summary>
    public string ApiKeyText => new NetworkCredential(string.Empty, Emulator.ApiKey).Password;

    public async Task InitializeAsync()
    {
        Emulator = await EmulatorLauncher.StartAsync(RepositoryPaths.Emulator, 0, null, _arguments, TimeSpan.FromSeconds(30), CancellationToken.None);
    }

    public Task DisposeAsync()
    {
        EmulatorLauncher.Stop(Emulator);
        return Task.CompletedTask;
    }
}

/// <summary>An emulator whose deployments take ten seconds a step: for timeouts and Ctrl+C.</summary>
public sealed class SlowEmulatorFixture() : EmulatorFixture(TimeSpan.FromSeconds(10));

/// <summary>
/// An emulator with named projects (staging = proj_stg, production = proj_prod), one known by id only (proj_bare),
/// and, besides its org-wide key, a key scoped to staging (<see cref="StagingKey"/>).
/// </summary>
public sealed class ProjectsEmulatorFixture() : EmulatorFixture(["--project", "staging=proj_stg", "--project", "production=proj_prod", "--project-id", "proj_bare", "--project-api-key", "staging=" + StagingKey])
{
    public const string StagingKey = "sk_scoped_to_staging";
}
