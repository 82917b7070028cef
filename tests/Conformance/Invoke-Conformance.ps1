<#
.SYNOPSIS
    Runs the conformance referees against the emulator and writes the counts for a build to add up.
.DESCRIPTION
    1. Installs the two pinned referees (npm ci in tests/Conformance) when node_modules is missing or stale. They need
       Node.js 20 or later with npm on PATH; without them every referee is reported as skipped, with the reason, and
       the run does not fail (the rest of build.ps1 Test does not need Node.js).
    2. SDK referee: the official @onkernel/sdk 0.84.0 runs sdk-referee.mjs against a fresh emulator; each of its steps
       is one test here.
    3. Prism pass: the Pester files that start their emulators with Start-TestEmulator run again, each emulator
       behind conformance-proxy.mjs (Prism 5.16.1 validating every request and response against the OpenAPI
       document, except event streams). The SDK referee runs through it once more. One test counts the violations on
       the deployments, apps, invocations, browsers, profiles, proxies, extensions and browser pools routes (0
       expected, after the documented
       exceptions in README.md); a
       Pester test that fails only through the proxy is a failure too, and so is a process left running.
       The document is read from ../shared/reference/kernel-openapi.yaml next to the repository (-SpecPath to
       override); without it the Prism pass is reported as skipped.
    Writes <ResultDirectory>/conformance-summary.json ({"Passed","Failed","Skipped"}) and conformance-report.json
    (every check with its message), prints a per-check report, and exits 1 when a check failed.
.EXAMPLE
    dotnet pwsh ./tests/Conformance/Invoke-Conformance.ps1 -ModulePath out/Kernel/Kernel.psd1 `
        -EmulatorPath out/Kernel/emulator/Kernel.Emulator.dll -PesterPath (Get-Module -ListAvailable Pester).Path `
        -ResultDirectory out/test-results
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $EmulatorPath,
    [Parameter(Mandatory)] [string] $PesterPath,
    [Parameter(Mandatory)] [string] $ResultDirectory,
    # The OpenAPI document for the Prism pass; by default ../shared/reference/kernel-openapi.yaml from the repository root.
    [string] $SpecPath
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
$here = $PSScriptRoot
$repository = (Resolve-Path (Join-Path $here '../..')).ProviderPath
$ModulePath = (Resolve-Path $ModulePath).ProviderPath
$EmulatorPath = (Resolve-Path $EmulatorPath).ProviderPath
$PesterPath = (Resolve-Path $PesterPath).ProviderPath
New-Item -ItemType Directory -Force $ResultDirectory | Out-Null
$ResultDirectory = (Resolve-Path $ResultDirectory).ProviderPath
if (-not $SpecPath) { $SpecPath = Join-Path (Split-Path $repository) 'shared/reference/kernel-openapi.yaml' }

$checks = [Collections.Generic.List[object]]::new()
function Add-Check {
    param([string] $Name, [ValidateSet('Passed', 'Failed', 'Skipped')] [string] $Result, [string] $Message = '')
    $checks.Add([pscustomobject]@{ Name = $Name; Result = $Result; Message = $Message })
    $mark = @{ Passed = 'PASS'; Failed = 'FAIL'; Skipped = 'SKIP' }[$Result]
    Write-Host ("[{0}] {1}{2}" -f $mark, $Name, ($Message ? " — $Message" : ''))
}

function Get-FileSha256([string] $Path) {
    if (-not (Test-Path -LiteralPath $Path)) { return '' }
    (Get-FileHash -LiteralPath $Path -Algorithm SHA256).Hash
}

# ---- 1. the referees, installed exactly as pinned ---------------------------------------------------------------
function Get-MissingNode {
    # Why this machine cannot run the referees, or nothing when it can: they need Node.js 20+ and npm on PATH.
    $node = Get-Command node -CommandType Application -ErrorAction Ignore | Select-Object -First 1
    if (-not $node) { return 'Node.js is not on PATH (the referees need Node.js 20 or later with npm)' }
    $version = "$(& $node.Source --version 2>$null)".Trim()
    if ($version -notmatch '^v(\d+)\.' -or [int]$Matches[1] -lt 20) { return "Node.js $version at $($node.Source) is older than the 20 the referees need" }
    if (-not (Get-Command npm -CommandType Application -ErrorAction Ignore)) { return "npm is not on PATH next to Node.js $version (the referees are installed with npm ci)" }
}

