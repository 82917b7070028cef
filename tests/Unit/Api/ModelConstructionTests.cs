using System.Collections;
using System.Management.Automation;
using System.Reflection;
using Kernel.PowerShell.Cmdlets;
using Kernel.PowerShell.Tests.Support;

namespace Kernel.PowerShell.Tests.Api;

/// <summary>
/// A Pester suite can build the module's own output types from a hashtable (the PowerShell idiom), so mocks return
/// real types and fakes pipe into real cmdlets; the objects stay read-only. The two live handles too: a session as
/// Connect-Kernel -SkipVerify -PassThru makes it, an emulator started elsewhere for the emulator cmdlets to steer.
/// </summary>
public sealed class ModelConstructionTests : IClassFixture<EmulatorFixture>, IDisposable
{
    private readonly PowerShellSession _shell = new();
    private readonly EmulatorFixture _emulator;

    public ModelConstructionTests(EmulatorFixture emulator) => _emulator = emulator;

    public void Dispose() => _shell.Dispose();

    // Types from elsewhere (FileInfo from the Save- cmdlets, bool from Test-KernelProxy -Quiet) build as they always do.
    public static TheoryData<Type> OutputTypes()
    {
        var types = typeof(KernelCmdlet).Assembly.GetTypes()
            .SelectMany(t => t.GetCustomAttributes<OutputTypeAttribute>())
            .SelectMany(a => a.Type)
            .Select(t => t.Type)
            .Where(t => t != null && t.Assembly == typeof(KernelCmdlet).Assembly)
            .Distinct()
            .OrderBy(t => t!.Name);
        var data = new TheoryData<Type>();
        foreach (var type in types)
        {
            data.Add(type!);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(OutputTypes))]
    public void Every_output_type_takes_a_hashtable_of_its_own_properties_and_stays_read_only(Type type)
    {
        var ctor = type.GetConstructor([typeof(IDictionary)]);
        Assert.NotNull(ctor);

        var stored = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => type.GetField($"<{p.Name}>k__BackingField", BindingFlags.NonPublic | BindingFlags.Instance) != null)
            .ToList();
        Assert.NotEmpty(stored);
        Assert.All(stored, p => Assert.Null(p.SetMethod));
        Assert.All(type.GetProperties(BindingFlags.Public | BindingFlags.Instance), p => Assert.True(p.SetMethod is null || !p.SetMethod.IsPublic, $"{type.Name}.{p.Name} has a public setter"));

        // The check below reads the constructor's message, which lists unknown keys only once every required one is
        // there: it must name a key that is surely unknown.
        var typo = Record.Exception(() => ctor!.Invoke([WithRequired(new Hashtable { ["NoSuchProperty"] = 1 })]));
        Assert.Contains("NoSuchProperty", UnknownKeys(typo));

