using System.Net;
using System.Security;
using Kernel.PowerShell.Emulator;

namespace Kernel.PowerShell.Tests.Support;

/// <summary>A real emulator process on a loopback port, shared by the tests of one class.</summary>
public class EmulatorFixture : IAsyncLifetime
{
    private readonly TimeSpan? _stepDelay;

    public EmulatorFixture()
        : this(null)
    {
    }

    protected EmulatorFixture(TimeSpan? stepDelay) => _stepDelay = stepDelay;

    public KernelEmulator Emulator { get; private set; } = null!;

    public Uri BaseUri => Emulator.BaseUri;

    public SecureString ApiKey => Emulator.ApiKey;

    /// <summary>The key as text, to prove it never appears anywhere.</summary>
    public string ApiKeyText => new NetworkCredential(string.Empty, Emulator.ApiKey).Password;

    public async Task InitializeAsync()
    {
        var arguments = _stepDelay is { } delay ? new[] { "--step-delay-ms", ((int)delay.TotalMilliseconds).ToString() } : [];
        Emulator = await EmulatorLauncher.StartAsync(RepositoryPaths.Emulator, 0, null, arguments, TimeSpan.FromSeconds(30), CancellationToken.None);
    }

    public Task DisposeAsync()
    {
        EmulatorLauncher.Stop(Emulator);
        return Task.CompletedTask;
    }
}

/// <summary>An emulator whose deployments take ten seconds a step: for timeouts and Ctrl+C.</summary>
public sealed class SlowEmulatorFixture() : EmulatorFixture(TimeSpan.FromSeconds(10));
