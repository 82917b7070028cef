using System.Management.Automation;
using Kernel.PowerShell.Tests.Support;

namespace Kernel.PowerShell.Tests.Cmdlets;

/// <summary>Progress a CI log can live with: few records, parent and child activities, always completed.</summary>
public sealed class ProgressTests : IClassFixture<EmulatorFixture>, IDisposable
{
    private readonly PowerShellSession _shell = new();
    private readonly TempFolder _app = new();
    private readonly EmulatorFixture _emulator;

    public ProgressTests(EmulatorFixture emulator)
    {
        _emulator = emulator;
        _shell.Connect(emulator.BaseUri, emulator.ApiKey);
        _app.With("main.py", "import kernel\napp = kernel.App(\"progress\")\n");
        // 24 MB that deflate cannot shrink: more than the network buffers between here and an emulator that is not reading.
        var random = new Random(3);
        for (var i = 0; i < 24; i++)
        {
            var bytes = new byte[1024 * 1024];
            random.NextBytes(bytes);
            Directory.CreateDirectory(Path.Combine(_app.Path, "data"));
            File.WriteAllBytes(Path.Combine(_app.Path, "data", $"file{i}.bin"), bytes);
        }
    }

    public void Dispose()
    {
        _shell.Dispose();
        _app.Dispose();
    }

    [Fact]
    public void Compress_upload_and_wait_report_under_one_parent_and_all_complete()
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
        Assert.Single(parents);
        Assert.All(children, r => Assert.Contains(r.ParentActivityId, parents));
        foreach (var activity in records.Select(r => r.ActivityId).Distinct())
        {
            Assert.Equal(ProgressRecordType.Completed, records.Last(r => r.ActivityId == activity).RecordType);
        }

        var updates = records.Count(r => r.RecordType == ProgressRecordType.Processing);
        Assert.True(updates <= 4 * Math.Ceiling(elapsed.TotalSeconds) + 4, $"{updates} updates in {elapsed}");
    }

    [Fact]
    public void A_step_of_known_size_is_a_child_with_its_percentage_and_the_parent_says_something_else()
    {
        // The emulator reads the upload only after 1.5 s: packing waits on the network, time for each record to go out.
        _shell.Run("param($emu) $emu | Add-KernelEmulatorFault -Path /deployments -Method POST -Kind Delay -Delay 1.5", ("emu", _emulator.Emulator)).ThrowOnError();
        using var shell = _shell.Start("param($path) New-KernelDeployment -Path $path -EntrypointRelPath main.py", ("path", _app.Path));
        shell.Invoke();
        var updates = shell.Streams.Progress.Where(r => r.RecordType == ProgressRecordType.Processing).ToList();

        Assert.Empty(shell.Streams.Error);
        var packing = updates.Where(r => r.Activity == "Packing").ToList();
        Assert.NotEmpty(packing);
        Assert.All(packing, r =>
        {
            Assert.InRange(r.PercentComplete, 0, 100);
            Assert.StartsWith($"{r.PercentComplete}% · ", r.StatusDescription, StringComparison.Ordinal);
        });
        var parentStatuses = updates.Where(r => r.ParentActivityId < 0).Select(r => r.StatusDescription).ToList();
        Assert.Contains(parentStatuses, s => s.StartsWith("Packing and uploading: ", StringComparison.Ordinal) && s.EndsWith(" sent", StringComparison.Ordinal));
        Assert.DoesNotContain(updates.Where(r => r.ParentActivityId >= 0), child => parentStatuses.Contains(child.StatusDescription));
    }

    [Fact]
    public void Waiting_is_the_parent_alone_whose_status_is_the_state_and_the_latest_log_line()
    {
        // A step of the build takes a second: time for the status the throttle held back to go out before the next.
        _shell.Run("param($emu) $emu | Set-KernelEmulator -StepDelay 1", ("emu", _emulator.Emulator)).ThrowOnError();
        List<ProgressRecord> records;
        KernelDeployment deployment;
        try
        {
            deployment = _shell.Run("param($path) New-KernelDeployment -Path $path -EntrypointRelPath main.py", ("path", _app.Path)).Single<KernelDeployment>();
            using var shell = _shell.Start("param($id) Wait-KernelDeployment -Id $id", ("id", deployment.Id));
            shell.Invoke();
            Assert.Empty(shell.Streams.Error);
            records = shell.Streams.Progress.ToList();
        }
        finally
        {
            _shell.Run("param($emu) $emu | Set-KernelEmulator -StepDelay 0.1", ("emu", _emulator.Emulator)).ThrowOnError();
        }

        Assert.All(records, r => Assert.True(r.ParentActivityId < 0, $"a child record: {r.Activity}"));
        Assert.Equal("Waiting for deployment " + deployment.Id, records[0].Activity);
        Assert.Contains(records, r => r.StatusDescription == "in_progress · Starting app 'progress' with 0 action(s)");
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
