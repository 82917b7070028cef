using System.Diagnostics;
using System.Management.Automation;
using System.Text.Json;
using Kernel.PowerShell.Tests.Support;

namespace Kernel.PowerShell.Tests.Cmdlets;

/// <summary>
/// The pool cmdlets against the emulator over real HTTP: a pool made with New-KernelBrowser's settings, taking a
/// browser (a long poll that waits, times out with its own error and stops on Ctrl+C) and giving it back (in a
/// finally block, even when the pipeline is stopped), and what a pool refuses.
/// </summary>
public sealed class BrowserPoolCmdletTests : IClassFixture<EmulatorFixture>, IDisposable
{
    private readonly EmulatorFixture _emulator;
    private readonly PowerShellSession _shell = new();
    private readonly HttpClient _admin;

    public BrowserPoolCmdletTests(EmulatorFixture emulator)
    {
        _emulator = emulator;
        _admin = new HttpClient { BaseAddress = new Uri(emulator.BaseUri, "_emulator/") };
        _shell.ConnectInOwnProject(emulator);
    }

    public void Dispose()
    {
        _admin.Dispose();
        _shell.Dispose();
    }

    private ScriptResult Run(string script, params (string Name, object? Value)[] parameters) => _shell.Run(script, parameters);

    private KernelBrowserPool Pool(string name) => Run($"Get-KernelBrowserPool -Name {name}").ThrowOnError().Single<KernelBrowserPool>();

    /// <summary>A new pool, once every browser in it is warm (what the API reports, not a sleep).</summary>
    private KernelBrowserPool FullPool(string name, int size)
    {
        Run($"New-KernelBrowserPool {name} -Size {size} -FillRate 100").ThrowOnError();
        return WaitFor(name, pool => pool.AvailableCount == pool.Size);
    }

