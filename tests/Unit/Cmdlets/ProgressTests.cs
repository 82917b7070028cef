using System.Management.Automation;
using Kernel.PowerShell.Tests.Support;

namespace Kernel.PowerShell.Tests.Cmdlets;

/// <summary>Progress a CI log can live with: few records, parent and child activities, always completed.</summary>
public sealed class ProgressTests : IClassFixture<EmulatorFixture>, IDisposable
{
    private readonly PowerShellSession _shell = new();
    private readonly TempFolder _app = new();

    public ProgressTests(EmulatorFixture emulator)
    {
        _shell.Connect(emulator.BaseUri, emulator.ApiKey);
        _app.With("main.py", "import kernel\napp = kernel.App(\"progress\")\n");
        var random = new Random(3);
        for (var i = 0; i < 40; i++)
        {
            var text = new char[256 * 1024];
            for (var j = 0; j < text.Length; j++)
            {
                text[j] = (char)('a' + random.Next(26));
            }

            _app.With($"data/file{i}.txt", new string(text));
        }
    }

    public void Dispose()
    {
        _shell.Dispose();
        _app.Dispose();
    }

    [Fact]
    public void Compress_upload_and_wait_report_as_children_of_one_activity_and_all_complete()
    {
        using var shell = _shell.Start("param($path) New-KernelDeployment -Path $path -EntrypointRelPath main.py -Wait", ("path", _app.Path));
        var clock = System.Diagnostics.Stopwatch.StartNew();
        shell.Invoke();
        var elapsed = clock.Elapsed;
        var records = shell.Streams.Progress.ToList();

        Assert.Empty(shell.Streams.Error);
        Assert.NotEmpty(records);
        var parents = records.Where(r => r.ParentActivityId < 0).Select(r => r.ActivityId).Distinct().ToList();
        var children = records.Where(r => r.ParentActivityId >= 0).ToList();
        Assert.All(children, r => Assert.Contains(r.ParentActivityId, parents));
        foreach (var activity in records.Select(r => r.ActivityId).Distinct())
        {
            Assert.Equal(ProgressRecordType.Completed, records.Last(r => r.ActivityId == activity).RecordType);
        }

        var updates = records.Count(r => r.RecordType == ProgressRecordType.Processing);
        Assert.True(updates <= 4 * Math.Ceiling(elapsed.TotalSeconds) + 4, $"{updates} updates in {elapsed}");
    }

    [Fact]
    public void Nothing_is_reported_when_progress_is_silenced()
    {
        using var shell = _shell.Start("param($path) $ProgressPreference = 'SilentlyContinue'; New-KernelDeployment -Path $path -EntrypointRelPath main.py -Wait", ("path", _app.Path));
        shell.Invoke();

        Assert.Empty(shell.Streams.Error);
        Assert.Empty(shell.Streams.Progress);
    }

    [Fact]
    public void Disconnect_honours_WhatIf()
    {
        var result = _shell.Run("Disconnect-Kernel -WhatIf; (Get-KernelSession).IsClosed").ThrowOnError();

        Assert.False(result.Single<bool>());
    }
}
