using System.Management.Automation;
using System.Text.Json;
using Kernel.PowerShell.Tests.Support;

namespace Kernel.PowerShell.Tests.Cmdlets;

/// <summary>
/// The browser, profile, proxy and replay cmdlets against the emulator over real HTTP: the pipelines the issue
/// names, id-or-name addressing and its failures, and the shared moves (wildcards, paging, -Force).
/// </summary>
public sealed class BrowserCmdletTests : IClassFixture<EmulatorFixture>, IDisposable
{
    private readonly EmulatorFixture _emulator;
    private readonly PowerShellSession _shell = new();
    private readonly HttpClient _admin;

    public BrowserCmdletTests(EmulatorFixture emulator)
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

    private ScriptResult Run(string script) => _shell.Run(script);

    private List<string> JournalOf(string method, string path) =>
        JsonDocument.Parse(_admin.GetStringAsync("journal").GetAwaiter().GetResult()).RootElement.EnumerateArray()
            .Where(e => e.GetProperty("method").GetString() == method && e.GetProperty("path").GetString() == path)
            .Select(e => e.GetProperty("headers").TryGetProperty("X-Kernel-Project-Id", out var p) ? p.GetString()! : string.Empty)
            .ToList();

    private string Project => Run("(Get-KernelSession).ProjectId").ThrowOnError().Output.Single().ToString();

    /// <summary>This project's requests the emulator received for <paramref name="method"/> <paramref name="path"/>: (query, status).</summary>
    private List<(string Query, int Status)> Received(string method, string path)
    {
        var project = Project;
        return JsonDocument.Parse(_admin.GetStringAsync("journal").GetAwaiter().GetResult()).RootElement.EnumerateArray()
            .Where(e => e.GetProperty("method").GetString() == method && e.GetProperty("path").GetString() == path)
            .Where(e => e.GetProperty("headers").TryGetProperty("X-Kernel-Project-Id", out var p) && p.GetString() == project)
            .Select(e => (e.GetProperty("query").GetString() ?? string.Empty, e.GetProperty("status").GetInt32()))
            .ToList();
    }

    [Fact]
    public void A_new_profile_piped_to_New_KernelBrowser_is_loaded_and_written_when_the_browser_ends()
    {
        var browser = Run("New-KernelProfile shop-login | New-KernelBrowser -SaveProfileChanges -Name job-1").ThrowOnError().Single<KernelBrowser>();

        Assert.Equal("shop-login", browser.Profile?.Name);
        Assert.Null(Run("(Get-KernelProfile shop-login).UpdatedAt").ThrowOnError().Output.Single());
        Run("Remove-KernelBrowser -Name job-1 -Force").ThrowOnError();
        Assert.NotNull(Run("(Get-KernelProfile shop-login).UpdatedAt").ThrowOnError().Output.Single()?.BaseObject);
    }

    [Fact]
    public void A_proxy_piped_by_name_routes_the_new_browser()
    {
        var proxy = Run("New-KernelProxy residential eu -Country de").ThrowOnError().Single<KernelProxy>();

        var browser = Run("Get-KernelProxy -Name eu | New-KernelBrowser -Headless").ThrowOnError().Single<KernelBrowser>();

        Assert.Equal(proxy.Id, browser.ProxyId);
        Assert.Equal("DE", proxy.Country);
    }

    [Theory]
    [InlineData("'eu' | New-KernelBrowser")]
    [InlineData("'eu' | New-KernelBrowserPool piped -Size 1")]
    public void A_name_piped_as_text_is_refused_as_ambiguous_and_creates_nothing(string script)
    {
        Run("New-KernelProxy residential eu -Country de; New-KernelProfile eu").ThrowOnError();

        var refused = Run(script);

        Assert.StartsWith("InvalidBrowserSettings,", Assert.Single(refused.Errors).FullyQualifiedErrorId);
        Assert.Contains("give it as -Profile or -Proxy", refused.Errors[0].Exception.Message);
        Assert.Empty(Run("Get-KernelBrowser").ThrowOnError().Output);
        Assert.Empty(Run("Get-KernelBrowserPool").ThrowOnError().Output);
    }