    private KernelBrowserPool WaitFor(string name, Func<KernelBrowserPool, bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var pool = Pool(name);
            if (condition(pool))
            {
                return pool;
            }

            Assert.True(DateTime.UtcNow < deadline, $"pool {name} stayed at {pool.AvailableCount} free, {pool.AcquiredCount} taken");
            Thread.Sleep(20);
        }
    }

    private List<string> Journal(string method, string pathEnd) =>
        JsonDocument.Parse(_admin.GetStringAsync("journal").GetAwaiter().GetResult()).RootElement.EnumerateArray()
            .Where(e => e.GetProperty("method").GetString() == method && e.GetProperty("path").GetString()!.EndsWith(pathEnd, StringComparison.Ordinal))
            .Where(e => e.GetProperty("headers").TryGetProperty("X-Kernel-Project-Id", out var p) && p.GetString() == Project)
            .Select(e => e.GetProperty("path").GetString()!)
            .ToList();

    private string Project => Run("(Get-KernelSession).ProjectId").ThrowOnError().Output.Single().ToString();

    [Fact]
    public void A_pool_is_made_with_the_settings_New_KernelBrowser_takes_and_hands_out_browsers_made_so()
    {
        Run("param($path) Publish-KernelExtension $path -Name hello | Out-Null; New-KernelProfile shop | Out-Null; New-KernelProxy datacenter dc | Out-Null", ("path", RepositoryPaths.Example("hello-extension"))).ThrowOnError();

        var created = Run("Get-KernelProfile shop | New-KernelBrowserPool shop -Size 2 -FillRate 50 -Headless -Stealth -Timeout 5m -Proxy dc -Extension hello -Viewport 1280x800").ThrowOnError().Single<KernelBrowserPool>();
        WaitFor("shop", pool => pool.AvailableCount == 2);
        var browser = Run("Lock-KernelBrowser -Pool shop -Name job-1 -Tag @{ job = 'nightly' }").ThrowOnError().Single<KernelBrowser>();

        Assert.Equal(2, created.Size);
        Assert.Equal(50, created.FillRatePerMinute);
        Assert.Equal(300, created.TimeoutSeconds);
        Assert.True(created.Headless && created.Stealth);
        Assert.NotNull(created.ProfileId);
        Assert.Single(created.ExtensionIds);
        Assert.Equal(created.Id, browser.PoolId);
        Assert.Equal("shop", browser.PoolName);
        Assert.Equal("job-1", browser.Name);
        Assert.Equal("nightly", browser.Tags["job"]);
        Assert.True(browser.Headless);
        Assert.Equal("shop", browser.Profile?.Name);
        Assert.Equal(1, Pool("shop").AcquiredCount);
        Assert.Equal([browser.Id], Run("Get-KernelBrowser").ThrowOnError().Output.Select(o => ((KernelBrowser)o.BaseObject).Id));
    }

    [Fact]
    public void A_pool_refuses_SaveProfileChanges_as_a_parameter_it_does_not_have()
    {
        var result = Run("New-KernelBrowserPool never -Size 1 -SaveProfileChanges");

        Assert.StartsWith("NamedParameterNotFound,", Assert.Single(result.Errors).FullyQualifiedErrorId);
    }

    [Fact]
    public void Unlock_gives_a_fresh_browser_to_the_next_job_by_default_and_the_same_one_with_Reuse()
    {
        FullPool("fresh", 1);

        var first = Run("Lock-KernelBrowser fresh").ThrowOnError().Single<KernelBrowser>();
        Run("param($b) $b | Unlock-KernelBrowser", ("b", first)).ThrowOnError();
        var second = Run("Lock-KernelBrowser fresh -Timeout 20s").ThrowOnError().Single<KernelBrowser>();
        Run("param($b) $b | Unlock-KernelBrowser -Reuse", ("b", second)).ThrowOnError();
        var third = Run("Lock-KernelBrowser fresh").ThrowOnError().Single<KernelBrowser>();

        Assert.NotEqual(first.Id, second.Id);
        Assert.Equal("deleted", Run($"(Get-KernelBrowser -Id {first.Id} -IncludeDeleted).Status").ThrowOnError().Output.Single().ToString());
        Assert.Equal(second.Id, third.Id);
    }

    [Fact]
    public void A_browser_given_by_id_or_name_goes_back_to_the_pool_it_names()
    {
        FullPool("by-text", 2);
        var byId = Run("Lock-KernelBrowser by-text").ThrowOnError().Single<KernelBrowser>();
        Run("Lock-KernelBrowser by-text -Name named-lease").ThrowOnError();

        Run($"Unlock-KernelBrowser {byId.Id} -Reuse; Unlock-KernelBrowser named-lease -Reuse").ThrowOnError();

        Assert.Equal(0, Pool("by-text").AcquiredCount);
    }

    [Fact]
    public void Giving_back_a_browser_not_taken_from_that_pool_is_a_clear_error_and_no_browser_is_nothing_to_do()
    {
        FullPool("mine", 1);
        FullPool("theirs", 1);
        var own = Run("New-KernelBrowser -Name own").ThrowOnError().Single<KernelBrowser>();
        var leased = Run("Lock-KernelBrowser mine").ThrowOnError().Single<KernelBrowser>();

        var notPooled = Run("param($b) $b | Unlock-KernelBrowser", ("b", own));
        var otherPool = Run("param($b) $b | Unlock-KernelBrowser -Pool theirs", ("b", leased));
        var byIdOther = Run($"Unlock-KernelBrowser {leased.Id} -Pool theirs");
        var nothing = Run("$null | Unlock-KernelBrowser; Unlock-KernelBrowser -Browser $null").ThrowOnError();

        foreach (var result in new[] { notPooled, otherPool, byIdOther })
        {
            var error = Assert.Single(result.Errors);
            Assert.StartsWith("BrowserNotLeased,", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.InvalidOperation, error.CategoryInfo.Category);
        }

        Assert.Contains("was not taken from a pool", notPooled.Errors[0].Exception.Message);
        Assert.Contains("was taken from pool mine, not from pool theirs", otherPool.Errors[0].Exception.Message);
        Assert.Contains("was taken from pool mine, not from pool theirs", byIdOther.Errors[0].Exception.Message);
        Assert.Empty(nothing.Output);
        Assert.Equal(1, Pool("mine").AcquiredCount);
        Assert.Empty(Journal("POST", "/release"));
    }

    [Fact]
    public void Giving_back_a_browser_that_has_ended_meanwhile_is_a_warning()
    {
        FullPool("ended", 1);
        var leased = Run("Lock-KernelBrowser ended").ThrowOnError().Single<KernelBrowser>();
        Run($"Remove-KernelBrowser -Id {leased.Id} -Force").ThrowOnError();

        var result = Run("param($b) $b | Unlock-KernelBrowser", ("b", leased)).ThrowOnError();

        Assert.Contains("had already ended", Assert.Single(result.Warnings));
    }

    [Fact]
    public void None_free_in_time_is_a_NoBrowserAvailable_error_a_script_can_catch()
    {
        FullPool("busy", 1);
        Run("Lock-KernelBrowser busy").ThrowOnError();
        var clock = Stopwatch.StartNew();

        var result = Run("try { Lock-KernelBrowser busy -Timeout 2 -ErrorAction Stop; 'taken' } catch { $_.FullyQualifiedErrorId; $_.CategoryInfo.Category }");
        var now = Run("Lock-KernelBrowser busy -Timeout 0");

        Assert.Equal(["NoBrowserAvailable,Kernel.PowerShell.Cmdlets.LockKernelBrowserCommand", "ResourceUnavailable"], result.Output.Select(o => o.ToString()));
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(20));
        Assert.StartsWith("NoBrowserAvailable,", Assert.Single(now.Errors).FullyQualifiedErrorId);
    }

    [Fact]
    public void A_wait_longer_than_the_request_timeout_is_not_cut_by_it()
    {
        FullPool("long", 1);
        Run("Lock-KernelBrowser long").ThrowOnError();
        var project = Project;
        using var shell = new PowerShellSession();
        shell.Run("param($uri, $key, $project) Connect-Kernel -BaseUri $uri -ApiKey $key -ProjectId $project -RequestTimeout 1", ("uri", _emulator.BaseUri), ("key", _emulator.ApiKey), ("project", project)).ThrowOnError();

        var result = shell.Run("Lock-KernelBrowser long -Timeout 3");

        Assert.StartsWith("NoBrowserAvailable,", Assert.Single(result.Errors).FullyQualifiedErrorId);
    }

    /// <summary>A second runspace in this test's project, for what runs while the first one's pipeline is busy.</summary>
    private PowerShellSession SecondShell()
    {
        var project = Project;
        var shell = new PowerShellSession();
        shell.Run("param($uri, $key, $project) Connect-Kernel -BaseUri $uri -ApiKey $key -ProjectId $project", ("uri", _emulator.BaseUri), ("key", _emulator.ApiKey), ("project", project)).ThrowOnError();
        return shell;
    }

    [Fact]
    public async Task A_waiting_Lock_KernelBrowser_takes_the_browser_given_back_meanwhile()
    {
        FullPool("handover", 1);
        var held = Run("Lock-KernelBrowser handover").ThrowOnError().Single<KernelBrowser>();
        using var other = SecondShell();
        using var waiting = _shell.Start("Lock-KernelBrowser handover -Timeout 60");
        var progress = Signals.FirstProgress(waiting);
        var running = waiting.BeginInvoke();
        await progress.Within(TimeSpan.FromSeconds(20), "Lock-KernelBrowser started waiting");

        other.Run("param($id) Unlock-KernelBrowser $id -Reuse", ("id", held.Id)).ThrowOnError();
        var taken = await Task.Factory.FromAsync(running, waiting.EndInvoke);

        Assert.Equal(held.Id, ((KernelBrowser)Assert.Single(taken).BaseObject).Id);
    }

    [Fact]
    public async Task Ctrl_C_ends_the_wait_within_a_second()
    {
        FullPool("stopped", 1);
        Run("Lock-KernelBrowser stopped").ThrowOnError();
        using var waiting = _shell.Start("Lock-KernelBrowser stopped -Timeout 5m");
        var progress = Signals.FirstProgress(waiting);
        var running = waiting.BeginInvoke();
        await progress.Within(TimeSpan.FromSeconds(20), "Lock-KernelBrowser started waiting");

        var clock = Stopwatch.StartNew();
        waiting.Stop();

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"Stop took {clock.Elapsed}");
        Assert.Equal(PSInvocationState.Stopped, waiting.InvocationStateInfo.State);
        Assert.True(running.IsCompleted);
    }

    [Fact]
    public async Task A_runbook_stopped_mid_job_still_gives_the_browser_back_in_its_finally_block()
    {
        FullPool("runbook", 1);
        using var runbook = SecondShell();
        using var job = runbook.Start("$browser = Lock-KernelBrowser runbook -ErrorAction Stop; try { Write-Information 'working'; Start-Sleep -Seconds 60 } finally { $browser | Unlock-KernelBrowser }");
        var working = Signals.FirstInformation(job);
        var running = job.BeginInvoke();
        await working.Within(TimeSpan.FromSeconds(20), "the runbook took a browser and started its job");

        job.Stop();

        Assert.True(running.IsCompleted);
        Assert.Single(Journal("POST", "/release"));
        Assert.Equal(0, Pool("runbook").AcquiredCount);
    }

    [Fact]
    public void A_pool_with_taken_browsers_is_removed_only_with_Force_and_WhatIf_removes_nothing()
    {
        FullPool("doomed", 2);
        var leased = Run("Lock-KernelBrowser doomed").ThrowOnError().Single<KernelBrowser>();

        var refused = Run("Remove-KernelBrowserPool -Name doomed -Confirm:$false");
        Run("Remove-KernelBrowserPool -Name doomed -Force -WhatIf").ThrowOnError();
        var kept = Pool("doomed");
        Run("Remove-KernelBrowserPool -Name doomed -Force").ThrowOnError();

        var error = Assert.Single(refused.Errors);
        Assert.StartsWith("ApiBadRequest,", error.FullyQualifiedErrorId);
        Assert.Contains("-Force", error.ErrorDetails.RecommendedAction);
        Assert.Equal(1, kept.AcquiredCount);
        Assert.Empty(Run("Get-KernelBrowserPool").ThrowOnError().Output);
        Assert.Equal("deleted", Run($"(Get-KernelBrowser -Id {leased.Id} -IncludeDeleted).Status").ThrowOnError().Output.Single().ToString());
    }

    [Fact]
    public void Clear_KernelBrowserPool_ends_the_idle_browsers_and_leaves_the_taken_ones()
    {
        FullPool("flushed", 3);
        var leased = Run("Lock-KernelBrowser flushed").ThrowOnError().Single<KernelBrowser>();
        Run("Set-KernelBrowserPool -Name flushed -FillRate 0").ThrowOnError(); // no refill to race the count

        var after = Run("Clear-KernelBrowserPool -Name flushed -PassThru -Confirm:$false").ThrowOnError().Single<KernelBrowserPool>();

        Assert.Equal(1, after.AcquiredCount);
        Assert.Equal(0, after.AvailableCount);
        Assert.Equal("active", Run($"(Get-KernelBrowser -Id {leased.Id}).Status").ThrowOnError().Output.Single().ToString());
    }

    [Fact]
    public void Set_KernelBrowserPool_changes_only_what_it_is_given()
    {
        Run("param($path) Publish-KernelExtension $path -Name set-ext | Out-Null; New-KernelBrowserPool before -Size 2 -Headless -Extension set-ext | Out-Null", ("path", RepositoryPaths.Example("hello-extension"))).ThrowOnError();

        var renamed = Run("Set-KernelBrowserPool -Name before -NewName after -Size 3 -PassThru").ThrowOnError().Single<KernelBrowserPool>();
        var cleared = Run("Set-KernelBrowserPool -Name after -NoExtension -Headless:$false -PassThru").ThrowOnError().Single<KernelBrowserPool>();
        var nothing = Run("Set-KernelBrowserPool -Name after");
        var both = Run("Set-KernelBrowserPool -Name after -Extension set-ext -NoExtension");

        Assert.Equal("after", renamed.Name);
        Assert.Equal(3, renamed.Size);
        Assert.True(renamed.Headless);
        Assert.Single(renamed.ExtensionIds);
        Assert.Empty(cleared.ExtensionIds);
        Assert.False(cleared.Headless);
        Assert.StartsWith("InvalidBrowserSettings,", Assert.Single(nothing.Errors).FullyQualifiedErrorId);
        Assert.StartsWith("InvalidBrowserSettings,", Assert.Single(both.Errors).FullyQualifiedErrorId);
    }

    [Fact]
    public void Set_KernelBrowserPool_changes_the_settings_its_browsers_are_made_with_and_NoProfile_and_NoProxy_clear_them()
    {
        var made = Run("param($path) Publish-KernelExtension $path -Name ext-a; Publish-KernelExtension $path -Name ext-b; New-KernelProfile shop; New-KernelProxy datacenter dc", ("path", RepositoryPaths.Example("hello-extension"))).ThrowOnError().Output.Select(o => o.BaseObject).ToList();
        var (extB, profile, proxy) = ((KernelExtension)made[1], (KernelProfile)made[2], (KernelProxy)made[3]);
        Run("New-KernelBrowserPool refit -Size 1 -FillRate 0 -Extension ext-a | Out-Null").ThrowOnError();

        var changed = Run("Set-KernelBrowserPool -Name refit -Timeout 90s -Kiosk -Profile shop -Proxy dc -Extension ext-b -Viewport 1280x800@60 -StartUrl https://example.com/start -PassThru").ThrowOnError().Single<KernelBrowserPool>();
        var stored = Pool("refit");
        var cleared = Run("Set-KernelBrowserPool -Name refit -NoProfile -NoProxy -Kiosk:$false -PassThru").ThrowOnError().Single<KernelBrowserPool>();

        foreach (var pool in new[] { changed, stored })
        {
            Assert.Equal(90, pool.TimeoutSeconds);
            Assert.True(pool.KioskMode);
            Assert.Equal(profile.Id, pool.ProfileId);
            Assert.Equal(proxy.Id, pool.ProxyId);
            Assert.Equal([extB.Id], pool.ExtensionIds);
            Assert.Equal("1280x800@60", pool.Viewport?.ToString());
            Assert.Equal("https://example.com/start", pool.StartUrl);
        }

        Assert.Null(cleared.ProfileId);
        Assert.Null(cleared.ProxyId);
        Assert.False(cleared.KioskMode);
        Assert.Equal((90, "https://example.com/start"), (cleared.TimeoutSeconds, cleared.StartUrl));
        Assert.Equal([extB.Id], cleared.ExtensionIds);
    }

    [Fact]
    public void Idle_browsers_keep_their_settings_until_DiscardIdle_replaces_them_with_browsers_made_with_the_new_ones()
    {
        FullPool("discard", 1);

        Run("Set-KernelBrowserPool -Name discard -Kiosk").ThrowOnError();
        var old = Run("Lock-KernelBrowser discard").ThrowOnError().Single<KernelBrowser>();
        Run($"Unlock-KernelBrowser {old.Id} -Reuse").ThrowOnError();
        Run("Set-KernelBrowserPool -Name discard -StartUrl https://example.com/new -DiscardIdle").ThrowOnError();
        WaitFor("discard", pool => pool.AvailableCount == 1);
        var fresh = Run("Lock-KernelBrowser discard").ThrowOnError().Single<KernelBrowser>();

        Assert.False(old.KioskMode);
        Assert.Null(old.StartUrl);
        Assert.NotEqual(old.Id, fresh.Id);
        Assert.True(fresh.KioskMode);
        Assert.Equal("https://example.com/new", fresh.StartUrl);
    }

    [Fact]
    public void New_KernelBrowserPool_Kiosk_and_StartUrl_make_kiosk_browsers_that_open_the_start_page()
    {
        var created = Run("New-KernelBrowserPool kiosk -Size 1 -FillRate 100 -Kiosk -StartUrl https://example.com/home").ThrowOnError().Single<KernelBrowserPool>();
        WaitFor("kiosk", pool => pool.AvailableCount == 1);

        var browser = Run("Lock-KernelBrowser kiosk").ThrowOnError().Single<KernelBrowser>();

        Assert.True(created.KioskMode);
        Assert.Equal("https://example.com/home", created.StartUrl);
        Assert.True(browser.KioskMode);
        Assert.Equal("https://example.com/home", browser.StartUrl);
    }

    [Fact]
    public void Lock_KernelBrowser_StartUrl_opens_that_page_instead_of_the_pools_start_page()
    {
        Run("New-KernelBrowserPool home -Size 2 -FillRate 100 -StartUrl https://example.com/home | Out-Null").ThrowOnError();
        WaitFor("home", pool => pool.AvailableCount == 2);

        var elsewhere = Run("Lock-KernelBrowser home -StartUrl https://example.com/elsewhere").ThrowOnError().Single<KernelBrowser>();
        var plain = Run("Lock-KernelBrowser home").ThrowOnError().Single<KernelBrowser>();
        var refused = Run("Lock-KernelBrowser home -StartUrl ftp://example.com/file");

        Assert.Equal("https://example.com/elsewhere", elsewhere.StartUrl);
        Assert.Equal("https://example.com/elsewhere", Run($"(Get-KernelBrowser -Id {elsewhere.Id}).StartUrl").ThrowOnError().Output.Single().ToString());
        Assert.Equal("https://example.com/home", plain.StartUrl);
        Assert.StartsWith("InvalidBrowserSettings,", Assert.Single(refused.Errors).FullyQualifiedErrorId);
        Assert.Equal(2, Journal("POST", "/acquire").Count);
    }

    [Fact]
    public void Tab_completes_pool_and_extension_names_by_parameter_and_by_noun()
    {
        Run("param($path) Publish-KernelExtension $path -Name tab-extension | Out-Null; New-KernelBrowserPool tab-pool -Size 1 | Out-Null", ("path", RepositoryPaths.Example("hello-extension"))).ThrowOnError();

        Assert.Equal(["tab-pool"], _shell.Complete("Lock-KernelBrowser -Pool tab"));
        Assert.Equal(["tab-pool"], _shell.Complete("Get-KernelBrowserPool -Name tab"));
        Assert.Equal(["tab-extension"], _shell.Complete("New-KernelBrowser -Extension tab"));
        Assert.Equal(["tab-extension"], _shell.Complete("Remove-KernelExtension -Name tab"));
    }

    [Theory]
    [InlineData("Get-KernelBrowserPool -Id nosuch", "Browser pool 'nosuch' was not found.")]
    [InlineData("Lock-KernelBrowser nosuch", "Browser pool 'nosuch' was not found.")]
    [InlineData("Clear-KernelBrowserPool -Id nosuch -Confirm:$false", "Browser pool 'nosuch' was not found.")]
    [InlineData("Get-KernelExtension -Id nosuch", "Extension 'nosuch' was not found.")]
    [InlineData("Save-KernelExtension -Id nosuch -Destination ([IO.Path]::GetTempPath()) -Force", "Extension 'nosuch' was not found.")]
    public void An_unknown_id_is_one_object_not_found_error_naming_it(string command, string message)
    {
        var result = Run(command);

        var error = Assert.Single(result.Errors);
        Assert.StartsWith("ApiNotFound,", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
        Assert.Equal("nosuch", error.TargetObject?.ToString());
        Assert.Equal(message, error.Exception.Message);
    }
}
