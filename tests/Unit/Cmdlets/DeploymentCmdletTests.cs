using System.Management.Automation;
using Kernel.PowerShell.Tests.Support;

namespace Kernel.PowerShell.Tests.Cmdlets;

/// <summary>New-, Get- and Wait-KernelDeployment against the emulator over real HTTP.</summary>
public sealed class DeploymentCmdletTests : IClassFixture<EmulatorFixture>, IDisposable
{
    private readonly EmulatorFixture _emulator;
    private readonly PowerShellSession _shell = new();

    public DeploymentCmdletTests(EmulatorFixture emulator)
    {
        _emulator = emulator;
        _shell.Connect(emulator.BaseUri, emulator.ApiKey);
    }

    public void Dispose() => _shell.Dispose();

    [Fact]
    public void The_example_app_deploys_through_the_pipeline_to_running()
    {
        var result = _shell.Run(
            "param($path) New-KernelDeployment -Path $path -EntrypointRelPath main.py | Wait-KernelDeployment",
            ("path", RepositoryPaths.Example("page-title"))).ThrowOnError();

        var deployment = result.Single<KernelDeployment>();
        Assert.Equal("running", deployment.Status);
        Assert.Equal("main.py", deployment.EntrypointRelPath);
        Assert.Equal(64, deployment.SourceChecksum?.Length);
    }

    [Fact]
    public void Get_says_which_app_version_a_deployment_serves_from_one_listing_of_the_apps_per_call()
    {
        using var shell = new PowerShellSession();
        shell.ConnectInOwnProject(_emulator);
        using var broken = new TempFolder().With("main.py", "print('no app here')\n");
        var running = shell.Run("param($path) New-KernelDeployment -Path $path -EntrypointRelPath main.py -Version 2.0 -Wait", ("path", RepositoryPaths.Example("page-title"))).ThrowOnError().Single<KernelDeployment>();
        shell.Run("param($path) New-KernelDeployment -Path $path -EntrypointRelPath main.py -Wait -ErrorAction SilentlyContinue", ("path", broken.Path));
        shell.Run("param($emu) $emu | Clear-KernelEmulatorJournal", ("emu", _emulator.Emulator)).ThrowOnError();

        var listed = shell.Run("Get-KernelDeployment").ThrowOnError().Output.Select(o => (KernelDeployment)o.BaseObject).ToList();
        var byId = shell.Run("param($ids) Get-KernelDeployment -Id $ids", ("ids", listed.Select(d => d.Id).ToArray())).ThrowOnError().Output.Select(o => (KernelDeployment)o.BaseObject).ToList();
        var requests = shell.Run("param($emu) $emu | Get-KernelEmulatorJournal -Path /apps", ("emu", _emulator.Emulator)).ThrowOnError().Output;

        foreach (var deployments in new[] { listed, byId })
        {
            Assert.Equal(("page-title", "2.0"), (deployments.Single(d => d.Id == running.Id).AppName, deployments.Single(d => d.Id == running.Id).AppVersion));
            Assert.Null(deployments.Single(d => d.Status == "failed").App);
        }

        Assert.Equal(2, requests.Count);

        // Piped app versions say which deployment serves each: Get-KernelApp's own listing is the only one.
        var piped = shell.Run("param($emu) $emu | Clear-KernelEmulatorJournal; Get-KernelApp -Name page-title -Version 2.0 | Get-KernelDeployment; @($emu | Get-KernelEmulatorJournal -Path /apps).Count", ("emu", _emulator.Emulator)).ThrowOnError().Output;
        Assert.Equal("2.0", ((KernelDeployment)piped[0].BaseObject).AppVersion);
        Assert.Equal(1, piped[1].BaseObject);
    }

    [Fact]
    public void New_returns_the_created_deployment_before_it_runs()
    {
        var deployment = _shell.Run(
            "param($path) New-KernelDeployment -Path $path -EntrypointRelPath main.py",
            ("path", RepositoryPaths.Example("page-title"))).ThrowOnError().Single<KernelDeployment>();

        Assert.Equal("queued", deployment.Status);
        Assert.Equal("file", deployment.SourceType);
    }

    [Fact]
    public void Wait_writes_build_logs_and_the_summary_to_the_information_stream_only_for_the_host_to_show()
    {
        var result = _shell.Run(
            "param($path) New-KernelDeployment -Path $path -EntrypointRelPath main.py | Wait-KernelDeployment",
            ("path", RepositoryPaths.Example("page-title"))).ThrowOnError();

        Assert.Single(result.Output);
        var logs = result.Information.Where(i => i.Tags.Contains("KernelLog")).ToList();
        Assert.Contains("Building main.py", logs.Select(i => Assert.IsType<KernelLogEntry>(i.MessageData).Message));
        var summary = Assert.Single(result.Information, i => i.Tags.Contains("Kernel"));
        Assert.Matches(@"^App page-title latest deployed in \d+\.\d s; invoke with: Invoke-KernelAction page-title get-page-title$", (string)summary.MessageData);
        Assert.All(logs.Append(summary), i => Assert.Contains("PSHOST", i.Tags));
    }

