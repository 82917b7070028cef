using System.Diagnostics;
using System.Management.Automation;
using System.Net.Http.Json;
using System.Text.Json;
using Kernel.PowerShell.Tests.Support;

namespace Kernel.PowerShell.Tests.Cmdlets;

/// <summary>
/// The browser, profile, proxy and replay cmdlets when things go wrong: downloads broken midway leave no file,
/// Ctrl+C ends any of them within a second, and the proxy password and the URLs' tokens never show anywhere
/// (the views, which show the URLs with the token REDACTED, are checked with the staged module in Pester).
/// </summary>
public sealed class BrowserFailureTests : IClassFixture<EmulatorFixture>, IDisposable
{
    private readonly EmulatorFixture _emulator;
    private readonly PowerShellSession _shell = new();
    private readonly HttpClient _admin;
    private readonly TempFolder _folder = new();

    public BrowserFailureTests(EmulatorFixture emulator)
    {
        _emulator = emulator;
        _admin = new HttpClient { BaseAddress = new Uri(emulator.BaseUri, "_emulator/") };
        _shell.ConnectInOwnProject(emulator);
    }

    public void Dispose()
    {
        _admin.DeleteAsync("faults").GetAwaiter().GetResult().Dispose();
        _admin.DeleteAsync("scripts").GetAwaiter().GetResult().Dispose();
        _admin.Dispose();
        _shell.Dispose();
        _folder.Dispose();
    }

    private async Task FaultAsync(object fault)
    {
        using var response = await _admin.PostAsJsonAsync("faults", fault);
        response.EnsureSuccessStatusCode();
    }

    private async Task<bool> NoFaultLeftAsync() =>
        JsonDocument.Parse(await _admin.GetStringAsync("faults")).RootElement.GetArrayLength() == 0;

    /// <summary>A finished replay of a new browser: (browser id, replay id).</summary>
    private (string Browser, string Replay) FinishedReplay()
    {
        var replay = _shell.Run("$b = New-KernelBrowser; $r = $b | Start-KernelBrowserReplay; $b | Stop-KernelBrowserReplay; $r").ThrowOnError().Single<KernelBrowserReplay>();
        return (replay.BrowserId, replay.ReplayId);
    }

    [Fact]
    public async Task A_download_that_keeps_breaking_midway_leaves_no_file_behind()
    {
        var (browser, replay) = FinishedReplay();
        await FaultAsync(new { method = "GET", path = "/browsers/*/replays/*", kind = "drop_mid_body", times = 0 });

        var result = _shell.Run("param($b, $r, $to) Save-KernelBrowserReplay $b $r $to", ("b", browser), ("r", replay), ("to", _folder.Path));

        Assert.StartsWith("ApiUnreachable,", Assert.Single(result.Errors).FullyQualifiedErrorId);
        Assert.Empty(Directory.GetFileSystemEntries(_folder.Path));
    }

    [Fact]
    public async Task A_download_broken_once_is_fetched_again_whole()
    {
        var (browser, replay) = FinishedReplay();
        await FaultAsync(new { method = "GET", path = "/browsers/*/replays/*", kind = "drop_mid_body", times = 1 });

        var file = _shell.Run("param($b, $r, $to) Save-KernelBrowserReplay $b $r $to -PassThru", ("b", browser), ("r", replay), ("to", _folder.Path)).ThrowOnError().Single<FileInfo>();

        using var http = new HttpClient { BaseAddress = _emulator.BaseUri };
        http.DefaultRequestHeaders.Authorization = new("Bearer", _emulator.ApiKeyText);
        http.DefaultRequestHeaders.Add("X-Kernel-Project-Id", _shell.Run("(Get-KernelSession).ProjectId").Output.Single().ToString());
        Assert.Equal(await http.GetByteArrayAsync($"browsers/{browser}/replays/{replay}"), File.ReadAllBytes(file.FullName));
        Assert.Equal([file.FullName], Directory.GetFileSystemEntries(_folder.Path));
    }