        foreach (var property in stored)
        {
            // Each stored property is accepted by name (a key the constructor does not know is listed as unknown).
            var error = Record.Exception(() => ctor!.Invoke([WithRequired(new Hashtable { [property.Name] = null })]));
            Assert.DoesNotContain(property.Name, UnknownKeys(error));
        }
    }

    /// <summary>Every key some output type requires, with a value it takes (keys a type does not have are listed as unknown beside the probe).</summary>
    private static Hashtable WithRequired(Hashtable probe)
    {
        var required = new Hashtable
        {
            ["Id"] = "1", ["Name"] = "n", ["AppName"] = "a", ["ReplayId"] = "r", ["BrowserId"] = "b", ["Path"] = "/x", ["Method"] = "GET",
            ["BaseUri"] = "http://127.0.0.1:1/", ["ApiKey"] = new System.Net.NetworkCredential("", "sk_x").SecurePassword, ["Width"] = 1, ["Height"] = 1,
        };
        foreach (DictionaryEntry entry in probe)
        {
            required[entry.Key] = entry.Value;
        }

        return required;
    }

    private static string[] UnknownKeys(Exception? error)
    {
        var message = (error as TargetInvocationException)?.InnerException?.Message ?? string.Empty;
        var end = message.IndexOf(" is not a property", StringComparison.Ordinal) is var single and >= 0 ? single : message.IndexOf(" are not properties", StringComparison.Ordinal);
        return end < 0 ? [] : message[..end].Split(", ");
    }

    [Fact]
    public void A_hashtable_cast_builds_a_deployment_with_defaults_for_what_it_leaves_out()
    {
        var deployment = _shell.Run("[Kernel.PowerShell.KernelDeployment]@{ Id = 'dep1'; Status = 'running'; EnvVars = @{ TOKEN = 'x' } }")
            .ThrowOnError().Single<KernelDeployment>();

        Assert.Equal("dep1", deployment.Id);
        Assert.Equal("running", deployment.Status);
        Assert.Equal("aws.us-east-1a", deployment.Region);
        Assert.True(deployment.IsSettled);
        Assert.Equal("x", deployment.EnvVars["TOKEN"]);
        Assert.True(deployment.CreatedAt > DateTimeOffset.UtcNow.AddMinutes(-1));
    }

    [Fact]
    public void Nested_hashtables_become_the_module_types_they_stand_for()
    {
        var deployment = _shell.Run(
            """
            [Kernel.PowerShell.KernelDeployment]@{
                Id = 'dep1'; Status = 'running'
                App = @{ AppName = 'shop'; Version = '1.0.0'; DeploymentId = 'dep1'; Actions = 'buy', @{ Name = 'sell' } }
            }
            """).ThrowOnError().Single<KernelDeployment>();

        Assert.Equal("shop", deployment.AppName);
        Assert.Equal("1.0.0", deployment.AppVersion);
        Assert.Equal(["buy", "sell"], deployment.App!.Actions.Select(a => a.Name));
        Assert.All(deployment.App.Actions, a => Assert.Equal(("shop", "1.0.0"), (a.AppName, a.Version)));
    }

    [Fact]
    public void A_misspelt_property_is_an_error_that_lists_the_real_ones()
    {
        var result = _shell.Run("[Kernel.PowerShell.KernelInvocation]@{ Id = 'inv1'; Stauts = 'succeeded' }");

        var error = Assert.Single(result.Errors);
        Assert.Contains("Stauts is not a property a KernelInvocation can be given", error.ToString());
        Assert.Contains("Status", error.ToString());
    }

    [Fact]
    public void A_missing_required_property_is_named()
    {
        var result = _shell.Run("[Kernel.PowerShell.KernelApp]@{ Version = '1.0.0' }");

        Assert.Contains("A KernelApp needs AppName", Assert.Single(result.Errors).ToString());
    }

    [Fact]
    public void Values_convert_as_PowerShell_converts_them()
    {
        var invocation = _shell.Run("[Kernel.PowerShell.KernelInvocation]@{ Id = 'inv1'; Status = 'succeeded'; StartedAt = '2026-12-01T10:00:00Z'; Output = [pscustomobject]@{ title = 'Example' } }")
            .ThrowOnError().Single<KernelInvocation>();

        Assert.Equal(new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.Zero), invocation.StartedAt);
        Assert.True(invocation.IsFinished);
        Assert.Equal("Example", ((PSObject)invocation.Output!).Properties["title"].Value);
    }

    [Fact]
    public void A_built_object_cannot_be_changed_by_accident()
    {
        var result = _shell.Run("$d = [Kernel.PowerShell.KernelDeployment]@{ Id = 'dep1' }; $d.Status = 'running'; $d.Status");

        Assert.Single(result.Errors);
        Assert.Equal("queued", Assert.Single(result.Output).BaseObject);
    }

    [Fact]
    public void An_emulator_started_elsewhere_is_steered_through_a_hashtable_and_left_running_by_Stop()
    {
        var result = _shell.Run(
            """
            param($uri)
            $elsewhere = [Kernel.PowerShell.KernelEmulator]@{ BaseUri = $uri.AbsoluteUri.TrimEnd('/') }
            $elsewhere | Add-KernelEmulatorFault -Path /never-called -StatusCode 503
            ($elsewhere | Get-KernelEmulatorFault).Path
            $elsewhere | Clear-KernelEmulatorFault
            $elsewhere | Stop-KernelEmulator
            $elsewhere
            """,
            ("uri", _emulator.BaseUri));

        Assert.Empty(result.Errors);
        Assert.Equal("/never-called", result.Output[0].BaseObject);
        var elsewhere = Assert.IsType<KernelEmulator>(result.Output[1].BaseObject);
        Assert.Equal(_emulator.BaseUri, elsewhere.BaseUri);
        Assert.Null(elsewhere.ProcessId);
        Assert.False(elsewhere.HasExited);
        Assert.Contains("Left the emulator at " + _emulator.BaseUri + " running: Start-KernelEmulator did not start it", Assert.Single(result.Warnings));
        Assert.False(_emulator.Emulator.HasExited);
    }

    [Fact]
    public void A_hashtable_session_works_with_Session_as_Connect_Kernel_SkipVerify_PassThru_would_and_is_not_the_default()
    {
        var result = _shell.Run(
            """
            param($uri, $key)
            $session = [Kernel.PowerShell.KernelSession]@{ BaseUri = $uri; ApiKey = $key; ProjectId = 'proj-hashtable' }
            $session.IsVerified
            @(Get-KernelDeployment -Session $session -First 1).Count -le 1
            $session
            Get-KernelSession
            """,
            ("uri", _emulator.BaseUri), ("key", _emulator.ApiKey));

        Assert.Empty(result.Errors);
        Assert.Equal(false, result.Output[0].BaseObject);
        Assert.Equal(true, result.Output[1].BaseObject);
        var session = Assert.IsType<KernelSession>(result.Output[2].BaseObject);
        Assert.Equal((_emulator.BaseUri, "proj-hashtable", "hashtable", "hashtable", true), (session.BaseUri, session.ProjectId, session.ApiKeySource, session.ProjectSource, session.IsVerified));
        Assert.Equal(3, result.Output.Count);
    }

    [Theory]
    [InlineData("@{ BaseUri = 'http://127.0.0.1:1/'; ApiKey = 'sk_in_clear' }", "KernelSession.ApiKey takes a SecureString")]
    [InlineData("@{ BaseUri = 'http://kernel.example.com/'; ApiKey = (ConvertTo-SecureString k -AsPlainText -Force) }", "Refusing to send the API key in clear text")]
    [InlineData("@{ ApiKey = (ConvertTo-SecureString k -AsPlainText -Force); MaxRetries = 11 }", "MaxRetries goes from 0 to 10")]
    public void A_hashtable_session_is_checked_as_Connect_Kernel_checks_its_parameters(string hashtable, string error)
    {
        var result = _shell.Run($"[Kernel.PowerShell.KernelSession]{hashtable}");

        Assert.Contains(error, Assert.Single(result.Errors).ToString());
    }
}
