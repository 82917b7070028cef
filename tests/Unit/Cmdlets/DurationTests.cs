using Kernel.PowerShell.Tests.Support;

namespace Kernel.PowerShell.Tests.Cmdlets;

/// <summary>One duration syntax for every time span parameter: a TimeSpan, seconds, or text like -Since takes.</summary>
public sealed class DurationTests : IDisposable
{
    private readonly PowerShellSession _shell = new();

    public void Dispose() => _shell.Dispose();

    [Theory]
    [InlineData("'1m'", 60)]
    [InlineData("1m", 60)]
    [InlineData("90s", 90)]
    [InlineData("1h30m", 5400)]
    [InlineData("250ms", 0.25)]
    [InlineData("'90s'", 90)]
    [InlineData("'1h30m'", 5400)]
    [InlineData("'1.5h'", 5400)]
    [InlineData("'250ms'", 0.25)]
    [InlineData("90", 90)]
    [InlineData("'45'", 45)]
    [InlineData("'00:02:00'", 120)]
    [InlineData("([timespan]::FromMinutes(3))", 180)]
    public void Time_span_parameters_take_text_durations_seconds_and_TimeSpans(string value, double seconds)
    {
        var session = _shell.Run($"Connect-Kernel -ApiKey (ConvertTo-SecureString k -AsPlainText -Force) -BaseUri http://127.0.0.1:9/ -SkipVerify -PassThru -RequestTimeout {value} -IdleTimeout {value}")
            .ThrowOnError().Single<KernelSession>();

        Assert.Equal(TimeSpan.FromSeconds(seconds), session.RequestTimeout);
        Assert.Equal(TimeSpan.FromSeconds(seconds), session.IdleTimeout);
    }

    [Fact]
    public void Text_that_is_no_duration_is_refused_with_the_forms_that_are()
    {
        var error = Assert.Single(_shell.Run("Wait-KernelDeployment -Id d1 -Timeout 5x").Errors);

        Assert.Contains("'5x' is not a duration", error.Exception.Message);
        Assert.Contains("90s, 5m, 1h30m", error.Exception.Message);
    }

    [Fact]
    public void Timeout_without_Wait_is_not_checked_because_it_is_not_used()
    {
        using var counter = new ConnectionCounter();
        _shell.Run("param($uri) Connect-Kernel -BaseUri $uri -ApiKey (ConvertTo-SecureString k -AsPlainText -Force) -SkipVerify", ("uri", counter.BaseUri)).ThrowOnError();

        var result = _shell.Run("param($path) New-KernelDeployment -Path $path -EntrypointRelPath main.py -Timeout 0 -WhatIf", ("path", RepositoryPaths.Example("page-title")));

        Assert.Empty(result.Errors);
    }
}