    [Fact]
    public void A_name_piped_as_text_beside_a_named_proxy_is_the_profile()
    {
        var profile = Run("New-KernelProxy residential eu -Country de; New-KernelProfile shop").ThrowOnError().Output.Select(o => o.BaseObject).OfType<KernelProfile>().Single();

        var browser = Run("'shop' | New-KernelBrowser -Proxy eu").ThrowOnError().Single<KernelBrowser>();

        Assert.Equal(profile.Id, browser.Profile?.Id);
        Assert.NotNull(browser.ProxyId);
    }

    [Fact]
    public void Browsers_found_by_tag_are_removed_with_Force_and_the_others_stay()
    {
        Run("New-KernelBrowser -Tag @{ job = 'nightly' }; New-KernelBrowser -Tag @{ job = 'nightly'; team = 'a' }; New-KernelBrowser -Name keeper -Tag @{ job = 'daily' }").ThrowOnError();

        Run("Get-KernelBrowser -Tag @{ job = 'nightly' } | Remove-KernelBrowser -Force").ThrowOnError();

        Assert.Equal(["keeper"], Run("Get-KernelBrowser").ThrowOnError().Output.Select(o => ((KernelBrowser)o.BaseObject).Name));
        Assert.Equal(2, Run("Get-KernelBrowser -Status Deleted").ThrowOnError().Output.Count);
    }

    [Fact]
    public void An_invocation_piped_to_Get_KernelBrowser_gives_that_runs_browsers()
    {
        _shell.Run("param($path) New-KernelDeployment -Path $path -EntrypointRelPath main.py -Wait", ("path", RepositoryPaths.Example("page-title"))).ThrowOnError();
        var invocation = Run("Invoke-KernelAction page-title health").ThrowOnError().Single<KernelInvocation>();
        var mine = Run($"New-KernelBrowser -InvocationId {invocation.Id} -Headless").ThrowOnError().Single<KernelBrowser>();
        Run("New-KernelBrowser -Headless").ThrowOnError();

        var piped = Run($"Get-KernelInvocation -Id {invocation.Id} | Get-KernelBrowser").ThrowOnError();
        var byId = Run($"Get-KernelBrowser -InvocationId {invocation.Id}").ThrowOnError();

        Assert.Equal([mine.Id], piped.Output.Select(o => ((KernelBrowser)o.BaseObject).Id));
        Assert.Equal([mine.Id], byId.Output.Select(o => ((KernelBrowser)o.BaseObject).Id));
    }

