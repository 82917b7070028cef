using System.Text.Json;
using Kernel.PowerShell.Tests.Support;

namespace Kernel.PowerShell.Tests.Cmdlets;

/// <summary>The cmdlets that steer a running emulator: faults, scripted outcomes, the journal and its pace.</summary>
public sealed class EmulatorControlCmdletTests : IClassFixture<EmulatorFixture>, IDisposable
{
    private readonly EmulatorFixture _emulator;
    private readonly PowerShellSession _shell = new();

    public EmulatorControlCmdletTests(EmulatorFixture emulator)
    {
        _emulator = emulator;
        _shell.Connect(emulator.BaseUri, emulator.ApiKey);
    }

    public void Dispose()
    {
        Run("$emu | Clear-KernelEmulatorFault; $emu | Clear-KernelEmulatorOutcome; $emu | Set-KernelEmulator -StepDelay 0.1").ThrowOnError();
        _shell.Dispose();
    }

    private ScriptResult Run(string script) => _shell.Run("param($emu) " + script, ("emu", _emulator.Emulator));

    [Theory]
    [InlineData(KernelEmulatorFaultKind.Status)]
    [InlineData(KernelEmulatorFaultKind.Drop)]
    [InlineData(KernelEmulatorFaultKind.DropMidBody)]
    [InlineData(KernelEmulatorFaultKind.MalformedJson)]
    [InlineData(KernelEmulatorFaultKind.CutStream)]
    [InlineData(KernelEmulatorFaultKind.Delay)]
    [InlineData(KernelEmulatorFaultKind.DelayAnswer)]
    [InlineData(KernelEmulatorFaultKind.ErrorEvent)]
    public void Every_fault_kind_reaches_the_emulator_as_itself(KernelEmulatorFaultKind kind)
    {
        var fault = Run($"$emu | Add-KernelEmulatorFault -Path '/never/*' -Kind {kind} -Delay 0.01 -PassThru").ThrowOnError().Single<KernelEmulatorFault>();

        Assert.Equal(kind, fault.Kind);
        Assert.Equal("/never/*", fault.Path);
        Assert.NotEmpty(fault.Id);
        Assert.Equal(kind, Run("$emu | Get-KernelEmulatorFault").ThrowOnError().Single<KernelEmulatorFault>().Kind);
    }

    [Fact]
    public void A_status_fault_answers_with_its_status_code_and_retry_after_as_many_times_as_asked()
    {
        var fault = Run("$emu | Add-KernelEmulatorFault /apps -Method get -StatusCode 503 -Code overloaded -Message 'try later' -RetryAfter 1.2 -Times 3 -PassThru")
            .ThrowOnError().Single<KernelEmulatorFault>();

        Assert.Equal(("GET", 503, "overloaded", "try later", TimeSpan.FromSeconds(2), 3), (fault.Method?.ToUpperInvariant(), fault.StatusCode, fault.Code, fault.Message, fault.RetryAfter, fault.Times));

        var failed = Run("Get-KernelApp -ErrorAction SilentlyContinue -ErrorVariable failure; $failure[0].Exception.Message; (Get-KernelEmulatorFault -Emulator $emu).Count");
        Assert.Contains("Kernel API error 503 (ServiceUnavailable): overloaded: try later", failed.AllText);
        Assert.Empty(Run("$emu | Get-KernelEmulatorFault").ThrowOnError().Output);
    }

    [Fact]
    public void An_error_fault_carries_its_details_and_inner_error_to_the_client()
    {
        var fault = Run("$emu | Add-KernelEmulatorFault /apps -StatusCode 400 -Code bad_request -Message 'invalid filter' -Detail @{ code = 'invalid_input'; message = 'app_name is too long' } -InnerError @{ code = 'validation'; message = 'max 64' } -PassThru")
            .ThrowOnError().Single<KernelEmulatorFault>();

        Assert.Equal(["invalid_input: app_name is too long"], fault.Details);
        Assert.Equal("validation: max 64", fault.InnerError);
        var error = Assert.Single(Run("Get-KernelApp").Errors).ToString();
        Assert.Contains("app_name is too long", error);
        Assert.Contains("max 64", error);
    }

