#Requires -Version 7.4
<#
.SYNOPSIS
    Benchmarks New-KernelDeployment against what people use today, on a local Kernel emulator, and writes
    bench/results.md.
.DESCRIPTION
    For each case (small, medium, large, node_modules; see New-BenchmarkApps.ps1) and each repetition, in
    rotating order:

      1. ours       New-KernelDeployment -Path <app> -EntrypointRelPath main.py in this (warm) session: walk,
                    ignore rules, zip, upload, the returned object.
      2. ca+irm     Get-ChildItem -Force <peer> | Compress-Archive, then Invoke-RestMethod -Form with the Bearer
                    header, then Remove-Item of the ZIP.
      3. zip+curl   zip -r -q, then curl -F, then deleting the ZIP (C tools, one thread).
      4. tar floor  tar -cf - . | wc -c: reading every byte once, the floor for any packager.
      5. fastest    ours with -CompressionLevel Fastest: what a user who asks for speed over size gets.

    Peers 2-4 get <case>/peer: the same files minus what the .gitignore files exclude (prepared once by the
    generator, hard links). Every upload goes to the same emulator (Start-KernelEmulator -StepDelay 0) on
    127.0.0.1; the archive size and file count of every upload are read back from the emulator's own log line
    ("Received app archive (N files, B bytes ...)").

    Then, per case: each stage of ours' pipeline timed alone on one thread with the module's own code (walk,
    read, CRC-32, deflate, SHA-256; sending and the emulator's receiving from an upload of a ready archive),
    and the floor they set on this machine's cores. And: the peak RSS of a fresh pwsh doing one deployment of
    each case, 20 deployments at once (ForEach-Object -Parallel, two sessions) against 20 one after another,
    the cold Import-Module cost beside bench/reference-module (the smallest binary module, with and without a
    one-view format file), and the latency of Wait-KernelDeployment after the terminal event. The module is
    copied to out/bench/module first, so a concurrent ./build.ps1 Build cannot change it mid-run.

    Linux only (reads /proc). Needs zip, curl, tar, bash, wc and GNU time (/usr/bin/time).
.PARAMETER Repeat
    Runs per method per case. 0 (the default) means small 10, medium 3, large 2, node_modules 3, which keeps a
    full run around 12 minutes on 2 cores.
.EXAMPLE
    dotnet pwsh ./bench/Invoke-Benchmark.ps1
.EXAMPLE
    dotnet pwsh ./bench/Invoke-Benchmark.ps1 -Cases small,medium -Repeat 5 -OutFile /tmp/results.md
#>
[CmdletBinding()]
param(
    [ValidateSet('small', 'medium', 'large', 'node_modules')]
    [string[]] $Cases = @('small', 'medium', 'large', 'node_modules'),

    [ValidateRange(0, 100)]
    [int] $Repeat = 0,

    [string] $ModulePath = (Join-Path $PSScriptRoot '../out/Kernel/Kernel.psd1'),

    # Where the generated apps live (created on first use, reused after).
    [string] $DataRoot = (Join-Path $PSScriptRoot '../out/bench/apps'),

    [string] $OutFile = (Join-Path $PSScriptRoot 'results.md'),

    [ValidateRange(1, 100)]
    [int] $ImportRepeat = 20,

    [ValidateRange(1, 100)]
    [int] $WaitRepeat = 10,

    # Deployments started at once in the many-at-once measurement (and one after another, to compare).
    [ValidateRange(2, 100)]
    [int] $ParallelCount = 20
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
$runClock = [Diagnostics.Stopwatch]::StartNew()
$startedAt = [DateTimeOffset]::UtcNow
$loadBefore = (Get-Content -Raw /proc/loadavg -ErrorAction Ignore)
$commandLine = 'dotnet pwsh ./bench/Invoke-Benchmark.ps1' + (($PSBoundParameters.GetEnumerator() | ForEach-Object { " -$($_.Key) $(@($_.Value) -join ',')" }) -join '')
$repoRoot = [IO.Path]::GetFullPath((Join-Path $PSScriptRoot '..'))
$benchOut = Join-Path $repoRoot 'out/bench'
$defaultRepeats = @{ small = 10; medium = 3; large = 2; node_modules = 3 }
$inv = [Globalization.CultureInfo]::InvariantCulture

function Write-Step([string] $Message) {
    Write-Host ('[{0,6:0.0}s] {1}' -f $runClock.Elapsed.TotalSeconds, $Message)
}

# ---------------------------------------------------------------- prerequisites
if (-not $IsLinux -or -not (Test-Path /proc/self/status)) {
    throw 'The benchmark runs on Linux only: it reads /proc for memory figures and uses zip, curl and tar.'
}

$tools = [ordered]@{ zip = 'zip'; curl = 'curl'; tar = 'tar'; bash = 'bash'; wc = 'coreutils'; '/usr/bin/time' = 'time' }
$missing = @($tools.Keys | Where-Object { -not (Get-Command $_ -CommandType Application -ErrorAction Ignore) })
if ($missing) {
    $packages = ($missing | ForEach-Object { $tools[$_] } | Select-Object -Unique) -join ' '
    throw "Missing tools: $($missing -join ', '). On Debian/Ubuntu install them with: apt-get update && apt-get install -y $packages"
}

# The node_modules case is the referees' npm tree, installed with npm: without npm (and no tree from an earlier
# install) the case is left out, said here, and the rest runs.
if ('node_modules' -in $Cases -and -not (Get-Command npm -CommandType Application -ErrorAction Ignore) -and
    -not (Test-Path -LiteralPath (Join-Path $PSScriptRoot '../tests/Conformance/node_modules/.conformance-installed'))) {
    Write-Warning 'Leaving out the node_modules case: it copies tests/Conformance/node_modules, which npm ci installs, and npm is not on PATH (install Node.js 20+ with npm).'
    $Cases = @($Cases | Where-Object { $_ -ne 'node_modules' })
}

$ModulePath = [IO.Path]::GetFullPath($ModulePath)
$stagedDir = Split-Path $ModulePath
foreach ($required in @($ModulePath, (Join-Path $stagedDir 'Kernel.PowerShell.dll'), (Join-Path $stagedDir 'emulator/Kernel.Emulator.dll'))) {
    if (-not (Test-Path -LiteralPath $required)) {
        throw "$required is missing: build the module first (dotnet pwsh ./build.ps1 Build)."
    }
}

# A private copy of the module: other people may rebuild out/Kernel while this runs.
$moduleCopy = Join-Path $benchOut 'module/Kernel'
if (Test-Path -LiteralPath $moduleCopy) { Remove-Item -LiteralPath $moduleCopy -Recurse -Force }
New-Item -ItemType Directory -Force -Path (Split-Path $moduleCopy) | Out-Null
Copy-Item -LiteralPath $stagedDir -Destination $moduleCopy -Recurse
$moduleUnderTest = Join-Path $moduleCopy (Split-Path $ModulePath -Leaf)
$moduleDll = Join-Path $moduleCopy 'Kernel.PowerShell.dll'

# The yardstick for Import-Module: the smallest binary module, with and without a one-view format file.
$referenceDir = Join-Path $benchOut 'reference-module'
& dotnet build (Join-Path $PSScriptRoot 'reference-module') -c Release --nologo -v quiet -clp:ErrorsOnly -o $referenceDir
if ($LASTEXITCODE -ne 0) { throw "Building bench/reference-module failed (exit code $LASTEXITCODE)." }
Copy-Item (Join-Path $PSScriptRoot 'reference-module/*.psd1'), (Join-Path $PSScriptRoot 'reference-module/*.ps1xml') $referenceDir

# The same kind of module in other shapes: N cmdlets (three parameters each, an output type each) and V table views,
# so the cost of a cmdlet and of a view can be told apart from ours' own share: one with ours' counts, and one with
# the counts ours will have once the browsers cmdlets land (about 20 more cmdlets and 10 more views).
function New-ShapedReference([string] $Name, [int] $Cmdlets, [int] $Views) {
    $dir = Join-Path $benchOut "reference-shapes/$Name"
    New-Item -ItemType Directory -Force -Path $dir | Out-Null
    $code = [Text.StringBuilder]::new("using System.Management.Automation;`nnamespace Shaped {`n")
    for ($i = 0; $i -lt $Cmdlets; $i++) {
        [void]$code.AppendLine("public sealed class Item$i { public string Name { get; set; } public int Size { get; set; } public string State { get; set; } }")
        [void]$code.AppendLine("[Cmdlet(VerbsCommon.Get, ""Shaped$i"")] [OutputType(typeof(Item$i))] public sealed class GetShaped${i}Command : PSCmdlet {")
        [void]$code.AppendLine('  [Parameter(Position = 0)] public string Name { get; set; } [Parameter] public int Size { get; set; } [Parameter] public SwitchParameter Force { get; set; }')
        [void]$code.AppendLine("  protected override void ProcessRecord() => WriteObject(new Item$i { Name = Name }); }")
    }
    [void]$code.AppendLine('}')
    $dll = Join-Path $dir "$Name.dll"
    if (-not (Test-Path -LiteralPath $dll)) { Add-Type -TypeDefinition $code.ToString() -OutputAssembly $dll -OutputType Library }
    $viewXml = foreach ($v in 0..($Views - 1)) {
        "<View><Name>Shaped.Item$v</Name><ViewSelectedBy><TypeName>Shaped.Item$v</TypeName></ViewSelectedBy><TableControl><TableHeaders><TableColumnHeader /><TableColumnHeader /><TableColumnHeader /></TableHeaders><TableRowEntries><TableRowEntry><TableColumnItems><TableColumnItem><PropertyName>Name</PropertyName></TableColumnItem><TableColumnItem><PropertyName>Size</PropertyName></TableColumnItem><TableColumnItem><PropertyName>State</PropertyName></TableColumnItem></TableColumnItems></TableRowEntry></TableRowEntries></TableControl></View>"
    }
    Set-Content -LiteralPath (Join-Path $dir "$Name.Format.ps1xml") -Encoding utf8NoBOM -Value "<?xml version=""1.0"" encoding=""utf-8""?>`n<Configuration><ViewDefinitions>$($viewXml -join '')</ViewDefinitions></Configuration>"
    $exported = (0..($Cmdlets - 1) | ForEach-Object { "'Get-Shaped$_'" }) -join ', '
    $manifest = Join-Path $dir "$Name.psd1"
    Set-Content -LiteralPath $manifest -Encoding utf8NoBOM -Value "@{ RootModule = '$Name.dll'; ModuleVersion = '1.0.0'; GUID = '$([guid]::NewGuid())'; FormatsToProcess = @('$Name.Format.ps1xml'); CmdletsToExport = @($exported); FunctionsToExport = @(); VariablesToExport = @(); AliasesToExport = @() }"
    $manifest
}

# Child PowerShells are the same PowerShell as this one: under `dotnet pwsh` that is `dotnet <PSHOME>/pwsh.dll`
# (without the tool-manifest lookup of `dotnet pwsh`), otherwise this pwsh executable.
$host_ = [Environment]::ProcessPath
$pwshCommand = if ([IO.Path]::GetFileNameWithoutExtension($host_) -eq 'dotnet') { @($host_, (Join-Path $PSHOME 'pwsh.dll')) } else { @($host_) }
function Invoke-Pwsh([string[]] $Arguments) { Invoke-Child $pwshCommand[0] (@($pwshCommand | Select-Object -Skip 1) + $Arguments) }

$scratch = Join-Path $benchOut ('tmp-' + [Guid]::NewGuid().ToString('N').Substring(0, 8))
New-Item -ItemType Directory -Force -Path $scratch | Out-Null
$script:keptZip = Join-Path $scratch 'zip-kept.zip'

Add-Type -Path (Join-Path $PSScriptRoot 'PipelineStages.cs')

# ---------------------------------------------------------------- helpers
function Get-Median([double[]] $Values) {
    $sorted = [double[]]($Values | Sort-Object)
    $n = $sorted.Count
    if ($n -eq 0) { return [double]::NaN }
    if ($n % 2) { return $sorted[($n - 1) / 2] }
    ($sorted[$n / 2 - 1] + $sorted[$n / 2]) / 2
}

function Get-Stats([double[]] $Values) {
    [pscustomobject]@{
        Median = Get-Median $Values
        Min    = ($Values | Measure-Object -Minimum).Minimum
        Max    = ($Values | Measure-Object -Maximum).Maximum
        Count  = $Values.Count
    }
}

# Runs a program with arguments (no shell quoting involved), waits with a time limit, and kills only that
# process tree if the limit passes. Returns its exit code, output and wall time.
function Invoke-Child {
    param(
        [Parameter(Mandatory)] [string] $FilePath,
        [string[]] $ArgumentList = @(),
        [string] $WorkingDirectory,
        [hashtable] $Environment = @{},
        [int] $TimeoutSeconds = 600
    )
    $psi = [Diagnostics.ProcessStartInfo]::new($FilePath)
    foreach ($argument in $ArgumentList) { $psi.ArgumentList.Add($argument) }
    $psi.UseShellExecute = $false
    $psi.RedirectStandardOutput = $true
    $psi.RedirectStandardError = $true
    $psi.RedirectStandardInput = $true
    if ($WorkingDirectory) { $psi.WorkingDirectory = $WorkingDirectory }
    foreach ($name in $Environment.Keys) { $psi.Environment[$name] = $Environment[$name] }
    $clock = [Diagnostics.Stopwatch]::StartNew()
    $process = [Diagnostics.Process]::Start($psi)
    try {
        $process.StandardInput.Close()
        $stdout = $process.StandardOutput.ReadToEndAsync()
        $stderr = $process.StandardError.ReadToEndAsync()
        if (-not $process.WaitForExit($TimeoutSeconds * 1000)) {
            $process.Kill($true)
            $process.WaitForExit()
            throw "$FilePath $($ArgumentList -join ' ') did not finish within $TimeoutSeconds s and was stopped."
        }
        $process.WaitForExit()
        $clock.Stop()
        [pscustomobject]@{
            ExitCode = $process.ExitCode
            Stdout   = $stdout.GetAwaiter().GetResult()
            Stderr   = $stderr.GetAwaiter().GetResult()
            Seconds  = $clock.Elapsed.TotalSeconds
        }
    }
    finally {
        $process.Dispose()
    }
}

# CPU accounting, to tell how much of the machine other processes took during the run (clock ticks of 1/100 s).
function Get-CpuTicks {
    $all = ((Get-Content /proc/stat -TotalCount 1) -split '\s+')[1..8] | ForEach-Object { [long]$_ }
    $self = (Get-Content -Raw /proc/self/stat).Substring((Get-Content -Raw /proc/self/stat).LastIndexOf(')') + 2) -split ' '
    [pscustomobject]@{
        Busy = $all[0] + $all[1] + $all[2] + $all[5] + $all[6] + $all[7]   # user nice system irq softirq steal
        # utime stime cutime cstime: this process and every child it (or they) waited for.
        Own  = [long]$self[11] + [long]$self[12] + [long]$self[13] + [long]$self[14]
    }
}

function Get-ProcessTicks([int] $ProcessId) {
    try {
        $stat = Get-Content -Raw "/proc/$ProcessId/stat"
        $fields = $stat.Substring($stat.LastIndexOf(')') + 2) -split ' '
        [long]$fields[11] + [long]$fields[12] + [long]$fields[13] + [long]$fields[14]
    }
    catch { 0 }
}

function Assert-Child($Result, [string] $What) {
    if ($Result.ExitCode -ne 0) { throw "$What failed (exit code $($Result.ExitCode)): $($Result.Stderr.Trim()) $($Result.Stdout.Trim())" }
}

$http = [Net.Http.HttpClient]::new()
$http.Timeout = [TimeSpan]::FromMinutes(5)

# Reads the deployment's event stream (past events first) until $Until returns true for a parsed event;
# returns that event. A running deployment's stream stays open, so the read stops at the match or the limit.
function Read-DeploymentEvent([string] $Id, [scriptblock] $Until, [int] $TimeoutSeconds = 30) {
    $limit = [Threading.CancellationTokenSource]::new([TimeSpan]::FromSeconds($TimeoutSeconds))
    $request = [Net.Http.HttpRequestMessage]::new([Net.Http.HttpMethod]::Get, "$($script:baseUri)deployments/$Id/events")
    $request.Headers.Authorization = [Net.Http.Headers.AuthenticationHeaderValue]::new('Bearer', $script:apiKey)
    $response = $null
    try {
        $response = $http.SendAsync($request, [Net.Http.HttpCompletionOption]::ResponseHeadersRead, $limit.Token).GetAwaiter().GetResult()
        $null = $response.EnsureSuccessStatusCode()
        $reader = [IO.StreamReader]::new($response.Content.ReadAsStream())
        while ($true) {
            $line = $reader.ReadLineAsync($limit.Token).AsTask().GetAwaiter().GetResult()
            if ($null -eq $line) { throw "The event stream of deployment $Id ended without the expected event." }
            if (-not $line.StartsWith('data:')) { continue }
            $event = $line.Substring(5).Trim() | ConvertFrom-Json -DateKind String
            if (& $Until $event) { return $event }
        }
    }
    catch [OperationCanceledException] {
        throw "No expected event on deployment $Id within $TimeoutSeconds s."
    }
    finally {
        if ($response) { $response.Dispose() }
        $request.Dispose()
        $limit.Dispose()
    }
}

# The emulator logs every upload: "Received app archive (N files, B bytes, sha256 ...)".
function Get-UploadReceipt([string] $Id) {
    $event = Read-DeploymentEvent $Id { param($e) $e.event -eq 'log' -and $e.message -match '^Received app archive \(' }
    if ($event.message -notmatch '\((\d+) files, (\d+) bytes') { throw "Unexpected log line: $($event.message)" }
    [pscustomobject]@{ Files = [int]$Matches[1]; Bytes = [long]$Matches[2] }
}

# ---------------------------------------------------------------- the four methods
function Invoke-Ours($App, [bool] $Last, [string] $CompressionLevel = 'Optimal') {
    [GC]::Collect(); [GC]::WaitForPendingFinalizers()
    $clock = [Diagnostics.Stopwatch]::StartNew()
    # The node_modules tree has npm's bin/ links, which are skipped with a warning each: not the benchmark's business.
    $deployment = New-KernelDeployment -Path $App.AppPath -EntrypointRelPath $App.Entrypoint -CompressionLevel $CompressionLevel -ErrorAction Stop -WarningAction SilentlyContinue
    $clock.Stop()
    if (-not $deployment -or -not $deployment.Id) { throw 'New-KernelDeployment returned no deployment.' }
    [pscustomobject]@{ Seconds = $clock.Elapsed.TotalSeconds; DeploymentId = $deployment.Id; Parts = @{} }
}

function Invoke-CompressArchive($App, [bool] $Last) {
    [GC]::Collect(); [GC]::WaitForPendingFinalizers()
    $zip = Join-Path $scratch 'ca.zip'
    $clock = [Diagnostics.Stopwatch]::StartNew()
    # -Force on Get-ChildItem is the only way to get top-level dot-files in; Compress-Archive still drops
    # dot-files below the top level and reports a 'Could not find item' error for each top-level one (which
    # it does add). Both are Compress-Archive 1.x behaviour; the file counts in results.md show the effect.
    Get-ChildItem -LiteralPath $App.PeerPath -Force |
        Compress-Archive -DestinationPath $zip -CompressionLevel Optimal -ErrorAction SilentlyContinue -ErrorVariable archiveErrors -WarningAction SilentlyContinue
    $compressed = $clock.Elapsed.TotalSeconds
    $response = Invoke-RestMethod -Method Post -Uri "$($script:baseUri)deployments" -Headers @{ Authorization = "Bearer $($script:apiKey)" } -Form @{
        file                = Get-Item -LiteralPath $zip
        entrypoint_rel_path = $App.Entrypoint
        version             = 'latest'
    }
    $uploaded = $clock.Elapsed.TotalSeconds
    $size = (Get-Item -LiteralPath $zip).Length
    Remove-Item -LiteralPath $zip
    $clock.Stop()
    $unexpected = @($archiveErrors | Where-Object { "$_" -notmatch '^Could not find item .*/\.[^/]+\.$' })
    if ($unexpected) { throw "Compress-Archive failed: $($unexpected[0])" }
    if (-not $response.id) { throw 'Invoke-RestMethod returned no deployment.' }
    [pscustomobject]@{
        Seconds = $clock.Elapsed.TotalSeconds; DeploymentId = $response.id; ZipBytes = $size
        Parts = @{ compress = $compressed; upload = $uploaded - $compressed }
    }
}

# On the last run the ZIP is moved aside instead of deleted (same cost within a few ms), for the upload-only
# measurement of ours below.
function Invoke-ZipCurl($App, [bool] $Last) {
    $zip = Join-Path $scratch 'zip.zip'
    $clock = [Diagnostics.Stopwatch]::StartNew()
    $zipRun = Invoke-Child zip @('-r', '-q', $zip, '.') -WorkingDirectory $App.PeerPath
    Assert-Child $zipRun 'zip'
    $curlRun = Invoke-Child curl @('-sS', '--fail-with-body', '-H', "@$script:headerFile",
        '-F', "file=@$zip", '-F', "entrypoint_rel_path=$($App.Entrypoint)", '-F', 'version=latest',
        "$($script:baseUri)deployments")
    $size = (Get-Item -LiteralPath $zip).Length
    if ($Last) { [IO.File]::Move($zip, $script:keptZip, $true) } else { [IO.File]::Delete($zip) }
    $clock.Stop()
    Assert-Child $curlRun 'curl'
    [pscustomobject]@{
        Seconds = $clock.Elapsed.TotalSeconds; DeploymentId = ($curlRun.Stdout | ConvertFrom-Json).id; ZipBytes = $size
        Parts = @{ zip = $zipRun.Seconds; upload = $curlRun.Seconds }
    }
}

function Invoke-TarFloor($App, [bool] $Last) {
    # Through a pipe on purpose: GNU tar writing straight to /dev/null notices and skips reading file contents.
    $run = Invoke-Child bash @('-c', 'set -o pipefail; tar -cf - -C "$1" . | wc -c', 'tar-floor', $App.PeerPath)
    Assert-Child $run 'tar'
    [pscustomobject]@{ Seconds = $run.Seconds; DeploymentId = $null; TarBytes = [long]$run.Stdout.Trim(); Parts = @{} }
}

$methods = [ordered]@{
    'ours'     = @{ Label = 'New-KernelDeployment (ours)'; Run = ${function:Invoke-Ours} }
    'ca+irm'   = @{ Label = 'Compress-Archive + Invoke-RestMethod'; Run = ${function:Invoke-CompressArchive} }
    'zip+curl' = @{ Label = 'zip -r -q + curl -F'; Run = ${function:Invoke-ZipCurl} }
    'tar'      = @{ Label = 'tar -cf - \| wc -c (read floor)'; Run = ${function:Invoke-TarFloor} }
    'fastest'  = @{ Label = 'New-KernelDeployment -CompressionLevel Fastest (ours, asked for speed)'; Run = { param($App, $Last) Invoke-Ours $App $Last Fastest } }
}

# ---------------------------------------------------------------- run
$emulator = $null
$results = [ordered]@{}
$cpuBefore = Get-CpuTicks
try {
    Write-Step "Generating or reusing the apps under $DataRoot"
    $apps = @{}
    foreach ($app in & (Join-Path $PSScriptRoot 'New-BenchmarkApps.ps1') -Root $DataRoot -Cases $Cases) { $apps[$app.Case] = $app }
    foreach ($case in $Cases) {
        $a = $apps[$case]
        Write-Step ("  {0}: {1:n0} files ({2:n1} MB), {3:n0} uploaded ({4:n1} MB), {5}" -f $case, $a.Files, ($a.Bytes / 1e6), $a.UploadFiles, ($a.UploadBytes / 1e6), $(if ($a.Reused) { 'reused' } else { "generated in $($a.Seconds) s" }))
    }
    [GC]::Collect()

    Write-Step "Importing $moduleUnderTest and starting the emulator"
    Import-Module $moduleUnderTest -Force
    $moduleAssembly = (Get-Module Kernel).ImplementingAssembly
    $emulator = Start-KernelEmulator -StepDelay 0
    $script:baseUri = $emulator.BaseUri.ToString()
    if (-not $script:baseUri.EndsWith('/')) { $script:baseUri += '/' }
    if (([Uri]$script:baseUri).Host -notin '127.0.0.1', 'localhost', '::1', '[::1]') { throw "The emulator is not on loopback: $script:baseUri" }
    $script:apiKey = [Net.NetworkCredential]::new('', $emulator.ApiKey).Password
    $control = "$($script:baseUri)_emulator"
    $script:headerFile = Join-Path $scratch 'auth-header'
    [IO.File]::WriteAllText($script:headerFile, "Authorization: Bearer $($script:apiKey)`n")
    if (-not $IsWindows) { & chmod 600 $script:headerFile }
    Connect-Kernel -BaseUri $emulator.BaseUri -ApiKey $emulator.ApiKey

    # ------------------------------------------------ cold Import-Module
    Write-Step "Cold Import-Module: $ImportRepeat rounds of fresh pwsh processes: bare, ours, and the reference module with and without a format file and in ours' shape now and after the browsers cmdlets"
    function Get-ImportScript([string] $Manifest) {
        "`$c = [Diagnostics.Stopwatch]::StartNew(); Import-Module '$($Manifest.Replace("'", "''"))'; [Console]::Out.Write(`$c.Elapsed.TotalMilliseconds.ToString([Globalization.CultureInfo]::InvariantCulture)); exit"
    }
    $oursShape = Import-PowerShellDataFile -LiteralPath $moduleUnderTest
    $oursCmdlets = @($oursShape.CmdletsToExport).Count
    $oursViews = ([regex]::Matches((Get-Content -Raw -LiteralPath (Join-Path $moduleCopy 'Kernel.Format.ps1xml')), '<View>')).Count
    $importScripts = [ordered]@{
        Ours                = Get-ImportScript $moduleUnderTest
        Reference           = Get-ImportScript (Join-Path $referenceDir 'Reference.psd1')
        ReferenceWithFormat = Get-ImportScript (Join-Path $referenceDir 'ReferenceWithFormat.psd1')
        ShapedLikeOurs      = Get-ImportScript (New-ShapedReference "Shaped$oursCmdlets-$oursViews" $oursCmdlets $oursViews)
        ShapedAfterBrowsers = Get-ImportScript (New-ShapedReference "Shaped$($oursCmdlets + 20)-$($oursViews + 10)" ($oursCmdlets + 20) ($oursViews + 10))
    }
    # Each process runs under /usr/bin/time too: its CPU time (user + system) is steadier than its wall time
    # on a busy machine.
    function Invoke-TimedPwsh([string] $Script) {
        $run = Invoke-Child '/usr/bin/time' (@('-f', 'KERNEL_BENCH_CPU=%U %S') + $pwshCommand + @('-NoProfile', '-c', $Script))
        Assert-Child $run 'pwsh'
        $cpu = if ($run.Stderr -match 'KERNEL_BENCH_CPU=([0-9.]+) ([0-9.]+)') { [double]::Parse($Matches[1], $inv) + [double]::Parse($Matches[2], $inv) } else { [double]::NaN }
        $run | Add-Member CpuSeconds $cpu -PassThru
    }
    $bare = @(); $bareCpu = @(); $cold = @{}; $coldCpu = @{}; $inProcess = @{}
    foreach ($name in $importScripts.Keys) { $cold[$name] = @(); $coldCpu[$name] = @(); $inProcess[$name] = @() }
    $null = Invoke-Pwsh @('-NoProfile', '-c', 'exit')       # warm the file cache, untimed
    foreach ($script in $importScripts.Values) { $null = Invoke-Pwsh @('-NoProfile', '-c', $script) }
    # Each round runs the processes in a new order (shuffled from a fixed seed): the process that follows a bare
    # one was measured 15-30 ms slower inside itself, so a fixed order, or one that only rotates (the same process
    # would always follow the bare one), charges that to one module.
    $order = @('') + @($importScripts.Keys)
    $shuffle = [Random]::new(20261201)
    for ($i = 0; $i -lt $ImportRepeat; $i++) {
        $round = @($order | Sort-Object { $shuffle.Next() })
        foreach ($name in $round) {
            if (-not $name) {
                $b = Invoke-TimedPwsh 'exit'
                $bare += $b.Seconds; $bareCpu += $b.CpuSeconds
                continue
            }
            $w = Invoke-TimedPwsh $importScripts[$name]
            $cold[$name] += $w.Seconds; $coldCpu[$name] += $w.CpuSeconds
            $inProcess[$name] += [double]::Parse(($w.Stdout.Trim() -split "`n")[-1], $inv) / 1000
        }
    }
    $formatFile = Join-Path $moduleCopy 'Kernel.Format.ps1xml'
    $results.Import = [pscustomobject]@{
        Bare                         = Get-Stats $bare
        BareCpu                      = Get-Stats $bareCpu
        WithImport                   = Get-Stats $cold.Ours
        WithImportCpu                = Get-Stats $coldCpu.Ours
        InProcess                    = Get-Stats $inProcess.Ours
        Reference                    = Get-Stats $cold.Reference
        ReferenceCpu                 = Get-Stats $coldCpu.Reference
        ReferenceInProcess           = Get-Stats $inProcess.Reference
        ReferenceWithFormat          = Get-Stats $cold.ReferenceWithFormat
        ReferenceWithFormatCpu       = Get-Stats $coldCpu.ReferenceWithFormat
        ReferenceWithFormatInProcess = Get-Stats $inProcess.ReferenceWithFormat
        ShapedLikeOurs               = Get-Stats $cold.ShapedLikeOurs
        ShapedLikeOursCpu            = Get-Stats $coldCpu.ShapedLikeOurs
        ShapedAfterBrowsers          = Get-Stats $cold.ShapedAfterBrowsers
        ShapedAfterBrowsersCpu       = Get-Stats $coldCpu.ShapedAfterBrowsers
        Cmdlets                      = $oursCmdlets
        Views                        = $oursViews
        FormatFileBytes              = (Get-Item -LiteralPath $formatFile).Length
    }

    # ------------------------------------------------ warm-up (untimed)
    # Both processes compile their hot code in tiers as it runs; untimed runs first, so the emulator's compiler
    # is not what the first case measures.
    Write-Step 'Warming up this session and the emulator (untimed: ours 10 times, Compress-Archive + Invoke-RestMethod twice, on small)'
    $warmApp = & (Join-Path $PSScriptRoot 'New-BenchmarkApps.ps1') -Root $DataRoot -Cases small
    for ($i = 0; $i -lt 10; $i++) { $null = Invoke-Ours $warmApp }
    for ($i = 0; $i -lt 2; $i++) { $null = Invoke-CompressArchive $warmApp }

    # ------------------------------------------------ the cases
    $results.Cases = [ordered]@{}
    foreach ($case in $Cases) {
        $app = $apps[$case]
        $n = if ($Repeat -gt 0) { $Repeat } else { $defaultRepeats[$case] }
        Write-Step "Case $case`: $n runs of each method"
        # The page cache holds both trees before anything is timed.
        $null = Invoke-Child bash @('-c', 'tar -cf - -C "$1" . | cat > /dev/null; tar -cf - -C "$2" . | cat > /dev/null', 'warm', $app.AppPath, $app.PeerPath)

        $runs = [ordered]@{}
        foreach ($key in $methods.Keys) { $runs[$key] = [Collections.Generic.List[object]]::new() }
        $keys = @($methods.Keys)
        for ($i = 0; $i -lt $n; $i++) {
            # Rotate the order so no method always runs first (or right after the slowest).
            for ($j = 0; $j -lt $keys.Count; $j++) {
                $key = $keys[($i + $j) % $keys.Count]
                $before = Get-CpuTicks; $emulatorBefore = Get-ProcessTicks $emulator.ProcessId
                $run = & $methods[$key].Run $app ($i -eq $n - 1)
                $after = Get-CpuTicks; $emulatorAfter = Get-ProcessTicks $emulator.ProcessId
                # CPU time of this process and the children it waited for (zip, curl, tar), and of the emulator.
                $run | Add-Member ClientCpuSeconds (($after.Own - $before.Own) / 100)
                $run | Add-Member EmulatorCpuSeconds (($emulatorAfter - $emulatorBefore) / 100)
                if ($run.DeploymentId) {
                    $receipt = Get-UploadReceipt $run.DeploymentId
                    $run | Add-Member ArchiveBytes $receipt.Bytes
                    $run | Add-Member ArchiveFiles $receipt.Files
                }
                $runs[$key].Add($run)
                Write-Step ("  run {0}/{1} {2,-9} {3,8:0.000} s" -f ($i + 1), $n, $key, $run.Seconds)
            }
        }

        # Walk and ignore rules alone: -WhatIf does the scan and the checks and sends nothing.
        $walk = @()
        for ($i = 0; $i -lt 3; $i++) {
            $clock = [Diagnostics.Stopwatch]::StartNew()
            New-KernelDeployment -Path $app.AppPath -EntrypointRelPath $app.Entrypoint -WhatIf -WarningAction SilentlyContinue
            $walk += $clock.Elapsed.TotalSeconds
        }

        # Ours' upload path alone: New-KernelDeployment -ArchivePath with the ZIP that zip made (the same bytes
        # curl sent): archive check, reading, SHA-256, sending and the emulator's answer, without walking or
        # packing; with the CPU it took here and in the emulator (the send and receive stages).
        $uploadOnly = @(); $uploadClientCpu = @(); $uploadEmulatorCpu = @()
        for ($i = 0; $i -lt $(if ($case -eq 'large') { 1 } else { 3 }); $i++) {
            [GC]::Collect()
            $clientBefore = [Diagnostics.Process]::GetCurrentProcess().TotalProcessorTime.TotalSeconds; $emulatorBefore = Get-ProcessTicks $emulator.ProcessId
            $clock = [Diagnostics.Stopwatch]::StartNew()
            $null = New-KernelDeployment -ArchivePath $script:keptZip -EntrypointRelPath $app.Entrypoint -ErrorAction Stop
            $uploadOnly += $clock.Elapsed.TotalSeconds
            $uploadClientCpu += [Diagnostics.Process]::GetCurrentProcess().TotalProcessorTime.TotalSeconds - $clientBefore
            $uploadEmulatorCpu += ((Get-ProcessTicks $emulator.ProcessId) - $emulatorBefore) / 100
        }

        # Each stage alone, on one thread, with the module's own code; the ready archive's read and hash, to
        # take out of the upload's CPU what sending a packed-on-the-fly archive does not spend.
        Write-Step '  stages: walk, read, CRC-32, deflate, SHA-256 (one thread each)'
        [GC]::Collect()
        $stages = [KernelBench.PipelineStages]::Measure($moduleAssembly, $app.AppPath, [IO.Compression.CompressionLevel]::Optimal)
        $readyArchive = [KernelBench.PipelineStages]::ReadAndHash($script:keptZip)
        $stageFigures = [pscustomobject]@{
            Stages             = $stages
            ZipBytes           = (Get-Item -LiteralPath $script:keptZip).Length
            ZipReadSeconds     = $readyArchive[0]
            ZipHashSeconds     = $readyArchive[1]
            UploadClientCpu    = Get-Median $uploadClientCpu
            UploadEmulatorCpu  = Get-Median $uploadEmulatorCpu
            UploadSeconds      = Get-Median $uploadOnly
        }
        Remove-Item -LiteralPath $script:keptZip

        # One more run of ours with -Verbose: when each step's message arrived (warm session).
        $timeline = [Collections.Generic.List[object]]::new()
        if ($case -ne 'large') {
            [GC]::Collect()
            $clock = [Diagnostics.Stopwatch]::StartNew()
            New-KernelDeployment -Path $app.AppPath -EntrypointRelPath $app.Entrypoint -Verbose -WarningAction SilentlyContinue 4>&1 | ForEach-Object {
                if ($_ -is [System.Management.Automation.VerboseRecord]) {
                    $timeline.Add([pscustomobject]@{ Ms = [math]::Round($clock.Elapsed.TotalMilliseconds); Message = $_.Message })
                }
            }
            $timeline.Add([pscustomobject]@{ Ms = [math]::Round($clock.Elapsed.TotalMilliseconds); Message = '(deployment object returned)' })
        }

        $results.Cases[$case] = [pscustomobject]@{ App = $app; Repeats = $n; Runs = $runs; WhatIfSeconds = $walk; UploadOnlySeconds = $uploadOnly; Timeline = $timeline; Memory = $null; Stages = $stageFigures }
    }

    # ------------------------------------------------ peak RSS in a fresh pwsh per case
    $childEnv = @{ KERNEL_BASE_URL = $script:baseUri; KERNEL_API_KEY = $script:apiKey }
    foreach ($case in $Cases) {
        Write-Step "Peak RSS: ours on $case in a fresh pwsh under /usr/bin/time"
        $app = $apps[$case]
        $child = Invoke-Child '/usr/bin/time' (@('-f', 'KERNEL_BENCH_MAXRSS_KB=%M') + $pwshCommand + @('-NoProfile', '-NonInteractive', '-File',
            (Join-Path $PSScriptRoot 'Measure-DeployMemory.ps1'), '-ModulePath', $moduleUnderTest, '-AppPath', $app.AppPath,
            '-WarmupPath', $warmApp.AppPath, '-WarmupEntrypoint', $warmApp.Entrypoint, '-Entrypoint', $app.Entrypoint)) -Environment $childEnv
        Assert-Child $child "Measure-DeployMemory.ps1 ($case)"
        $memory = ($child.Stdout.Trim() -split "`n")[-1] | ConvertFrom-Json
        $maxRss = if ($child.Stderr -match 'KERNEL_BENCH_MAXRSS_KB=(\d+)') { [long]$Matches[1] * 1024 } else { $null }
        $memory | Add-Member TimeMaxRssBytes $maxRss
        $receipt = Get-UploadReceipt $memory.DeploymentId
        $memory | Add-Member ArchiveBytes $receipt.Bytes
        $results.Cases[$case].Memory = $memory
    }

    # ------------------------------------------------ many at once
    # A fresh pwsh per app: ParallelCount deployments one after another in one session, then ParallelCount at
    # once (ForEach-Object -Parallel, alternating between two sessions), with the process's memory high-water
    # mark before and after each.
    $results.Parallel = [ordered]@{}
    foreach ($case in @('small', 'node_modules') | Where-Object { $_ -in $Cases }) {
        Write-Step "Many at once: $ParallelCount deployments of $case one after another, then at once (fresh pwsh)"
        $app = $apps[$case]
        $emulatorBefore = Get-ProcessTicks $emulator.ProcessId
        $child = Invoke-Child '/usr/bin/time' (@('-f', 'KERNEL_BENCH_MAXRSS_KB=%M') + $pwshCommand + @('-NoProfile', '-NonInteractive', '-File',
            (Join-Path $PSScriptRoot 'Measure-ParallelDeploys.ps1'), '-ModulePath', $moduleUnderTest, '-AppPath', $app.AppPath,
            '-Entrypoint', $app.Entrypoint, '-Count', $ParallelCount)) -Environment $childEnv -TimeoutSeconds 1200
        Assert-Child $child "Measure-ParallelDeploys.ps1 ($case)"
        $parallel = ($child.Stdout.Trim() -split "`n")[-1] | ConvertFrom-Json
        $parallel | Add-Member TimeMaxRssBytes $(if ($child.Stderr -match 'KERNEL_BENCH_MAXRSS_KB=(\d+)') { [long]$Matches[1] * 1024 } else { $null })
        $parallel | Add-Member EmulatorCpuSeconds (((Get-ProcessTicks $emulator.ProcessId) - $emulatorBefore) / 100)
        $results.Parallel[$case] = $parallel
    }

    # ------------------------------------------------ Wait-KernelDeployment latency
    Write-Step "Wait-KernelDeployment: $WaitRepeat deployments of small with 100 ms emulator steps"
    $settings = Invoke-RestMethod "$control/settings"
    $slow = @{ step_delay_ms = 100; heartbeat_ms = $settings.heartbeat_ms } | ConvertTo-Json
    $null = Invoke-RestMethod -Method Put "$control/settings" -ContentType 'application/json' -Body $slow
    $latency = @(); $alreadyDone = @()
    try {
        for ($i = 0; $i -lt $WaitRepeat; $i++) {
            $created = New-KernelDeployment -Path $warmApp.AppPath -EntrypointRelPath $warmApp.Entrypoint
            $waited = Wait-KernelDeployment -Id $created.Id -Timeout 60
            $returned = [DateTimeOffset]::UtcNow
            if ($waited.Status -ne 'running') { throw "Deployment $($created.Id) ended $($waited.Status)." }
            $terminal = Read-DeploymentEvent $created.Id { param($e) $e.event -eq 'deployment_state' -and $e.deployment.status -eq 'running' }
            $eventTime = [DateTimeOffset]::Parse($terminal.timestamp, $inv, [Globalization.DateTimeStyles]::AssumeUniversal)
            $latency += ($returned - $eventTime).TotalSeconds
            # The same Wait on a deployment that is already running: connect, replay, return.
            $clock = [Diagnostics.Stopwatch]::StartNew()
            $null = Wait-KernelDeployment -Id $created.Id -Timeout 60
            $alreadyDone += $clock.Elapsed.TotalSeconds
        }
    }
    finally {
        $restore = @{ step_delay_ms = $settings.step_delay_ms; heartbeat_ms = $settings.heartbeat_ms } | ConvertTo-Json
        $null = Invoke-RestMethod -Method Put "$control/settings" -ContentType 'application/json' -Body $restore
    }
    $results.Wait = [pscustomobject]@{ AfterEvent = Get-Stats $latency; AlreadyRunning = Get-Stats $alreadyDone; Samples = $latency }
}
finally {
    $cpuAfter = Get-CpuTicks
    $emulatorTicks = if ($emulator) { Get-ProcessTicks $emulator.ProcessId } else { 0 }
    $results.Cpu = [pscustomobject]@{
        WallSeconds      = $runClock.Elapsed.TotalSeconds
        BusySeconds      = ($cpuAfter.Busy - $cpuBefore.Busy) / 100
        BenchmarkSeconds = ($cpuAfter.Own - $cpuBefore.Own + $emulatorTicks) / 100
    }
    if ($emulator) { $emulator | Stop-KernelEmulator }
    if (Get-Command Disconnect-Kernel -ErrorAction Ignore) { Disconnect-Kernel -ErrorAction Ignore }
    $http.Dispose()
    Remove-Item -LiteralPath $scratch -Recurse -Force -ErrorAction Ignore
}

# ---------------------------------------------------------------- report
Write-Step "Writing $OutFile"
. (Join-Path $PSScriptRoot 'Write-BenchmarkReport.ps1')
$report = New-BenchmarkReport -Results $results -Methods $methods -ModuleDll $moduleDll -ModuleManifest $moduleUnderTest -RepoRoot $repoRoot `
    -StartedAt $startedAt -TotalSeconds $runClock.Elapsed.TotalSeconds -LoadBefore $loadBefore -LoadAfter (Get-Content -Raw /proc/loadavg) `
    -CommandLine $commandLine
Set-Content -LiteralPath $OutFile -Value $report.Markdown -Encoding utf8NoBOM
# Raw samples: out/bench/results.json for the default report, else next to the report.
$isDefaultReport = [IO.Path]::GetFullPath($OutFile) -eq [IO.Path]::GetFullPath((Join-Path $PSScriptRoot 'results.md'))
$rawFile = if ($isDefaultReport) { Join-Path $benchOut 'results.json' } else { [IO.Path]::ChangeExtension([IO.Path]::GetFullPath($OutFile), '.json') }
$results | ConvertTo-Json -Depth 8 | Set-Content -LiteralPath $rawFile -Encoding utf8NoBOM
# README.md quotes the headline of the run that wrote the default results.md.
$readmePath = Join-Path $PSScriptRoot 'README.md'
if ($isDefaultReport -and (Test-Path -LiteralPath $readmePath)) {
    $readme = Get-Content -Raw -LiteralPath $readmePath
    $pattern = '(?s)(<!-- headline:start -->\r?\n).*?(\r?\n<!-- headline:end -->)'
    if ($readme -match $pattern) {
        $updated = [regex]::Replace($readme, $pattern, { param($m) $m.Groups[1].Value + $report.ReadmeBlock + $m.Groups[2].Value })
        Set-Content -LiteralPath $readmePath -Value $updated -NoNewline -Encoding utf8NoBOM
    }
}

Write-Host ''
$report.Headline | ForEach-Object { Write-Host $_ }
Write-Step "Done: $OutFile (raw samples in $rawFile)"
