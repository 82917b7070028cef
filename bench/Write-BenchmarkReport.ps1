# Turns the measurements of Invoke-Benchmark.ps1 into bench/results.md. Dot-sourced by Invoke-Benchmark.ps1.
Set-StrictMode -Version Latest

function New-BenchmarkReport {
    param(
        [Parameter(Mandatory)] $Results,
        [Parameter(Mandatory)] $Methods,
        [Parameter(Mandatory)] [string] $ModuleDll,
        [Parameter(Mandatory)] [string] $ModuleManifest,
        [Parameter(Mandatory)] [string] $RepoRoot,
        [Parameter(Mandatory)] [DateTimeOffset] $StartedAt,
        [Parameter(Mandatory)] [double] $TotalSeconds,
        [string] $LoadBefore,
        [string] $LoadAfter,
        [string] $CommandLine
    )

    $inv = [Globalization.CultureInfo]::InvariantCulture
    function F([string] $Format, [object[]] $Values) { [string]::Format($inv, $Format, $Values) }
    function Sec($s) { if ($null -eq $s -or [double]::IsNaN($s)) { 'n/a' } elseif ($s -lt 10) { F '{0:0.000}' $s } else { F '{0:0.00}' $s } }
    function Ms($s) { F '{0:0.0}' ($s * 1000) }
    function MB($b) { if ($null -eq $b) { 'n/a' } elseif ([math]::Abs($b) -lt 10e6) { F '{0:n2}' ($b / 1e6) } else { F '{0:n1}' ($b / 1e6) } }
    function MiB($b) { if ($null -eq $b) { 'n/a' } else { F '{0:n1}' ($b / 1MB) } }
    function Ratio($x) { if ($null -eq $x -or [double]::IsNaN($x)) { 'n/a' } else { F '{0:0.00}' $x } }
    function Verdict([bool] $ok) { if ($ok) { 'met' } else { '**not met**' } }
    function Tool([string] $command, [string[]] $arguments) {
        try { ((& $command @arguments 2>&1) | Select-Object -First 1).ToString().Trim() } catch { 'unknown' }
    }
    function Median($values) { Get-Median ([double[]]@($values)) }

    # ---------------------------------------------------------------- machine
    $osRelease = Get-Content /etc/os-release -ErrorAction Ignore | Where-Object { $_ -like 'PRETTY_NAME=*' } | Select-Object -First 1
    $os = if ($osRelease) { $osRelease.Substring(12).Trim('"') } else { [Runtime.InteropServices.RuntimeInformation]::OSDescription }
    $kernel = Tool uname @('-r')
    $cpu = (Get-Content /proc/cpuinfo -ErrorAction Ignore | Where-Object { $_ -like 'model name*' } | Select-Object -First 1) -replace '^model name\s*:\s*', ''
    $memKb = [long]((Get-Content /proc/meminfo | Where-Object { $_ -like 'MemTotal:*' }) -replace '[^0-9]', '')
    $nproc = Tool nproc @()
    $sdk = Tool dotnet @('--version')
    $runtime = [Runtime.InteropServices.RuntimeInformation]::FrameworkDescription
    $zipVersion = ((& zip -v 2>&1) | Where-Object { $_ -match 'This is Zip' } | Select-Object -First 1) -replace '^.*This is (Zip [0-9.]+).*$', '$1'
    $curlVersion = ((Tool curl @('--version')) -split ' ')[0..1] -join ' '
    $tarVersion = Tool tar @('--version')
    $archiveModule = Get-Module Microsoft.PowerShell.Archive | Select-Object -First 1
    $manifest = Import-PowerShellDataFile -LiteralPath $ModuleManifest
    $dllHash = (Get-FileHash -Algorithm SHA256 -LiteralPath $ModuleDll).Hash.Substring(0, 16).ToLowerInvariant()
    $commit = (& git -C $RepoRoot rev-parse --short HEAD 2>$null)
    $dirty = @(& git -C $RepoRoot status --porcelain -- src 2>$null).Count
    $elapsed = [TimeSpan]::FromSeconds($TotalSeconds)

    $md = [Text.StringBuilder]::new()
    function Line([string] $text = '') { [void]$md.AppendLine($text) }

    Line '# Benchmark results'
    Line
    Line "Written by ``$CommandLine`` on $($StartedAt.ToString('yyyy-MM-dd HH:mm', $inv)) UTC; the whole run took $([math]::Floor($elapsed.TotalMinutes)) min $($elapsed.Seconds) s. What is measured and how: [README.md](README.md)."
    Line
    Line '| Machine | |'
    Line '|---|---|'
    Line "| Cores (``nproc``) | $nproc |"
    Line "| CPU | $cpu |"
    Line "| Memory | $(F '{0:0.0}' ($memKb / 1MB)) GiB |"
    Line "| OS | $os, Linux $kernel |"
    Line "| .NET | SDK $sdk, runtime $runtime |"
    Line "| PowerShell | $($PSVersionTable.PSVersion) |"
    Line "| Peers | $zipVersion, $curlVersion, $tarVersion, Microsoft.PowerShell.Archive $(if ($archiveModule) { $archiveModule.Version } else { '?' }) |"
    Line "| Module under test | Kernel $($manifest.ModuleVersion), Kernel.PowerShell.dll SHA-256 ``$dllHash…``, repository at ``$commit`` with $dirty uncommitted change(s) under src/ |"
    Line "| Load average (1/5/15 min), start → end | $(($LoadBefore -split ' ')[0..2] -join ' ') → $(($LoadAfter -split ' ')[0..2] -join ' ') |"
    Line
    $cpu = $Results.Cpu
    $capacity = $cpu.WallSeconds * [int]$nproc
    $others = [math]::Max(0, $cpu.BusySeconds - $cpu.BenchmarkSeconds)
    Line "CPU during the run: $(F '{0:0}' $cpu.BusySeconds) CPU-seconds busy of $(F '{0:0}' $capacity) available ($nproc cores × $(F '{0:0}' $cpu.WallSeconds) s); the benchmark's own processes (this pwsh, its children, the emulator) used $(F '{0:0}' $cpu.BenchmarkSeconds), other processes about $(F '{0:0}' $others) ($(F '{0:0}' (100 * $others / $capacity)) % of the machine)."
    Line
    if ($others -gt 0.05 * $capacity) {
        Line "**Caution:** other processes took about $(F '{0:0}' (100 * $others / $capacity)) % of the CPU while this ran, so these figures are slower and noisier than on an idle machine."
        Line
    }
    Line 'Times are wall-clock seconds (Stopwatch around the whole operation), MB = 10^6 bytes, MiB = 2^20 bytes. "ours ÷ X" below 1.00 means ours took less time than X; "X ÷ ours" is how many times longer X took.'
    Line

    # ---------------------------------------------------------------- per-case numbers
    $caseFacts = @{}
    foreach ($case in $Results.Cases.Keys) {
        $r = $Results.Cases[$case]
        $stats = @{}
        foreach ($key in $Methods.Keys) { $stats[$key] = Get-Stats ([double[]]@($r.Runs[$key] | ForEach-Object Seconds)) }
        $archive = @{}
        $files = @{}
        foreach ($key in 'ours', 'ca+irm', 'zip+curl', 'fastest') {
            $archive[$key] = @($r.Runs[$key] | ForEach-Object ArchiveBytes | Select-Object -Unique)
            $files[$key] = @($r.Runs[$key] | ForEach-Object ArchiveFiles | Select-Object -Unique)
        }
        $caseFacts[$case] = @{ Stats = $stats; Archive = $archive; Files = $files }
    }

    function Fact($case, $key) { if ($caseFacts.ContainsKey($case)) { $caseFacts[$case].Stats[$key].Median } else { $null } }

    # ---------------------------------------------------------------- floors
    # Each stage alone on one thread (PipelineStages.cs), and what they set as the least time on these cores:
    # all the CPU divided by the cores, or the longest chain that cannot be split (the writer hashes and sends
    # every byte of the archive; the emulator receives it on one connection), whichever is longer.
    $floors = @{}
    foreach ($case in $Results.Cases.Keys) {
        $f = $Results.Cases[$case].Stages
        if (-not $f) { continue }
        $t = $f.Stages
        $emulatorReceive = Median (@($Results.Cases[$case].Runs.ours) | ForEach-Object EmulatorCpuSeconds)
        $send = [math]::Max(0.0, $f.UploadClientCpu - $f.ZipReadSeconds - $f.ZipHashSeconds) * $t.PackedBytes / [math]::Max(1, $f.ZipBytes)
        $total = $t.WalkSeconds + $t.ReadSeconds + $t.CrcSeconds + $t.DeflateSeconds + $t.HashSeconds + $send + $emulatorReceive
        $chains = [ordered]@{ 'all CPU ÷ cores' = $total / [int]$nproc; 'hashing and sending (the writer)' = $t.HashSeconds + $send; 'receiving (the emulator)' = $emulatorReceive }
        $bound = $chains.GetEnumerator() | Sort-Object Value -Descending | Select-Object -First 1
        $floors[$case] = [pscustomobject]@{ Stages = $t; Send = $send; Emulator = $emulatorReceive; Total = $total; Floor = $bound.Value; BoundBy = $bound.Key; Figures = $f }
    }

    # ---------------------------------------------------------------- targets
    $targets = [Collections.Generic.List[object]]::new()
    function Target($name, $measured, $ok) { $targets.Add([pscustomobject]@{ Name = $name; Measured = $measured; Verdict = if ($null -eq $ok) { 'not measured' } else { Verdict $ok } }) }
    # What bounds a target, and figures a user should see beside them: context, not a verdict.
    function Context($name, $measured) { $targets.Add([pscustomobject]@{ Name = $name; Measured = $measured; Verdict = 'context' }) }
    function ArchiveBytes($case, $key, [switch] $Smallest) {
        $sizes = $caseFacts[$case].Archive[$key] | Measure-Object -Minimum -Maximum
        if ($Smallest) { $sizes.Minimum } else { $sizes.Maximum }
    }
    function Faster($case, $peer, [double] $times) {
        $o = Fact $case 'ours'; $p = Fact $case $peer
        if (-not $o) { Target "${case}: ours ≥ $times× faster than Compress-Archive + Invoke-RestMethod" "$case not run" $null; return }
        $bound = if ($floors.ContainsKey($case)) { "; the floor the measured stages set ($(Sec $floors[$case].Floor) s on $nproc cores) allows at most $(F '{0:0.0}' ($p / $floors[$case].Floor))× on this machine" } else { '' }
        Target "${case}: ours ≥ $times× faster than Compress-Archive + Invoke-RestMethod" "$(F '{0:0.0}' ($p / $o))× faster ($(Sec $o) s vs $(Sec $p) s)$bound" (($p / $o) -ge $times)
    }
    function ShareOf($case, $peer, [double] $ratio, $label) {
        $o = Fact $case 'ours'; $p = Fact $case $peer
        if (-not $o) { Target "${case}: ours ≤ $ratio× the wall time of $label" "$case not run" $null; return }
        Target "${case}: ours ≤ $ratio× the wall time of $label" "$(Ratio ($o / $p))× ($(Sec $o) s vs $(Sec $p) s)" (($o / $p) -le $ratio)
    }
    function ArchiveVs($case, $peer, [double] $percent, $label) {
        if (-not $caseFacts.ContainsKey($case)) { Target "${case}: archive ≤ $percent % larger than $label" "$case not run" $null; return }
        $ours = ArchiveBytes $case 'ours'; $theirs = ArchiveBytes $case $peer -Smallest
        $delta = $ours / $theirs - 1
        Target "${case}: archive ≤ $percent % larger than $label" "$(F '{0:+0.00;-0.00}' ($delta * 100)) % ($(MB $ours) MB vs $(MB $theirs) MB)" ($delta -le $percent / 100)
    }

    $os_ = Fact 'small' 'ours'
    if ($os_) { Target 'small: New-KernelDeployment end to end (warm) < 150 ms' "$(Ms $os_) ms median (max $(Ms $caseFacts.small.Stats.ours.Max) ms)" ($os_ -lt 0.150) }
    else { Target 'small: New-KernelDeployment end to end (warm) < 150 ms' 'small not run' $null }

    Faster 'medium' 'ca+irm' 10
    ShareOf 'medium' 'zip+curl' 0.7 'zip + curl'
    ArchiveVs 'medium' 'zip+curl' 5 'zip''s (default level)'

    ShareOf 'large' 'zip+curl' 0.25 'zip + curl (a few hundred MB that does not compress)'
    ArchiveVs 'large' 'ca+irm' 1 'a deflate-everything archive of the same files (Compress-Archive''s: every file deflated at Optimal, the same zlib)'
    if ($Results.Cases.Contains('large') -and $Results.Cases.large.Memory) {
        $m = $Results.Cases.large.Memory
        $growth = $m.PeakHwmBytes - $m.IdleHwmBytes
        Target 'large: peak RSS growth < 100 MB over an idle session' "$(MB $growth) MB ($(MiB $growth) MiB): peak $(MiB $m.PeakHwmBytes) MiB, idle $(MiB $m.IdleHwmBytes) MiB" ($growth -lt 100e6)
    }
    else { Target 'large: peak RSS growth < 100 MB over an idle session' 'large not run' $null }

    Faster 'node_modules' 'ca+irm' 10
    ShareOf 'node_modules' 'zip+curl' 0.45 'zip + curl'
    ArchiveVs 'node_modules' 'zip+curl' 5 'zip''s (default level)'

    foreach ($case in $Results.Cases.Keys) {
        $fl = $floors[$case]; $o = Fact $case 'ours'
        if (-not $fl -or -not $o) { continue }
        $verdict = ($o / $fl.Floor) -le 1.5
        $name = "${case}: ours within 1.5× of the floor the measured stages set on $nproc cores"
        if ($case -eq 'small') { Context $name "$(Ratio ($o / $fl.Floor))× ($(Sec $o) s vs a floor of $(Sec $fl.Floor) s, $($fl.BoundBy)); a 50-file app is mostly fixed costs (the request, the answer) that no stage counts" }
        else { Target $name "$(Ratio ($o / $fl.Floor))× ($(Sec $o) s vs a floor of $(Sec $fl.Floor) s, set by $($fl.BoundBy))" $verdict }
    }

    $imp = $Results.Import
    $importCost = $imp.WithImport.Median - $imp.Bare.Median
    $referenceCost = $imp.Reference.Median - $imp.Bare.Median
    $referenceFormatCost = $imp.ReferenceWithFormat.Median - $imp.Bare.Median
    $importCpu = $imp.WithImportCpu.Median - $imp.BareCpu.Median
    $referenceFormatCpu = $imp.ReferenceWithFormatCpu.Median - $imp.BareCpu.Median
    Target 'Import-Module: what importing Kernel adds to a cold pwsh ≤ 1.25× what the smallest binary module with a one-view format file adds (interleaved, medians)' "$(Ratio ($importCost / $referenceFormatCost))× ($(Ms $importCost) ms vs $(Ms $referenceFormatCost) ms of wall time; in CPU time $(Ratio ($importCpu / $referenceFormatCpu))×: $(Ms $importCpu) vs $(Ms $referenceFormatCpu) ms)" (($importCost / $referenceFormatCost) -le 1.25)
    $shapeCost = $imp.ShapedLikeOurs.Median - $imp.Bare.Median
    $afterCost = $imp.ShapedAfterBrowsers.Median - $imp.Bare.Median
    $projected = $importCost + ($afterCost - $shapeCost)
    Context 'Import-Module: the module''s own share, and as the browsers cmdlets land' "ours adds $(Ms ($importCost - $referenceFormatCost)) ms over the reference with a one-view format file, for $($imp.Cmdlets) cmdlets and $($imp.Views) views; a generated module of the same shape adds $(Ms ($shapeCost - $referenceFormatCost)) ms over it (so ours' own share beyond its cmdlets and views is $(Ms ($importCost - $shapeCost)) ms), and one with $($imp.Cmdlets + 20) cmdlets and $($imp.Views + 10) views $(Ms ($afterCost - $shapeCost)) ms more: with the browsers cmdlets ours would add about $(Ms $projected) ms, $(Ratio ($projected / $referenceFormatCost))× the reference"
    $wait = $Results.Wait.AfterEvent
    Target 'Wait-KernelDeployment returns < 50 ms after the terminal event' "$(Ms $wait.Median) ms median (min $(Ms $wait.Min), max $(Ms $wait.Max) ms, $($wait.Count) runs)" ($wait.Median -lt 0.050)
    if ($Results.Contains('Parallel')) {
        foreach ($case in $Results.Parallel.Keys) {
            $p = $Results.Parallel[$case]
            Context "${case}: $($p.Count) deployments at once (ForEach-Object -Parallel, two sessions) against one after another" "$(F '{0:0.00}' ($p.SequentialSeconds / $p.ParallelSeconds))× the throughput ($(Sec $p.ParallelSeconds) s vs $(Sec $p.SequentialSeconds) s; $(F '{0:0.0}' ($p.Count / $p.ParallelSeconds)) vs $(F '{0:0.0}' ($p.Count / $p.SequentialSeconds)) deployments/s); peak RSS $(MB ($p.ParallelHwmBytes - $p.IdleHwmBytes)) MB over idle, against $(MB ($p.SequentialHwmBytes - $p.IdleHwmBytes)) MB one after another"
        }
    }

    Line '## Targets'
    Line
    Line 'Figures, not timed tests: each is the median of this run unless stated.'
    Line
    Line '| Target | Measured | Verdict |'
    Line '|---|---|---|'
    foreach ($t in $targets) { Line "| $($t.Name) | $($t.Measured) | $($t.Verdict) |" }
    Line

    # ---------------------------------------------------------------- tables
    foreach ($case in $Results.Cases.Keys) {
        $r = $Results.Cases[$case]
        $facts = $caseFacts[$case]
        $ours = $facts.Stats.ours.Median
        Line "## $case — $(F '{0:n0}' $r.App.UploadFiles) files, $(MB $r.App.UploadBytes) MB uploaded (folder: $(F '{0:n0}' $r.App.Files) files, $(MB $r.App.Bytes) MB)"
        Line
        Line '| Method | Median s | Min s | Max s | Runs | ours ÷ method | method ÷ ours | Archive MB | Files in archive | Client CPU s | Emulator CPU s |'
        Line '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|'
        foreach ($key in $Methods.Keys) {
            $s = $facts.Stats[$key]
            $size = switch ($key) {
                'tar' { "$(MB (@($r.Runs.tar)[0].TarBytes)) (tar stream)" }
                default { ($facts.Archive[$key] | ForEach-Object { MB $_ }) -join ' / ' }
            }
            $count = if ($key -eq 'tar') { '' } else { ($facts.Files[$key] | ForEach-Object { F '{0:n0}' $_ }) -join ' / ' }
            $label = if ($key -eq 'ours') { "**$($Methods[$key].Label)**" } else { $Methods[$key].Label }
            $clientCpu = F '{0:0.00}' (Median ($r.Runs[$key] | ForEach-Object ClientCpuSeconds))
            $emulatorCpu = F '{0:0.00}' (Median ($r.Runs[$key] | ForEach-Object EmulatorCpuSeconds))
            Line "| $label | $(Sec $s.Median) | $(Sec $s.Min) | $(Sec $s.Max) | $($s.Count) | $(Ratio ($ours / $s.Median)) | $(Ratio ($s.Median / $ours)) | $size | $count | $clientCpu | $emulatorCpu |"
        }
        Line
        if ($floors.ContainsKey($case)) {
            $fl = $floors[$case]; $t = $fl.Stages
            function Rate($bytes, $seconds) { if ($seconds -le 0) { 'n/a' } elseif ($bytes / $seconds -ge 1e9) { "$(F '{0:0.0}' ($bytes / $seconds / 1e9)) GB/s" } else { "$(F '{0:0}' ($bytes / $seconds / 1e6)) MB/s" } }
            Line "Each stage alone, on one thread, with the module's own code (CPU seconds; bench/PipelineStages.cs), and the floor they set on $nproc cores:"
            Line
            Line '| Stage | CPU s | Rate | What |'
            Line '|---|---:|---:|---|'
            Line "| walk | $(Sec $t.WalkSeconds) | $(F '{0:n0}' ($t.Files / [math]::Max($t.WalkSeconds, 1e-6))) files/s | the walk and ignore rules, $(F '{0:n0}' $t.Files) files (all cores; its CPU time) |"
            Line "| read | $(Sec $t.ReadSeconds) | $(Rate $t.Bytes $t.ReadSeconds) | every file, in pieces of up to 4 MiB, from the page cache |"
            Line "| CRC-32 | $(Sec $t.CrcSeconds) | $(Rate $t.Bytes $t.CrcSeconds) | $(if ($t.NativeCrc) { "the runtime's zlib" } else { 'the slicing-by-8 table' }) |"
            Line "| deflate | $(Sec $t.DeflateSeconds) | $(Rate $t.DeflatedBytes $t.DeflateSeconds) | $(F '{0:n0}' $t.DeflatedFiles) files ($(MB $t.DeflatedBytes) MB) deflated at Optimal; $(MB $t.StoredBytes) MB stored (known formats, and files whose first, middle and last 64 KiB do not shrink, judged on the way) |"
            Line "| SHA-256 (client) | $(Sec $t.HashSeconds) | $(Rate $t.PackedBytes $t.HashSeconds) | the $(MB $t.PackedBytes) MB of entry data |"
            Line "| send (client) | $(Sec $fl.Send) | $(Rate $t.PackedBytes $fl.Send) | New-KernelDeployment -ArchivePath with zip's archive, less reading and hashing it ($(Sec $fl.Figures.UploadClientCpu) − $(Sec $fl.Figures.ZipReadSeconds) − $(Sec $fl.Figures.ZipHashSeconds) CPU-s for $(MB $fl.Figures.ZipBytes) MB), scaled to ours' size |"
            Line "| receive (emulator) | $(Sec $fl.Emulator) | $(Rate $t.PackedBytes $fl.Emulator) | the emulator's CPU for ours' upload (median of the runs above): multipart, SHA-256, $(if ($t.PackedBytes -gt 32e6) { 'a temporary file' } else { 'memory' }), the ZIP's central directory |"
            Line "| **all** | **$(Sec $fl.Total)** | | on $nproc cores: $(Sec ($fl.Total / [int]$nproc)) s; the writer's chain (hash + send) $(Sec ($t.HashSeconds + $fl.Send)) s; the emulator's $(Sec $fl.Emulator) s |"
            Line
            Line "Floor: $(Sec $fl.Floor) s ($($fl.BoundBy)). Ours took $(Sec $ours) s, $(Ratio ($ours / $fl.Floor))× the floor; its own client CPU was $(F '{0:0.00}' (Median ($r.Runs.ours | ForEach-Object ClientCpuSeconds))) s against $(Sec ($fl.Total - $fl.Emulator)) s for the client's stages alone (the rest: threads handing work over, the collector, HTTP)."
            Line
        }
        $ca = @($r.Runs.'ca+irm'); $zc = @($r.Runs.'zip+curl')
        Line ("Parts (medians): Compress-Archive $(Sec (Median ($ca | ForEach-Object { $_.Parts.compress }))) s + Invoke-RestMethod $(Sec (Median ($ca | ForEach-Object { $_.Parts.upload }))) s; " +
            "zip $(Sec (Median ($zc | ForEach-Object { $_.Parts.zip }))) s + curl $(Sec (Median ($zc | ForEach-Object { $_.Parts.upload }))) s. " +
            "Ours' walk and ignore rules alone (New-KernelDeployment -WhatIf, median of $(@($r.WhatIfSeconds).Count)): $(Sec (Median $r.WhatIfSeconds)) s. " +
            "Ours' upload path alone (New-KernelDeployment -ArchivePath with zip's archive, median of $(@($r.UploadOnlySeconds).Count)): $(Sec (Median $r.UploadOnlySeconds)) s, against curl's $(Sec (Median ($zc | ForEach-Object { $_.Parts.upload }))) s for the same file.")
        $expected = $r.App.UploadFiles
        foreach ($key in 'ours', 'ca+irm', 'zip+curl') {
            foreach ($count in $facts.Files[$key]) {
                if ($count -ne $expected) {
                    $why = if ($key -eq 'ca+irm') { ' Compress-Archive leaves out dot-files below the top folder (e.g. frontend/.gitignore), even with Get-ChildItem -Force.' } else { '' }
                    Line
                    Line "Note: $($Methods[$key].Label) uploaded $(F '{0:n0}' $count) files, not the $(F '{0:n0}' $expected) of the file set.$why"
                }
            }
            if (@($facts.Archive[$key]).Count -gt 1) { Line; Line "Note: $($Methods[$key].Label) produced archives of different sizes across runs (listed above)." }
        }
        Line
    }

    # ---------------------------------------------------------------- memory
    Line '## Peak memory of ours (fresh pwsh per case)'
    Line
    Line 'VmHWM (peak resident set) of the pwsh process, read from /proc/self/status inside it: idle = after Import-Module and Connect-Kernel; warm = after one deployment of small; peak = after the deployment of the case. /usr/bin/time''s maximum RSS of the same process is the cross-check.'
    Line
    Line '| Case | Idle MiB | Warm MiB | Peak MiB | Growth over idle | Growth over warm | /usr/bin/time max RSS MiB | Deploy s (fresh process, after warm-up) |'
    Line '|---|---:|---:|---:|---:|---:|---:|---:|'
    foreach ($case in $Results.Cases.Keys) {
        $m = $Results.Cases[$case].Memory
        if (-not $m) { continue }
        Line "| $case | $(MiB $m.IdleHwmBytes) | $(MiB $m.WarmHwmBytes) | $(MiB $m.PeakHwmBytes) | $(MB ($m.PeakHwmBytes - $m.IdleHwmBytes)) MB | $(MB ($m.PeakHwmBytes - $m.WarmHwmBytes)) MB | $(MiB $m.TimeMaxRssBytes) | $(Sec $m.DeploySeconds) |"
    }
    Line

    # ---------------------------------------------------------------- import and wait
    Line '## Import-Module (cold process)'
    Line
    Line "$($imp.Bare.Count) rounds, interleaved, of fresh processes (bare, ours, reference, reference with a format file, and generated modules of ours' shape now and after the browsers cmdlets), started as ``dotnet <PSHOME>/pwsh.dll -NoProfile -c ...`` (what ``dotnet pwsh`` runs, minus the tool-manifest lookup) under /usr/bin/time for their CPU time (user + system, steadier than wall time when other processes run); the file cache is warm. Ours has $($imp.Cmdlets) cmdlets and $($imp.Views) views."
    Line
    Line '| Command | Median ms | Min ms | Max ms | CPU ms (median) |'
    Line '|---|---:|---:|---:|---:|'
    Line "| ``pwsh -NoProfile -c exit`` | $(Ms $imp.Bare.Median) | $(Ms $imp.Bare.Min) | $(Ms $imp.Bare.Max) | $(Ms $imp.BareCpu.Median) |"
    Line "| ``pwsh -NoProfile -c 'Import-Module …/Kernel.psd1; exit'`` | $(Ms $imp.WithImport.Median) | $(Ms $imp.WithImport.Min) | $(Ms $imp.WithImport.Max) | $(Ms $imp.WithImportCpu.Median) |"
    Line "| Difference of the medians (ours) | $(Ms $importCost) | | | $(Ms $importCpu) |"
    Line "| Ours: Import-Module alone, Stopwatch inside the process | $(Ms $imp.InProcess.Median) | $(Ms $imp.InProcess.Min) | $(Ms $imp.InProcess.Max) | |"
    Line "| ``pwsh -NoProfile -c 'Import-Module …/Reference.psd1; exit'`` (bench/reference-module: one cmdlet, no format file) | $(Ms $imp.Reference.Median) | $(Ms $imp.Reference.Min) | $(Ms $imp.Reference.Max) | $(Ms $imp.ReferenceCpu.Median) |"
    Line "| Difference of the medians (reference) | $(Ms $referenceCost) | | | $(Ms ($imp.ReferenceCpu.Median - $imp.BareCpu.Median)) |"
    Line "| Reference: Import-Module alone, Stopwatch inside the process | $(Ms $imp.ReferenceInProcess.Median) | $(Ms $imp.ReferenceInProcess.Min) | $(Ms $imp.ReferenceInProcess.Max) | |"
    Line "| ``pwsh -NoProfile -c 'Import-Module …/ReferenceWithFormat.psd1; exit'`` (the same with a one-view format file) | $(Ms $imp.ReferenceWithFormat.Median) | $(Ms $imp.ReferenceWithFormat.Min) | $(Ms $imp.ReferenceWithFormat.Max) | $(Ms $imp.ReferenceWithFormatCpu.Median) |"
    Line "| Difference of the medians (reference with a format file) | $(Ms $referenceFormatCost) | | | $(Ms $referenceFormatCpu) |"
    Line "| Reference with a format file: Import-Module alone, Stopwatch inside the process | $(Ms $imp.ReferenceWithFormatInProcess.Median) | $(Ms $imp.ReferenceWithFormatInProcess.Min) | $(Ms $imp.ReferenceWithFormatInProcess.Max) | |"
    Line "| A generated module shaped like ours ($($imp.Cmdlets) cmdlets with three parameters and an output type each, $($imp.Views) table views) | $(Ms $imp.ShapedLikeOurs.Median) | $(Ms $imp.ShapedLikeOurs.Min) | $(Ms $imp.ShapedLikeOurs.Max) | $(Ms $imp.ShapedLikeOursCpu.Median) |"
    Line "| Difference of the medians (shaped like ours) | $(Ms $shapeCost) | | | $(Ms ($imp.ShapedLikeOursCpu.Median - $imp.BareCpu.Median)) |"
    Line "| The same with $($imp.Cmdlets + 20) cmdlets and $($imp.Views + 10) views (ours once the browsers cmdlets land) | $(Ms $imp.ShapedAfterBrowsers.Median) | $(Ms $imp.ShapedAfterBrowsers.Min) | $(Ms $imp.ShapedAfterBrowsers.Max) | $(Ms $imp.ShapedAfterBrowsersCpu.Median) |"
    Line "| Difference of the medians (after the browsers cmdlets) | $(Ms $afterCost) | | | $(Ms ($imp.ShapedAfterBrowsersCpu.Median - $imp.BareCpu.Median)) |"
    Line
    Line "The first Import-Module in a process pays for PowerShell's module machinery, and the first format file for its format database; a module with FormatsToProcess cannot add less than the reference with a format file. Ours adds $(Ratio ($importCost / $referenceFormatCost))× what it adds (target ≤ 1.25×); ours' own share, the difference, is $(Ms ($importCost - $referenceFormatCost)) ms here ($(Ms ($importCpu - $referenceFormatCpu)) ms of CPU), for $($imp.Cmdlets) cmdlets and $($imp.Views) views."
    Line

    if ($Results.Contains('Parallel') -and $Results.Parallel.Count) {
        Line '## Many at once'
        Line
        Line "In a fresh pwsh per app (bench/Measure-ParallelDeploys.ps1): the deployments one after another in one session, then all at once with ``ForEach-Object -Parallel -ThrottleLimit N``, each runspace importing the module and deploying with one of two sessions (``Connect-Kernel -PassThru`` twice), alternately. Peak RSS = VmHWM of that process over its idle mark (module imported, two sessions, one deployment and one parallel import done)."
        Line
        Line '| App | N | One after another s | At once s | Throughput ratio | Deployments/s at once | Client CPU s (one after another / at once) | Imports alone s | Peak RSS over idle, one after another | Peak RSS over idle, at once | Emulator CPU s (both) |'
        Line '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|'
        foreach ($case in $Results.Parallel.Keys) {
            $p = $Results.Parallel[$case]
            Line "| $case | $($p.Count) | $(Sec $p.SequentialSeconds) | $(Sec $p.ParallelSeconds) | $(F '{0:0.00}' ($p.SequentialSeconds / $p.ParallelSeconds)) | $(F '{0:0.0}' ($p.Count / $p.ParallelSeconds)) | $(F '{0:0.00}' $p.SequentialCpu) / $(F '{0:0.00}' $p.ParallelCpu) | $(Sec $p.ImportsSeconds) | $(MB ($p.SequentialHwmBytes - $p.IdleHwmBytes)) MB | $(MB ($p.ParallelHwmBytes - $p.IdleHwmBytes)) MB | $(F '{0:0.00}' $p.EmulatorCpuSeconds) |"
        }
        Line
        Line "With $nproc cores, deployments that keep the CPU busy (packing a big tree) cannot finish faster at once than one after another; what running them at once can win is the time each spends waiting (connection, answer). Packing takes no lock shared between deployments: each has its own workers and writer; they share a buffer pool of lock-free queues and a read-ahead budget kept with interlocked counters (which keeps twenty at once from holding twenty times one's memory), the sessions share only the process's HTTP connection pool, and the emulator holds its one lock only to record a deployment."
        Line
    }

    $w = $Results.Wait
    Line '## Wait-KernelDeployment latency'
    Line
    Line "$($w.AfterEvent.Count) deployments of small with the emulator's steps at 100 ms, so Wait-KernelDeployment is already following when the deployment reaches running. Latency = the moment Wait-KernelDeployment returned in this process minus the ``timestamp`` of the ``deployment_state: running`` event (the emulator stamps the event when it publishes it; both clocks are this machine's)."
    Line
    Line '| Figure | Median ms | Min ms | Max ms |'
    Line '|---|---:|---:|---:|'
    Line "| Return after the terminal event | $(Ms $w.AfterEvent.Median) | $(Ms $w.AfterEvent.Min) | $(Ms $w.AfterEvent.Max) |"
    Line "| Whole call on an already-running deployment | $(Ms $w.AlreadyRunning.Median) | $(Ms $w.AlreadyRunning.Min) | $(Ms $w.AlreadyRunning.Max) |"
    Line

    # ---------------------------------------------------------------- timelines
    Line '## Where ours spends its time'
    Line
    Line 'The -Verbose messages of one deployment, with the millisecond each reached the pipeline (measured from the call). The gaps between messages are the phases.'
    foreach ($case in $Results.Cases.Keys) {
        $r = $Results.Cases[$case]
        foreach ($pair in @(@{ Title = "$case, warm session (extra run after the timed ones)"; Items = $r.Timeline }, @{ Title = "$case, fresh process (the memory run)"; Items = $(if ($r.Memory) { $r.Memory.Timeline } else { @() }) })) {
            if (-not $pair.Items -or @($pair.Items).Count -eq 0) { continue }
            if ($case -eq 'small' -and $pair.Title -like '*fresh*') { continue }
            Line
            Line "### $($pair.Title)"
            Line
            Line '| ms | Message |'
            Line '|---:|---|'
            foreach ($item in $pair.Items) {
                $text = $item.Message -replace '\|', '\|' -replace "`r?`n", ' '
                if ($text.Length -gt 160) { $text = $text.Substring(0, 157) + '...' }
                Line "| $($item.Ms) | $text |"
            }
        }
    }
    Line

    Line '## Method'
    Line
    Line '- Ours runs in this warm session (module imported, connected, one untimed deployment done); peers 2 and 4 likewise; zip, curl and tar are fresh processes, as they would be. Every method''s clock includes deleting its ZIP (ours deletes or never writes one).'
    Line '- Peers get `<case>/peer`: the files ours uploads (the .gitignore''d trees removed, hard links to the same bytes), so the comparison is packaging and upload; the walk and ignore rules count against ours.'
    Line '- Each repetition runs the five methods in a rotated order. Before each case both trees are read once through tar so every method starts from a warm page cache. The .NET garbage collector is run before each in-process run, outside the clock.'
    Line '- Client CPU s: CPU time (user + system, medians, 10 ms ticks) of the benchmark''s pwsh and the processes it waited for (zip, curl, tar) during the run; more than the wall time means several cores worked. Emulator CPU s: the same for the emulator receiving the upload (every method pays it).'
    Line '- Archive sizes and file counts come from the emulator''s log line for each upload ("Received app archive (N files, B bytes ...)"), the same for every method; folder entries are not counted as files.'
    Line '- The tar floor pipes into wc -c: GNU tar writing directly to /dev/null detects it and skips reading file contents, which would not be a floor.'
    Line "- Everything talks to one emulator on $(([Uri]$script:baseUri).Authority) started with -StepDelay 0; only loopback is contacted."
    Line "- Raw samples: out/bench/results.json (for the default report; other -OutFile reports get a .json beside them)."

    $headline = [Collections.Generic.List[string]]::new()
    foreach ($case in $Results.Cases.Keys) {
        $s = $caseFacts[$case].Stats
        $o = $s.ours.Median
        $headline.Add("$case`: ours $(Sec $o) s; Compress-Archive+Invoke-RestMethod $(Sec $s.'ca+irm'.Median) s ($(F '{0:0.0}' ($s.'ca+irm'.Median / $o))× ours); zip+curl $(Sec $s.'zip+curl'.Median) s (ours $(Ratio ($o / $s.'zip+curl'.Median))× of it); tar read floor $(Sec $s.tar.Median) s.")
    }
    foreach ($t in $targets) { $headline.Add("target: $($t.Name): $($t.Measured) -> $($t.Verdict -replace '\*', '')") }

    # The block README.md quotes between its headline markers.
    $readme = [Collections.Generic.List[string]]::new()
    $readme.Add("From the run of $($StartedAt.ToString('yyyy-MM-dd', $inv)) ($nproc cores; load average $(($LoadBefore -split ' ')[0]) at the start; other processes took about $(F '{0:0}' (100 * $others / $capacity)) % of the CPU$(if ($others -gt 0.05 * $capacity) { ': **a busy machine**, slower and noisier figures than an idle one gives' })), medians, full tables in [results.md](results.md):")
    $readme.Add('')
    foreach ($case in 'medium', 'large', 'node_modules', 'small') {
        if (-not $caseFacts.ContainsKey($case)) { continue }
        $s = $caseFacts[$case].Stats
        $o = $s.ours.Median
        $ca = $s.'ca+irm'.Median; $zc = $s.'zip+curl'.Median
        $speed = {
            param($peer)
            if ([math]::Abs($peer / $o - 1) -lt 0.05) { "about as fast as (ours ÷ it = $(Ratio ($o / $peer)))" }
            elseif ($peer -gt $o) { "$(F '{0:0.0}' ($peer / $o))× faster than" }
            else { "$(F '{0:0.0}' ($o / $peer))× slower than" }
        }
        $extra = switch ($case) {
            { $_ -in 'medium', 'node_modules' } { "; archive $(F '{0:+0.0;-0.0}' (100 * ((ArchiveBytes $case 'ours') / (ArchiveBytes $case 'zip+curl' -Smallest) - 1))) % against zip's" }
            'large' { "; archive $(F '{0:+0.00;-0.00}' (100 * ((ArchiveBytes $case 'ours') / (ArchiveBytes $case 'ca+irm' -Smallest) - 1))) % against deflating everything$(if ($Results.Cases.large.Memory) { "; peak RSS $(MB ($Results.Cases.large.Memory.PeakHwmBytes - $Results.Cases.large.Memory.IdleHwmBytes)) MB over an idle session" })" }
            default { '' }
        }
        if ($floors.ContainsKey($case) -and $case -ne 'small') { $extra += "; $(Ratio ($o / $floors[$case].Floor))× the floor its measured stages set ($(Sec $floors[$case].Floor) s)" }
        $oursText = if ($o -lt 1) { "$(Ms $o) ms" } else { "$(Sec $o) s" }
        $readme.Add("- **$case**: ours $oursText, $(& $speed $ca) Compress-Archive + Invoke-RestMethod ($(Sec $ca) s) and $(& $speed $zc) zip + curl ($(Sec $zc) s; ours ÷ zip+curl = $(Ratio ($o / $zc)))$extra.")
    }
    $readme.Add("- Import-Module adds $(Ms $importCost) ms to a cold pwsh start, $(Ratio ($importCost / $referenceFormatCost))× what the smallest binary module with a format file adds ($(Ms $referenceFormatCost) ms); Wait-KernelDeployment returns $(Ms $Results.Wait.AfterEvent.Median) ms after the terminal event.")
    if ($Results.Contains('Parallel')) {
        foreach ($case in $Results.Parallel.Keys) {
            $p = $Results.Parallel[$case]
            $readme.Add("- $($p.Count) deployments of $case at once: $(F '{0:0.00}' ($p.SequentialSeconds / $p.ParallelSeconds))× the throughput of one after another; peak RSS $(MB ($p.ParallelHwmBytes - $p.IdleHwmBytes)) MB over idle.")
        }
    }
    $missed = @($targets | Where-Object Verdict -eq '**not met**')
    $measuredCount = @($targets | Where-Object Verdict -in 'met', '**not met**').Count
    $readme.Add("- Targets: $($measuredCount - $missed.Count) of $measuredCount met$(if ($missed) { '; not met: ' + (($missed | ForEach-Object { $_.Name + ' (' + $_.Measured + ')' }) -join '; ') })." )

    [pscustomobject]@{ Markdown = $md.ToString(); Headline = $headline; ReadmeBlock = ($readme -join "`n") }
}