    [Fact]
    public void New_with_Wait_says_what_it_sent_how_long_it_took_and_how_to_invoke_the_version()
    {
        var result = _shell.Run(
            "param($path) New-KernelDeployment -Path $path -EntrypointRelPath main.py -Version 2026.12.01-rc.1 -Wait",
            ("path", RepositoryPaths.Example("page-title"))).ThrowOnError();

        var summary = Assert.Single(result.Information, i => i.Tags.Contains("Kernel"));
        Assert.Matches(
            @"^App page-title 2026\.12\.01-rc\.1 deployed in \d+\.\d s \(5 files, \d+(\.\d)? KB\); invoke with: Invoke-KernelAction page-title get-page-title -Version 2026\.12\.01-rc\.1$",
            (string)summary.MessageData);
    }

    [Fact]
    public void InformationAction_SilentlyContinue_on_the_command_keeps_the_log_from_the_host_but_not_from_the_stream()
    {
        var result = _shell.Run(
            "param($path) New-KernelDeployment -Path $path -EntrypointRelPath main.py -Wait -InformationAction SilentlyContinue",
            ("path", RepositoryPaths.Example("page-title"))).ThrowOnError();

        Assert.Contains(result.Information, i => i.Tags.Contains("KernelLog"));
        Assert.All(result.Information, i => Assert.DoesNotContain("PSHOST", i.Tags));
    }

    [Fact]
    public void Env_var_names_are_sent_and_their_values_come_back_redacted()
    {
        var deployment = _shell.Run(
            "param($path) New-KernelDeployment -Path $path -EntrypointRelPath main.py -EnvVars @{ GREETING = 'hello'; API_TOKEN = 's3cr3t' }",
            ("path", RepositoryPaths.Example("page-title"))).ThrowOnError().Single<KernelDeployment>();

        Assert.Equal(["API_TOKEN", "GREETING"], deployment.EnvVars.Keys.Order());
        Assert.All(deployment.EnvVars.Values, v => Assert.Equal(string.Empty, v));
    }

    [Fact]
    public void CompressionLevel_reaches_the_uploaded_archive()
    {
        long ArchiveBytes(string level)
        {
            var result = _shell.Run(
                "param($path, $level) New-KernelDeployment -Path $path -EntrypointRelPath main.py -CompressionLevel $level -Force | Wait-KernelDeployment",
                ("path", RepositoryPaths.Example("page-title")), ("level", level)).ThrowOnError();
            var received = result.Information.Select(i => (i.MessageData as KernelLogEntry)?.Message).Single(m => m?.StartsWith("Received app archive", StringComparison.Ordinal) == true);
            return long.Parse(System.Text.RegularExpressions.Regex.Match(received!, @"(\d+) bytes").Groups[1].Value);
        }

        var optimal = ArchiveBytes("Optimal");
        var stored = ArchiveBytes("NoCompression");

        Assert.True(stored > optimal, $"NoCompression sent {stored} bytes, Optimal {optimal}");
    }

    [Fact]
    public void CompressionLevel_is_only_for_folders()
    {
        var result = _shell.Run("New-KernelDeployment -ArchivePath app.zip -EntrypointRelPath main.py -CompressionLevel Fastest");

        Assert.Equal("AmbiguousParameterSet,Kernel.PowerShell.Cmdlets.NewKernelDeploymentCommand", Assert.Single(result.Errors).FullyQualifiedErrorId);
    }

    [Fact]
    public void Get_Item_output_binds_to_LiteralPath()
    {
        var deployment = _shell.Run(
            "param($path) Get-Item -LiteralPath $path | New-KernelDeployment -EntrypointRelPath main.py",
            ("path", RepositoryPaths.Example("page-title"))).ThrowOnError().Single<KernelDeployment>();

        Assert.Equal("main.py", deployment.EntrypointRelPath);
    }

    [Fact]
    public void Get_returns_the_current_state_and_takes_deployments_from_the_pipeline()
    {
        var result = _shell.Run(
            "param($path) $d = New-KernelDeployment -Path $path -EntrypointRelPath main.py | Wait-KernelDeployment; $d | Get-KernelDeployment",
            ("path", RepositoryPaths.Example("page-title"))).ThrowOnError();

        Assert.Equal("running", result.Single<KernelDeployment>().Status);
    }