    [Fact]
    public void A_fault_for_every_request_stays_until_cleared()
    {
        Run("$emu | Add-KernelEmulatorFault /deployments -StatusCode 500 -Times 0").ThrowOnError();
        Run("Get-KernelDeployment -First 1 -ErrorAction SilentlyContinue");

        Assert.Equal(0, Run("$emu | Get-KernelEmulatorFault").ThrowOnError().Single<KernelEmulatorFault>().Times);

        Run("$emu | Clear-KernelEmulatorFault").ThrowOnError();
        Assert.Empty(Run("$emu | Get-KernelEmulatorFault").ThrowOnError().Output);
    }

    [Fact]
    public void WhatIf_changes_nothing_on_the_emulator()
    {
        Run("$emu | Add-KernelEmulatorFault /apps -WhatIf; Set-KernelEmulatorOutcome -Emulator $emu -DeploymentFailure nope -WhatIf; $emu | Set-KernelEmulator -StepDelay 5 -WhatIf").ThrowOnError();

        Assert.Empty(Run("$emu | Get-KernelEmulatorFault").ThrowOnError().Output);
        Assert.Equal(100, Settings().GetProperty("step_delay_ms").GetInt32());
    }

    [Fact]
    public void The_journal_is_typed_filtered_and_never_holds_the_key()
    {
        Run("$emu | Clear-KernelEmulatorJournal; Get-KernelApp; Get-KernelDeployment -First 2").ThrowOnError();

        var all = Run("$emu | Get-KernelEmulatorJournal").ThrowOnError().Output.Select(o => Assert.IsType<KernelEmulatorRequest>(o.BaseObject)).ToList();
        var deployments = Run("$emu | Get-KernelEmulatorJournal -Method get -Path '/DEPLOY*'").ThrowOnError().Single<KernelEmulatorRequest>();

        // Get-KernelDeployment lists the apps too, to say which one each deployment serves.
        Assert.Equal(["/apps", "/apps", "/deployments"], all.Select(r => r.Path));
        Assert.Equal("?limit=2&offset=0", deployments.Query);
        Assert.Equal(200, deployments.StatusCode);
        Assert.Equal("Bearer REDACTED", deployments.Headers["authorization"]);
        Assert.Matches("^[0-9a-f]{12}$", deployments.KeyFingerprint);
        Assert.DoesNotContain(_emulator.ApiKeyText, Run("$emu | Get-KernelEmulatorJournal | Format-List | Out-String").ThrowOnError().AllText);
    }

    [Fact]
    public void A_scripted_deployment_failure_ends_the_next_build_with_its_reason()
    {
        using var app = new TempFolder().With("main.py", "import kernel\napp = kernel.App(\"scripted\")\n");
        Run("$emu | Set-KernelEmulatorOutcome -DeploymentFailure 'out of disk' -AppName scripted").ThrowOnError();

        var result = _shell.Run("param($app) New-KernelDeployment -Path $app -EntrypointRelPath main.py -Wait", ("app", app.Path));

        Assert.Contains("out of disk", Assert.Single(result.Errors).ToString());
        Assert.Equal("running", _shell.Run("param($app) (New-KernelDeployment -Path $app -EntrypointRelPath main.py -Wait).Status", ("app", app.Path)).ThrowOnError().Output.Single().BaseObject);
    }

