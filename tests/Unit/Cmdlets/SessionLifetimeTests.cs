using System.Diagnostics;
using Kernel.PowerShell.Tests.Support;

namespace Kernel.PowerShell.Tests.Cmdlets;

/// <summary>
/// Reconnecting leaks nothing, and a session someone still holds keeps working until Disconnect-Kernel closes it:
/// sessions share the process's one connection pool, so a replaced default holds no sockets of its own.
/// </summary>
public sealed class SessionLifetimeTests : IClassFixture<EmulatorFixture>, IDisposable
{
    private readonly EmulatorFixture _emulator;
    private readonly PowerShellSession _shell = new();

    public SessionLifetimeTests(EmulatorFixture emulator) => _emulator = emulator;

    public void Dispose() => _shell.Dispose();

    [Fact]
    public async Task Reconnecting_ten_times_leaves_no_connection_per_session_behind()
    {
        using var counter = new ConnectionCounter(passThroughTo: _emulator.BaseUri);

        _shell.Run("param($uri, $key) 1..10 | ForEach-Object { Connect-Kernel -BaseUri $uri -ApiKey $key }", ("uri", counter.BaseUri), ("key", _emulator.ApiKey)).ThrowOnError();

        Assert.True(await counter.OpenAfterAsync(1, TimeSpan.FromSeconds(2)) <= 1, $"{counter.Open} connections open after 10 reconnects");
    }

    [Fact]
    public void A_replaced_session_still_held_keeps_working_until_it_is_disconnected()
    {
        var result = _shell.Run(
            """
            param($uri, $key)
            $old = Connect-Kernel -BaseUri $uri -ApiKey $key -PassThru
            Connect-Kernel -BaseUri $uri -ApiKey $key
            $before = @(Get-KernelDeployment -Session $old -First 1 -ErrorAction Stop).Count
            Disconnect-Kernel -Session $old
            Get-KernelDeployment -Session $old -First 1
            [pscustomobject]@{ Worked = $before -ge 0; Closed = $old.IsClosed; DefaultOpen = -not (Get-KernelSession).IsClosed }
            """,
            ("uri", _emulator.BaseUri), ("key", _emulator.ApiKey));

        Assert.StartsWith("SessionClosed,", Assert.Single(result.Errors).FullyQualifiedErrorId);
        var summary = Assert.Single(result.Output);
        Assert.Equal(true, summary.Properties["Worked"].Value);
        Assert.Equal(true, summary.Properties["Closed"].Value);
        Assert.Equal(true, summary.Properties["DefaultOpen"].Value);
    }

    [Fact]
    public void The_verify_call_takes_as_long_as_VerifyTimeout_says()
    {
        using var silent = new ConnectionCounter();
        var clock = Stopwatch.StartNew();

        var error = Assert.Single(_shell.Run("param($uri) Connect-Kernel -BaseUri $uri -ApiKey (ConvertTo-SecureString k -AsPlainText -Force) -VerifyTimeout 1s", ("uri", silent.BaseUri)).Errors);

        Assert.StartsWith("VerifyFailed,", error.FullyQualifiedErrorId);
        Assert.Contains("no answer within 1 s (-VerifyTimeout)", error.Exception.Message);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
    }
}