    [Fact]
    public void Get_of_an_unknown_id_is_a_not_found_error_naming_the_id()
    {
        var result = _shell.Run("Get-KernelDeployment -Id nosuchdeployment");

        var error = Assert.Single(result.Errors);
        Assert.StartsWith("ApiNotFound,", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
        Assert.Equal("nosuchdeployment", error.TargetObject);
    }

    [Fact]
    public void A_deployment_that_fails_gives_an_error_record_with_the_reason_and_the_deployment()
    {
        using var app = new TempFolder().With("main.py", "print('no app declared here')\n");

        var result = _shell.Run(
            "param($path) New-KernelDeployment -Path $path -EntrypointRelPath main.py | Wait-KernelDeployment",
            ("path", app.Path));

        Assert.Empty(result.Output);
        var error = Assert.Single(result.Errors);
        Assert.StartsWith("DeploymentFailed,", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidResult, error.CategoryInfo.Category);
        Assert.Contains("No Kernel app found in 'main.py'", error.Exception.Message);
        var deployment = Assert.IsType<KernelDeployment>(error.TargetObject);
        Assert.Equal("failed", deployment.Status);
        Assert.Contains(Environment.NewLine + "Last log lines:" + Environment.NewLine + "    ", error.ErrorDetails.Message);
        Assert.Contains(Environment.NewLine + "    error: No Kernel app found", error.ErrorDetails.Message);
        Assert.Equal($"Read its whole log: Get-KernelDeploymentLog -Id {deployment.Id}", error.ErrorDetails.RecommendedAction);
    }

    [Fact]
    public void Connect_with_a_wrong_key_fails_with_one_actionable_line()
    {
        using var other = new PowerShellSession();

        var result = other.Run("param($uri) Connect-Kernel -BaseUri $uri -ApiKey (ConvertTo-SecureString 'sk_wrong' -AsPlainText -Force)", ("uri", _emulator.BaseUri));

        var error = Assert.Single(result.Errors);
        Assert.StartsWith("VerifyFailed,", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.AuthenticationError, error.CategoryInfo.Category);
        Assert.Equal(
            $"Cannot connect to {_emulator.BaseUri}: it rejected the API key from the -ApiKey parameter (Kernel API error 401 (Unauthorized): unauthorized: Invalid or missing API key). Check the key, or pass -SkipVerify to connect without checking.",
            error.Exception.Message);
    }

    [Fact]
    public void A_wrong_key_gives_a_one_line_authentication_error()
    {
        using var other = new PowerShellSession();
        other.Run("param($uri) Connect-Kernel -BaseUri $uri -ApiKey (ConvertTo-SecureString 'sk_wrong' -AsPlainText -Force) -SkipVerify", ("uri", _emulator.BaseUri)).ThrowOnError();

        var result = other.Run("param($path) New-KernelDeployment -Path $path -EntrypointRelPath main.py", ("path", RepositoryPaths.Example("page-title")));

        var error = Assert.Single(result.Errors);
        Assert.StartsWith("ApiUnauthorized,", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.AuthenticationError, error.CategoryInfo.Category);
        Assert.Equal("Kernel API error 401 (Unauthorized): unauthorized: Invalid or missing API key", error.Exception.Message);
    }

    [Fact]
    public void The_api_key_never_appears_in_verbose_debug_or_error_output()
    {
        using var app = new TempFolder().With("main.py", "print('no app')\n");

        var result = _shell.Run(
            """
            param($example, $failing)
            $DebugPreference = 'Continue'
            New-KernelDeployment -Path $example -EntrypointRelPath main.py -EnvVars @{ SECRET = 'v4lue' } -Verbose -Debug | Wait-KernelDeployment -Verbose -Debug
            New-KernelDeployment -Path $failing -EntrypointRelPath main.py -Verbose -Debug | Wait-KernelDeployment -Verbose -Debug
            Get-KernelSession | Format-List * | Out-String
            """,
            ("example", RepositoryPaths.Example("page-title")),
            ("failing", app.Path));

        Assert.NotEmpty(result.Debug);
        Assert.Contains(result.Debug, d => d.Contains("Authorization: REDACTED"));
        Assert.DoesNotContain(_emulator.ApiKeyText, result.AllText);
        Assert.DoesNotContain("v4lue", result.AllText);
    }

    [Fact]
    public void Verbose_reports_what_was_packaged_and_what_was_left_out()
    {
        using var app = new TempFolder()
            .With(".gitignore", "node_modules/\n")
            .With("main.py", "import kernel\napp = kernel.App(\"verbose-app\")\n")
            .With("node_modules/pkg/index.js");

        var result = _shell.Run("param($path) New-KernelDeployment -Path $path -EntrypointRelPath main.py -Verbose", ("path", app.Path)).ThrowOnError();

        Assert.Contains(result.Verbose, v => v.Contains("node_modules/ ('node_modules/' in .gitignore)"));
        Assert.Contains(result.Verbose, v => v.StartsWith("Packed and sent 2 files"));
        Assert.Contains(result.Verbose, v => v.Contains("env_vars") == false && v.StartsWith("Uploading"));
    }
}