    [Fact]
    public void A_profile_that_never_gets_ready_ends_the_wait_at_the_timeout()
    {
        _shell.Run("New-KernelProfile empty").ThrowOnError();
        var clock = Stopwatch.StartNew();

        var result = _shell.Run("param($to) Save-KernelProfile -Name empty -Destination $to -Timeout 2", ("to", _folder.Path));

        var error = Assert.Single(result.Errors);
        Assert.StartsWith("DownloadNotReady,", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.OperationTimeout, error.CategoryInfo.Category);
        Assert.Contains("-Timeout", error.Exception.Message);
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10));
        Assert.Empty(Directory.GetFileSystemEntries(_folder.Path));
    }

    [Fact]
    public void A_scripted_not_ready_profile_is_waited_for_then_saved_and_other_profiles_are_not_held_up()
    {
        _shell.Run("New-KernelProfile warming | Out-Null; New-KernelProfile ready | New-KernelBrowser -SaveProfileChanges | Remove-KernelBrowser -Force").ThrowOnError();
        _shell.Run("param($emu) Set-KernelEmulatorOutcome -Emulator $emu -ProfileNotReady -ProfileName warming -Times 2", ("emu", _emulator.Emulator)).ThrowOnError();

        var other = _shell.Run("param($to) Save-KernelProfile ready $to -PassThru -Verbose", ("to", _folder.Path)).ThrowOnError();
        var result = _shell.Run("param($to) Save-KernelProfile warming $to -PassThru -Verbose", ("to", _folder.Path)).ThrowOnError();

        Assert.Equal(Path.Combine(_folder.Path, "ready.tar.zst"), other.Single<FileInfo>().FullName);
        Assert.DoesNotContain(other.Verbose, v => v.Contains("not ready yet (202)", StringComparison.Ordinal));
        Assert.Equal(Path.Combine(_folder.Path, "warming.tar.zst"), result.Single<FileInfo>().FullName);
        Assert.Equal(2, result.Verbose.Count(v => v.Contains("not ready yet (202)", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Ctrl_C_during_a_stalled_download_stops_within_a_second_and_leaves_nothing()
    {
        var (browser, replay) = FinishedReplay();
        await FaultAsync(new { method = "GET", path = "/browsers/*/replays/*", kind = "stall_mid_body", delay_ms = 60000, times = 1 });
        using var save = _shell.Start("param($b, $r, $to) Save-KernelBrowserReplay $b $r $to", ("b", browser), ("r", replay), ("to", _folder.Path));
        var running = save.BeginInvoke();

        // The signal: the temporary file exists, so half the body has arrived and the rest stalls.
        await WaitUntilAsync(() => Task.FromResult(Directory.GetFiles(_folder.Path).Length > 0));
        var clock = Stopwatch.StartNew();
        save.Stop();

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"Stop took {clock.Elapsed}");
        Assert.Equal(PSInvocationState.Stopped, save.InvocationStateInfo.State);
        Assert.True(running.IsCompleted);
        Assert.Empty(Directory.GetFileSystemEntries(_folder.Path));
    }

    [Theory]
    [InlineData("New-KernelBrowser -Name slow")]
    [InlineData("Get-KernelBrowser -Name s*")]
    [InlineData("Get-KernelProfile")]
    [InlineData("Remove-KernelProxy -Id px -Force")]
    [InlineData("Test-KernelProxy -Id px")]
    [InlineData("Start-KernelBrowserReplay -Browser b")]
    [InlineData("Save-KernelProfile -Id p -Destination ([IO.Path]::GetTempPath()) -Force")]
    public async Task Ctrl_C_during_a_slow_request_stops_within_a_second(string command)
    {
        await FaultAsync(new { path = "/**", kind = "delay", delay_ms = 60000, times = 1 });
        using var slow = _shell.Start(command);
        var running = slow.BeginInvoke();

        // The signal: the emulator took the fault, so the command's first request is in flight and held.
        await WaitUntilAsync(NoFaultLeftAsync);
        var clock = Stopwatch.StartNew();
        slow.Stop();

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"Stop took {clock.Elapsed}");
        Assert.Equal(PSInvocationState.Stopped, slow.InvocationStateInfo.State);
        Assert.True(running.IsCompleted);
    }

    [Fact]
    public void The_proxy_password_and_the_urls_tokens_appear_in_no_stream_error_or_json()
    {
        var token = string.Empty;
        var result = _shell.Run(
            """
            $ErrorActionPreference = 'Continue'
            $DebugPreference = 'Continue'
            $VerbosePreference = 'Continue'
            $proxy = New-KernelProxy custom corp -HostName proxy.example.com -Port 3128 -UserName alice -Password (ConvertTo-SecureString 'pw-hunter2-secret' -AsPlainText -Force)
            $browser = New-KernelBrowser -Proxy corp -Name watched
            $replay = $browser | Start-KernelBrowserReplay
            Get-KernelBrowser -Name watched | Set-KernelBrowser -Tag @{ a = '1' } -PassThru
            Get-KernelBrowserReplay $browser
            $proxy, $browser, $replay | ConvertTo-Json -Depth 5
            $browser, $proxy, $replay | Format-List | Out-String
            $browser | Format-Table | Out-String
            Get-KernelBrowser -Id nosuch
            "$browser $proxy $replay"
            $Error | Out-String
            $browser.CdpWsUrl | ConvertFrom-SecureString -AsPlainText
            """);
        token = result.Output.Last().ToString();
        // Everything but the last output, the token the script asked for on purpose.
        var everything = string.Join("\n", result.Output.Take(result.Output.Count - 1).Select(o => o?.ToString())) + "\n" + result.OtherStreamsText;
        var jwt = token[(token.IndexOf("jwt=", StringComparison.Ordinal) + 4)..];

        Assert.Matches(@"^[\w-]+\.[\w-]+\.[\w-]+$", jwt);
        Assert.DoesNotContain(jwt, everything);
        Assert.DoesNotContain(jwt.Split('.')[2], everything);
        Assert.DoesNotContain("pw-hunter2-secret", everything);
        Assert.Contains("\"HasPassword\": true", everything);
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the signal never came");
            await Task.Delay(20);
        }
    }
}