    [Fact]
    public void A_scripted_invocation_outcome_with_ActionName_ends_only_that_actions_invocations()
    {
        _shell.Run("param($path) New-KernelDeployment -Path $path -EntrypointRelPath main.py -Wait | Out-Null", ("path", RepositoryPaths.Example("page-title"))).ThrowOnError();
        Run("$emu | Set-KernelEmulatorOutcome -InvocationStatus failed -AppName page-title -ActionName get-page-title -Output @{ error = 'scripted failure' }").ThrowOnError();

        var other = _shell.Run("Invoke-KernelAction page-title health").ThrowOnError().Single<KernelInvocation>();
        var named = _shell.Run("Invoke-KernelAction page-title get-page-title -Payload @{ url = 'https://example.com' }");

        Assert.Equal("succeeded", other.Status);
        Assert.DoesNotContain("scripted failure", other.OutputJson ?? string.Empty);
        var failed = _shell.Run("Get-KernelInvocation -AppName page-title -ActionName get-page-title").ThrowOnError().Single<KernelInvocation>();
        Assert.Equal("failed", failed.Status);
        Assert.Contains("scripted failure", failed.OutputJson);
        Assert.Contains("scripted failure", named.AllText);
    }

    [Fact]
    public void A_scripted_invocation_output_that_is_not_JSON_is_refused_before_anything_is_sent()
    {
        var result = Run("$emu | Set-KernelEmulatorOutcome -InvocationStatus failed -Output 'not json'");

        var error = Assert.Single(result.Errors);
        Assert.Equal("InvalidPayload,Kernel.PowerShell.Cmdlets.SetKernelEmulatorOutcomeCommand", error.FullyQualifiedErrorId);
        Assert.StartsWith("-Output is a string but not JSON", error.Exception.Message);
    }

    [Fact]
    public void Set_KernelEmulator_changes_only_what_it_is_given()
    {
        var before = Settings().GetProperty("heartbeat_ms").GetInt32();

        Run("$emu | Set-KernelEmulator -StepDelay 0.25").ThrowOnError();

        Assert.Equal(250, Settings().GetProperty("step_delay_ms").GetInt32());
        Assert.Equal(before, Settings().GetProperty("heartbeat_ms").GetInt32());
    }

    [Fact]
    public void Set_KernelEmulator_HeartbeatInterval_changes_only_the_heartbeat_and_a_non_positive_one_is_refused()
    {
        var before = Settings();
        try
        {
            Run("$emu | Set-KernelEmulator -HeartbeatInterval 0.5").ThrowOnError();
            var half = Settings();
            Run("$emu | Set-KernelEmulator -HeartbeatInterval 00:00:02").ThrowOnError();
            var two = Settings();
            var refused = Run("$emu | Set-KernelEmulator -HeartbeatInterval 0");

            Assert.Equal(500, half.GetProperty("heartbeat_ms").GetInt32());
            Assert.Equal(before.GetProperty("step_delay_ms").GetInt32(), half.GetProperty("step_delay_ms").GetInt32());
            Assert.Equal(2000, two.GetProperty("heartbeat_ms").GetInt32());
            Assert.Single(refused.Errors);
            Assert.Equal(2000, Settings().GetProperty("heartbeat_ms").GetInt32());
        }
        finally
        {
            Run($"$emu | Set-KernelEmulator -HeartbeatInterval {before.GetProperty("heartbeat_ms").GetInt32() / 1000.0}").ThrowOnError();
        }
    }

    [Fact]
    public void Without_an_emulator_the_controls_say_how_to_get_one()
    {
        var result = _shell.Run("Get-KernelEmulatorJournal");

        var error = Assert.Single(result.Errors);
        Assert.Equal("NoEmulator,Kernel.PowerShell.Cmdlets.GetKernelEmulatorJournalCommand", error.FullyQualifiedErrorId);
        Assert.Contains("Start-KernelEmulator", error.ToString());
    }

    private JsonElement Settings()
    {
        using var http = new HttpClient();
        return JsonDocument.Parse(http.GetStringAsync(new Uri(_emulator.BaseUri, "_emulator/settings")).GetAwaiter().GetResult()).RootElement;
    }
}
