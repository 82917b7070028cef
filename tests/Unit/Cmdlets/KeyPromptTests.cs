using System.Management.Automation;
using System.Security;
using Kernel.PowerShell.Tests.Support;

namespace Kernel.PowerShell.Tests.Cmdlets;

/// <summary>
/// Connect-Kernel without a key asks for it through the host's secure prompt when someone can answer, and fails
/// with NoApiKey when not. (The tests clear KERNEL_API_KEY, so they share the process-environment collection.)
/// </summary>
[Collection(ProcessEnvironment.Collection)]
public sealed class KeyPromptTests(EmulatorFixture emulator) : IClassFixture<EmulatorFixture>
{
    [Fact]
    public void An_interactive_host_is_asked_for_the_key_as_a_secure_string_and_the_session_uses_it()
    {
        var host = new AnsweringHost(emulator.ApiKey);
        using var shell = new PowerShellSession(host);

        var session = shell.Run("param($uri) $env:KERNEL_API_KEY = $null; Connect-Kernel -BaseUri $uri -PassThru", ("uri", emulator.BaseUri)).ThrowOnError().Single<KernelSession>();

        var (caption, message, fields) = Assert.Single(host.Prompts);
        Assert.Equal("Connect-Kernel", caption);
        Assert.Contains("No API key was given (-ApiKey, -Credential or KERNEL_API_KEY)", message);
        Assert.Equal(typeof(SecureString).FullName, Assert.Single(fields).ParameterTypeFullName);
        Assert.Equal("prompt", session.ApiKeySource);
        Assert.True(session.IsVerified);
    }

    [Fact]
    public void A_host_that_cannot_ask_gets_the_NoApiKey_error_as_before()
    {
        var host = new AnsweringHost(null);
        using var shell = new PowerShellSession(host);

        var error = Assert.Single(shell.Run("$env:KERNEL_API_KEY = $null; Connect-Kernel").Errors);

        Assert.Single(host.Prompts);
        Assert.StartsWith("NoApiKey,", error.FullyQualifiedErrorId);
        Assert.Equal("No API key: pass -ApiKey or -Credential, or set KERNEL_API_KEY (this host cannot ask for it).", error.Exception.Message);
    }

    [Fact]
    public void A_key_from_a_parameter_or_the_environment_is_never_asked_for()
    {
        var host = new AnsweringHost(emulator.ApiKey);
        using var shell = new PowerShellSession(host);

        shell.Run("param($uri, $key) Connect-Kernel -BaseUri $uri -ApiKey $key", ("uri", emulator.BaseUri), ("key", emulator.ApiKey)).ThrowOnError();

        Assert.Empty(host.Prompts);
    }
}