function Install-Referees {
    $node = Get-Command node -CommandType Application -ErrorAction Ignore | Select-Object -First 1
    $npm = Get-Command npm -CommandType Application -ErrorAction Ignore | Select-Object -First 1
    $modules = Join-Path $here 'node_modules'
    $stamp = Join-Path $modules '.conformance-installed'
    $want = (Get-FileSha256 (Join-Path $here 'package.json')) + ' ' + (Get-FileSha256 (Join-Path $here 'package-lock.json'))
    $have = if (Test-Path -LiteralPath $stamp) { (Get-Content -Raw -LiteralPath $stamp).Trim() } else { '' }
    if ($have -ne $want) {
        Write-Host 'Installing the pinned referees (npm ci) …'
        $log = Join-Path $ResultDirectory 'npm-ci.log'
        Push-Location $here
        try {
            & $npm.Source ci --no-audit --no-fund *> $log
            if ($LASTEXITCODE -ne 0) { throw "npm ci failed with exit code $LASTEXITCODE; see $log" }
        }
        finally { Pop-Location }
        Set-Content -LiteralPath $stamp -Value $want
    }
    foreach ($pin in @(@('@onkernel/sdk', '0.84.0'), @('@stainless-api/prism-cli', '5.16.1'))) {
        $manifest = Join-Path $modules "$($pin[0])/package.json"
        $version = if (Test-Path -LiteralPath $manifest) { (Get-Content -Raw -LiteralPath $manifest | ConvertFrom-Json).version } else { 'missing' }
        if ($version -ne $pin[1]) { throw "$($pin[0]) is $version in node_modules, not the pinned $($pin[1])." }
    }
    $node.Source
}

# Runs sdk-referee.mjs against BaseUri with the key in the environment (never on the command line) and returns
# its steps and counts.
function Invoke-SdkReferee {
    param([string] $Node, [uri] $BaseUri, [securestring] $ApiKey, [string] $Log)
    $saved = $env:KERNEL_API_KEY
    $env:KERNEL_API_KEY = [Net.NetworkCredential]::new('', $ApiKey).Password
    try {
        $output = @(& $Node (Join-Path $here 'sdk-referee.mjs') --base-url $BaseUri.AbsoluteUri 2>&1 | ForEach-Object { "$_" })
    }
    finally {
        if ($null -eq $saved) { Remove-Item Env:KERNEL_API_KEY } else { $env:KERNEL_API_KEY = $saved }
    }
    Set-Content -LiteralPath $Log -Value $output
    $steps = foreach ($line in $output) {
        if ($line -match '^ok (?<name>.+)$') { [pscustomobject]@{ Name = $Matches.name; Result = 'Passed'; Message = '' } }
        elseif ($line -match '^not ok (?<name>.+?): (?<why>.*)$') { [pscustomobject]@{ Name = $Matches.name; Result = 'Failed'; Message = $Matches.why } }
        elseif ($line -match '^skip (?<name>.+?): (?<why>.*)$') { [pscustomobject]@{ Name = $Matches.name; Result = 'Skipped'; Message = $Matches.why } }
    }
    $counts = $output | Where-Object { $_ -match '^\{"passed"' } | Select-Object -Last 1
    [pscustomobject]@{
        Steps    = @($steps)
        Finished = [bool]$counts
        Tail     = ($output | Select-Object -Last 8) -join ' | '
    }
}