    [Theory]
    [InlineData("Get-KernelBrowser -Id nosuch", "Browser 'nosuch' was not found.")]
    [InlineData("Get-KernelProfile -Id nosuch", "Profile 'nosuch' was not found.")]
    [InlineData("Get-KernelProxy -Id nosuch", "Proxy 'nosuch' was not found.")]
    [InlineData("Set-KernelBrowser -Id nosuch -NewName x", "Browser 'nosuch' was not found.")]
    [InlineData("Rename-KernelProfile -Id nosuch -NewName x", "Profile 'nosuch' was not found.")]
    [InlineData("Test-KernelProxy -Id nosuch", "Proxy 'nosuch' was not found.")]
    [InlineData("Get-KernelBrowserReplay -Browser nosuch", "Browser 'nosuch' was not found.")]
    public void An_unknown_id_is_one_object_not_found_error_naming_it(string command, string message)
    {
        var result = Run(command);

        var error = Assert.Single(result.Errors);
        Assert.StartsWith("ApiNotFound,", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
        Assert.Equal("nosuch", error.TargetObject);
        Assert.Equal(message, error.Exception.Message);
        Assert.Empty(result.Output);
    }

    [Theory]
    [InlineData("Get-KernelBrowser -Name nosuch", "browser")]
    [InlineData("Get-KernelProfile nosuch", "profile")]
    [InlineData("Get-KernelProxy -Name nosuch", "proxy")]
    [InlineData("Remove-KernelProfile -Name nosuch -Force", "profile")]
    [InlineData("Save-KernelProfile -Name nosuch -Destination .", "profile")]
    public void A_literal_name_that_matches_nothing_is_one_object_not_found_error_and_a_wildcard_is_silent(string command, string noun)
    {
        var literal = Run(command);
        var wildcard = Run(command.Replace("nosuch", "nosuch*"));

        var error = Assert.Single(literal.Errors);
        Assert.StartsWith("NameNotFound,", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
        Assert.Equal($"No {noun} is named 'nosuch'.", error.Exception.Message);
        Assert.Empty(wildcard.Errors);
        Assert.Empty(wildcard.Output);
    }

    [Fact]
    public void New_KernelBrowser_with_an_unknown_profile_creates_nothing()
    {
        var result = Run("New-KernelBrowser -Profile nosuch");

        Assert.Equal("ApiNotFound", Assert.Single(result.Errors).FullyQualifiedErrorId.Split(',')[0]);
        Assert.Equal("nosuch", result.Errors[0].TargetObject);
        Assert.DoesNotContain(Project, JournalOf("POST", "/browsers"));
    }

    [Fact]
    public void A_name_two_proxies_share_is_an_error_that_lists_both_never_a_guess()
    {
        var ids = Run("New-KernelProxy datacenter eu; New-KernelProxy isp eu").ThrowOnError().Output.Select(o => ((KernelProxy)o.BaseObject).Id).ToList();

        var create = Run("New-KernelBrowser -Proxy eu");
        var remove = Run("Remove-KernelProxy -Name eu -Force");

        foreach (var result in new[] { create, remove })
        {
            var error = Assert.Single(result.Errors);
            Assert.StartsWith("AmbiguousName,", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
            Assert.All(ids, id => Assert.Contains(id, error.Exception.Message));
        }

        Assert.DoesNotContain(Project, JournalOf("POST", "/browsers"));
        Assert.Equal(2, Run("Get-KernelProxy").ThrowOnError().Output.Count);
        Run("Remove-KernelProxy -Name e* -Force").ThrowOnError();
        Assert.Empty(Run("Get-KernelProxy").ThrowOnError().Output);
    }

    [Fact]
    public void Removing_a_browser_that_is_already_gone_is_a_warning()
    {
        var browser = Run("New-KernelBrowser").ThrowOnError().Single<KernelBrowser>();
        Run($"Remove-KernelBrowser -Id {browser.Id} -Force").ThrowOnError();

        var again = Run($"Remove-KernelBrowser -Id {browser.Id} -Force").ThrowOnError();

        Assert.Contains($"Browser {browser.Id} was not found", Assert.Single(again.Warnings));
    }

    [Fact]
    public void First_and_Skip_pick_from_the_ids_given()
    {
        var ids = Run("1..3 | ForEach-Object { (New-KernelBrowser -Name \"b$_\").Id }").ThrowOnError().Output.Select(o => o.ToString()).ToList();

        var picked = Run($"Get-KernelBrowser -Id {string.Join(",", ids)} -Skip 1 -First 1").ThrowOnError();
        var piped = Run("Get-KernelBrowser -Name b* | Sort-Object Name | Get-KernelBrowser -First 2").ThrowOnError();
        var listed = Run("Get-KernelBrowser -Name b* -Skip 1").ThrowOnError();

        Assert.Equal([ids[1]], picked.Output.Select(o => ((KernelBrowser)o.BaseObject).Id));
        Assert.Equal(["b1", "b2"], piped.Output.Select(o => ((KernelBrowser)o.BaseObject).Name));
        Assert.Equal(2, listed.Output.Count);
    }

    [Fact]
    public void Set_KernelBrowser_changes_only_what_it_is_given()
    {
        Run("New-KernelProxy datacenter dc | Out-Null; New-KernelBrowser -Name before -Tag @{ a = '1' } -Proxy dc -Viewport 1280x800").ThrowOnError();

        var renamed = Run("Set-KernelBrowser -Name before -NewName after -PassThru").ThrowOnError().Single<KernelBrowser>();
        var changed = Run("Set-KernelBrowser -Name after -Tag @{ b = '2' } -NoProxy -Viewport 1920x1080@25 -PassThru").ThrowOnError().Single<KernelBrowser>();
        var nothing = Run("Set-KernelBrowser -Name after");

        Assert.Equal("after", renamed.Name);
        Assert.Equal("1", renamed.Tags["a"]);
        Assert.NotNull(renamed.ProxyId);
        Assert.Equal(["b"], changed.Tags.Keys);
        Assert.Null(changed.ProxyId);
        Assert.Equal("1920x1080@25", changed.Viewport?.ToString());
        Assert.StartsWith("InvalidBrowserSettings,", Assert.Single(nothing.Errors).FullyQualifiedErrorId);
    }

    [Fact]
    public void Set_KernelBrowser_Profile_loads_a_profile_into_a_browser_that_has_none_and_SaveProfileChanges_writes_it_when_the_browser_ends()
    {
        Run("New-KernelProfile kept | Out-Null; New-KernelProfile read-only | Out-Null; New-KernelBrowser -Name saver | Out-Null; New-KernelBrowser -Name reader | Out-Null").ThrowOnError();

        var saver = Run("Set-KernelBrowser -Name saver -Profile kept -SaveProfileChanges -PassThru").ThrowOnError().Single<KernelBrowser>();
        var reader = Run("Get-KernelProfile read-only | ForEach-Object { Set-KernelBrowser -Name reader -Profile $_ -PassThru }").ThrowOnError().Single<KernelBrowser>();
        var second = Run("Set-KernelBrowser -Name saver -Profile read-only");
        Run("Remove-KernelBrowser -Name saver, reader -Force").ThrowOnError();

        Assert.Equal("kept", saver.Profile?.Name);
        Assert.Equal("read-only", reader.Profile?.Name);
        Assert.StartsWith("ApiBadRequest,", Assert.Single(second.Errors).FullyQualifiedErrorId);
        Assert.Contains("already has a profile", second.Errors[0].ToString());
        Assert.NotNull(Run("(Get-KernelProfile kept).UpdatedAt").ThrowOnError().Output.Single()?.BaseObject);
        Assert.Null(Run("(Get-KernelProfile read-only).UpdatedAt").ThrowOnError().Output.Single()?.BaseObject);
    }

    [Fact]
    public void Set_KernelBrowser_Proxy_moves_the_browser_to_the_proxy_named_or_piped()
    {
        var proxies = Run("New-KernelProxy datacenter first; New-KernelProxy isp second").ThrowOnError().Output.Select(o => (KernelProxy)o.BaseObject).ToList();
        Run("New-KernelBrowser -Name moved -Proxy first | Out-Null").ThrowOnError();

        var byName = Run("Set-KernelBrowser -Name moved -Proxy second -PassThru").ThrowOnError().Single<KernelBrowser>();
        var stored = Run("Get-KernelBrowser -Name moved").ThrowOnError().Single<KernelBrowser>();
        var byObject = Run("Set-KernelBrowser -Name moved -Proxy (Get-KernelProxy -Name first) -PassThru").ThrowOnError().Single<KernelBrowser>();
        var unknown = Run("Set-KernelBrowser -Name moved -Proxy nosuch");

        Assert.Equal(proxies[1].Id, byName.ProxyId);
        Assert.Equal(proxies[1].Id, stored.ProxyId);
        Assert.Equal(proxies[0].Id, byObject.ProxyId);
        Assert.Equal(ErrorCategory.ObjectNotFound, Assert.Single(unknown.Errors).CategoryInfo.Category);
        Assert.Equal(proxies[0].Id, Run("(Get-KernelBrowser -Name moved).ProxyId").ThrowOnError().Output.Single().ToString());
    }

    [Fact]
    public void Set_KernelBrowser_DisableDefaultProxy_alone_is_a_change_the_emulator_accepts_either_way()
    {
        var browser = Run("New-KernelBrowser -Stealth").ThrowOnError().Single<KernelBrowser>();

        Run($"Set-KernelBrowser -Id {browser.Id} -DisableDefaultProxy; Set-KernelBrowser -Id {browser.Id} -DisableDefaultProxy:$false").ThrowOnError();

        // The emulator does not show the setting back (neither in the browser nor in its journal), so what can be
        // checked is that each call was sent as a change and accepted.
        Assert.Equal([200, 200], Received("PATCH", $"/browsers/{browser.Id}").Select(r => r.Status));
    }

    [Fact]
    public void Set_KernelBrowser_resizes_a_recording_browser_only_with_Force_which_restarts_the_recording_as_a_separate_replay()
    {
        var browser = Run("New-KernelBrowser -Name filmed -Viewport 1280x800").ThrowOnError().Single<KernelBrowser>();
        var first = Run("Start-KernelBrowserReplay -Browser filmed").ThrowOnError().Single<KernelBrowserReplay>();

        var refused = Run("Set-KernelBrowser -Name filmed -Viewport 1920x1080");
        var unchanged = Run("Get-KernelBrowser -Name filmed").ThrowOnError().Single<KernelBrowser>();
        var forced = Run("Set-KernelBrowser -Name filmed -Viewport 1920x1080 -Force -PassThru").ThrowOnError().Single<KernelBrowser>();
        var replays = Run("Get-KernelBrowserReplay -Browser filmed").ThrowOnError().Output.Select(o => (KernelBrowserReplay)o.BaseObject).ToList();

        var error = Assert.Single(refused.Errors);
        Assert.StartsWith("ApiConflict,", error.FullyQualifiedErrorId);
        Assert.Equal("1280x800", unchanged.Viewport?.ToString());
        Assert.Equal("1920x1080", forced.Viewport?.ToString());
        Assert.Equal(browser.Id, forced.Id);

        // The help: "a recording is stopped and restarted at the new size as a separate replay".
        Assert.Equal(2, replays.Count);
        Assert.Equal("finished", Assert.Single(replays, r => r.ReplayId == first.ReplayId).Status);
        Assert.Equal("recording", Assert.Single(replays, r => r.ReplayId != first.ReplayId).Status);
    }

    [Fact]
    public void New_KernelBrowser_Gpu_makes_a_GPU_browser_that_can_record_above_20_frames_a_second_and_is_refused_headless()
    {
        var gpu = Run("New-KernelBrowser -Name gpu -Gpu").ThrowOnError().Single<KernelBrowser>();
        var plain = Run("New-KernelBrowser -Name plain").ThrowOnError().Single<KernelBrowser>();
        var headless = Run("New-KernelBrowser -Gpu -Headless");

        var fast = Run("Start-KernelBrowserReplay -Browser gpu -Framerate 30").ThrowOnError().Single<KernelBrowserReplay>();
        var tooFast = Run("Start-KernelBrowserReplay -Browser plain -Framerate 30");

        Assert.True(gpu.Gpu);
        Assert.True(Run("(Get-KernelBrowser -Name gpu).Gpu").ThrowOnError().Single<bool>());
        Assert.False(plain.Gpu);
        Assert.Equal(gpu.Id, fast.BrowserId);
        Assert.Contains("gpu", Assert.Single(tooFast.Errors).ToString());
        var error = Assert.Single(headless.Errors);
        Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
        Assert.Contains("gpu", error.ToString(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(2, Run("Get-KernelBrowser").ThrowOnError().Output.Count);
    }

    [Fact]
    public void Get_KernelBrowserReplay_ReplayId_gives_only_those_replays_and_an_unknown_one_is_an_object_not_found_error()
    {
        var first = Run("$b = New-KernelBrowser -Name twice; $r = $b | Start-KernelBrowserReplay; $b | Stop-KernelBrowserReplay; $r").ThrowOnError().Single<KernelBrowserReplay>();
        var second = Run("Start-KernelBrowserReplay -Browser twice").ThrowOnError().Single<KernelBrowserReplay>();

        var picked = Run($"Get-KernelBrowserReplay -Browser twice -ReplayId {second.ReplayId}").ThrowOnError();
        var positional = Run($"Get-KernelBrowserReplay twice {first.ReplayId}").ThrowOnError();
        var unknown = Run($"Get-KernelBrowserReplay twice -ReplayId nosuch, {first.ReplayId}");

        Assert.Equal([second.ReplayId], picked.Output.Select(o => ((KernelBrowserReplay)o.BaseObject).ReplayId));
        Assert.Equal("recording", picked.Single<KernelBrowserReplay>().Status);
        Assert.Equal([first.ReplayId], positional.Output.Select(o => ((KernelBrowserReplay)o.BaseObject).ReplayId));
        Assert.Equal([first.ReplayId], unknown.Output.Select(o => ((KernelBrowserReplay)o.BaseObject).ReplayId));
        var error = Assert.Single(unknown.Errors);
        Assert.Equal("ApiNotFound,Kernel.PowerShell.Cmdlets.GetKernelBrowserReplayCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
        Assert.Equal("nosuch", error.TargetObject);
        Assert.Equal("Replay 'nosuch' was not found.", error.Exception.Message);
    }

    [Fact]
    public void Stop_KernelBrowserReplay_ReplayId_stops_the_replay_named_and_a_piped_replay_binds_by_its_id()
    {
        var browser = Run("New-KernelBrowser -Name stopper").ThrowOnError().Single<KernelBrowser>();
        var first = Run("Start-KernelBrowserReplay -Browser stopper").ThrowOnError().Single<KernelBrowserReplay>();

        var stopped = Run($"Stop-KernelBrowserReplay -Browser stopper -ReplayId {first.ReplayId} -PassThru").ThrowOnError().Single<KernelBrowserReplay>();
        var second = Run("Start-KernelBrowserReplay -Browser stopper").ThrowOnError().Single<KernelBrowserReplay>();
        var piped = Run($"Get-KernelBrowserReplay stopper -ReplayId {second.ReplayId} | Stop-KernelBrowserReplay -PassThru").ThrowOnError().Single<KernelBrowserReplay>();

        Assert.Equal((first.ReplayId, "finished"), (stopped.ReplayId, stopped.Status));
        Assert.Equal((second.ReplayId, "finished"), (piped.ReplayId, piped.Status));
        Assert.Single(Received("POST", $"/browsers/{browser.Id}/replays/{first.ReplayId}/stop"));
        Assert.Single(Received("POST", $"/browsers/{browser.Id}/replays/{second.ReplayId}/stop"));
        Assert.Equal(["finished", "finished"], Run("Get-KernelBrowserReplay stopper").ThrowOnError().Output.Select(o => ((KernelBrowserReplay)o.BaseObject).Status));
    }

    [Fact]
    public void Start_KernelBrowserReplay_RecordAudio_starts_a_recording_the_emulator_accepts()
    {
        var browser = Run("New-KernelBrowser -Name loud").ThrowOnError().Single<KernelBrowser>();

        var replay = Run("Start-KernelBrowserReplay -Browser loud -RecordAudio").ThrowOnError().Single<KernelBrowserReplay>();

        // The emulator checks record_audio is a boolean but keeps nothing of it: the request's answer is what shows.
        Assert.Equal("recording", replay.Status);
        Assert.Equal([201], Received("POST", $"/browsers/{browser.Id}/replays").Select(r => r.Status));
    }

    [Fact]
    public void New_KernelProxy_Asn_and_Protocol_reach_the_proxy_and_Asn_is_only_for_residential_ones()
    {
        var residential = Run("New-KernelProxy residential asn -Country US -Asn AS15169 -Protocol http").ThrowOnError().Single<KernelProxy>();
        var byDefault = Run("New-KernelProxy datacenter plain").ThrowOnError().Single<KernelProxy>();
        var wrong = Run("New-KernelProxy datacenter -Asn AS15169");

        var stored = Run("Get-KernelProxy -Name asn").ThrowOnError().Single<KernelProxy>();
        Assert.Equal(("AS15169", "http"), (residential.Asn, residential.Protocol));
        Assert.Equal(("AS15169", "http"), (stored.Asn, stored.Protocol));
        Assert.Equal("US/AS15169", stored.Location);
        Assert.Equal("https", byDefault.Protocol);
        Assert.Contains("-Asn is not for a datacenter proxy", Assert.Single(wrong.Errors).Exception.Message);
        Assert.Equal(2, Received("POST", "/proxies").Count);
    }

    [Fact]
    public void IncludeTotalCount_writes_an_unknown_total_count_before_the_browsers()
    {
        Run("New-KernelBrowser -Name counted-1; New-KernelBrowser -Name counted-2").ThrowOnError();

        // The total-count object's text comes from a script method: it is read in the runspace.
        var result = Run("$all = @(Get-KernelBrowser -IncludeTotalCount); $all.Count; $all[0].ToString(); $all | Select-Object -Skip 1").ThrowOnError();

        Assert.Equal(3, result.Output[0].BaseObject);
        Assert.Equal("Unknown total count", result.Output[1].BaseObject);
        Assert.Equal(["counted-1", "counted-2"], result.Output.Skip(2).Select(o => ((KernelBrowser)o.BaseObject).Name).Order());
    }

    [Fact]
    public void Get_KernelProfile_Query_asks_the_API_for_profiles_containing_the_text_and_First_and_Skip_page_them()
    {
        Run("'shop-a', 'shop-b', 'shop-c', 'other' | New-KernelProfile | Out-Null").ThrowOnError();

        var found = Run("Get-KernelProfile -Query shop").ThrowOnError();
        var paged = Run("Get-KernelProfile -Query shop -Skip 1 -First 1").ThrowOnError();

        Assert.Equal(["shop-a", "shop-b", "shop-c"], found.Output.Select(o => ((KernelProfile)o.BaseObject).Name).Order());
        var all = found.Output.Select(o => ((KernelProfile)o.BaseObject).Name).ToList();
        Assert.Equal([all[1]], paged.Output.Select(o => ((KernelProfile)o.BaseObject).Name));
        var lists = Received("GET", "/profiles");
        Assert.Equal(2, lists.Count);
        Assert.All(lists, r => Assert.Contains("query=shop", r.Query));
    }

    [Fact]
    public void Profiles_are_renamed_and_removed_by_name()
    {
        Run("New-KernelProfile old-name").ThrowOnError();

        var renamed = Run("Rename-KernelProfile -Name old-name -NewName new-name -PassThru").ThrowOnError().Single<KernelProfile>();
        Run("Remove-KernelProfile -Name new-name -Force").ThrowOnError();

        Assert.Equal("new-name", renamed.Name);
        Assert.Empty(Run("Get-KernelProfile").ThrowOnError().Output);
    }

    [Fact]
    public void A_proxy_takes_only_the_settings_of_its_type()
    {
        var wrong = Run("New-KernelProxy datacenter -Zip 10115");
        var custom = Run("New-KernelProxy custom -Country DE");

        Assert.Contains("-Zip is not for a datacenter proxy", Assert.Single(wrong.Errors).Exception.Message);
        Assert.StartsWith("InvalidProxySettings,", custom.Errors.Single().FullyQualifiedErrorId);
    }

    [Fact]
    public void A_proxy_type_is_taken_in_any_case_as_PowerShell_takes_its_values()
    {
        var proxy = Run("New-KernelProxy Custom any-case -HostName proxy.example.com -Port 3128 -Verbose").ThrowOnError();

        var created = proxy.Single<KernelProxy>();
        Assert.Equal("custom", created.Type);
        Assert.Equal("proxy.example.com", created.HostName);
        Assert.Contains(proxy.Verbose, line => line.StartsWith("Created custom proxy 'any-case'", StringComparison.Ordinal));
    }

    [Fact]
    public void Test_KernelProxy_reports_the_check_and_Quiet_says_only_whether_it_is_available()
    {
        Run("New-KernelProxy isp flaky; New-KernelProxy isp steady").ThrowOnError();
        _shell.Run("param($emu) Set-KernelEmulatorOutcome -Emulator $emu -ProxyCheckStatus unavailable -ProxyName flaky", ("emu", _emulator.Emulator)).ThrowOnError();

        var other = Run("Test-KernelProxy -Name steady -Quiet").ThrowOnError().Single<bool>();
        var down = Run("Test-KernelProxy -Name flaky").ThrowOnError().Single<KernelProxy>();
        var up = Run("Get-KernelProxy -Name flaky | Test-KernelProxy -Quiet").ThrowOnError().Single<bool>();

        Assert.True(other); // the scripted outcome is for flaky only
        Assert.Equal("unavailable", down.Status);
        Assert.NotNull(down.LastChecked);
        Assert.True(up);
    }

    [Fact]
    public void Replays_start_stop_list_and_save_as_an_mp4()
    {
        using var folder = new TempFolder();
        var browser = Run("New-KernelBrowser -Name recorded").ThrowOnError().Single<KernelBrowser>();

        var started = Run("Get-KernelBrowser -Name recorded | Start-KernelBrowserReplay -Framerate 10").ThrowOnError().Single<KernelBrowserReplay>();
        var stopped = Run("Stop-KernelBrowserReplay -Browser recorded -PassThru").ThrowOnError().Single<KernelBrowserReplay>();
        var saved = _shell.Run("param($to) Get-KernelBrowserReplay recorded | Save-KernelBrowserReplay -Destination $to -PassThru", ("to", folder.Path)).ThrowOnError().Single<FileInfo>();

        Assert.Equal(browser.Id, started.BrowserId);
        Assert.Equal("recording", started.Status);
        Assert.Equal("finished", stopped.Status);
        Assert.Equal(Path.Combine(folder.Path, started.ReplayId + ".mp4"), saved.FullName);
        Assert.Equal("ftyp", System.Text.Encoding.ASCII.GetString(File.ReadAllBytes(saved.FullName), 4, 4));
        Assert.Equal([saved.Name], Directory.GetFiles(folder.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void Saving_over_a_file_needs_Force()
    {
        using var folder = new TempFolder();
        Run("New-KernelProfile saved | New-KernelBrowser -SaveProfileChanges | Remove-KernelBrowser -Force").ThrowOnError();
        var path = Path.Combine(folder.Path, "saved.tar");
        File.WriteAllText(path, "old");

        var refused = _shell.Run("param($to) Save-KernelProfile -Name saved -Destination $to -Format tar", ("to", path));
        var replaced = _shell.Run("param($to) Save-KernelProfile saved $to -Format tar -Force -PassThru", ("to", folder.Path)).ThrowOnError().Single<FileInfo>();

        Assert.StartsWith("DestinationExists,", Assert.Single(refused.Errors).FullyQualifiedErrorId);
        Assert.Equal(path, replaced.FullName);
        Assert.Equal("ustar", System.Text.Encoding.ASCII.GetString(File.ReadAllBytes(path), 257, 5));
    }

    [Fact]
    public void Tab_completes_browser_profile_and_proxy_names_and_ids_whose_tooltips_say_what_they_are()
    {
        var browser = Run("New-KernelBrowser -Name tabbed").ThrowOnError().Single<KernelBrowser>();
        var profile = Run("New-KernelProfile tab-profile").ThrowOnError().Single<KernelProfile>();
        Run("New-KernelProxy isp tab-proxy").ThrowOnError();

        var byName = Assert.Single(_shell.Completions("Get-KernelBrowser -Name tab"));
        var byId = Assert.Single(_shell.Completions("Remove-KernelBrowser -Id " + browser.Id[..4]));
        Assert.Equal(("tabbed", browser.Id), (byName.CompletionText, byId.CompletionText));
        Assert.Matches($"^{browser.Id}, active, created \\d{{4}}-\\d\\d-\\d\\d \\d\\d:\\d\\d$", byName.ToolTip);
        Assert.Matches("^tabbed, active, created ", byId.ToolTip);
        Assert.Equal("tab-profile, never saved", Assert.Single(_shell.Completions("Get-KernelProfile -Id " + profile.Id[..4])).ToolTip);
        Assert.Equal(["tab-profile"], _shell.Completions("New-KernelBrowser -Profile tab").Select(c => c.CompletionText));
        Assert.Equal(["tab-proxy"], _shell.Completions("New-KernelBrowser -Proxy tab").Select(c => c.CompletionText));
    }
}