# ---- the documented exceptions: the one table in README.md -----------------------------------------------------
function Get-SpecException {
    $readme = Get-Content -LiteralPath (Join-Path $here 'README.md')
    $begin = [array]::IndexOf($readme, '<!-- spec-exceptions:begin -->')
    $end = [array]::IndexOf($readme, '<!-- spec-exceptions:end -->')
    if ($begin -lt 0 -or $end -lt $begin) { throw 'README.md lacks the spec-exceptions table markers.' }
    $rows = $readme[($begin + 1)..($end - 1)] | Where-Object { $_ -match '^\|' } | Select-Object -Skip 2
    foreach ($row in $rows) {
        $cells = @(($row.Trim().Trim('|') -split '\|') | ForEach-Object { $_.Trim().Replace('`', '') })
        if ($cells.Count -lt 6) { throw "README.md spec-exceptions row has $($cells.Count) cells, expected 7: $row" }
        $rule = $cells[4]
        if ($rule -in '—', '-', '') { continue } # documentation only: Prism does not report it (verified)
        [pscustomobject]@{ Id = $cells[0]; Method = $cells[1]; Path = $cells[2]; Status = $cells[3]; Violation = $rule }
    }
}

function Test-SpecException {
    param($Exceptions, $Request, $Violation)
    $text = ('{0} {1}' -f ($Violation.location -join '.'), $Violation.message)
    foreach ($exception in $Exceptions) {
        $methods = @($exception.Method -split '\s*,\s*')
        if ($methods -notcontains '*' -and $methods -notcontains $Request.method) { continue }
        if (-not @($exception.Path -split '\s*,\s*' | Where-Object { $Request.path -like $_ })) { continue }
        if ($exception.Status -ne '*' -and ($exception.Status -split '\s*,\s*') -notcontains "$($Request.status)") { continue }
        if ($text -notlike $exception.Violation) { continue }
        return $exception.Id
    }
    $null
}

function Measure-PrismViolation {
    param([string] $Directory, $Exceptions)
    $counted = [Collections.Generic.List[string]]::new()
    $excused = @{}
    $requests = 0
    foreach ($journal in Get-ChildItem -LiteralPath $Directory -Filter *.requests.jsonl) {
        $label = $journal.Name -replace '\.requests\.jsonl$', ''
        $seenByProxy = 0
        foreach ($line in Get-Content -LiteralPath $journal.FullName) {
            if (-not $line.Trim()) { continue }
            $request = $line | ConvertFrom-Json
            $requests++
            $viaPrism = $request.route -ne 'direct'
            foreach ($violation in @($request.violations)) {
                if ($null -eq $violation) { continue }
                if ($violation.location -notcontains 'proxy') { $seenByProxy++ }
                # The routes under test: deployments, apps, invocations, browsers (replays too), profiles, proxies,
                # extensions, browser pools — without the event streams.
                if ($request.path -notmatch '^/(deployments|apps|invocations|browsers|profiles|proxies|extensions|browser_pools)(/|$)' -or $request.path -match '/events/?$') { continue }
                $id = Test-SpecException $Exceptions $request $violation
                if ($id) { $excused[$id] = 1 + ($excused[$id] ?? 0); continue }
                $counted.Add(('{0} {1}{2} → {3} [{4}, {5}]: {6} {7}' -f $request.method, $request.path, $request.query, $request.status,
                        $label, $violation.severity, ($violation.location -join '.'), $violation.message))
            }
            if (-not $viaPrism -and @($request.violations).Count) { throw 'a direct request carries violations' }
        }
        # Cross-check with Prism's own log: every "Violation:" line it wrote must have reached the proxy.
        $log = Join-Path $Directory "$label.prism.log"
        $logged = if (Test-Path -LiteralPath $log) { @(Select-String -LiteralPath $log -Pattern 'Violation:' -SimpleMatch).Count } else { 0 }
        if ($logged -ne $seenByProxy) {
            $counted.Add("$label`: Prism logged $logged violation(s), the proxy attributed $seenByProxy to requests; see $log")
        }
    }
    [pscustomobject]@{ Violations = $counted; Excused = $excused; Requests = $requests }
}

# ---- run ---------------------------------------------------------------------------------------------------------
$started = [Diagnostics.Stopwatch]::StartNew()
$node = $null
$installed = 'the referees are installed as pinned (@onkernel/sdk 0.84.0, @stainless-api/prism-cli 5.16.1)'
$prismTest = '0 Prism violations on the deployments, apps, invocations, browsers, profiles, proxies, extensions and browser pools routes'
$missing = Get-MissingNode
if ($missing) {
    foreach ($check in $installed, 'SDK: the official SDK against the emulator', $prismTest) { Add-Check $check Skipped $missing }
}
else {
    try {
        $node = Install-Referees
        Add-Check $installed Passed
    }
    catch {
        Add-Check $installed Failed "$_"
    }
}

Import-Module $ModulePath -Force
if ($node) {
    $emulator = Start-KernelEmulator -Path $EmulatorPath -StepDelay 0.02
    try {
        $sdk = Invoke-SdkReferee -Node $node -BaseUri $emulator.BaseUri -ApiKey $emulator.ApiKey -Log (Join-Path $ResultDirectory 'sdk-referee.log')
    }
    finally {
        $emulator | Stop-KernelEmulator
    }
    foreach ($step in $sdk.Steps) { Add-Check "SDK: $($step.Name)" $step.Result $step.Message }
    if (-not $sdk.Finished) { Add-Check 'SDK: the referee ran to the end' Failed $sdk.Tail }
}

if (-not $node) {
    if (-not $missing) { Add-Check $prismTest Failed 'the referees are not installed' }
}
elseif (-not (Test-Path -LiteralPath $SpecPath)) {
    Add-Check $prismTest Skipped "no OpenAPI document at $SpecPath (the spec mirror is not shipped with this repository)"
}
else {
    $prismResults = Join-Path $ResultDirectory 'prism'
    if (Test-Path -LiteralPath $prismResults) { Remove-Item -Recurse -Force -LiteralPath $prismResults }
    New-Item -ItemType Directory $prismResults | Out-Null
    $sdkThroughPrism = $null
    $pesterResult = Join-Path $prismResults 'pester-through-prism.json'
    $saved = @{}
    foreach ($name in 'KERNEL_TEST_PRISM_SPEC', 'KERNEL_TEST_PRISM_RESULTS', 'KERNEL_TEST_EMULATOR_PATH') { $saved[$name] = [Environment]::GetEnvironmentVariable($name) }
    $env:KERNEL_TEST_PRISM_SPEC = (Resolve-Path -LiteralPath $SpecPath).ProviderPath
    $env:KERNEL_TEST_PRISM_RESULTS = $prismResults
    $env:KERNEL_TEST_EMULATOR_PATH = $EmulatorPath
    try {
        # (a) the Pester files whose emulators come from Start-TestEmulator, in a fresh PowerShell.
        $pesterFolder = Join-Path $repository 'tests/Pester'
        $files = @(Get-ChildItem -LiteralPath $pesterFolder -Filter *.Tests.ps1 | Where-Object { Select-String -LiteralPath $_.FullName -Pattern 'Start-TestEmulator' -SimpleMatch -Quiet })
        $entry = [Environment]::GetCommandLineArgs()[0]
        $pwsh = if ($entry -like '*.dll') { @((Get-Process -Id $PID).Path, $entry) } else { @($entry) }
        Write-Host "Running $($files.Count) Pester file(s) through Prism: $($files.Name -join ', ')"
        & $pwsh[0] @($pwsh | Select-Object -Skip 1) -NoProfile -NonInteractive -File (Join-Path $here 'Invoke-PrismPester.ps1') `
            -PesterPath $PesterPath -ModulePath $ModulePath -Path ($files.FullName -join [IO.Path]::PathSeparator) -ResultFile $pesterResult |
            Tee-Object -FilePath (Join-Path $prismResults 'pester-through-prism.log') | Out-Host

        # (b) the SDK referee once more, through the same kind of proxy.
        . (Join-Path $pesterFolder 'TestHelpers.ps1')
        $fronted = Start-TestEmulator -StepDelay 0.02 -Name sdk-referee
        try {
            $sdkThroughPrism = Invoke-SdkReferee -Node $node -BaseUri $fronted.BaseUri -ApiKey $fronted.ApiKey -Log (Join-Path $prismResults 'sdk-referee-through-prism.log')
        }
        finally {
            $fronted | Stop-TestEmulator
        }
    }
    finally {
        foreach ($name in $saved.Keys) { [Environment]::SetEnvironmentVariable($name, $saved[$name]) }
    }

    # The violations, after the documented exceptions.
    try {
        $measured = Measure-PrismViolation -Directory $prismResults -Exceptions @(Get-SpecException)
        $excusedText = ($measured.Excused.GetEnumerator() | Sort-Object Name | ForEach-Object { "$($_.Name)×$($_.Value)" }) -join ', '
        if ($measured.Requests -eq 0) {
            Add-Check $prismTest Failed "no request reached the proxy (see $prismResults)"
        }
        elseif ($measured.Violations.Count -eq 0) {
            Add-Check $prismTest Passed ("{0} requests checked{1}" -f $measured.Requests, ($excusedText ? "; documented exceptions: $excusedText" : ''))
        }
        else {
            Add-Check $prismTest Failed ("{0} violation(s):`n    {1}" -f $measured.Violations.Count, ($measured.Violations -join "`n    "))
        }
    }
    catch {
        Add-Check $prismTest Failed "could not read the Prism results: $_"
    }

    # What ran through the proxy must behave as it does without it.
    if (Test-Path -LiteralPath $pesterResult) {
        $pester = Get-Content -Raw -LiteralPath $pesterResult | ConvertFrom-Json
        foreach ($failure in @($pester.Failures)) { Add-Check "Pester through Prism: $($failure.Name)" Failed $failure.Message }
        if ($pester.Failed -eq 0) { Add-Check "the Pester files pass through Prism ($($pester.Passed) tests)" Passed }
    }
    else {
        Add-Check 'the Pester files pass through Prism' Failed "the Pester run wrote no result; see $(Join-Path $prismResults 'pester-through-prism.log')"
    }
    $sdkFailed = @(if ($sdkThroughPrism) { $sdkThroughPrism.Steps | Where-Object Result -NE 'Passed' })
    if ($sdkThroughPrism -and $sdkThroughPrism.Finished -and $sdkFailed.Count -eq 0) { Add-Check 'the SDK referee passes through Prism' Passed }
    elseif (-not $sdkThroughPrism) { Add-Check 'the SDK referee passes through Prism' Failed 'it did not run' }
    else { Add-Check 'the SDK referee passes through Prism' Failed ((@($sdkFailed | ForEach-Object { "$($_.Name): $($_.Message)" }) + @(if (-not $sdkThroughPrism.Finished) { $sdkThroughPrism.Tail })) -join '; ') }

    # No process of the pass outlives it: every emulator, proxy and Prism it started has ended.
    $left = foreach ($record in Get-ChildItem -LiteralPath $prismResults -Filter *.pids.json) {
        $ids = Get-Content -Raw -LiteralPath $record.FullName | ConvertFrom-Json
        foreach ($kind in 'emulator', 'proxy', 'prism') {
            $process = Get-Process -Id $ids.$kind -ErrorAction Ignore
            # The same id on another program is not ours (ids are reused): only dotnet (emulator) and node count.
            if ($process -and $process.ProcessName -match '^(dotnet|node)') {
                "$kind $($ids.$kind) ($($record.BaseName))"
                $process | Stop-Process -Force -ErrorAction Ignore
            }
        }
    }
    if ($left) { Add-Check 'every process of the Prism pass has ended' Failed "still running (now stopped): $($left -join ', ')" }
    else { Add-Check 'every process of the Prism pass has ended' Passed }
}

# ---- report ------------------------------------------------------------------------------------------------------
$summary = [pscustomobject]@{
    Passed  = @($checks | Where-Object Result -EQ 'Passed').Count
    Failed  = @($checks | Where-Object Result -EQ 'Failed').Count
    Skipped = @($checks | Where-Object Result -EQ 'Skipped').Count
}
$summary | ConvertTo-Json -Compress | Set-Content -LiteralPath (Join-Path $ResultDirectory 'conformance-summary.json')
$checks | ConvertTo-Json -Depth 3 | Set-Content -LiteralPath (Join-Path $ResultDirectory 'conformance-report.json')
Write-Host ''
Write-Host ("Conformance: {0} passed, {1} failed, {2} skipped in {3:0} s" -f $summary.Passed, $summary.Failed, $summary.Skipped, $started.Elapsed.TotalSeconds)
foreach ($check in $checks | Where-Object Result -EQ 'Failed') { Write-Host "  FAILED: $($check.Name)" }
exit ([int]($summary.Failed -gt 0))
